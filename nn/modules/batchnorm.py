"""`nn.modules.batchnorm` (PyTorch's module path): batch normalisation."""

from ..batchnorm import BatchNorm1d, BatchNorm2d

__all__ = ["BatchNorm1d", "BatchNorm2d"]
