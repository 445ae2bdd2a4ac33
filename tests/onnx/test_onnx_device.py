"""Export of a model that lives on the device (CUDA, or the CuPy stand-in without a GPU):
parameters, constants and index arrays reach the file through the backend, never by NumPy
reading device memory."""

import numpy as np
from onnx_check import BATCH, exported

import autograd_core as ag
import nn
from autograd_core.models import lenet


class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 8)
        self.conv = nn.Conv1d(8, 4, 3, padding=1, padding_mode="reflect")
        self.norm = nn.BatchNorm1d(4)

    def forward(self, tokens):  # (N, L) int64
        h = self.embed(tokens).permute(0, 2, 1)
        h = self.norm(self.conv(h))
        return nn.functional.leaky_relu(h, 0.1).mean(-1)


def _host(t):
    return t.detach().cpu().numpy()


def test_models_on_the_device_export_and_match(device):
    ag.manual_seed(0)
    model = lenet(1, 10, 8).to(device)
    _, session = exported(model, ag.randn(2, 1, 8, 8, device=device), dynamic_axes=BATCH)
    x = ag.randn(3, 1, 8, 8)
    (got,) = session.run(None, {"input": x.numpy()})
    with ag.no_grad():
        np.testing.assert_allclose(got, _host(model(x.to(device))), rtol=1e-5, atol=1e-5)

    mixed = Mixed().to(device).eval()
    tokens = ag.tensor([[1, 2, 3, 4], [5, 6, 7, 9]], device=device)
    _, session = exported(mixed, tokens, dynamic_axes=BATCH)
    new = ag.tensor([[0, 0, 1, 1], [9, 8, 7, 6], [3, 3, 3, 3]])
    (got,) = session.run(None, {"input": new.numpy()})
    with ag.no_grad():
        np.testing.assert_allclose(got, _host(mixed(new.to(device))), rtol=1e-5, atol=1e-5)
