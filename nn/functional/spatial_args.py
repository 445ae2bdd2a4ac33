"""Argument and input checks shared by the convolutions and the pools: int-or-tuple arguments,
the input's rank, and unbatched inputs run as a batch of one."""

import functools

from autograd_core import Tensor


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _single(v, name, op):
    if isinstance(v, int):
        return v
    if isinstance(v, (tuple, list)) and len(v) == 1 and isinstance(v[0], int):
        return v[0]
    raise TypeError(f"{op}: {name} must be an int or a 1-tuple of ints, got {v!r}")


def _check(x, ndim, layout, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim != ndim:
        raise ValueError(f"{op}: expected {layout} input, got shape {tuple(x.shape)}")


def _check4d(x, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim != 4:
        raise ValueError(
            f"{op}: expected 4-D input (N, C, H, W) or 3-D (C, H, W), got shape {tuple(x.shape)}"
        )


def _unbatched(ndim):
    """Let an op take one unbatched sample ((C, L) for 1-D, (C, H, W) for 2-D) as PyTorch."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(input, *args, **kwargs):
            if isinstance(input, Tensor) and input.ndim == ndim - 1:
                out = fn(input.unsqueeze(0), *args, **kwargs)
                if isinstance(out, tuple):  # (output, indices)
                    return tuple(t.squeeze(0) for t in out)
                return out.squeeze(0)
            return fn(input, *args, **kwargs)

        return wrapper

    return decorate
