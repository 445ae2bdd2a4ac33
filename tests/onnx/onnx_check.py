"""Export a model to ONNX in memory, run the file with ONNX Runtime, compare with the model."""

import io

import numpy as np
import pytest

import autograd_core as ag

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from autograd_core.onnx import export  # noqa: E402

BATCH = {"input": {0: "batch"}, "output": {0: "batch"}}


def exported(model, args, **kwargs):
    """(ModelProto, InferenceSession) of `model` exported on `args`."""
    f = io.BytesIO()
    proto = export(model, args, f, **kwargs)
    session = ort.InferenceSession(f.getvalue(), providers=["CPUExecutionProvider"])
    return proto, session


def outputs_of(model, args):
    args = args if isinstance(args, tuple) else (args,)
    with ag.no_grad():
        out = model(*args)
    flat = []

    def collect(value):
        if isinstance(value, (tuple, list)):
            for v in value:
                collect(v)
        else:
            flat.append(value.numpy())

    collect(out)
    return flat


def assert_runtime_matches(model, args, new_args=(), rtol=1e-5, atol=1e-5, **kwargs):
    """Export on `args`; ONNX Runtime on `args` and on each of `new_args` (other batch sizes,
    through dynamic_axes) must give the model's own outputs. Returns the ModelProto."""
    proto, session = exported(model, args, **kwargs)
    model.eval()
    names = [i.name for i in session.get_inputs()]
    for inputs in [args, *new_args]:
        inputs = inputs if isinstance(inputs, tuple) else (inputs,)
        feed = {name: t.numpy() for name, t in zip(names, inputs)}
        got = session.run(None, feed)
        expected = outputs_of(model, inputs)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g.shape == e.shape
            assert g.dtype == e.dtype
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol)
    return proto
