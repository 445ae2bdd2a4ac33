"""`Module`: the base class of layers; registers parameters, buffers and submodules."""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

import autograd_core as ag
from autograd_core import Tensor

from .backward_hooks import _HookedCall
from .parameter import Parameter


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict` left out: PyTorch's (missing_keys, unexpected_keys)."""

    missing_keys: list
    unexpected_keys: list

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys!r}, "
            f"unexpected_keys={self.unexpected_keys!r})"
        )


def _as_tensor(key, value):
    """A state-dict value (Tensor, array or nested list) as a Tensor, or a TypeError naming
    the key."""
    if isinstance(value, Tensor):
        return value
    try:
        return ag.tensor(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"load_state_dict: cannot load {key}: {e}") from None


def _converted(key, value, target):
    """`value` in `target`'s dtype and on its device, made before anything is copied, so
    that a failure leaves the module unchanged."""
    try:
        return value.to(device=target.device, dtype=target.dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"load_state_dict: cannot convert {key} from {value.dtype} on {value.device} to "
            f"the model's {target.dtype} on {target.device}: {e}"
        ) from None


class _Handle:
    def __init__(self, hooks: dict, key):
        self.hooks, self.key = hooks, key

    def remove(self):
        self.hooks.pop(self.key, None)


class Module:
    """Base class of every layer, as in PyTorch: assign Parameters and Modules as attributes."""

    _hook_id = 0

    def __init__(self):
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_modules"] = OrderedDict()
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_backward_hooks"] = OrderedDict()

    # ---- registration ------------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        if "_parameters" not in d:
            if isinstance(value, (Parameter, Module)):
                raise AttributeError("cannot assign before Module.__init__() call")
            object.__setattr__(self, name, value)
            return
        params, modules, buffers = d["_parameters"], d["_modules"], d["_buffers"]
        if name in params and value is not None and not isinstance(value, Parameter):
            raise TypeError(
                f"cannot assign {type(value).__name__} as parameter '{name}' "
                "(nn.Parameter or None expected)"
            )
        if name in buffers and (value is None or isinstance(value, Tensor)):
            buffers[name] = value
            return
        if name in params and value is None:
            params[name] = None
            return
        # a re-assigned parameter or submodule keeps its place in the order of parameters(),
        # children() and state_dict(), as PyTorch's dict update does
        if isinstance(value, Parameter):
            modules.pop(name, None)
            buffers.pop(name, None)
            d.pop(name, None)
            params[name] = value
        elif isinstance(value, Module):
            params.pop(name, None)
            buffers.pop(name, None)
            d.pop(name, None)
            modules[name] = value
        else:
            for store in (params, modules, buffers):
                store.pop(name, None)
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param):
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: expected a Parameter, got {type(param).__name__}")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor, persistent: bool = True):
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: expected a Tensor, got {type(tensor).__name__}")
        self._buffers[name] = tensor
        if not persistent:
            self.__dict__.setdefault("_non_persistent", set()).add(name)

    def add_module(self, name: str, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: expected a Module, got {type(module).__name__}")
        self._modules[name] = module

    register_module = add_module

    # ---- traversal ---------------------------------------------------------------------
    def named_modules(self, memo=None, prefix: str = ""):
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(memo, f"{prefix}.{name}" if prefix else name)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        for name, m in self._modules.items():
            if m is not None:
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named(self, store, prefix, recurse):
        seen = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mp, m in mods:
            for name, t in getattr(m, store).items():
                if t is None or id(t) in seen:
                    continue
                seen.add(id(t))
                yield (f"{mp}.{name}" if mp else name), t

    def named_parameters(self, prefix: str = "", recurse: bool = True):
        yield from self._named("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True):
        yield from self._named("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def num_parameters(self, only_trainable: bool = False) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not only_trainable)

    # ---- modes and state ---------------------------------------------------------------
    def train(self, mode: bool = True):
        for m in self.modules():
            m.__dict__["training"] = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True):
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                with ag.no_grad():
                    p.grad.zero_()

    def to(self, *args, **kwargs):
        """Move/cast parameters and buffers in place (`p.data = ...`), so optimisers keep them."""
        for p in self.parameters():
            p.data = _convert(p, args, kwargs)
            if p.grad is not None:
                p.grad = _convert(p.grad, args, kwargs)
        for m in self.modules():
            for name, b in m._buffers.items():
                if b is not None:
                    m._buffers[name] = _convert(b, args, kwargs)
        return self

    def float(self):
        return self.to(ag.float32)

    def double(self):
        return self.to(ag.float64)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to("cuda" if device is None else device)

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def state_dict(self, destination=None, prefix: str = "", keep_vars: bool = False):
        out = OrderedDict() if destination is None else destination
        for mp, m in self.named_modules(prefix=prefix.rstrip(".")):
            skip = m.__dict__.get("_non_persistent", set())
            for store in ("_parameters", "_buffers"):
                for name, t in getattr(m, store).items():
                    if t is None or name in skip:
                        continue
                    out[f"{mp}.{name}" if mp else name] = t if keep_vars else t.detach()
        return out

    def load_state_dict(self, state_dict, strict: bool = True):
        """Copy the values of `state_dict` into the parameters and buffers, in place.

        Every key, shape and dtype is checked before anything is copied, so when this raises
        the module is unchanged. With strict, missing or unexpected keys raise KeyError;
        without, they are skipped and reported. A shape mismatch raises ValueError and a
        value that cannot become the entry's dtype TypeError, strict or not (as PyTorch).
        Returns (missing_keys, unexpected_keys), a named tuple as in PyTorch.
        """
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        loaded = [(k, t, _as_tensor(k, state_dict[k])) for k, t in own.items() if k in state_dict]
        mismatched = [
            f"size mismatch for {k}: checkpoint has shape {tuple(v.shape)}, model has "
            f"{tuple(t.shape)}"
            for k, t, v in loaded
            if tuple(v.shape) != tuple(t.shape)
        ]
        if mismatched:
            raise ValueError("load_state_dict: " + "; ".join(mismatched))
        with ag.no_grad():
            ready = [(t, _converted(k, v, t)) for k, t, v in loaded]
            for t, v in ready:  # cannot fail now: shapes, dtypes and devices agree
                t.copy_(v)
        return IncompatibleKeys(missing, unexpected)

    # ---- calling -----------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
        hooked = None
        if self._backward_hooks and ag.is_grad_enabled():
            hooked = _HookedCall(self, args)
            args = hooked.wrap_inputs(args)
        with ag.name_scope(self):
            out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            res = hook(self, args, out)
            if res is not None:
                out = res
        if hooked is not None:
            out = hooked.wrap_outputs(out)
        return out

    def _add_hook(self, store, hook):
        Module._hook_id += 1
        store[Module._hook_id] = hook
        return _Handle(store, Module._hook_id)

    def register_forward_hook(self, hook):
        return self._add_hook(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook):
        return self._add_hook(self._forward_pre_hooks, hook)

    def register_full_backward_hook(self, hook):
        """`hook(module, grad_input, grad_output)` runs once per backward through a call, with
        the gradients of the call's tensor arguments (None where none is wanted) and of its
        outputs, as tuples; returning a tuple replaces grad_input."""
        return self._add_hook(self._backward_hooks, hook)

    # ---- printing ----------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self):
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        body = "\n  ".join(([extra] if extra else []) + lines)
        return f"{type(self).__name__}(\n  {body}\n)"


def _convert(t, args, kwargs):
    if t.dtype.kind not in "fc":  # integer buffers only move device
        dev = kwargs.get("device")
        for a in args:
            if isinstance(a, (str, ag.device)):
                dev = a
        return t.to(device=dev) if dev is not None else t
    return t.to(*args, **kwargs).detach()


def count_parameters(model: Module, only_trainable: bool = False) -> int:
    """Number of scalar parameters in `model`."""
    return model.num_parameters(only_trainable)
