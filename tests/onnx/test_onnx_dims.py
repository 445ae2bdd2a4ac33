"""How export explains a size that changed between its two runs by the dynamic axes."""

import pytest

from autograd_core.onnx.dims import DimExpr, Symbol, resolve, second_sizes

BATCH = Symbol("batch", "input", 0, 2, 5)
SEQ = Symbol("seq", "input", 1, 6, 11)


@pytest.mark.parametrize(
    "size_a, size_b, expected",
    [
        (2, 5, DimExpr((BATCH,), mul=1)),  # the batch itself
        (8, 20, DimExpr((BATCH,), mul=4)),  # batch * heads
        (3, 5, DimExpr((SEQ,), div=2)),  # a sequence halved by pooling
        (7, 12, DimExpr((SEQ,), add=1)),  # a class token in front
        (24, 110, DimExpr((BATCH, SEQ), mul=2)),  # batch * seq * 2, flattened
        (5, 9, None),  # no rule
        (0, 0, None),
    ],
)
def test_resolve(size_a, size_b, expected):
    assert resolve(size_a, size_b, (BATCH, SEQ)) == expected


def test_second_sizes_grow_each_axis_by_a_different_prime():
    assert second_sizes({"batch": 2, "seq": 6}) == {"batch": 5, "seq": 11}
