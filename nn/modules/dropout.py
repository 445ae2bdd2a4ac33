"""`nn.modules.dropout` (PyTorch's module path): dropout."""

from ..dropout import Dropout, Dropout1d, Dropout2d

__all__ = ["Dropout", "Dropout1d", "Dropout2d"]
