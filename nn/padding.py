"""Padding layers for (N, C, H, W) or (C, H, W) inputs: zero, constant, reflection, replication."""

from . import functional as F
from .module import Module


def _four(padding, name):
    if isinstance(padding, int):
        return (padding,) * 4
    padding = tuple(padding)
    if len(padding) != 4 or not all(isinstance(p, int) for p in padding):
        raise ValueError(
            f"{name}: padding must be an int or 4 ints (left, right, top, bottom), got {padding}"
        )
    return padding


class _Pad2d(Module):
    _mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _four(padding, type(self).__name__)

    def forward(self, input):
        if input.ndim not in (3, 4):
            raise ValueError(
                f"{type(self).__name__}: expected 3-D or 4-D input, got shape {tuple(input.shape)}"
            )
        return F.pad(input, self.padding, mode=self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(_Pad2d):
    """Pad the last two dims with zeros; padding is an int or (left, right, top, bottom)."""

    def __init__(self, padding):
        super().__init__(padding)


class ConstantPad2d(_Pad2d):
    """Pad the last two dims with `value`; padding is an int or (left, right, top, bottom)."""

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        if input.ndim not in (3, 4):
            raise ValueError(
                f"ConstantPad2d: expected 3-D or 4-D input, got shape {tuple(input.shape)}"
            )
        return F.pad(input, self.padding, mode="constant", value=self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ReflectionPad2d(_Pad2d):
    """Pad by mirroring without repeating the edge: [a b c] -> [c b | a b c | b a].

    Each padding must be smaller than the size of the dim it pads.
    """

    _mode = "reflect"

    def forward(self, input):
        left, right, top, bottom = self.padding
        h, w = input.shape[-2], input.shape[-1]
        if max(left, right) >= w or max(top, bottom) >= h:
            raise ValueError(
                f"ReflectionPad2d: padding {self.padding} must be smaller than the padded dims, "
                f"got input of shape {tuple(input.shape)}"
            )
        return super().forward(input)


class ReplicationPad2d(_Pad2d):
    """Pad by repeating the edge values: [a b c] -> [a a | a b c | c c]."""

    _mode = "replicate"
