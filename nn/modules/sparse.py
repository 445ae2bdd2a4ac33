"""`nn.modules.sparse` (PyTorch's module path): embeddings."""

from ..sparse import Embedding

__all__ = ["Embedding"]
