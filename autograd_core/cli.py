"""Command line: `python -m autograd_core train ...` trains a zoo model and saves the run;
`python -m autograd_core predict --checkpoint DIR` classifies with a saved one;
`python -m autograd_core export --checkpoint DIR --format onnx` writes DIR/model.onnx."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from .models import MODELS
from .onnx.cli import add_export_parser, cmd_export
from .training.datasets import DATASETS
from .training.optimizers import DEFAULT_LR, OPTIMIZERS

DEFAULT_BATCH_SIZE = 32


class CLIError(Exception):
    """A user mistake: printed as one `error: ...` line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line, no usage block: scripts and people read the first line
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def _number(kind, what, valid):
    """An argparse type: `kind(text)` that `valid` accepts, else "expected WHAT, got TEXT"."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not valid(value):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


_POSITIVE_INT = _number(int, "a positive integer", lambda v: v > 0)
# nan and inf parse as floats, and train to garbage
_LEARNING_RATE = _number(float, "a positive finite number", lambda v: 0 < v < math.inf)
_SEED = _number(int, "an integer from 0 to 2**64 - 1", lambda v: 0 <= v < 2**64)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="autograd-core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = sub.add_parser("train", help="train a model and save it with its plots")
    train.add_argument("--model", choices=MODELS, default="mlp")
    train.add_argument("--data", choices=DATASETS, default="digits")
    train.add_argument("--epochs", type=_POSITIVE_INT, default=10)
    train.add_argument("--batch-size", type=_POSITIVE_INT, default=DEFAULT_BATCH_SIZE)
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument(
        "--lr",
        type=_LEARNING_RATE,
        default=None,
        help="learning rate (default: one that suits the optimizer)",
    )
    train.add_argument(
        "--schedule",
        choices=("cosine", "constant"),
        default="cosine",
        help="learning rate: cosine decay to zero over the epochs, or constant",
    )
    train.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    train.add_argument("--seed", type=_SEED, default=0)
    train.add_argument(
        "--out",
        default=None,
        help="output folder, replaced whole by the new run (default: runs/MODEL-DATA)",
    )
    train.add_argument("--data-root", default=None, help="folder of MNIST/CIFAR-10 files")
    train.add_argument("--no-progress", action="store_true", help="no progress bars")
    pred = sub.add_parser("predict", help="classify held-out data with a saved model")
    pred.add_argument("--checkpoint", required=True, help="a folder written by train --out")
    pred.add_argument(
        "--data",
        choices=DATASETS,
        default=None,
        help="data set (default: the one the model was trained on)",
    )
    pred.add_argument(
        "--model",
        choices=MODELS,
        default=None,
        help="expected model (checked against the checkpoint)",
    )
    pred.add_argument("--index", type=int, default=None, help="classify one held-out sample")
    pred.add_argument("--data-root", default=None)
    pred.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    add_export_parser(sub)
    return parser


def _load_split(name, data_root):
    from .training.datasets import load_split

    try:
        return load_split(name, data_root)
    except (RuntimeError, ValueError, OSError, ImportError) as e:
        raise CLIError(str(e)) from None


def _check_device(device):
    from . import cuda

    if device == "cuda" and not cuda.is_available():
        raise CLIError("--device cuda: no CUDA GPU available (or CuPy is not installed)")
    return device


def _build(name, input_shape, num_classes):
    from .models import build_model

    try:
        return build_model(name, input_shape, num_classes)
    except ValueError as e:
        raise CLIError(str(e)) from None


def _loader(x, y, batch_size, shuffle=False, seed=0):
    from . import Generator, from_numpy
    from .data import DataLoader, TensorDataset

    dataset = TensorDataset(from_numpy(x), from_numpy(y))
    return DataLoader(
        dataset, batch_size=batch_size, shuffle=shuffle, generator=Generator("cpu", seed)
    )


def _predict_classes(model, x, device):
    from .training.fit import predict
    from .training.metrics import predicted_classes

    return predicted_classes(predict(model, x, batch_size=512, device=device))


def cmd_train(args) -> int:
    import nn

    from . import manual_seed
    from .training import fit
    from .training.artifacts import save_graph, save_run
    from .training.distributed import (
        init_distributed,
        is_main_process,
        launched_world_size,
        quiet_unless_main,
    )
    from .training.optimizers import make_optimizer
    from .training.run_folder import replacing

    device = _check_device(args.device)
    distributed = launched_world_size() > 1  # mpiexec -n N: one replica per rank
    if distributed:
        device = init_distributed(device)
        quiet_unless_main()
        print(f"distributed: {launched_world_size()} ranks, batch size {args.batch_size} each")
    out = Path(args.out) if args.out else Path("runs") / f"{args.model}-{args.data}"
    _check_out(out)
    split = _load_split(args.data, args.data_root)
    manual_seed(args.seed)
    model = _build(args.model, split.input_shape, split.num_classes).to(device)
    loss_fn = nn.CrossEntropyLoss()
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    optimizer = make_optimizer(args.optimizer, model.parameters(), lr)
    scheduler = None
    if args.schedule == "cosine":
        from optim.lr_scheduler import CosineAnnealingLR

        # small last steps settle the weights: the final epoch is neither lucky nor unlucky
        scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
    for note in split.notes:
        print(f"note: {note}")
    print(
        f"training {args.model} ({model.num_parameters():,} parameters) on {args.data}: "
        f"{len(split.y_train):,} training / {len(split.y_test):,} held-out samples, "
        f"{args.optimizer} lr={lr:g} ({args.schedule}), batch size {args.batch_size}, "
        f"{args.epochs} epochs, {device}",
        flush=True,
    )
    start = time.perf_counter()
    history = fit(
        model,
        loss_fn,
        optimizer,
        _loader(split.x_train, split.y_train, args.batch_size, shuffle=True, seed=args.seed),
        args.epochs,
        val_loader=_loader(split.x_test, split.y_test, 512),
        device=device,
        progress=not args.no_progress,
        scheduler=scheduler,
        distributed=distributed,
    )
    seconds = time.perf_counter() - start
    if not is_main_process():
        return 0  # rank 0 writes the run folder
    predictions = _predict_classes(model, split.x_test, device)
    accuracy = float((predictions == split.y_test).mean())
    config = {
        "model": args.model,
        "data": args.data,
        "input_shape": list(split.input_shape),
        "num_classes": split.num_classes,
        "classes": list(split.classes),
        "held_out_accuracy": accuracy,
        "train_seconds": round(seconds, 2),
        "args": {k: v for k, v in vars(args).items() if k != "command"},
    }
    from . import from_numpy

    sample = slice(0, 2)
    # written beside `out` and swapped in whole: an interruption leaves one complete run there
    with replacing(out) as folder:
        notes = save_run(folder, model, config, history, split, predictions)
        note = save_graph(
            folder / "graph.svg",
            model,
            loss_fn,
            from_numpy(split.x_train[sample]).to(device),
            from_numpy(split.y_train[sample]).to(device),
        )
    notes += [note] if note else []
    for note in notes:
        print(f"note: {note}")
    saved = sorted(p.name for p in out.iterdir() if p.is_file())
    print(f"trained in {seconds:.1f}s; saved to {out}: {', '.join(saved)}")
    print(f"held-out accuracy: {accuracy:.1%} ({len(split.y_test):,} {_unit(split)})")
    return 0


def _check_out(out: Path) -> None:
    from .training.run_folder import check_writable

    try:
        check_writable(out)
    except ValueError as e:
        raise CLIError(str(e)) from None


def _unit(split):
    return "images" if len(split.input_shape) == 3 else "points"


def _read_config(folder: Path) -> dict:
    path = folder / "config.json"
    if not path.is_file():
        raise CLIError(f"no config.json in {folder}: expected a folder written by `train --out`")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CLIError(f"{path} is not a valid run config: {e}") from None
    problem = _config_problem(config)
    if problem:
        raise CLIError(f"{path} is not a valid run config: {problem}")
    return config


def _config_problem(config) -> str | None:
    """What is wrong with a parsed config.json, or None."""
    if not isinstance(config, dict):
        return f"expected a JSON object, got {type(config).__name__}"
    for key in ("model", "data", "input_shape", "num_classes"):
        if key not in config:
            return f"no {key!r} entry"
    if config["model"] not in MODELS:
        return f"unknown model {config['model']!r} (known: {', '.join(MODELS)})"
    if config["data"] not in DATASETS:
        return f"unknown data set {config['data']!r} (known: {', '.join(DATASETS)})"
    shape, classes = config["input_shape"], config["num_classes"]
    if not isinstance(shape, list) or not all(_is_positive_int(n) for n in shape) or not shape:
        return f"input_shape should be a list of positive integers, got {shape!r}"
    if not _is_positive_int(classes):
        return f"num_classes should be a positive integer, got {classes!r}"
    if not isinstance(config.get("args", {}), dict):
        return "args should be an object"
    return None


def _is_positive_int(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n > 0


def _load_model(folder: Path, config: dict, device):
    from .serialization import load

    model = _build(config["model"], config["input_shape"], config["num_classes"])
    weights = folder / "model.safetensors"
    if not weights.is_file():
        what = "is not a file" if weights.exists() else "does not exist"
        raise CLIError(f"{weights} {what}: expected the weights written by `train --out`")
    try:
        state = load(weights)
    except OSError as e:
        raise CLIError(f"cannot read {weights}: {e.strerror or e}") from None
    except ValueError as e:  # a corrupt file: load's message names it and what is wrong
        raise CLIError(str(e).removeprefix("load: ")) from None
    if not isinstance(state, dict):
        raise CLIError(f"{weights} holds a {type(state).__name__}, not a model's state_dict")
    try:
        model.load_state_dict(state)
    except (KeyError, ValueError, RuntimeError, TypeError) as e:
        raise CLIError(
            f"{weights} does not hold the weights of the {config['model']} model that its "
            f"config.json names (a checkpoint of another model?): {e}"
        ) from None
    return model.to(device)


def cmd_predict(args) -> int:
    folder = Path(args.checkpoint)
    if not folder.is_dir():
        what = "is a file, not a run folder" if folder.exists() else "does not exist"
        raise CLIError(f"checkpoint folder {folder} {what}")
    config = _read_config(folder)
    if args.model is not None and args.model != config["model"]:
        raise CLIError(f"{folder} holds a {config['model']} model, not {args.model}")
    device = _check_device(args.device)
    data = args.data or config["data"]
    split = _load_split(data, args.data_root or config.get("args", {}).get("data_root"))
    trained_shape = tuple(config["input_shape"])
    if split.input_shape != trained_shape or split.num_classes != config["num_classes"]:
        raise CLIError(
            f"{folder} holds a model for inputs {trained_shape} and {config['num_classes']} "
            f"classes ({config['data']}); {data} has inputs {split.input_shape} and "
            f"{split.num_classes} classes"
        )
    model = _load_model(folder, config, device)
    x, y = split.x_test, split.y_test
    if args.index is not None:
        if not -len(y) <= args.index < len(y):
            raise CLIError(f"--index {args.index} is out of range for {len(y)} held-out samples")
        x, y = x[args.index : args.index + 1], y[args.index : args.index + 1]
    names = split.classes
    if args.index is not None:
        return _classify_one(model, x, y, args.index, names, device)
    predictions = _predict_classes(model, x, device)
    shown = min(len(y), 20)
    print(f"first {shown} predictions: {' '.join(names[p] for p in predictions[:shown])}")
    print(f"first {shown} labels:      {' '.join(names[t] for t in y[:shown])}")
    accuracy = float(np.mean(predictions == y))
    print(f"held-out accuracy: {accuracy:.1%} ({len(y):,} {_unit(split)})")
    return 0


def _classify_one(model, x, y, index, names, device) -> int:
    from .ops import softmax
    from .training.fit import predict

    probs = softmax(predict(model, x, device=device), dim=1).numpy()[0]
    best = int(probs.argmax())
    verdict = "right" if best == y[0] else "wrong"
    print(f"held-out sample {index}: predicted {names[best]}, label {names[y[0]]} ({verdict})")
    top = np.argsort(-probs)[:3]
    print("top classes: " + ", ".join(f"{names[k]} {probs[k]:.1%}" for k in top))
    return 0


def main(argv=None) -> int:
    """Entry point of `python -m autograd_core` and the `autograd-core` script."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, or a usage error already reported on stderr
        return e.code if isinstance(e.code, int) else 2
    command = {"train": cmd_train, "predict": cmd_predict, "export": cmd_export}[args.command]
    try:
        return command(args)
    except CLIError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
