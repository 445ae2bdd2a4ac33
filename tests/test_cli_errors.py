"""The training command refuses, in one line and with exit code 2, what it cannot do: numbers
out of their domain, an --out it could not write (checked before training), and run folders
that are not runs."""

import json
import os
import re
import shutil

import pytest

import autograd_core.training as training
from autograd_core.cli import main

pytest.importorskip("matplotlib")

TRAIN = ["train", "--data", "moons", "--epochs", "1", "--no-progress"]


def _error_line(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.fixture
def no_training(monkeypatch):
    """Training would be an error: what is refused must be refused before the first epoch."""

    def fit(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(training, "fit", fit)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "moons"
    assert main([*TRAIN, "--out", str(out), "--lr", "0.01"]) == 0
    return out


# ---- numbers out of their domain -----------------------------------------------------------------


@pytest.mark.parametrize(
    "option, value, expected",
    [
        ("--lr", "inf", "a positive finite number"),
        ("--lr", "-inf", "a positive finite number"),
        ("--lr", "nan", "a positive finite number"),
        ("--lr", "0", "a positive finite number"),
        ("--lr", "-0.1", "a positive finite number"),
        ("--lr", "fast", "a positive finite number"),
        ("--seed", "-5", "an integer from 0 to 2\\*\\*64 - 1"),
        ("--seed", str(2**64), "an integer from 0 to 2\\*\\*64 - 1"),
        ("--seed", "1.5", "an integer from 0 to 2\\*\\*64 - 1"),
        ("--epochs", "0", "a positive integer"),
        ("--epochs", "-3", "a positive integer"),
        ("--epochs", "2.5", "a positive integer"),
        ("--batch-size", "0", "a positive integer"),
        ("--batch-size", "many", "a positive integer"),
    ],
)
def test_numbers_out_of_their_domain_exit_2(capsys, tmp_path, no_training, option, value, expected):
    out = tmp_path / "run"
    # OPTION=VALUE: argparse reads a lone "-inf" as an option name
    line = _error_line(capsys, [*TRAIN, "--out", str(out), f"{option}={value}"])
    assert line.startswith(f"error: argument {option}: expected ")
    assert re.search(f"expected {expected}, got '{value}'", line), line
    assert not out.exists()


def test_the_largest_seed_is_accepted(capsys, tmp_path):
    out = tmp_path / "run"
    assert main([*TRAIN, "--out", str(out), "--seed", str(2**64 - 1)]) == 0
    assert json.loads((out / "config.json").read_text())["args"]["seed"] == 2**64 - 1


# ---- --out is checked before training ------------------------------------------------------------


def test_out_that_is_a_file_exits_2_before_training(capsys, tmp_path, no_training):
    target = tmp_path / "run"
    target.write_text("not a folder")
    line = _error_line(capsys, [*TRAIN, "--out", str(target)])
    assert f"--out {target} is a file, not a folder" in line
    assert target.read_text() == "not a folder"


def test_out_under_a_file_exits_2_before_training(capsys, tmp_path, no_training):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    line = _error_line(capsys, [*TRAIN, "--out", str(blocker / "runs" / "moons")])
    assert "cannot be written" in line


def test_out_is_checked_before_the_data_is_read(capsys, tmp_path, no_training):
    target = tmp_path / "run"
    target.write_text("")
    argv = ["train", "--data", "mnist", "--data-root", str(tmp_path / "no-mnist")]
    assert "is a file, not a folder" in _error_line(capsys, [*argv, "--out", str(target)])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_exits_2_before_training(capsys, tmp_path, no_training):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        line = _error_line(capsys, [*TRAIN, "--out", str(locked / "run")])
    finally:
        locked.chmod(0o755)
    assert "cannot be written: Permission denied" in line


def test_a_folder_of_other_files_is_not_replaced(capsys, tmp_path, no_training):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    line = _error_line(capsys, [*TRAIN, "--out", str(mine)])
    assert "holds files that are not part of a run (thesis.tex)" in line
    assert (mine / "thesis.tex").read_text() == "years of work"


def test_a_new_run_replaces_the_earlier_one_whole(tmp_path):
    out = tmp_path / "run"
    assert main([*TRAIN, "--out", str(out), "--seed", "1"]) == 0
    (out / "model.onnx").write_text("an export of the earlier weights")
    assert main([*TRAIN, "--out", str(out), "--seed", "2"]) == 0
    assert json.loads((out / "config.json").read_text())["args"]["seed"] == 2
    assert not (out / "model.onnx").exists()  # it was the earlier run's
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporary folders


# ---- predict on folders that are not runs --------------------------------------------------------


def _copy(run, tmp_path):
    other = tmp_path / "copy"
    shutil.copytree(run, other)
    return other


def test_predict_with_a_folder_named_model_safetensors_exits_2(run, capsys, tmp_path):
    other = _copy(run, tmp_path)
    (other / "model.safetensors").unlink()
    (other / "model.safetensors").mkdir()
    line = _error_line(capsys, ["predict", "--checkpoint", str(other)])
    assert "model.safetensors is not a file" in line


def test_predict_without_weights_exits_2(run, capsys, tmp_path):
    other = _copy(run, tmp_path)
    (other / "model.safetensors").unlink()
    assert "model.safetensors does not exist" in _error_line(
        capsys, ["predict", "--checkpoint", str(other)]
    )


@pytest.mark.parametrize(
    "weights, message",
    [
        (b"garbage", "too short to be a safetensors file"),
        (b"\x80\x04" + b"\0" * 30, "is a pickle, not a safetensors file"),
    ],
    ids=["garbage", "pickle"],
)
def test_predict_with_corrupt_weights_exits_2(run, capsys, tmp_path, weights, message):
    other = _copy(run, tmp_path)
    (other / "model.safetensors").write_bytes(weights)
    assert message in _error_line(capsys, ["predict", "--checkpoint", str(other)])


def test_predict_with_weights_that_are_not_a_state_dict_exits_2(run, capsys, tmp_path):
    import autograd_core as ag

    other = _copy(run, tmp_path)
    ag.save(ag.ones(3), other / "model.safetensors")
    assert "holds a Tensor, not a model's state_dict" in _error_line(
        capsys, ["predict", "--checkpoint", str(other)]
    )


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda c: [c], "expected a JSON object, got list"),
        (lambda c: "mlp", "expected a JSON object, got str"),
        (lambda c: {k: v for k, v in c.items() if k != "num_classes"}, "no 'num_classes' entry"),
        (lambda c: {**c, "model": "vgg"}, "unknown model 'vgg'"),
        (lambda c: {**c, "model": ["mlp"]}, r"unknown model \['mlp'\]"),
        (lambda c: {**c, "data": 3}, "unknown data set 3"),
        (lambda c: {**c, "input_shape": 2}, "input_shape should be a list of positive integers"),
        (lambda c: {**c, "input_shape": [0]}, "input_shape should be a list of positive integers"),
        (lambda c: {**c, "num_classes": "two"}, "num_classes should be a positive integer"),
        (lambda c: {**c, "num_classes": True}, "num_classes should be a positive integer"),
        (lambda c: {**c, "args": [1]}, "args should be an object"),
    ],
    ids=[
        "list",
        "string",
        "missing entry",
        "unknown model",
        "unhashable model",
        "unknown data",
        "shape not a list",
        "zero size",
        "classes not a number",
        "classes a bool",
        "args a list",
    ],
)
def test_predict_with_a_malformed_config_exits_2(run, capsys, tmp_path, edit, message):
    other = _copy(run, tmp_path)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps(edit(config)))
    line = _error_line(capsys, ["predict", "--checkpoint", str(other)])
    assert "config.json is not a valid run config: " in line
    assert re.search(message, line), line


def test_predict_with_an_undecodable_config_exits_2(run, capsys, tmp_path):
    other = _copy(run, tmp_path)
    (other / "config.json").write_bytes(b"\xff\xfe{")
    assert "is not a valid run config" in _error_line(
        capsys, ["predict", "--checkpoint", str(other)]
    )


def test_predict_with_a_file_for_checkpoint_exits_2(run, capsys):
    line = _error_line(capsys, ["predict", "--checkpoint", str(run / "config.json")])
    assert "config.json is a file, not a run folder" in line
