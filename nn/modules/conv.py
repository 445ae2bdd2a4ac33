"""`nn.modules.conv` (PyTorch's module path): convolutions."""

from ..conv import Conv1d, Conv2d, ConvTranspose2d

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]
