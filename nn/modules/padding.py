"""`nn.modules.padding` (PyTorch's module path): padding layers."""

from ..padding import (
    ConstantPad2d,
    ReflectionPad2d,
    ReplicationPad2d,
    ZeroPad2d,
)

__all__ = ["ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d", "ZeroPad2d"]
