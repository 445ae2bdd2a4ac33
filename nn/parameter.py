"""`Parameter`: a leaf tensor that a Module registers as learnable."""

from autograd_core import Tensor


class Parameter(Tensor):
    """A leaf with `requires_grad=True` sharing the memory of the tensor it wraps."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            import autograd_core as ag

            data = ag.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter: expected a Tensor, got {type(data).__name__}")
        p = cls._wrap(None)
        p.data = data  # shares memory, outside any graph
        p.requires_grad = requires_grad
        return p

    def __init__(self, data=None, requires_grad=True):
        pass  # everything is done in __new__ (Tensor.__init__ would copy)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
