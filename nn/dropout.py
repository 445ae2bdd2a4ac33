"""`Dropout`, `Dropout1d`, `Dropout2d`: inverted dropout of values or of whole channels."""

from . import functional as F
from .module import Module


class Dropout(Module):
    """Zero each value with probability p in training and scale the rest by 1/(1-p).

    The course's version keeps values unscaled in training and multiplies by (1-p) at test
    time; that is the same model, scaled at training time instead, so eval() is the identity.
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Dropout1d(Module):
    """Zero whole channels of (N, C, L) or (C, L) with probability p in training, scaling the
    rest by 1/(1-p); the identity in eval."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout1d: p must be in [0, 1], got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Module):
    """Zero whole channels of (N, C, H, W) with probability p in training, scaling the rest by
    1/(1-p); the identity in eval."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout2d: p must be in [0, 1], got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
