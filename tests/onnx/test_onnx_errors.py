"""Export's errors: ops with no mapping (naming the op and the module), graphs it can't
replay, wrong arguments, and the install hint without the onnx package."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from onnx_check import BATCH, exported

import autograd_core as ag
import autograd_core.onnx
import nn
from autograd_core.onnx import UnsupportedOperatorError, export


class Cube(ag.Function):
    """A user's op whose forward works on NumPy arrays: nothing for a graph to replay."""

    @staticmethod
    def forward(ctx, x):
        return ag.from_numpy(x.numpy() ** 3)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out


class Square(ag.Function):
    """A user's op written with autograd_core ops: export replays them."""

    @staticmethod
    def forward(ctx, x):
        return x * x

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out


class Wrap(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def _net(fn):
    return nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.ReLU(), Wrap(fn)))


def test_op_without_mapping_names_op_and_module_path():
    with pytest.raises(UnsupportedOperatorError, match=r"op 'atan2' in module '1\.1' \(Wrap\)"):
        export(_net(lambda x: ag.atan2(x, x + 1)), ag.randn(2, 4), io.BytesIO())


def test_custom_function_on_arrays_is_an_unmapped_op():
    net = _net(lambda x: Cube.apply(x))
    with pytest.raises(RuntimeError, match=r"op 'Cube' in module '1\.1' \(Wrap\): no ONNX mapping"):
        export(net, ag.randn(2, 4), io.BytesIO())


def test_custom_function_made_of_ops_exports_its_ops():
    net = _net(lambda x: Square.apply(x) + 1)
    x = ag.randn(3, 4)
    _, session = exported(net, ag.randn(2, 4), dynamic_axes=BATCH)
    (got,) = session.run(None, {"input": x.numpy()})
    with ag.no_grad():
        np.testing.assert_allclose(got, net(x).numpy(), rtol=1e-5, atol=1e-6)


def test_boolean_mask_selection_is_refused():
    with pytest.raises(UnsupportedOperatorError, match="getitem.*boolean mask"):
        export(_net(lambda x: x[x > 0]), ag.randn(2, 4), io.BytesIO())


def test_value_computed_outside_the_ops_is_refused():
    # the threshold comes from the data through .item(): a graph would freeze it
    def leaky(x):
        return ag.where(x > 0, x, x * 0.1) + x.max().item()

    with pytest.raises(RuntimeError, match="computed from the model's input outside"):
        export(_net(leaky), ag.randn(2, 4), io.BytesIO())


def test_in_place_change_in_forward_is_refused():
    def bump(x):
        x = x * 1
        x.add_(1.0)
        return x

    with pytest.raises(RuntimeError, match="changed a tensor in place"):
        export(_net(bump), ag.randn(2, 4), io.BytesIO())


def test_loop_over_a_dynamic_sequence_axis_is_refused():
    with pytest.raises(RuntimeError, match="unrolls to a fixed length; export that axis as static"):
        export(nn.RNN(3, 4), ag.randn(5, 2, 3), io.BytesIO(), dynamic_axes={"input": {0: "seq"}})


def test_argument_errors():
    model = nn.Linear(4, 2)
    x = ag.randn(2, 4)
    with pytest.raises(TypeError, match="args must be a Tensor or a tuple of Tensors, got list"):
        export(model, [[1.0, 2.0]], io.BytesIO())
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        export(lambda t: t, x, io.BytesIO())
    with pytest.raises(ValueError, match="dynamic_axes names 'images'"):
        export(model, x, io.BytesIO(), dynamic_axes={"images": {0: "batch"}})
    with pytest.raises(ValueError, match="dynamic axis 3 of input 'input' is out of range"):
        export(model, x, io.BytesIO(), dynamic_axes={"input": [3]})
    with pytest.raises(ValueError, match="2 output_names given for 1 output"):
        export(model, x, io.BytesIO(), output_names=["a", "b"])
    with pytest.raises(ValueError, match="opset_version must be an int from 15"):
        export(model, x, io.BytesIO(), opset_version=9)


def test_list_dynamic_axes_get_pytorch_style_names():
    proto, session = exported(nn.Linear(4, 2), ag.randn(2, 4), dynamic_axes={"input": [0]})
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "input_dynamic_axes_1"
    (out,) = session.run(None, {"input": np.ones((6, 4), np.float32)})
    assert out.shape == (6, 2)


def test_importing_autograd_core_onnx_needs_no_onnx_package():
    code = (
        "import sys; sys.modules['onnx'] = sys.modules['onnxruntime'] = None\n"
        "import autograd_core.onnx, autograd_core.cli\n"
        "try:\n"
        "    autograd_core.onnx.supported_ops()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "pip install 'autograd-core[onnx]'" in done.stdout


def test_without_onnx_import_works_and_export_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if not installed
    assert callable(autograd_core.onnx.export)
    with pytest.raises(ImportError, match=r"pip install 'autograd-core\[onnx\]'"):
        export(nn.Linear(4, 2), ag.randn(2, 4), io.BytesIO(), dynamic_axes=BATCH)


def test_hyperparameter_computed_from_the_input_is_refused():
    # clamp's bound read off the data: a graph would freeze the first run's value
    with pytest.raises(RuntimeError, match=r"op 'clamp'.*its high=.* becomes"):
        export(_net(lambda x: ag.clamp(x, max=x.max().item())), ag.randn(2, 4), io.BytesIO())
    with pytest.raises(RuntimeError, match=r"op 'gt'.*computed from the model's input"):
        export(_net(lambda x: ag.where(x > x.mean().item(), x, 0.0)), ag.randn(2, 4), io.BytesIO())


def test_float64_convolution_over_a_dynamic_image_size_is_refused():
    model = nn.Conv2d(1, 2, 3).double()
    axes = {"input": {0: "batch", 2: "height"}}
    with pytest.raises(RuntimeError, match=r"op 'conv2d'.*its geometry="):
        export(model, ag.randn(1, 1, 6, 6, dtype=ag.float64), io.BytesIO(), dynamic_axes=axes)


def test_float32_convolution_takes_a_dynamic_image_size():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    axes = {"input": {0: "batch", 2: "height", 3: "width"}}
    _, session = exported(model, ag.randn(1, 1, 6, 6), dynamic_axes=axes)
    x = ag.randn(2, 1, 10, 14)
    (got,) = session.run(None, {"input": x.numpy()})
    with ag.no_grad():
        np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-5, atol=1e-5)
