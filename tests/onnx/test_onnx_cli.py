"""`python -m autograd_core export --checkpoint DIR --format onnx` on a saved run."""

import json

import numpy as np
from onnx_check import onnx, ort

import autograd_core as ag
from autograd_core.cli import main
from autograd_core.models import build_model


def _saved_run(folder):
    """A run folder as `train --out` leaves it: config.json and model.safetensors."""
    ag.manual_seed(0)
    model = build_model("lenet", (1, 8, 8), 10)
    folder.mkdir()
    ag.save(model.state_dict(), folder / "model.safetensors")
    config = {"model": "lenet", "data": "digits", "input_shape": [1, 8, 8], "num_classes": 10}
    (folder / "config.json").write_text(json.dumps(config))
    return model


def test_export_writes_model_onnx_beside_the_run(tmp_path, capsys):
    folder = tmp_path / "lenet"
    model = _saved_run(folder)
    assert main(["export", "--checkpoint", str(folder), "--format", "onnx"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {folder / 'model.onnx'} (lenet, opset 17)" in out
    assert "agrees with the model" in out
    proto = onnx.load(str(folder / "model.onnx"))
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    x = ag.randn(7, 1, 8, 8)
    (logits,) = session.run(["logits"], {"input": x.numpy()})
    with ag.no_grad():
        np.testing.assert_allclose(logits, model(x).numpy(), rtol=1e-5, atol=1e-5)


def test_export_to_another_file_and_opset(tmp_path, capsys):
    folder = tmp_path / "run"
    _saved_run(folder)
    target = tmp_path / "elsewhere.onnx"
    assert main(["export", "--checkpoint", str(folder), "--out", str(target), "--opset", "18"]) == 0
    assert onnx.load(str(target)).opset_import[0].version == 18
    assert "opset 18" in capsys.readouterr().out


def test_export_errors_are_one_line(tmp_path, capsys):
    assert main(["export", "--checkpoint", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: checkpoint folder {tmp_path / 'missing'} does not exist"
    )
    assert main(["export", "--checkpoint", str(tmp_path), "--format", "tflite"]) == 2
    assert "invalid choice: 'tflite'" in capsys.readouterr().err
    folder = tmp_path / "run"
    _saved_run(folder)
    assert main(["export", "--checkpoint", str(folder), "--opset", "3"]) == 2
    assert "opset_version must be an int from 15" in capsys.readouterr().err
