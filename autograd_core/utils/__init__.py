"""`autograd_core.utils`: PyTorch's `torch.utils` path; `utils.data` is `autograd_core.data`
under PyTorch's names (loaded on first use, as the data package itself is)."""


def __getattr__(name):
    if name == "data":
        import importlib

        return importlib.import_module(".data", __name__)
    raise AttributeError(f"module 'autograd_core.utils' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), "data"])
