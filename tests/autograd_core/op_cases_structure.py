"""Table cases of sorting, scans, einsum and positional ops (sort, topk, cumprod, diff, einsum,
tril, diag, roll, tile, repeat_interleave, nonzero, masked_select, addmm, ...)."""

from __future__ import annotations

import numpy as np
from op_case import distinct, fixed, normal

import autograd_core as ag

VALUES_AND_INDICES = ("float", "int64")
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])


def _descending(a, axis):
    """NumPy's sort, largest first with ties in their order (PyTorch's stable sort)."""
    indices = np.flip(np.argsort(np.flip(a, axis), axis=axis, kind="stable"), axis)
    indices = a.shape[axis] - 1 - indices
    return np.take_along_axis(a, indices, axis), indices


def _ascending(a, axis):
    indices = np.argsort(a, axis=axis, kind="stable")
    return np.take_along_axis(a, indices, axis), indices


def _cumprod_zeros():
    return fixed([[1.5, 0.0, -2.0, 0.5], [0.0, 2.0, 0.0, -1.5], [0.7, -1.2, 1.1, 0.0]])


def _diff(a, n=1, axis=-1, prepend=None, append=None):
    parts = [p for p in (prepend, a, append) if p is not None]
    return np.diff(np.concatenate(parts, axis), n, axis)


def _diag_1d(v, k):
    return np.diag(v, k)


def add_cases(case):
    _sorting_cases(case)
    _scan_cases(case)
    _einsum_cases(case)
    _structure_cases(case)
    _mask_cases(case)
    _linalg_cases(case)


def _sorting_cases(case):
    case(
        "sort-dim1",
        lambda a: ag.sort(a, 1),
        lambda a: _ascending(a, 1),
        (3, 4),
        domain=distinct(),
        out_dtypes=VALUES_AND_INDICES,
    )
    case(
        "sort-descending-dim0",
        lambda a: a.sort(dim=0, descending=True),
        lambda a: _descending(a, 0),
        (3, 4),
        domain=distinct(),
        out_dtypes=VALUES_AND_INDICES,
    )
    case(
        "sort-stable-ties",
        lambda a: a.sort(descending=True, stable=True),
        lambda a: _descending(a, -1),
        (2, 5),
        domain=fixed([[1.0, 2.0, 1.0, 2.0, 0.0], [3.0, 3.0, 3.0, -1.0, 3.0]]),
        out_dtypes=VALUES_AND_INDICES,
        grad=False,  # ties: finite differences move an element past its twin
    )
    case(
        "sort-values-attribute",
        lambda a: a.sort(0).values * 2.0 + a.sort(0).indices,
        lambda a: 2.0 * np.sort(a, 0) + np.argsort(a, 0),
        (3, 2),
        domain=distinct(),
    )
    case(
        "argsort-descending",
        lambda a: ag.argsort(a, 0, descending=True),
        lambda a: _descending(a, 0)[1],
        (4, 3),
        domain=distinct(),
        out_dtypes=("int64",),
    )
    case(
        "topk-k2",
        lambda a: ag.topk(a, 2),
        lambda a: tuple(x[:, :2] for x in _descending(a, 1)),
        (3, 4),
        domain=distinct(),
        out_dtypes=VALUES_AND_INDICES,
    )
    case(
        "topk-smallest-dim0",
        lambda a: a.topk(3, dim=0, largest=False),
        lambda a: tuple(x[:3] for x in _ascending(a, 0)),
        (4, 2, 3),
        domain=distinct(),
        out_dtypes=VALUES_AND_INDICES,
    )


def _scan_cases(case):
    case("cumprod", lambda a: ag.cumprod(a, 1), lambda a: np.cumprod(a, 1), (3, 4))
    case("cumprod-dim0-method", lambda a: a.cumprod(0), lambda a: np.cumprod(a, 0), (4, 3))
    # zeros: the gradient can't divide by the input, as the zero-free formula does
    case(
        "cumprod-with-zeros",
        lambda a: ag.cumprod(a, -1),
        lambda a: np.cumprod(a, -1),
        (3, 4),
        domain=_cumprod_zeros(),
    )
    case(
        "cumprod-with-zeros-dim0",
        lambda a: ag.cumprod(a.transpose(0, 1), 0),
        lambda a: np.cumprod(a.T, 0),
        (3, 4),
        domain=_cumprod_zeros(),
    )
    case("cumprod-0d", lambda a: ag.cumprod(a, 0), lambda a: a, ())
    case(
        "cumprod-int",
        lambda i: ag.cumprod(i, 0),
        lambda i: np.cumprod(i, 0),
        (5,),
        int_inputs=(0,),
        out_dtypes=("int64",),
    )
    case("diff", ag.diff, _diff, (3, 5))
    case("diff-n2-dim0", lambda a: a.diff(2, 0), lambda a: _diff(a, 2, 0), (5, 3))
    case(
        "diff-prepend-append",
        lambda a, p, q: ag.diff(a, 1, 0, prepend=p, append=q),
        lambda a, p, q: _diff(a, 1, 0, p, q),
        (3, 4),
        (2, 4),
        (1, 4),
    )
    case(
        "diff-n-past-length",
        lambda a: ag.diff(a, 4),
        lambda a: _diff(a, 4),
        (2, 3),
    )


EINSUM_EQUATIONS = [
    ("matmul", "ij,jk->ik", [(2, 3), (3, 4)]),
    ("implicit-output", "ij,jk", [(2, 3), (3, 4)]),
    ("batched", "bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ellipsis-broadcast", "...ij,...jk->...ik", [(2, 2, 3), (3, 4)]),
    ("three-operands", "i,ij,jk->k", [(2,), (2, 3), (3, 4)]),
    ("outer-of-three", "i,j,k->ijk", [(2,), (3,), (2,)]),
    ("full-sum", "ij->", [(2, 3)]),
    ("transpose", "ij->ji", [(2, 3)]),
    ("label-of-one-operand", "ij,kl->ij", [(2, 3), (2, 2)]),
    ("size-1-broadcast", "ij,j->i", [(2, 3), (1,)]),
    ("diagonal", "ii->i", [(3, 3)]),
    ("trace", "ii", [(3, 3)]),
    ("diagonal-of-3d", "iji->j", [(2, 3, 2)]),
    ("diagonal-times-vector", "ii,i->", [(3, 3), (3,)]),
]


def _einsum_cases(case):
    for label, equation, shapes in EINSUM_EQUATIONS:
        case(
            "einsum-" + label,
            lambda *ts, equation=equation: ag.einsum(equation, *ts),
            lambda *arrays, equation=equation: np.einsum(equation, *arrays),
            *shapes,
        )
    case(
        "einsum-operand-list",
        lambda a, b: ag.einsum("ij,jk", [a, b]),
        lambda a, b: a @ b,
        (2, 3),
        (3, 2),
    )


def _structure_cases(case):
    case("tril", ag.tril, np.tril, (3, 4))
    case("tril-diagonal1-batched", lambda a: a.tril(1), lambda a: np.tril(a, 1), (2, 3, 4))
    case("triu", ag.triu, np.triu, (4, 3))
    case("triu-diagonal-1", lambda a: a.triu(-1), lambda a: np.triu(a, -1), (3, 4))
    case("diag-vector", ag.diag, np.diag, (3,))
    case("diag-vector-offset-1", lambda v: ag.diag(v, -1), lambda v: _diag_1d(v, -1), (3,))
    case("diag-matrix", lambda a: a.diag(), np.diag, (3, 4))
    case("diag-matrix-offset2", lambda a: a.diag(2), lambda a: np.diag(a, 2), (3, 4))
    case("diag-matrix-offset-1", lambda a: ag.diag(a, -1), lambda a: np.diag(a, -1), (3, 4))
    case("trace", ag.trace, np.trace, (3, 4))
    case(
        "trace-int",
        ag.trace,
        np.trace,
        (3, 3),
        int_inputs=(0,),
        out_dtypes=("int64",),
    )
    case("roll-flattened", lambda a: ag.roll(a, 2), lambda a: np.roll(a, 2), (3, 4))
    case(
        "roll-dims",
        lambda a: a.roll((1, -2), (0, -1)),
        lambda a: np.roll(a, (1, -2), (0, -1)),
        (3, 4),
    )
    case("tile", lambda a: a.tile(2), lambda a: np.tile(a, 2), (2, 3))
    case("tile-more-dims", lambda a: ag.tile(a, (2, 1, 3)), lambda a: np.tile(a, (2, 1, 3)), (2, 3))
    case(
        "repeat_interleave-flattened",
        lambda a: a.repeat_interleave(2),
        lambda a: np.repeat(a, 2),
        (2, 3),
    )
    case(
        "repeat_interleave-dim1",
        lambda a: ag.repeat_interleave(a, 3, dim=1),
        lambda a: np.repeat(a, 3, 1),
        (2, 3),
    )
    case(
        "repeat_interleave-tensor",
        lambda a, r: ag.repeat_interleave(a, r, dim=0),
        lambda a, r: np.repeat(a, r, 0),
        (3, 2),
        (3,),
        domain=(normal, fixed([2, 0, 3])),
        int_inputs=(1,),
    )


def _on(t, values):
    return ag.tensor(np.asarray(values), device=t.device)


def _mask_cases(case):
    zeros = fixed([[0.0, 1.5, 0.0, -2.0], [0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 1.0, 0.5]])
    case(
        "nonzero",
        ag.nonzero,
        np.argwhere,
        (3, 4),
        domain=zeros,
        out_dtypes=("int64",),
    )
    case(
        "nonzero-as-tuple",
        lambda a: a.nonzero(as_tuple=True),
        np.nonzero,
        (3, 4),
        domain=zeros,
        out_dtypes=("int64", "int64"),
    )
    case(
        "where-condition-only",
        lambda a: ag.where(a > 0),
        lambda a: np.nonzero(a > 0),
        (3, 4),
        domain=zeros,
        out_dtypes=("int64", "int64"),
    )
    case(
        "masked_select",
        lambda a: ag.masked_select(a, _on(a, MASK)),
        lambda a: a[MASK],
        (3, 4),
    )
    case(
        "masked_select-broadcast",
        lambda a: a.masked_select(_on(a, MASK[0])),
        lambda a: a[:, MASK[0]].reshape(-1),
        (3, 4),
    )


def _linalg_cases(case):
    case("outer", ag.outer, np.outer, (3,), (4,))
    case(
        "addmm",
        ag.addmm,
        lambda c, a, b: c + a @ b,
        (2, 4),
        (2, 3),
        (3, 4),
    )
    case(
        "addmm-beta-alpha-broadcast",
        lambda c, a, b: c.addmm(a, b, beta=0.5, alpha=-2.0),
        lambda c, a, b: 0.5 * c - 2.0 * (a @ b),
        (4,),
        (2, 3),
        (3, 4),
    )
    case(
        "addmm-beta0-ignores-nan",
        lambda c, a, b: ag.addmm(c, a, b, beta=0),
        lambda c, a, b: a @ b,
        (2, 4),
        (2, 3),
        (3, 4),
        domain=(fixed(np.full((2, 4), np.nan)), normal, normal),
        grad=False,
        grad_ref=lambda g, c, a, b: (np.zeros_like(c), g @ b.T, a.T @ g),
    )
    case(
        "baddbmm",
        lambda c, a, b: ag.baddbmm(c, a, b, beta=2.0, alpha=0.5),
        lambda c, a, b: 2.0 * c + 0.5 * (a @ b),
        (2, 1, 4),
        (2, 2, 3),
        (2, 3, 4),
    )
