"""`nn.modules.pixelshuffle` (PyTorch's module path): pixel shuffles."""

from ..upsampling import PixelShuffle, PixelUnshuffle

__all__ = ["PixelShuffle", "PixelUnshuffle"]
