"""`GraphBuilder`: nodes, initializers and unique value names of the ONNX graph being built,
through `onnx.helper` (imported only by export, after it checked that onnx is installed)."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min
_SHARED_CONSTANT_SIZE = 64  # constants up to this many elements are stored once per value


class GraphBuilder:
    """Collects the graph; `node` adds one ONNX node and returns its output name(s)."""

    def __init__(self, opset: int):
        self.opset = opset
        self.nodes: list = []
        self.initializers: list = []
        self._used: set = set()
        self._constants: dict = {}
        self._shape_dims: dict = {}

    def fresh(self, hint: str) -> str:
        name = hint
        counter = 1
        while name in self._used:
            name = f"{hint}_{counter}"
            counter += 1
        self._used.add(name)
        return name

    def reserve(self, name: str) -> str:
        if name in self._used:
            raise ValueError(f"onnx.export: the name {name!r} is used twice in the graph")
        self._used.add(name)
        return name

    def node(self, op_type, inputs, outputs=1, **attrs):
        """Add a node; `outputs` is a count (fresh names) or a list of names. Returns the one
        output's name, or the list of them when there are several."""
        if isinstance(outputs, int):
            outputs = [self.fresh(f"{op_type}_{len(self.nodes)}") for _ in range(outputs)]
        attrs = {k: v for k, v in attrs.items() if v is not None}
        name = f"{op_type}_{len(self.nodes)}"
        self.nodes.append(
            helper.make_node(op_type, list(inputs), list(outputs), name=name, **attrs)
        )
        return outputs[0] if len(outputs) == 1 else list(outputs)

    def initializer(self, array, name: str) -> str:
        """A named initializer (a parameter or buffer, by its state_dict name)."""
        return self._store(array, self.reserve(name))

    def _store(self, array, name: str) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, array, hint: str = "const") -> str:
        """A constant input: small ones (scalars, shapes, axes) are stored once per value."""
        array = np.asarray(array)
        key = None
        if array.size <= _SHARED_CONSTANT_SIZE:
            key = (array.dtype.str, array.shape, array.tobytes())
            if key in self._constants:
                return self._constants[key]
        name = self._store(array, self.fresh(hint))
        if key is not None:
            self._constants[key] = name
        return name

    def ints(self, values) -> str:
        """A 1-D int64 constant (axes, shapes, slice bounds)."""
        return self.const(np.asarray(list(values), dtype=np.int64), "ints")

    def input_dim(self, input_name: str, axis: int) -> str:
        """The size of `axis` of a graph input, as a 1-D int64 tensor of one element."""
        key = (input_name, axis)
        if key not in self._shape_dims:
            self._shape_dims[key] = self.node("Shape", [input_name], start=axis, end=axis + 1)
        return self._shape_dims[key]

    def reduce(self, op_type, x, axes, keepdims):
        """ReduceSum/Mean/Max/... over `axes` (None: all), whichever way this opset takes axes."""
        keep = 1 if keepdims else 0
        if axes is None:
            return self.node(op_type, [x], keepdims=keep)
        axes = [int(a) for a in axes]
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.node(op_type, [x, self.ints(axes)], keepdims=keep)
        return self.node(op_type, [x], axes=axes, keepdims=keep)


def tensor_type(dtype) -> int:
    """The ONNX element type of a NumPy dtype."""
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def value_info(name: str, dtype, dims) -> onnx.ValueInfoProto:
    """A graph input or output: each dim an int or a dim_param name."""
    return helper.make_tensor_value_info(name, tensor_type(dtype), list(dims))
