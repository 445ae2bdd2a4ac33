"""Export errors; importable without the onnx package."""

from __future__ import annotations

INSTALL_HINT = (
    "onnx.export needs the onnx and onnxruntime packages: pip install 'autograd-core[onnx]' "
    "(or pip install onnx onnxruntime)"
)


class UnsupportedOperatorError(RuntimeError):
    """An op of the traced model has no ONNX mapping (or a form of it that ONNX lacks)."""
