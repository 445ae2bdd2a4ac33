"""interpolate(mode='bicubic'): PyTorch's cubic convolution (a = -0.75) with the border
pixels repeated, with and without align_corners; values and gradients are PyTorch 2.13's."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

X = [[0.0, 1.75, 0.25, 2.0], [0.5, 2.25, 0.75, 2.5], [1.0, 2.75, 1.25, 3.0]]

EXPECTED = {
    "size=(4, 5)": (
        {"size": (4, 5)},
        [
            [-0.1422011719, 1.3912363281, 0.9641113281, 0.5369863281, 2.0704238281],
            [0.1585800781, 1.6920175781, 1.2648925781, 0.8377675781, 2.3712050781],
            [0.6287949219, 2.1622324219, 1.7351074219, 1.3079824219, 2.8414199219],
            [0.9295761719, 2.4630136719, 2.0358886719, 1.6087636719, 3.1422011719],
        ],
    ),
    "align_corners": (
        {"size": (2, 6), "align_corners": True},
        [[0.0, 1.233, 1.612, 0.388, 0.767, 2.0], [1.0, 2.233, 2.612, 1.388, 1.767, 3.0]],
    ),
    "downscale": ({"size": (2, 2)}, [[1.111328125, 1.080078125], [1.919921875, 1.888671875]]),
    "scale_factor=1.5": (
        {"scale_factor": 1.5},
        [
            [-0.1953125, 0.9722222222, 1.6128472222, 0.3003472222, 0.9409722222, 2.1085069444],
            [0.0512152778, 1.21875, 1.859375, 0.546875, 1.1875, 2.3550347222],
            [0.4632523148, 1.630787037, 2.271412037, 0.958912037, 1.599537037, 2.7670717593],
            [0.7850115741, 1.9525462963, 2.5931712963, 1.2806712963, 1.9212962963, 3.0888310185],
        ],
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_bicubic_values_match_pytorch(name, device):
    kwargs, expected = EXPECTED[name]
    x = ag.tensor([[X]], dtype=ag.float64, device=device)
    out = F.interpolate(x, mode="bicubic", **kwargs)
    np.testing.assert_allclose(out.detach().cpu().numpy()[0, 0], expected, atol=1e-9)


def test_bicubic_gradient_matches_pytorch(device):
    x = ag.tensor([[X]], dtype=ag.float64, device=device, requires_grad=True)
    weights = ag.tensor(np.linspace(-1, 1, 20).reshape(1, 1, 4, 5), device=device)
    (F.interpolate(x, size=(4, 5), mode="bicubic") * weights).sum().backward()
    expected = [
        [-1.5425870683, -1.3303628701, -1.1020980674, -0.8743557771],
        [-0.342505551, -0.1169983553, 0.1169983553, 0.342505551],
        [0.8743557771, 1.1020980674, 1.3303628701, 1.5425870683],
    ]
    np.testing.assert_allclose(x.grad.cpu().numpy()[0, 0], expected, atol=1e-9)


def test_bicubic_gradcheck():
    x = ag.tensor(np.random.default_rng(0).standard_normal((1, 2, 3, 4)), requires_grad=True)
    assert ag.gradcheck(lambda t: F.interpolate(t, size=(5, 3), mode="bicubic"), (x,))


def test_upsample_module_and_float32():
    x = ag.tensor([[X]])
    out = nn.Upsample(size=(4, 5), mode="bicubic")(x)
    assert out.dtype == ag.float32
    np.testing.assert_allclose(out.numpy()[0, 0], EXPECTED["size=(4, 5)"][1], atol=1e-5)


def test_bicubic_needs_4d_input():
    with pytest.raises(NotImplementedError, match="bicubic mode needs 4-D input"):
        F.interpolate(ag.zeros(1, 1, 4), size=3, mode="bicubic")


def test_align_corners_is_refused_for_nearest():
    with pytest.raises(ValueError, match="linear | bilinear | bicubic"):
        F.interpolate(ag.zeros(1, 1, 2, 2), size=3, mode="nearest", align_corners=True)
