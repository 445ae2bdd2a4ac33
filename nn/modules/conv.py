"""`nn.modules.conv` (PyTorch's module path): convolutions."""

from ..conv import Conv2d
from ..conv_more import Conv1d, ConvTranspose2d

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]
