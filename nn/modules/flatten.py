"""`nn.modules.flatten` (PyTorch's module path): flattening."""

from ..linear import Flatten
from ..unflatten import Unflatten

__all__ = ["Flatten", "Unflatten"]
