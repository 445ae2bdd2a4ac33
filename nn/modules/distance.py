"""`nn.modules.distance` (PyTorch's module path): distances."""

from ..distance import CosineSimilarity, PairwiseDistance

__all__ = ["CosineSimilarity", "PairwiseDistance"]
