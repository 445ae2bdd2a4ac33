"""Table cases of scatter, scatter_add and scatter_reduce (every reduction, with and without
the input's own values), against a NumPy reference that reduces element by element."""

from __future__ import annotations

import numpy as np
from op_case import distinct, fixed

import autograd_core as ag

# (3, 4) input, (3, 3) src, dim=1: repeated targets in rows 0 and 2, one untouched element
REPEATS = np.array([[0, 0, 2], [1, 3, 1], [3, 3, 3]])
# along dim 0 of a (3, 4) input, src (2, 4): column 1 sends both values to row 2
REPEATS_DIM0 = np.array([[0, 2, 1, 1], [2, 2, 0, 1]])
# every target written once (scatter's result is unspecified where targets repeat)
UNIQUE = np.array([[2, 0, 1], [3, 1, 0], [0, 2, 3]])

_REDUCE = {
    "sum": np.sum,
    "prod": np.prod,
    "mean": np.mean,
    "amax": np.max,
    "amin": np.min,
    "write": lambda values: values[-1],
}


def _reference(a, dim, index, src, reduce, include_self=True):
    """out[target] = reduce(own value (if included), every src value sent to target)."""
    sent = {}
    for position in np.ndindex(*index.shape):
        target = list(position)
        target[dim] = index[position]
        sent.setdefault(tuple(target), []).append(src[position])
    out = a.copy()
    for target, values in sent.items():
        own = [a[target]] if include_self and reduce != "write" else []
        out[target] = _REDUCE[reduce](np.array(own + values))
    return out


def _on(t, values):
    return ag.tensor(np.asarray(values), device=t.device)


def add_cases(case):
    case(
        "scatter",
        lambda a, src: ag.scatter(a, 1, _on(a, UNIQUE), src),
        lambda a, src: _reference(a, 1, UNIQUE, src, "write"),
        (3, 4),
        (3, 3),
    )
    case(
        "scatter-value",
        lambda a: a.scatter(1, _on(a, UNIQUE), value=2.5),
        lambda a: _reference(a, 1, UNIQUE, np.full((3, 3), 2.5), "write"),
        (3, 4),
    )
    case(
        "scatter-dim0-larger-src",
        lambda a, src: a.scatter(0, _on(a, UNIQUE[:2, :3] % 3), src),
        lambda a, src: _reference(a, 0, UNIQUE[:2, :3] % 3, src, "write"),
        (3, 4),
        (3, 4),
    )
    case(
        "scatter_add-dim0",
        lambda a, src: a.scatter_add(0, _on(a, REPEATS_DIM0), src),
        lambda a, src: _reference(a, 0, REPEATS_DIM0, src, "sum"),
        (3, 4),
        (2, 4),
    )
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        # amax and amin: no ties between the input and src, so finite differences hold
        domain = (distinct(), distinct(0.125)) if reduce in ("amax", "amin") else None
        options = {} if domain is None else {"domain": domain}
        for include_self in (True, False):
            case(
                f"scatter_reduce-{reduce}-include_self={include_self}",
                lambda a, src, _r=reduce, _i=include_self: a.scatter_reduce(
                    1, _on(a, REPEATS), src, _r, include_self=_i
                ),
                lambda a, src, _r=reduce, _i=include_self: _reference(a, 1, REPEATS, src, _r, _i),
                (3, 4),
                (3, 3),
                **options,
            )
        case(
            f"scatter_reduce-{reduce}-dim0",
            lambda a, src, _r=reduce: ag.scatter_reduce(a, 0, _on(a, REPEATS_DIM0), src, _r),
            lambda a, src, _r=reduce: _reference(a, 0, REPEATS_DIM0, src, _r),
            (3, 4),
            (2, 4),
            **options,
        )
    # a product with zeros among the factors: the gradient is the product of the others
    # (PyTorch's formula, no division by zero); one zero per reduction, so finite
    # differences still hold
    case(
        "scatter_reduce-prod-zeros",
        lambda a, src: a.scatter_reduce(0, _on(a, [0, 0, 1, 2, 2]), src, "prod"),
        lambda a, src: _reference(a, 0, np.array([0, 0, 1, 2, 2]), src, "prod"),
        (3,),
        (5,),
        domain=(fixed([2.0, 0.0, 3.0]), fixed([0.0, 4.0, 5.0, -1.5, 0.5])),
    )
    # ties: the input and two src values equal the maximum of element 1, which shares its
    # gradient between the three (PyTorch's rule); element 2 keeps its own value
    case(
        "scatter_reduce-amax-ties",
        lambda a, src: a.scatter_reduce(0, _on(a, [1, 1, 2]), src, "amax"),
        lambda a, src: _reference(a, 0, np.array([1, 1, 2]), src, "amax"),
        (3,),
        (3,),
        domain=(fixed([1.0, 3.0, 2.0]), fixed([3.0, 3.0, 0.5])),
        grad=False,
        grad_ref=lambda g, a, src: (
            np.array([g[0], g[1] / 3, g[2]]),
            np.array([g[1] / 3, g[1] / 3, 0.0]),
        ),
    )
