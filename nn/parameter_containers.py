"""`ParameterList` and `ParameterDict`: parameters held in a list or dict, registered under
the names "0", "1", ... or the dict's keys so that parameters() and state_dict() see them."""

from collections import OrderedDict

from autograd_core import Tensor

from .module import Module
from .parameter import Parameter


def _as_parameter(name, value):
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value)
    raise TypeError(f"{name}: expected a Parameter or Tensor, got {type(value).__name__}")


def _describe(p):
    size = "x".join(str(s) for s in p.shape) or "()"
    return f"Parameter containing: [{p.dtype} of size {size}]"


class _ParameterContainer(Module):
    def __repr__(self):
        lines = [f"({k}): {_describe(p)}" for k, p in self._parameters.items()]
        if not lines:
            return f"{type(self).__name__}()"
        return f"{type(self).__name__}(\n    " + "\n    ".join(lines) + "\n)"


class ParameterList(_ParameterContainer):
    """A list of parameters; a plain Tensor added to it becomes a Parameter."""

    def __init__(self, values=None):
        super().__init__()
        self.extend(values or ())

    def _key(self, idx):
        n = len(self)
        if not -n <= idx < n:
            raise IndexError(f"ParameterList: index {idx} is out of range for length {n}")
        return str(idx % n)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(*idx.indices(len(self)))])
        return self._parameters[self._key(idx)]

    def __setitem__(self, idx, param):
        self.register_parameter(self._key(idx), _as_parameter("ParameterList", param))

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def __iadd__(self, parameters):
        return self.extend(parameters)

    def append(self, value):
        self.register_parameter(str(len(self)), _as_parameter("ParameterList", value))
        return self

    def extend(self, values):
        for v in values:
            self.append(v)
        return self


class ParameterDict(_ParameterContainer):
    """A dict of parameters keyed by strings; a plain Tensor added to it becomes a Parameter."""

    def __init__(self, parameters=None):
        super().__init__()
        self.update(parameters or {})

    def __getitem__(self, key):
        return self._parameters[key]

    def __setitem__(self, key, value):
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict: keys must be strings, got {type(key).__name__}")
        self.register_parameter(key, _as_parameter("ParameterDict", value))

    def __delitem__(self, key):
        del self._parameters[key]

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters)

    def __contains__(self, key):
        return key in self._parameters

    def keys(self):
        return self._parameters.keys()

    def values(self):
        return self._parameters.values()

    def items(self):
        return self._parameters.items()

    def get(self, key, default=None):
        return self._parameters.get(key, default)

    def pop(self, key):
        return self._parameters.pop(key)

    def update(self, parameters):
        """Add (key, parameter) pairs; a plain dict's keys are sorted first, as in PyTorch
        (an OrderedDict, a ParameterDict or a list of pairs keeps its order)."""
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            items = parameters.items()
        elif hasattr(parameters, "items"):
            items = sorted(parameters.items())
        else:
            items = parameters
        for k, v in items:
            self[k] = v
        return self
