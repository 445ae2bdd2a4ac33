"""BatchNorm: statistics, running buffers, gradcheck in train and eval."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_batchnorm2d_train_stats_and_running_update():
    bn = nn.BatchNorm2d(3)
    x = ag.randn(4, 3, 5, 5) * 2.0 + 1.0
    out = bn(x).detach().numpy()
    np.testing.assert_allclose(out.mean((0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var((0, 2, 3)), 1, atol=1e-3)
    a = x.numpy()
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * a.mean((0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(
        bn.running_var.numpy(), 0.9 + 0.1 * a.var((0, 2, 3), ddof=1), rtol=1e-5
    )
    assert bn.num_batches_tracked.item() == 1
    assert set(bn.state_dict()) == {
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    }


def test_batchnorm_eval_uses_running_stats():
    bn = nn.BatchNorm1d(2).eval()
    with ag.no_grad():
        bn.running_mean.copy_(ag.tensor([1.0, 2.0]))
        bn.running_var.copy_(ag.tensor([4.0, 9.0]))
    out = bn(ag.tensor([[3.0, 5.0]]))
    np.testing.assert_allclose(out.detach().numpy(), [[1.0, 1.0]], rtol=1e-4)


@pytest.mark.parametrize("train", [True, False])
def test_batchnorm_gradcheck(train):
    bn = nn.BatchNorm1d(3, dtype=ag.float64).train(train)
    with ag.no_grad():
        bn.running_var.fill_(2.0)
    x = ag.randn(5, 3, 4, dtype=ag.float64, requires_grad=True)
    ag.gradcheck(lambda x, w, b: bn(x), (x, bn.weight, bn.bias))


def test_batchnorm_errors():
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4-D input, got shape \(3, 4\)"):
        nn.BatchNorm2d(4)(ag.randn(3, 4))
    with pytest.raises(ValueError, match="expected 4 channels"):
        nn.BatchNorm1d(4)(ag.randn(3, 5))


@pytest.mark.parametrize(
    "layer, shape",
    [(nn.BatchNorm1d, (1, 3)), (nn.BatchNorm1d, (1, 3, 1)), (nn.BatchNorm2d, (1, 3, 1, 1))],
)
def test_batchnorm_one_value_per_channel_in_training_raises(layer, shape):
    bn = layer(3)
    message = (
        rf"{layer.__name__}: Expected more than 1 value per channel when training, got input "
        rf"size \({', '.join(map(str, shape))}\)"
    )
    with pytest.raises(ValueError, match=message):
        bn(ag.randn(*shape))
    assert bn.num_batches_tracked.item() == 0  # nothing was updated
    unbatched = layer(3, track_running_stats=False).eval()  # batch statistics in eval too
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        unbatched(ag.randn(*shape))
    bn.eval()  # the running statistics serve a single sample
    assert tuple(bn(ag.randn(*shape)).shape) == shape


def test_batchnorm_one_sample_with_a_length_trains():
    bn = nn.BatchNorm1d(3)
    out = bn(ag.tensor([[[1.0, 3.0], [2.0, 2.0], [0.0, 4.0]]]))  # (1, 3, 2): 2 values each
    np.testing.assert_allclose(out.detach().numpy()[0, 0], [-1.0, 1.0], rtol=1e-4)
    assert bn.num_batches_tracked.item() == 1
