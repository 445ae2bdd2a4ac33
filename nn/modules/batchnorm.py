"""`nn.modules.batchnorm` (PyTorch's module path): batch normalisation."""

from ..batchnorm import BatchNorm1d, BatchNorm2d
from ..sync_batchnorm import SyncBatchNorm

__all__ = ["BatchNorm1d", "BatchNorm2d", "SyncBatchNorm"]
