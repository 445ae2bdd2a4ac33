"""`autograd_core.backends`: PyTorch's `torch.backends` switches that programs set while
choosing a device (`mps`, `cudnn`); here they are answered or accepted, see each module."""

from . import cudnn, mps

__all__ = ["cudnn", "mps"]
