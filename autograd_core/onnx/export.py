"""`export`: run a model once, record its ops and write them as an ONNX graph."""

from __future__ import annotations

import importlib

from .. import backend, grad_mode
from .errors import INSTALL_HINT
from .inputs import (
    as_inputs,
    dynamic_axes_by_value,
    flatten_outputs,
    second_inputs,
    symbols_of,
    value_names,
)

DEFAULT_OPSET = 17
MIN_OPSET = 15  # Shape with start/end, and the axes of Squeeze/Unsqueeze/ReduceSum as inputs


def _require_onnx():
    try:
        return importlib.import_module("onnx")
    except ImportError as e:
        raise ImportError(f"{INSTALL_HINT} ({e})") from None


def _load_emitters():
    # importing them registers each op's emitter
    from . import ops_math, ops_nn, ops_shape  # noqa: F401


def supported_ops() -> list:
    """The names of the ops export maps to ONNX (needs the onnx package)."""
    _require_onnx()
    _load_emitters()
    from .lower import EMITTERS

    names = {k if isinstance(k, str) else getattr(k, "op_name", k.__name__) for k in EMITTERS}
    return sorted(names)


def _run(model, inputs):
    from .capture import capturing

    with grad_mode.no_grad(), capturing() as capture:
        out = model(*inputs)
    return capture, flatten_outputs(out)


def _check_model(model):
    for attr in ("state_dict", "named_modules", "eval", "train"):
        if not callable(getattr(model, attr, None)):
            raise TypeError(
                f"onnx.export: model must be an nn.Module, got {type(model).__name__} (no {attr}())"
            )


def _check_opset(onnx, opset_version):
    if opset_version is None:
        return DEFAULT_OPSET
    newest = onnx.defs.onnx_opset_version()
    if not isinstance(opset_version, int) or not MIN_OPSET <= opset_version <= newest:
        raise ValueError(
            f"onnx.export: opset_version must be an int from {MIN_OPSET} to {newest} (the "
            f"installed onnx's newest), got {opset_version!r}"
        )
    return opset_version


def _refuse_in_place(capture, inputs, ops):
    seen = {id(t._data) for t in inputs}
    for op in ops:
        seen.update(id(t._data) for t in (*op.inputs, *op.outputs) if hasattr(t, "_data"))
    if any(id(a) in seen for a in capture.mutated):
        raise RuntimeError(
            "onnx.export: the forward pass changed a tensor in place (add_, mul_, x += ..., "
            "or an in-place layer); a graph holds values, not memory: write that step out of "
            "place (x = x + ...)"
        )


def export(
    model,
    args,
    f,
    input_names=None,
    output_names=None,
    dynamic_axes=None,
    opset_version=None,
):
    """Write `model` as an ONNX graph to `f` (a path or a binary file), as torch.onnx.export.

    The model runs once on `args` (a Tensor or a tuple of Tensors) in eval mode (its modes are
    restored afterwards) and every op it calls becomes ONNX nodes; parameters and buffers are
    initializers named by `model.state_dict()`. `input_names` / `output_names` name the graph's
    values (default `input`, `output`, or `input_0`, ... when there are several);
    `dynamic_axes` ({name: {axis: dim_name}} or {name: [axis, ...]}) marks sizes, such as the
    batch, that may change: the model then runs a second time with those axes longer, and sizes
    that follow them are computed from the input's shape in the graph. `opset_version` defaults
    to 17. The graph is checked with `onnx.checker.check_model` before it is written; the
    ModelProto is returned.

    Raises ImportError (with the install line) without the onnx package, TypeError and
    ValueError for wrong arguments, UnsupportedOperatorError (a RuntimeError) naming the op and
    its module for an op with no ONNX mapping, RuntimeError for a model whose graph can't be
    replayed (in-place changes, values computed outside the ops, loops over a dynamic axis).
    """
    onnx = _require_onnx()
    _load_emitters()
    from .graph import GraphBuilder, value_info
    from .lower import Lowering

    _check_model(model)
    opset = _check_opset(onnx, opset_version)
    inputs = as_inputs(args)
    in_names = value_names(input_names, len(inputs), "input", "input")
    modes = [(m, m.training) for _, m in model.named_modules()]
    model.eval()
    try:
        capture, outputs = _run(model, inputs)
        out_names = value_names(output_names, len(outputs), "output", "output")
        axes = dynamic_axes_by_value(dynamic_axes, in_names + out_names)
        symbols = symbols_of(inputs, in_names, axes)
        inputs_b = second_inputs(inputs, in_names, axes, symbols)
        capture_b, outputs_b = _run(model, inputs_b)
    finally:
        for m, training in modes:
            m.training = training
    _refuse_in_place(capture, inputs, capture.ops)

    builder = GraphBuilder(opset)
    lowering = Lowering(builder, symbols, {id(m): name for name, m in model.named_modules()})
    graph_inputs = _graph_inputs(lowering, inputs, inputs_b, in_names, axes)
    for name, t in model.state_dict(keep_vars=True).items():
        if id(t._data) not in lowering.names:
            builder.initializer(backend.to_numpy(t._data), name)
            lowering.name_array(t._data, name)
    for name in out_names:
        builder.reserve(name)
    lowering.run(capture.ops, capture_b.ops, [t._data for t in outputs])
    graph_outputs = []
    for out, out_b, name in zip(outputs, outputs_b, out_names):
        builder.node("Identity", [lowering.value(out, out_b, _OutputOp(name))], outputs=[name])
        dims = _output_dims(out, out_b, name, axes, symbols)
        graph_outputs.append(value_info(name, out._data.dtype, dims))

    proto = _model_proto(onnx, builder, type(model).__name__, graph_inputs, graph_outputs)
    onnx.checker.check_model(proto, full_check=True)
    onnx.save_model(proto, f)
    return proto


def _graph_inputs(lowering, inputs, inputs_b, names, axes):
    from .graph import value_info

    graph_inputs = []
    for tensor, tensor_b, name in zip(inputs, inputs_b, names):
        lowering.b.reserve(name)
        lowering.name_array(tensor._data, name, tensor_b._data)
        dims = list(tensor.shape)
        for axis, dim in axes.get(name, {}).items():
            dims[axis % tensor.ndim] = dim
        graph_inputs.append(value_info(name, tensor._data.dtype, dims))
    return graph_inputs


def _model_proto(onnx, builder, name, graph_inputs, graph_outputs):
    used = {i for node in builder.nodes for i in node.input}
    initializers = [i for i in builder.initializers if i.name in used]  # unused buffers go
    graph = onnx.helper.make_graph(builder.nodes, name, graph_inputs, graph_outputs, initializers)
    opset_id = onnx.helper.make_opsetid("", builder.opset)
    proto = onnx.helper.make_model(graph, opset_imports=[opset_id], producer_name="autograd_core")
    # the oldest IR version that carries this opset: older runtimes load the file too
    proto.ir_version = onnx.helper.find_min_ir_version_for([opset_id])
    return proto


class _OutputOp:
    """Stands for the graph's output in error messages."""

    scope = ()

    def __init__(self, name):
        self.name = f"output {name}"


def _output_dims(out, out_b, name, axes, symbols):
    named = axes.get(name, {})
    dims = []
    for axis, (a, b) in enumerate(zip(out.shape, out_b.shape)):
        if axis in named or axis - out.ndim in named:
            dims.append(named.get(axis, named.get(axis - out.ndim)))
        elif a == b:
            dims.append(int(a))
        else:
            match = [s.name for s in symbols if s.size == a and s.size_b == b]
            dims.append(match[0] if match else f"{name}_dim_{axis}")
    return dims
