"""`autograd_core.backends.cudnn`: PyTorch's cuDNN switches, accepted so that programs which
set them run unchanged. They have no effect: convolutions here are im2col matrix products
(NumPy on the CPU, CuPy on a GPU), never cuDNN, and they pick no algorithm by timing, so
every run already takes the same path (what `deterministic = True` asks for)."""

# settable module attributes, as in PyTorch; nothing reads them
benchmark = False
deterministic = False
enabled = True
allow_tf32 = True


def is_available() -> bool:
    """Always False: no op here calls cuDNN."""
    return False


def version():
    """None, as PyTorch answers where cuDNN is absent."""
    return None
