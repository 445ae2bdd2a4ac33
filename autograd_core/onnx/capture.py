"""Run a model once and keep every op it calls, differentiable or not, for export.

The tape records only ops that a gradient flows through; an exported graph also needs the
comparisons behind `where` (leaky ReLU, hardtanh, ...) and ops on integer indices. So for the
length of one forward pass `Function._call`, `Function.apply` and the comparison functions of
`autograd_core.ops` (wherever a module holds them) are wrapped to log their inputs,
hyperparameters and outputs; the originals are put back afterwards, also when the forward pass
raises.
"""

from __future__ import annotations

import contextlib
import sys
import types
from dataclasses import dataclass

from .. import ops as _ops
from ..function import Function
from ..scope import current_scope
from ..tensor import Tensor

# ops outside Function (they return constants, no gradient), by their name in autograd_core.ops
COMPARISONS = (
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
)


@dataclass
class CapturedOp:
    """One op call: `key` is the Function class or a comparison's name; `inputs` are Tensors
    or Python numbers; `params` the op's keyword hyperparameters; `scope` its module stack."""

    key: object
    inputs: tuple
    params: dict
    outputs: tuple
    scope: tuple
    custom: bool = False  # a user's Function (through apply): its forward's ops came first

    @property
    def name(self) -> str:
        if isinstance(self.key, str):
            return self.key
        return getattr(self.key, "op_name", None) or self.key.__name__


class Capture:
    """The ops of one forward pass, in call order, and the arrays changed in place."""

    def __init__(self):
        self.ops: list[CapturedOp] = []
        self.mutated: list = []  # arrays written in place (export refuses them)

    def log(self, key, inputs, params, result, custom=False):
        outputs = result if isinstance(result, tuple) else (result,)
        op = CapturedOp(key, tuple(inputs), dict(params), tuple(outputs), current_scope(), custom)
        self.ops.append(op)


def _holders(functions: dict):
    """(module, attribute, name) for each loaded module's attribute that is one of
    `functions` (name -> function)."""
    by_id = {id(fn): name for name, fn in functions.items()}
    for module in list(sys.modules.values()):
        if not isinstance(module, types.ModuleType):
            continue
        for attr, value in list(vars(module).items()):
            name = by_id.get(id(value))
            if name is not None and value is functions[name]:
                yield module, attr, name


@contextlib.contextmanager
def capturing():
    """`with capturing() as capture:` logs every op called inside into `capture.ops`."""
    capture = Capture()
    original_call = Function.__dict__["_call"]
    original_apply = Function.__dict__["apply"]
    original_bump = Tensor._bump_version
    original_compare = {name: getattr(_ops, name) for name in COMPARISONS}

    def _call(cls, *inputs, **params):
        result = original_call.__func__(cls, *inputs, **params)
        capture.log(cls, inputs, params, result)
        return result

    def apply(cls, *args):
        result = original_apply.__func__(cls, *args)
        capture.log(cls, args, {}, result, custom=True)
        return result

    def bump(self):
        capture.mutated.append(self._data)
        original_bump(self)

    def logged(name, fn):
        def compare(*args):
            result = fn(*args)
            capture.log(name, args, {}, result)
            return result

        return compare

    Function._call = classmethod(_call)
    Function.apply = classmethod(apply)
    Tensor._bump_version = bump
    # every module attribute that is one of them: autograd_core.gt, ops.select's own gt, ...
    holders = list(_holders(original_compare))
    wrapped = {name: logged(name, fn) for name, fn in original_compare.items()}
    for module, attr, name in holders:
        setattr(module, attr, wrapped[name])
    try:
        yield capture
    finally:
        Function._call = original_call
        Function.apply = original_apply
        Tensor._bump_version = original_bump
        for module, attr, name in holders:
            setattr(module, attr, original_compare[name])
