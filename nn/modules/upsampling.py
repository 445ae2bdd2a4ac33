"""`nn.modules.upsampling` (PyTorch's module path): upsampling."""

from ..upsampling import Upsample

__all__ = ["Upsample"]
