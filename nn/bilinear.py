"""`Bilinear`: y = x1^T A x2 + b."""

import math

from . import init
from .functional.attention import bilinear
from .linear import _weight_and_bias
from .module import Module


class Bilinear(Module):
    """y_o = x1^T A_o x2 + b_o; weight (out_features, in1_features, in2_features), weight and bias
    uniform(-1/sqrt(in1_features), 1/sqrt(in1_features)) as PyTorch."""

    def __init__(
        self, in1_features, in2_features, out_features, bias=True, device=None, dtype=None
    ):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        shape = (out_features, in1_features, in2_features)
        _weight_and_bias(self, shape, out_features, bias, device, dtype)

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
