"""`python -m autograd_core train|predict` end to end on small runs, and its error exits."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_core.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("matplotlib")


def _error_line(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.fixture(scope="module")
def moons_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "moons"
    code = main(
        [
            "train",
            "--model",
            "mlp",
            "--data",
            "moons",
            "--epochs",
            "2",
            "--out",
            str(out),
            "--no-progress",
            "--lr",
            "0.01",
        ]
    )
    assert code == 0
    return out


def test_train_writes_the_run(moons_run, capsys):
    files = {p.name for p in moons_run.iterdir()}
    assert {
        "model.safetensors",
        "config.json",
        "history.json",
        "curves.png",
        "confusion_matrix.png",
        "decision_boundary.png",
    } <= files
    config = json.loads((moons_run / "config.json").read_text())
    assert config["model"] == "mlp" and config["input_shape"] == [2]
    assert config["num_classes"] == 2 and config["args"]["epochs"] == 2
    history = json.loads((moons_run / "history.json").read_text())
    assert len(history["history"]["val_accuracy"]) == 2


def test_train_prints_held_out_accuracy_last(tmp_path, capsys):
    out = tmp_path / "lenet"
    code = main(
        [
            "train",
            "--model",
            "lenet",
            "--data",
            "digits",
            "--epochs",
            "1",
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("held-out accuracy: ") and lines[-1].endswith("(360 images)")
    assert (out / "filters.png").is_file()
    assert (out / "graph.svg").is_file() or any("graph.svg skipped" in x for x in lines)


def test_predict_reads_the_checkpoint(moons_run, capsys):
    assert main(["predict", "--checkpoint", str(moons_run)]) == 0
    out = capsys.readouterr().out
    assert "held-out accuracy:" in out and "(200 points)" in out
    assert main(["predict", "--checkpoint", str(moons_run), "--index", "3"]) == 0
    out = capsys.readouterr().out
    assert "held-out sample 3: predicted" in out and "top classes: " in out


def test_bad_arguments_exit_2(capsys, tmp_path):
    assert "invalid choice: 'vgg'" in _error_line(capsys, ["train", "--model", "vgg"])
    assert "--epochs" in _error_line(capsys, ["train", "--epochs", "0"])
    assert "lenet: needs image inputs" in _error_line(
        capsys, ["train", "--model", "lenet", "--data", "moons", "--out", str(tmp_path)]
    )


def test_missing_mnist_folder_exits_2(capsys, tmp_path):
    line = _error_line(
        capsys,
        [
            "train",
            "--data",
            "mnist",
            "--data-root",
            str(tmp_path / "nowhere"),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert "MNIST" in line and "not found" in line


def test_checkpoint_of_another_model_exits_2(moons_run, capsys, tmp_path):
    assert "holds a mlp model, not lenet" in _error_line(
        capsys, ["predict", "--checkpoint", str(moons_run), "--model", "lenet"]
    )
    other = tmp_path / "other"
    shutil.copytree(moons_run, other)
    config = json.loads((other / "config.json").read_text())
    config["model"], config["input_shape"] = "lenet", [2]
    (other / "config.json").write_text(json.dumps(config))
    assert "needs image inputs" in _error_line(capsys, ["predict", "--checkpoint", str(other)])
    config["model"] = "resnet"
    config["input_shape"] = [1, 8, 8]
    config["data"], config["num_classes"] = "digits", 10
    (other / "config.json").write_text(json.dumps(config))
    line = _error_line(capsys, ["predict", "--checkpoint", str(other)])
    assert "does not hold the weights of the resnet model" in line
    assert "config.json" in _error_line(capsys, ["predict", "--checkpoint", str(tmp_path)])
    assert "digits has inputs (1, 8, 8)" in _error_line(
        capsys, ["predict", "--checkpoint", str(moons_run), "--data", "digits"]
    )


def test_python_dash_m_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "autograd_core", "train", "--optimizer", "lbfgs"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and "lbfgs" in out.stderr
    assert "Traceback" not in out.stderr


def test_seeded_runs_are_reproducible(tmp_path):
    args = ["train", "--data", "spirals", "--epochs", "2", "--no-progress", "--seed", "7"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    a = json.loads((tmp_path / "a" / "history.json").read_text())
    b = json.loads((tmp_path / "b" / "history.json").read_text())
    assert a["batch_losses"] == b["batch_losses"]


def test_cuda_without_a_gpu_exits_2(capsys):
    import autograd_core as ag

    if ag.cuda.is_available():
        pytest.skip("a GPU is present")
    line = _error_line(capsys, ["train", "--device", "cuda", "--data", "moons"])
    assert "no CUDA GPU" in line
