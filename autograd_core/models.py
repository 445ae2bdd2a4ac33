"""A small model zoo for the CLI and lessons: `mlp`, `lenet`, `resnet_small`, `build_model`.

`nn` is imported inside the builders, so `import autograd_core` never loads it.
"""

from __future__ import annotations

import functools
import math

MODELS = ("mlp", "lenet", "resnet")


def mlp(in_features: int, hidden=(128, 64), num_classes: int = 10):
    """Flatten, then Linear-ReLU for each width in `hidden`, then Linear to `num_classes`."""
    import nn

    layers, width = [nn.Flatten()], in_features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, num_classes))
    return nn.Sequential(*layers)


def _lenet_plan(image_size: int):
    # classic LeNet-5 (5x5 kernels, second conv unpadded) for 28x28 and up; small images
    # keep their size through 3x3 'same' convolutions so two 2x2 pools still fit
    if image_size >= 20:
        return 5, (2, 0)
    return 3, (1, 1)


def lenet(in_channels: int = 1, num_classes: int = 10, image_size: int = 28, channels=(16, 32)):
    """LeNet: (conv-ReLU-maxpool) twice, then Linear 120-84-num_classes."""
    import nn

    if image_size < 4:
        raise ValueError(f"lenet: image_size should be at least 4, got {image_size}")
    k, (pad1, pad2) = _lenet_plan(image_size)
    size = (image_size + 2 * pad1 - k + 1) // 2
    size = (size + 2 * pad2 - k + 1) // 2
    if size < 1:
        raise ValueError(f"lenet: image_size {image_size} is too small for two conv-pool stages")
    c1, c2 = channels
    return nn.Sequential(
        nn.Conv2d(in_channels, c1, k, padding=pad1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, k, padding=pad2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(c2 * size * size, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, num_classes),
    )


@functools.cache
def _residual_block_class():
    import nn

    class ResidualBlock(nn.Module):
        """conv-BN-ReLU-conv-BN plus the input (identity shortcut), then ReLU."""

        def __init__(self, channels):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(channels)
            self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(channels)
            self.relu = nn.ReLU()

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + x)

    return ResidualBlock


def _conv_bn_relu(nn, c_in, c_out, stride):
    return [
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(),
    ]


def resnet_small(
    in_channels: int = 1, num_classes: int = 10, widths=(16, 32, 64), blocks_per_stage: int = 1
):
    """A stem conv, then per width: a strided conv-BN-ReLU (the first one unstrided) and
    `blocks_per_stage` residual blocks; global average pooling and a Linear head."""
    import nn

    block = _residual_block_class()
    layers, c_in = [], in_channels
    for i, width in enumerate(widths):
        layers += _conv_bn_relu(nn, c_in, width, 1 if i == 0 else 2)
        layers += [block(width) for _ in range(blocks_per_stage)]
        c_in = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, num_classes)]
    return nn.Sequential(*layers)


def build_model(name: str, input_shape, num_classes: int):
    """A zoo model by name ('mlp', 'lenet', 'resnet') for inputs of `input_shape` (no batch)."""
    shape = tuple(int(s) for s in input_shape)
    if name == "mlp":
        return mlp(math.prod(shape), num_classes=num_classes)
    if name in ("lenet", "resnet", "resnet_small"):
        if len(shape) != 3:
            raise ValueError(
                f"{name}: needs image inputs (C, H, W), got input shape {shape}; use --model mlp"
            )
        if name == "lenet":
            if shape[1] != shape[2]:
                raise ValueError(f"lenet: needs square images, got input shape {shape}")
            return lenet(shape[0], num_classes, shape[1])
        return resnet_small(shape[0], num_classes)
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
