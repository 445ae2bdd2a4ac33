"""`nn.modules.normalization` (PyTorch's module path): layer and group normalisation."""

from ..normalization import GroupNorm, LayerNorm

__all__ = ["GroupNorm", "LayerNorm"]
