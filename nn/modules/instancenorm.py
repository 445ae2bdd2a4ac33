"""`nn.modules.instancenorm` (PyTorch's module path): instance normalisation."""

from ..normalization import InstanceNorm1d, InstanceNorm2d

__all__ = ["InstanceNorm1d", "InstanceNorm2d"]
