"""`python -m autograd_core export --checkpoint DIR --format onnx`: a saved run's model as
DIR/model.onnx, with a dynamic batch, checked with ONNX Runtime where it is installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FORMATS = ("onnx",)


def add_export_parser(sub):
    """The `export` subcommand's arguments, on the CLI's subparsers."""
    parser = sub.add_parser("export", help="write a saved model as ONNX (model.onnx beside it)")
    parser.add_argument("--checkpoint", required=True, help="a folder written by train --out")
    parser.add_argument("--format", choices=FORMATS, default="onnx")
    parser.add_argument("--out", default=None, help="output file (default: CHECKPOINT/model.onnx)")
    parser.add_argument("--opset", type=int, default=None, help="ONNX opset (default: 17)")
    return parser


def cmd_export(args) -> int:
    from .. import Generator, randn
    from ..cli import CLIError, _load_model, _read_config
    from .export import DEFAULT_OPSET, export

    folder = Path(args.checkpoint)
    if not folder.is_dir():
        raise CLIError(f"checkpoint folder {folder} does not exist")
    config = _read_config(folder)
    model = _load_model(folder, config, "cpu")
    out = Path(args.out) if args.out else folder / "model.onnx"
    shape = tuple(config["input_shape"])
    example = randn((2, *shape), generator=Generator("cpu", 0))
    try:
        export(
            model,
            example,
            str(out),
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
            opset_version=args.opset,
        )
    except ImportError as e:
        raise CLIError(str(e)) from None
    except ValueError as e:
        raise CLIError(str(e)) from None
    opset = args.opset or DEFAULT_OPSET
    dims = ", ".join(["batch", *map(str, shape)])
    print(
        f"wrote {out} ({config['model']}, opset {opset}): input 'input' ({dims}) float32, "
        f"output 'logits' (batch, {config['num_classes']})"
    )
    message, agrees = _runtime_check(model, out, shape)
    if not agrees:
        raise CLIError(message)
    print(message)
    return 0


def _runtime_check(model, path, shape):
    """Run the file with ONNX Runtime on a batch of 3 and compare with the model: (message,
    whether they agree)."""
    try:
        import onnxruntime
    except ImportError:
        return "note: onnxruntime is not installed, so the file was not run", True
    from .. import Generator, no_grad, randn

    x = randn((3, *shape), generator=Generator("cpu", 1))
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": x.numpy()})
    with no_grad():
        expected = model(x).numpy()
    worst = float(np.max(np.abs(got - expected)))
    agrees = bool(np.allclose(got, expected, rtol=1e-4, atol=1e-5))
    verdict = "agrees" if agrees else "disagrees"
    message = (
        f"ONNX Runtime {onnxruntime.__version__} on a batch of 3: {verdict} with the model "
        f"(largest difference {worst:.2g})"
    )
    return message, agrees
