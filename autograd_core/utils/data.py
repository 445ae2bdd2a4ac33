"""`autograd_core.utils.data`: the datasets and loader of `autograd_core.data` under PyTorch's
`torch.utils.data` names (`torch.utils.data.DataLoader(...)` ports unchanged)."""

from ..data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

__all__ = [
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "Subset",
    "TensorDataset",
    "default_collate",
    "random_split",
]
