"""SyncBatchNorm in one process (plain BatchNorm there) and convert_sync_batchnorm; across
ranks it is tested under mpiexec in tests/distributed."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_convert_swaps_every_batchnorm_and_keeps_its_tensors():
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Sequential(nn.Flatten(), nn.BatchNorm1d(8))
    )
    model.eval()
    bn = model[1]
    converted = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    assert converted is model
    assert isinstance(model[1], nn.SyncBatchNorm) and isinstance(model[2][1], nn.SyncBatchNorm)
    assert model[1].weight is bn.weight and model[1].running_var is bn.running_var
    assert not model[1].training
    assert list(model.state_dict()) == [
        "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
        "1.num_batches_tracked", "2.1.weight", "2.1.bias", "2.1.running_mean",
        "2.1.running_var", "2.1.num_batches_tracked",
    ]  # fmt: skip
    alone = nn.SyncBatchNorm.convert_sync_batchnorm(nn.BatchNorm1d(3))
    assert isinstance(alone, nn.SyncBatchNorm) and alone.num_features == 3


def test_without_a_process_group_it_is_batchnorm():
    ag.manual_seed(0)
    x = ag.randn(6, 3, 4, dtype=ag.float64)
    sync, plain = nn.SyncBatchNorm(3).double(), nn.BatchNorm1d(3).double()
    np.testing.assert_allclose(
        sync(x).detach().numpy(), plain(x).detach().numpy(), rtol=1e-15, atol=1e-15
    )
    np.testing.assert_allclose(sync.running_var.numpy(), plain.running_var.numpy(), rtol=1e-15)


def test_errors():
    with pytest.raises(ValueError, match="only the default process group"):
        nn.SyncBatchNorm(3, process_group="pairs")
    with pytest.raises(ValueError, match="expected 3 channels in dim 1"):
        nn.SyncBatchNorm(3)(ag.randn(4, 2))


def test_ddp_needs_an_initialised_group():
    with pytest.raises(RuntimeError, match="Default process group has not been initialized"):
        nn.parallel.DistributedDataParallel(nn.Linear(2, 2))
