"""Turn the captured ops of a forward pass into ONNX nodes, one mapped op at a time.

`Lowering` keeps the ONNX name of every array (inputs, parameters, op results, constants);
`OpContext` is what an op's emitter sees: its inputs as ONNX names, its hyperparameters, and
helpers for sizes that follow the dynamic axes.
"""

from __future__ import annotations

import importlib

import numpy as np
from onnx import numpy_helper

from .dims import resolve
from .errors import UnsupportedOperatorError
from .graph import GraphBuilder

EMITTERS: dict = {}
# hyperparameters an emitter reads from both runs (sizes that may follow the dynamic axes);
# every other one must be the same in both runs
DYNAMIC_PARAMS: dict = {}


def op_module(name):
    """The module autograd_core.ops.<name> (looked up by its full name: the ops package has
    functions named like some of its modules, select and softmax among them)."""
    return importlib.import_module(f"autograd_core.ops.{name}")


def emits(*keys, dynamic=()):
    """Register an emitter `fn(ctx) -> output name(s)` for Function classes or op names;
    `dynamic` names the hyperparameters it reads from both runs (`ctx.param_b`)."""

    def register(fn):
        for key in keys:
            EMITTERS[key] = fn
            DYNAMIC_PARAMS[key] = frozenset(dynamic)
        return fn

    return register


def _tensor_data(value):
    return getattr(value, "_data", None)


class Lowering:
    """The state of one export: builder, names of arrays, both runs, dynamic axes."""

    def __init__(self, builder: GraphBuilder, symbols, module_names: dict):
        self.b = builder
        self.symbols = tuple(symbols)
        self.module_names = module_names
        self.names: dict = {}  # id(array of the first run) -> ONNX name
        self.names_b: dict = {}  # id(array of the second run) -> ONNX name
        self.keep: list = []  # arrays named here stay alive, so their ids stay unique

    def name_array(self, array, name, array_b=None):
        self.names[id(array)] = name
        self.keep.append(array)
        if array_b is not None:
            self.names_b[id(array_b)] = name
            self.keep.append(array_b)

    def where(self, op) -> str:
        """' in module 'path' (Class)' for an op's innermost module, or ''."""
        for owner in reversed(op.scope):
            path = self.module_names.get(id(owner))
            if path is not None:
                label = path or "<the exported model>"
                return f" in module '{label}' ({type(owner).__name__})"
        return ""

    def fail(self, op, message, error=UnsupportedOperatorError):
        raise error(f"onnx.export: op '{op.name}'{self.where(op)}: {message}")

    def live_ops(self, ops, output_arrays):
        """Indices of the ops the outputs depend on (others, like unused attention weights,
        are not exported)."""
        needed = {id(a) for a in output_arrays}
        first_made = {}  # id(array) -> the index of the first op that made it
        for k, op in enumerate(ops):
            for o in op.outputs:
                if _tensor_data(o) is not None:
                    first_made.setdefault(id(o._data), k)
        live = []
        for k in range(len(ops) - 1, -1, -1):
            op = ops[k]
            produced = [id(_tensor_data(o)) for o in op.outputs if _tensor_data(o) is not None]
            if not any(p in needed for p in produced):
                continue
            if op.custom and all(first_made[p] < k for p in produced):
                continue  # a user's Function whose forward ran recorded ops: those are exported
            live.append(k)
            needed.difference_update(produced)
            for value in op.inputs:
                if _tensor_data(value) is not None:
                    needed.add(id(value._data))
            for array in _param_arrays(op.params):
                needed.add(id(array))
        return live[::-1]

    def run(self, ops_a, ops_b, output_arrays):
        if ops_b is not None:
            _check_same_graph(ops_a, ops_b, self)
        for k in self.live_ops(ops_a, output_arrays):
            op = ops_a[k]
            emitter = EMITTERS.get(op.key)
            if emitter is None:
                kind = op.key if isinstance(op.key, str) else op.key.__qualname__
                self.fail(
                    op,
                    f"no ONNX mapping for this op ({kind}); export supports the ops of "
                    "autograd_core.onnx.supported_ops()",
                )
            ctx = OpContext(self, op, None if ops_b is None else ops_b[k])
            if ops_b is not None:
                ctx.check_static(DYNAMIC_PARAMS[op.key])
            result = emitter(ctx)
            names = [result] if isinstance(result, str) else list(result)
            for index, name in enumerate(names):
                out = op.outputs[index]
                if name is None or _tensor_data(out) is None:
                    continue
                out_b = None if ops_b is None else _tensor_data(ops_b[k].outputs[index])
                self.name_array(out._data, name, out_b)

    def value(self, tensor, tensor_b, op) -> str:
        """The ONNX name of an array: a named one, or a constant made now."""
        array = tensor._data if _tensor_data(tensor) is not None else tensor
        name = self.names.get(id(array))
        if name is not None:
            if tensor_b is not None and _tensor_data(tensor_b) is not None:
                if self.names_b.get(id(tensor_b._data)) not in (None, name):
                    self.fail(op, _OTHER_GRAPH, RuntimeError)
            return name
        array_b = None
        if tensor_b is not None:
            array_b = tensor_b._data if _tensor_data(tensor_b) is not None else tensor_b
            if id(array_b) in self.names_b:
                self.fail(op, _DEPENDS_ON_INPUT, RuntimeError)
        name = self._constant(array, array_b, op)
        self.name_array(array, name, array_b)
        return name

    def _constant(self, array, array_b, op) -> str:
        from .. import backend

        host = backend.to_numpy(array)
        if array_b is None:
            return self.b.const(host)
        host_b = backend.to_numpy(array_b)
        if host.shape == host_b.shape:
            if not np.array_equal(host, host_b, equal_nan=host.dtype.kind in "fc"):
                self.fail(op, _DEPENDS_ON_INPUT, RuntimeError)
            return self.b.const(host)
        uniform = host.size and host_b.size and np.all(host == host.flat[0])
        if not uniform or not np.all(host_b == host.flat[0]) or host.ndim != host_b.ndim:
            self.fail(
                op,
                f"a constant of shape {host.shape} (made outside the recorded ops) changes its "
                "values with the dynamic axes; only constants of one repeated value (zeros, "
                "ones) can follow them",
                RuntimeError,
            )
        ctx = OpContext(self, op, None)
        shape = ctx.shape_input(host.shape, host_b.shape, minus_one=False)
        fill = numpy_helper.from_array(host.flat[:1].copy().reshape(1))
        return self.b.node("ConstantOfShape", [shape], value=fill)


_OTHER_GRAPH = (
    "with the dynamic axes longer the model feeds another tensor into this op: its graph "
    "depends on the input's size in a way export can't follow"
)
_DEPENDS_ON_INPUT = (
    "it reads a value computed from the model's input outside the recorded ops (with NumPy, "
    ".item(), .tolist() or a Python loop over values), which a graph can't replay; write that "
    "step with autograd_core ops"
)


def _same(a, b) -> bool:
    """Equal hyperparameters; arrays inside them are compared where they are used."""
    from .. import backend

    if backend.is_array(a) or backend.is_array(b):
        return True
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return a is b


def _param_arrays(params):
    """Arrays inside an op's hyperparameters (the index arrays of getitem)."""
    from .. import backend

    for value in params.values():
        parts = value if isinstance(value, tuple) else (value,)
        for part in parts:
            if backend.is_array(part):
                yield part


def _check_same_graph(ops_a, ops_b, lowering):
    axes = ", ".join(f"'{s.name}'" for s in lowering.symbols) or "none"
    for k, (a, b) in enumerate(zip(ops_a, ops_b)):
        if a.key is not b.key and a.key != b.key:
            lowering.fail(
                a,
                f"the model runs other ops when the dynamic axes ({axes}) change size (op {k} "
                f"became '{b.name}'): a Python loop over a dynamic axis (as RNN, LSTM and GRU "
                "run over time steps) unrolls to a fixed length; export that axis as static",
                RuntimeError,
            )
    if len(ops_a) != len(ops_b):
        op = ops_a[min(len(ops_a), len(ops_b)) - 1]
        lowering.fail(
            op,
            f"the model runs {len(ops_a)} ops, and {len(ops_b)} when the dynamic axes ({axes}) "
            "change size: a Python loop over a dynamic axis (as RNN, LSTM and GRU run over "
            "time steps) unrolls to a fixed length; export that axis as static",
            RuntimeError,
        )


class OpContext:
    """One op as its emitter sees it."""

    def __init__(self, lowering: Lowering, op, op_b):
        self.lowering = lowering
        self.b = lowering.b
        self.op = op
        self.op_b = op_b

    # ---- inputs and hyperparameters -------------------------------------------------------
    def input(self, j, dtype=None) -> str:
        """Input j as an ONNX name; a Python number becomes a constant of `dtype` (default:
        the op's), and must be the same number in both runs."""
        value = self.op.inputs[j]
        value_b = None if self.op_b is None else self.op_b.inputs[j]
        if _tensor_data(value) is None:
            if self.op_b is not None and not _same(value, value_b):
                self.lowering.fail(self.op, _DEPENDS_ON_INPUT, RuntimeError)
            return self.scalar(value, dtype)
        return self.lowering.value(value, value_b, self.op)

    def check_static(self, dynamic=frozenset()):
        """Every hyperparameter not in `dynamic` must be the same in both runs."""
        for name, value in self.op.params.items():
            if name in dynamic or _same(value, self.op_b.params[name]):
                continue
            self.lowering.fail(
                self.op,
                f"its {name}={value!r} becomes {self.op_b.params[name]!r} with the dynamic axes "
                "longer, which this op's ONNX form can't follow (a value computed from the "
                "input, or a dynamic axis where the op needs a fixed size)",
                RuntimeError,
            )

    def array_input(self, array, array_b) -> str:
        """An array inside the hyperparameters (getitem's indices): named or a constant."""
        return self.lowering.value(array, array_b, self.op)

    def tensor(self, j):
        return self.op.inputs[j]

    def param(self, name):
        return self.op.params[name]

    def param_b(self, name):
        return self.op.params[name] if self.op_b is None else self.op_b.params[name]

    @property
    def dtype(self):
        """The dtype of the op's first output."""
        return np.dtype(self.op.outputs[0]._data.dtype)

    def out_shapes(self, index=0):
        a = tuple(self.op.outputs[index].shape)
        b = a if self.op_b is None else tuple(self.op_b.outputs[index].shape)
        return a, b

    def scalar(self, value, dtype=None) -> str:
        return self.b.const(np.asarray(value, dtype=dtype or self.dtype))

    def fail(self, message):
        self.lowering.fail(self.op, message)

    # ---- sizes that may follow the dynamic axes -------------------------------------------
    def dims(self, values_a, values_b):
        """Each value an int (static) or a DimExpr (follows a dynamic axis)."""
        out = []
        for a, b in zip(values_a, values_b):
            if a == b:
                out.append(int(a))
                continue
            expr = resolve(int(a), int(b), self.lowering.symbols)
            if expr is None:
                self.lowering.fail(
                    self.op,
                    f"a size {a} (then {b}) changes with the dynamic axes in a way export can't "
                    "express from the input's shape",
                    RuntimeError,
                )
            out.append(expr)
        return out

    def shape_input(self, values_a, values_b, minus_one=True) -> str:
        """A 1-D int64 tensor of the values; one dynamic value becomes -1 when allowed (a
        reshape infers it), more are computed from the inputs' shapes."""
        dims = self.dims(values_a, values_b)
        dynamic = [d for d in dims if not isinstance(d, int)]
        if not dynamic:
            return self.b.ints(dims)
        if minus_one and len(dynamic) == 1:
            return self.b.ints([-1 if not isinstance(d, int) else d for d in dims])
        pieces = [self.b.ints([d]) if isinstance(d, int) else self.dim_value(d) for d in dims]
        return self.b.node("Concat", pieces, axis=0)

    def dim_value(self, expr) -> str:
        """A DimExpr as a 1-D int64 tensor of one element."""
        b = self.b
        value = None
        for symbol in expr.symbols:
            size = b.input_dim(symbol.input, symbol.axis)
            value = size if value is None else b.node("Mul", [value, size])
        if expr.mul != 1:
            value = b.node("Mul", [value, b.ints([expr.mul])])
        if expr.div != 1:
            value = b.node("Div", [value, b.ints([expr.div])])
        if expr.add:
            value = b.node("Add", [value, b.ints([expr.add])])
        return value

    def reshape_to_output(self, x, index=0) -> str:
        """Reshape x to the op's recorded output shape (dynamic dims followed)."""
        a, b = self.out_shapes(index)
        return self.b.node("Reshape", [x, self.shape_input(a, b)])
