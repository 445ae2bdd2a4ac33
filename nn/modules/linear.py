"""`nn.modules.linear` (PyTorch's module path): linear maps."""

from ..bilinear import Bilinear
from ..linear import Identity, Linear

__all__ = ["Bilinear", "Identity", "Linear"]
