"""Each model of autograd_core.models exported to ONNX and run by ONNX Runtime on new inputs,
another batch size too."""

import numpy as np
import pytest
from onnx_check import BATCH, assert_runtime_matches, exported, onnx

import autograd_core as ag
from autograd_core.models import build_model, lenet, mlp, resnet_small


@pytest.fixture(autouse=True)
def _seed():
    ag.manual_seed(0)


@pytest.mark.parametrize(
    "name, model, shape",
    [
        ("mlp", lambda: mlp(64), (1, 8, 8)),
        ("lenet-8x8", lambda: lenet(1, 10, 8), (1, 8, 8)),
        ("lenet-28x28", lambda: lenet(1, 10, 28), (1, 28, 28)),
        ("resnet", lambda: resnet_small(3, 10, widths=(8, 16), blocks_per_stage=1), (3, 16, 16)),
    ],
)
def test_zoo_model_runs_in_onnx_runtime_at_other_batch_sizes(name, model, shape):
    model = model()
    if name == "resnet":  # running statistics that are not the initial zeros and ones
        model.train()
        with ag.no_grad():
            model(ag.randn(8, *shape) * 2 + 0.5)
    x = ag.randn(2, *shape)
    new = (ag.randn(5, *shape), ag.randn(1, *shape))
    assert_runtime_matches(model, x, new, dynamic_axes=BATCH)


def test_initializers_are_named_by_state_dict_and_the_model_returns_to_training():
    model = resnet_small(1, 10, widths=(4,), blocks_per_stage=1)
    model.train()
    proto, _ = exported(model, ag.randn(2, 1, 8, 8), dynamic_axes=BATCH)
    assert model.training and all(m.training for m in model.modules())
    names = {i.name for i in proto.graph.initializer}
    state = model.state_dict()
    assert {k for k in state if not k.endswith("num_batches_tracked")} <= names
    weight = next(i for i in proto.graph.initializer if i.name == "0.weight")
    np.testing.assert_array_equal(onnx.numpy_helper.to_array(weight), state["0.weight"].numpy())
    (graph_input,) = proto.graph.input
    assert graph_input.name == "input"
    dims = graph_input.type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and [d.dim_value for d in dims[1:]] == [1, 8, 8]
    assert [o.name for o in proto.graph.output] == ["output"]
    assert proto.opset_import[0].version == 17


def test_float64_lenet_matches_to_float64_precision():
    model = lenet(1, 10, 8).double()
    x = ag.randn(2, 1, 8, 8, dtype=ag.float64)
    new = (ag.randn(3, 1, 8, 8, dtype=ag.float64),)
    assert_runtime_matches(model, x, new, rtol=1e-10, atol=1e-12, dynamic_axes=BATCH)


def test_static_export_names_and_other_opsets():
    model = build_model("mlp", (1, 8, 8), 10)
    x = ag.randn(3, 1, 8, 8)
    proto = assert_runtime_matches(
        model, x, input_names=["images"], output_names=["logits"], opset_version=18
    )
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [3, 1, 8, 8]
    assert proto.graph.output[0].name == "logits" and proto.opset_import[0].version == 18


def test_writes_a_file_that_onnx_loads(tmp_path):
    from autograd_core.onnx import export

    path = tmp_path / "lenet.onnx"
    export(lenet(1, 10, 8), ag.randn(1, 1, 8, 8), str(path), dynamic_axes={"input": [0]})
    loaded = onnx.load(str(path))
    onnx.checker.check_model(loaded)
    assert {i.name for i in loaded.graph.initializer} >= {"0.weight", "11.bias"}
