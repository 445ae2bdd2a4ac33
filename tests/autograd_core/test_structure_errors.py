"""Errors of the sorting, scan, einsum and positional ops name the op and what came."""

import re

import pytest

import autograd_core as ag


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda d: ag.topk(ag.ones(2, 3, device=d), 4), ValueError, "topk: k=4 is out of range"),
        (lambda d: ag.sort(ag.ones(2, 3, device=d), 2), IndexError, "sort: dim 2 is out of range"),
        (
            lambda d: ag.diff(ag.ones(2, 3, device=d), prepend=ag.ones(3, 3, device=d)),
            ValueError,
            "diff: prepend of shape (3, 3) does not fit the input of shape (2, 3)",
        ),
        (lambda d: ag.diff(ag.ones(3, device=d), -1), ValueError, "diff: n must be"),
        (
            lambda d: ag.einsum("ij,jk", ag.ones(2, 3, device=d)),
            ValueError,
            "einsum: the equation 'ij,jk' names 2 operands, got 1",
        ),
        (
            lambda d: ag.einsum("ij,jk", ag.ones(2, 3, device=d), ag.ones(4, 2, device=d)),
            ValueError,
            "einsum: label 'j' has sizes 3 and 4",
        ),
        (
            lambda d: ag.einsum("ijk", ag.ones(2, 3, device=d)),
            ValueError,
            "einsum: subscripts 'ijk' don't fit an operand of shape (2, 3)",
        ),
        (
            lambda d: ag.einsum("i->j", ag.ones(2, device=d)),
            ValueError,
            "einsum: output label(s) j appear in no operand",
        ),
        (
            lambda d: ag.einsum(
                "i,i", ag.ones(2, device=d), ag.ones(2, dtype=ag.float64, device=d)
            ),
            TypeError,
            "einsum: operands must share a dtype",
        ),
        (lambda d: ag.tril(ag.ones(3, device=d)), ValueError, "tril: expects a tensor with at"),
        (lambda d: ag.diag(ag.ones(2, 2, 2, device=d)), ValueError, "diag: expects a 1-D or 2-D"),
        (lambda d: ag.trace(ag.ones(3, device=d)), ValueError, "trace: expects a 2-D tensor"),
        (
            lambda d: ag.roll(ag.ones(2, 3, device=d), (1, 2), 0),
            ValueError,
            "roll: shifts (1, 2) and dims (0,) differ in length",
        ),
        (
            lambda d: ag.repeat_interleave(ag.ones(3, device=d), ag.tensor([1, 2], device=d)),
            ValueError,
            "repeat_interleave: repeats has 2 counts, expected 3",
        ),
        (
            lambda d: ag.masked_select(ag.ones(2, 3, device=d), ag.ones(4, device=d) > 0),
            ValueError,
            "masked_select: shapes (2, 3) and (4,) can't be broadcast",
        ),
        (
            lambda d: ag.masked_select(ag.ones(2, device=d), ag.ones(2, device=d)),
            TypeError,
            "masked_select: mask must be a bool tensor",
        ),
        (lambda d: ag.outer(ag.ones(2, 2, device=d), ag.ones(2, device=d)), ValueError, "outer"),
        (
            lambda d: ag.addmm(
                ag.ones(3, device=d), ag.ones(2, 3, device=d), ag.ones(3, 4, device=d)
            ),
            ValueError,
            "addmm: input of shape (3,) does not broadcast to the product's shape (2, 4)",
        ),
        (
            lambda d: ag.baddbmm(
                ag.ones(1, device=d), ag.ones(2, 2, 3, device=d), ag.ones(3, 3, 4, device=d)
            ),
            ValueError,
            "baddbmm: batch sizes differ: (2, 2, 3) and (3, 3, 4)",
        ),
        (
            lambda d: ag.where(ag.ones(2, device=d) > 0, ag.ones(2, device=d)),
            TypeError,
            "where: pass both values",
        ),
    ],
)
def test_bad_arguments_are_named(call, error, message, device):
    with pytest.raises(error, match="^" + re.escape(message)):
        call(device)
