"""`autograd_core.onnx.export`: a model as an ONNX graph, as `torch.onnx.export`.

Needs the `onnx` package (`pip install 'autograd-core[onnx]'`, which brings ONNX Runtime to
check the file too); importing this module does not.
"""

from .errors import UnsupportedOperatorError
from .export import export, supported_ops

__all__ = ["export", "supported_ops", "UnsupportedOperatorError"]
