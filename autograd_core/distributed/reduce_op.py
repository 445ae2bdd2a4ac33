"""`ReduceOp`: how a collective combines the ranks' values (torch.distributed.ReduceOp)."""

from __future__ import annotations

import enum


class ReduceOp(enum.Enum):
    """SUM, AVG (the sum divided by the world size, floating tensors only), PRODUCT, MIN, MAX."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"


def check_op(op, name: str, dtype) -> ReduceOp:
    """`op` as a ReduceOp, refusing AVG on integer tensors (its division would truncate)."""
    if not isinstance(op, ReduceOp):
        raise TypeError(f"{name}: op must be a ReduceOp (ReduceOp.SUM, ...), got {op!r}")
    if op is ReduceOp.AVG and dtype.kind not in "fc":
        raise ValueError(
            f"{name}: ReduceOp.AVG needs a floating tensor, got {dtype}; use ReduceOp.SUM"
        )
    return op
