"""`Unflatten`: the inverse of `Flatten`, one dim split into several."""

import math

from .module import Module


class Unflatten(Module):
    """Reshape dim `dim` into `unflattened_size` (one entry may be -1, inferred)."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                f"Unflatten: unflattened_size must be a tuple or list of ints, got "
                f"{type(unflattened_size).__name__}"
            )
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input):
        shape = tuple(input.shape)
        dim = self.dim + input.ndim if self.dim < 0 else self.dim
        if not 0 <= dim < input.ndim:
            raise ValueError(f"Unflatten: dim {self.dim} out of range for shape {shape}")
        sizes = tuple(self.unflattened_size)
        known = math.prod(s for s in sizes if s != -1)
        ok = shape[dim] == known if -1 not in sizes else known and shape[dim] % known == 0
        if not ok or sizes.count(-1) > 1:
            raise ValueError(
                f"Unflatten: cannot unflatten dim {self.dim} of size {shape[dim]} into {sizes} "
                f"(input shape {shape})"
            )
        return input.reshape(shape[:dim] + sizes + shape[dim + 1 :])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
