"""Learning-rate schedulers: change each param group's 'lr' once per `step()`, as PyTorch does.

`base` holds `LRScheduler`; `decay` the per-epoch schedulers; `cyclic` CyclicLR, OneCycleLR and
CosineAnnealingWarmRestarts; `composite` SequentialLR and ChainedScheduler."""

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

__all__ = [
    "LRScheduler",
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LambdaLR",
    "LinearLR",
    "MultiplicativeLR",
    "ConstantLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "CyclicLR",
    "OneCycleLR",
    "CosineAnnealingWarmRestarts",
    "SequentialLR",
    "ChainedScheduler",
]
