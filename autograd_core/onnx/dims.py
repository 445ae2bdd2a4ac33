"""Dynamic axes: which recorded sizes follow the batch (or sequence) length, and how.

The model runs twice, the second time with every dynamic axis longer; a size that differs
between the two runs is explained as a multiple, a fraction or an offset of one dynamic axis
(or a product of two), which the graph then computes from the input's shape at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

# the second run lengthens dynamic axis i by the i-th of these: distinct primes, so that no
# two axes (nor an axis and a multiple of another) change in step by accident
_GROWTH = (3, 5, 7, 11, 13, 17, 19, 23)


@dataclass(frozen=True)
class Symbol:
    """A dynamic axis: `name` (the dim_param), read from axis `axis` of graph input `input`."""

    name: str
    input: str
    axis: int
    size: int  # in the first run
    size_b: int  # in the second run


@dataclass(frozen=True)
class DimExpr:
    """size = symbols' product * mul // div + add: how a recorded size follows the axes."""

    symbols: tuple
    mul: int = 1
    div: int = 1
    add: int = 0


def second_sizes(symbol_sizes: dict) -> dict:
    """name -> size in the first run  =>  name -> size in the second run."""
    return {
        name: size + _GROWTH[i % len(_GROWTH)]
        for i, (name, size) in enumerate(symbol_sizes.items())
    }


def resolve(size_a: int, size_b: int, symbols) -> DimExpr | None:
    """How a size that was `size_a` in the first run and `size_b` in the second follows the
    dynamic axes; None when no simple rule fits."""
    if size_a == 0:
        return None
    for s in symbols:
        if size_a % s.size == 0 and size_a // s.size * s.size_b == size_b:
            return DimExpr((s,), mul=size_a // s.size)
    for s in symbols:
        if s.size % size_a == 0 and s.size // size_a > 0:
            k = s.size // size_a
            if s.size_b // k == size_b:
                return DimExpr((s,), div=k)
    for s in symbols:
        if size_a - s.size == size_b - s.size_b:
            return DimExpr((s,), add=size_a - s.size)
    for i, s in enumerate(symbols):
        for t in symbols[i:]:
            prod_a, prod_b = s.size * t.size, s.size_b * t.size_b
            if size_a % prod_a == 0 and size_a // prod_a * prod_b == size_b:
                return DimExpr((s, t), mul=size_a // prod_a)
    return None
