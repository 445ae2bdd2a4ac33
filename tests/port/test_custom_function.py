"""PyTorch's "Defining new autograd functions" tutorial (LegendrePolynomial3 fitted to sin)
with `import autograd_core as torch` as its only change; the fitted coefficients and the
losses along the way are PyTorch 2.13's (float32, no randomness in the program)."""

import math

import autograd_core as torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


def test_the_tutorial_fits_as_in_pytorch():
    dtype = torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    losses = {}
    for t in range(500):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses[t] = loss.item()
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    result = f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)"
    assert result.startswith("Result: y = ")
    # PyTorch 2.13: losses 209.95834350585938 (t=99), 50.978511810302734 (t=499);
    # b = -1.768365502357483, d = 0.2519814968109131; a and c stay at rounding noise
    assert math.isclose(losses[99], 209.95834350585938, rel_tol=1e-5)
    assert math.isclose(losses[499], 50.978511810302734, rel_tol=1e-4)
    assert math.isclose(b.item(), -1.768365502357483, rel_tol=1e-5)
    assert math.isclose(d.item(), 0.2519814968109131, rel_tol=1e-5)
    assert abs(a.item()) < 1e-6 and abs(c.item()) < 1e-6


def test_gradcheck_of_the_function():
    x = torch.randn(5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(LegendrePolynomial3.apply, (x,))
