"""Learning-rate schedulers: change each param group's 'lr' once per `step()`, as PyTorch does.

`base` holds `LRScheduler`; `decay` the per-epoch schedulers; `cyclic` CyclicLR, OneCycleLR and
CosineAnnealingWarmRestarts; `composite` SequentialLR and ChainedScheduler."""

from . import composite, cyclic, decay
from .base import LRScheduler
from .composite import ChainedScheduler, SequentialLR
from .cyclic import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from .decay import (
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    ReduceLROnPlateau,
    StepLR,
)

__all__ = ["LRScheduler", *decay.__all__, *cyclic.__all__, *composite.__all__]
