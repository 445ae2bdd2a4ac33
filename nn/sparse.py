"""`Embedding`: a lookup table of learnable vectors."""

import autograd_core as ag

from . import init
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """weight (num_embeddings, embedding_dim) ~ N(0, 1); forward(idx) = weight[idx]."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.padding_idx = padding_idx
        self.weight = Parameter(
            ag.empty((num_embeddings, embedding_dim), device=device, dtype=dtype)
        )
        self.reset_parameters()

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with ag.no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, input):
        if input.dtype.kind not in "iu":
            raise TypeError(f"Embedding: expected integer indices, got {input.dtype}")
        out = self.weight[input]
        if self.padding_idx is not None:
            # the padding row keeps its value but gets no gradient, as in PyTorch
            pad = (input == self.padding_idx).unsqueeze(-1)
            out = ag.where(pad, out.detach(), out)
        return out

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        return s if self.padding_idx is None else s + f", padding_idx={self.padding_idx}"
