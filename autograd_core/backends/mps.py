"""`autograd_core.backends.mps`: Apple's Metal backend, which this library does not drive."""


def is_available() -> bool:
    """Always False: tensors live on the CPU (NumPy) or on CUDA GPUs (CuPy)."""
    return False


def is_built() -> bool:
    return False
