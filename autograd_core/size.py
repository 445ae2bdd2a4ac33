"""`Size`: the tuple that `Tensor.shape` and `Tensor.size()` return (PyTorch's torch.Size)."""

from __future__ import annotations


class Size(tuple):
    """A shape: a tuple of ints that prints as `autograd_core.Size([2, 3])` and knows its
    number of elements. Slices, concatenations and repeats of a Size are Sizes again.

    >>> import autograd_core as ag
    >>> ag.zeros(2, 3).shape
    autograd_core.Size([2, 3])
    >>> ag.Size([2, 3]).numel()
    6
    """

    __slots__ = ()

    def numel(self) -> int:
        """The number of elements of a tensor of this shape (1 for the 0-d shape)."""
        count = 1
        for size in self:
            count *= size
        return count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Size(tuple.__getitem__(self, index))
        return tuple.__getitem__(self, index)

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, count):
        return Size(tuple.__mul__(self, count))

    __rmul__ = __mul__

    def __repr__(self):
        return f"autograd_core.Size({list(self)})"
