"""Data loading: datasets, DataLoader, transforms and readers for MNIST, CIFAR-10 and toy sets."""

from . import transforms
from .cifar import CIFAR10
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .digits import Digits, load_digits
from .loader import DataLoader, default_collate
from .mnist import MNIST, FashionMNIST, load_mnist_arrays, read_idx
from .sampler import DistributedSampler
from .toy import make_circles, make_moons, make_spirals, make_xor

__all__ = [
    "CIFAR10",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "Digits",
    "DistributedSampler",
    "FashionMNIST",
    "MNIST",
    "Subset",
    "TensorDataset",
    "default_collate",
    "load_digits",
    "load_mnist_arrays",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "random_split",
    "read_idx",
    "transforms",
]
