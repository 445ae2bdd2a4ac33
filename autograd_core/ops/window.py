"""Sliding windows: `unfold` (im2col) and `fold` (col2im, its adjoint), as torch.nn.functional."""

from __future__ import annotations

from .. import backend
from ..function import Function
from .common import is_tensor


def _pair(v, name, op):
    if isinstance(v, int):
        return (v, v)
    v = tuple(v)
    if len(v) != 2 or not all(isinstance(i, int) for i in v):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {v!r}")
    return v


def _out_len(size, k, d, p, s):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


class Unfold(Function):
    """(N, C, H, W) -> (N, C*kh*kw, L): every window as a column; gradient: fold"""

    op_name = "unfold"
    uses_inputs = False

    @staticmethod
    def forward(ctx, x, kernel_size, dilation, padding, stride):
        xp = backend.array_module(x)
        (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel_size, dilation, padding, stride
        n, c, h, w = x.shape
        ctx.params = dict(
            kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride
        )
        ctx.size = (h, w)
        if ph or pw:
            x = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        ho = _out_len(h, kh, dh, ph, sh)
        wo = _out_len(w, kw, dw, pw, sw)
        x = xp.ascontiguousarray(x)
        s0, s1, s2, s3 = x.strides
        view = backend.as_strided(
            x, (n, c, kh, kw, ho, wo), (s0, s1, s2 * dh, s3 * dw, s2 * sh, s3 * sw)
        )
        return view.reshape(n, c * kh * kw, ho * wo)

    @staticmethod
    def backward(ctx, grad_out):
        return fold(grad_out, ctx.size, **ctx.params)


class Fold(Function):
    """(N, C*kh*kw, L) -> (N, C, H, W): columns summed back into place; gradient: unfold"""

    op_name = "fold"
    uses_inputs = False

    @staticmethod
    def forward(ctx, cols, output_size, kernel_size, dilation, padding, stride):
        xp = backend.array_module(cols)
        (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel_size, dilation, padding, stride
        h, w = output_size
        ctx.params = dict(
            kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride
        )
        n, ck, _ = cols.shape
        c = ck // (kh * kw)
        ho = _out_len(h, kh, dh, ph, sh)
        wo = _out_len(w, kw, dw, pw, sw)
        cols = cols.reshape(n, c, kh, kw, ho, wo)
        out = xp.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
        # one strided slice per kernel offset: no loops over pixels or batch items
        for i in range(kh):
            for j in range(kw):
                out[
                    :,
                    :,
                    i * dh : i * dh + sh * (ho - 1) + 1 : sh,
                    j * dw : j * dw + sw * (wo - 1) + 1 : sw,
                ] += cols[:, :, i, j]
        return out[:, :, ph : ph + h, pw : pw + w]

    @staticmethod
    def backward(ctx, grad_out):
        return unfold(grad_out, **ctx.params)


def _params(kernel_size, dilation, padding, stride, op):
    k = _pair(kernel_size, "kernel_size", op)
    d = _pair(dilation, "dilation", op)
    p = _pair(padding, "padding", op)
    s = _pair(stride, "stride", op)
    if min(k + d + s) < 1 or min(p) < 0:
        raise ValueError(
            f"{op}: kernel_size, dilation and stride must be positive and padding non-negative, "
            f"got kernel_size={k}, dilation={d}, padding={p}, stride={s}"
        )
    return dict(kernel_size=k, dilation=d, padding=p, stride=s)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col: (N, C, H, W) -> (N, C*kh*kw, L), PyTorch's `F.unfold` layout."""
    if not is_tensor(input):
        raise TypeError(f"unfold: expected a Tensor, got {type(input).__name__}")
    if input.ndim != 4:
        raise ValueError(f"unfold: expected 4-D input (N, C, H, W), got shape {tuple(input.shape)}")
    params = _params(kernel_size, dilation, padding, stride, "unfold")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = params.values()
    h, w = input.shape[2:]
    if _out_len(h, kh, dh, ph, sh) < 1 or _out_len(w, kw, dw, pw, sw) < 1:
        raise ValueError(
            f"unfold: kernel {(kh, kw)} (dilation {(dh, dw)}) is larger than the padded input "
            f"of shape {tuple(input.shape)} with padding {(ph, pw)}"
        )
    return Unfold._call(input, **params)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im: (N, C*kh*kw, L) -> (N, C, H, W), summing overlapping windows (adjoint of unfold)."""
    if not is_tensor(input):
        raise TypeError(f"fold: expected a Tensor, got {type(input).__name__}")
    if input.ndim != 3:
        raise ValueError(
            f"fold: expected 3-D input (N, C*kh*kw, L), got shape {tuple(input.shape)}"
        )
    params = _params(kernel_size, dilation, padding, stride, "fold")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = params.values()
    h, w = _pair(output_size, "output_size", "fold")
    blocks = _out_len(h, kh, dh, ph, sh) * _out_len(w, kw, dw, pw, sw)
    if input.shape[1] % (kh * kw) or input.shape[2] != blocks:
        raise ValueError(
            f"fold: input of shape {tuple(input.shape)} does not match kernel {(kh, kw)} and "
            f"output_size {(h, w)} (expected C*{kh * kw} rows and {blocks} blocks)"
        )
    return Fold._call(input, output_size=(h, w), **params)
