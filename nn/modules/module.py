"""`nn.modules.module` (PyTorch's module path): the base class."""

from ..module import Module

__all__ = ["Module"]
