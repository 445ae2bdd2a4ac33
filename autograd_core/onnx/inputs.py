"""The export's arguments: inputs, names and dynamic axes checked, and the second run's
inputs (every dynamic axis longer, every value changed)."""

from __future__ import annotations

import numpy as np

from .. import backend
from ..tensor import Tensor
from .dims import Symbol, second_sizes


def as_inputs(args) -> tuple:
    """`args` as a tuple of Tensors (one Tensor, or a tuple or list of them, as PyTorch)."""
    inputs = (args,) if isinstance(args, Tensor) else args
    if not isinstance(inputs, (tuple, list)) or not all(isinstance(a, Tensor) for a in inputs):
        kinds = type(args).__name__
        if isinstance(args, (tuple, list)):
            kinds = ", ".join(type(a).__name__ for a in args)
        raise TypeError(f"onnx.export: args must be a Tensor or a tuple of Tensors, got {kinds}")
    if not inputs:
        raise ValueError("onnx.export: args is empty; pass the inputs of one forward call")
    return tuple(inputs)


def flatten_outputs(out) -> list:
    """The Tensors of a model's result: a Tensor, or nested tuples/lists of them (LSTM's
    (output, (h, c)))."""
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for part in out for t in flatten_outputs(part)]
    raise TypeError(
        f"onnx.export: the model returned a {type(out).__name__}; export needs Tensors (or "
        "tuples of them) as outputs"
    )


def value_names(given, count, default, what) -> list:
    """PyTorch's rule: the given names name the first values, the rest get defaults."""
    if given is None:
        given = []
    if isinstance(given, str) or not all(isinstance(n, str) for n in given):
        raise TypeError(f"onnx.export: {what}_names must be a list of strings, got {given!r}")
    given = list(given)
    if len(given) > count:
        raise ValueError(
            f"onnx.export: {len(given)} {what}_names given for {count} {what}(s): {given}"
        )
    if len(set(given)) != len(given):
        raise ValueError(f"onnx.export: {what}_names has repeated names: {given}")
    if count == 1 and not given:
        return [default]
    for i in range(len(given), count):
        given.append(f"{default}_{i}")
    return given


def dynamic_axes_by_value(dynamic_axes, names) -> dict:
    """dynamic_axes ({name: {axis: dim_name}} or {name: [axis, ...]}) as name -> {axis: dim}."""
    if dynamic_axes is None:
        return {}
    if not isinstance(dynamic_axes, dict):
        raise TypeError(
            f"onnx.export: dynamic_axes must be a dict, got {type(dynamic_axes).__name__}"
        )
    out = {}
    for name, axes in dynamic_axes.items():
        if name not in names:
            raise ValueError(
                f"onnx.export: dynamic_axes names {name!r}, which is neither an input nor an "
                f"output name (those are {names})"
            )
        if isinstance(axes, (list, tuple)):
            axes = {int(a): f"{name}_dynamic_axes_{i + 1}" for i, a in enumerate(axes)}
        if not isinstance(axes, dict) or not all(
            isinstance(a, int) and isinstance(d, str) for a, d in axes.items()
        ):
            raise TypeError(
                f"onnx.export: dynamic_axes[{name!r}] must map axes (ints) to names, or list "
                f"axes; got {axes!r}"
            )
        out[name] = dict(axes)
    return out


def symbols_of(inputs, input_names, axes_by_name) -> list:
    """The dynamic axes of the inputs; one name used twice must have one size."""
    sizes, where = {}, {}
    for tensor, name in zip(inputs, input_names):
        for axis, dim in axes_by_name.get(name, {}).items():
            if not -tensor.ndim <= axis < tensor.ndim:
                raise ValueError(
                    f"onnx.export: dynamic axis {axis} of input {name!r} is out of range for "
                    f"its shape {tuple(tensor.shape)}"
                )
            axis %= tensor.ndim
            size = tensor.shape[axis]
            if size == 0:
                raise ValueError(
                    f"onnx.export: dynamic axis {axis} of input {name!r} has size 0; export "
                    "on an example with at least one element along it"
                )
            if dim in sizes and sizes[dim] != size:
                raise ValueError(
                    f"onnx.export: dynamic axis {dim!r} is {sizes[dim]} long in input "
                    f"{where[dim][0]!r} but {size} in input {name!r}"
                )
            sizes.setdefault(dim, size)
            where.setdefault(dim, (name, axis))
    grown = second_sizes(sizes)
    return [Symbol(dim, where[dim][0], where[dim][1], sizes[dim], grown[dim]) for dim in sizes]


def second_inputs(inputs, input_names, axes_by_name, symbols) -> tuple:
    """The inputs of the second run: dynamic axes longer (by repeating), values changed, so
    that sizes and values that follow the input show themselves."""
    rng = np.random.default_rng(0)
    by_name = {s.name: s for s in symbols}
    out = []
    for tensor, name in zip(inputs, input_names):
        array = backend.to_numpy(tensor._data)
        for axis, dim in axes_by_name.get(name, {}).items():
            s = by_name[dim]
            array = np.take(array, np.arange(s.size_b) % s.size, axis=axis % array.ndim)
        if array.dtype.kind == "f":
            scale = float(np.std(array)) if array.size else 1.0
            noise = rng.standard_normal(array.shape) * (0.5 * scale + 0.1)
            array = (array + noise).astype(array.dtype)
        elif array.dtype.kind in "iu" and array.size:
            array = rng.permutation(array.reshape(-1)).reshape(array.shape)
        out.append(Tensor._wrap(backend.to_device(array, tensor.device)))
    return tuple(out)
