"""Random states: `ag.get_rng_state` / `set_rng_state`, `Generator.get_state` / `set_state`
(PyTorch's names), stored in our checkpoints, and the DataLoader's shuffling generator."""

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import backend
from autograd_core.data import DataLoader, TensorDataset

HAS_CUDA = backend.cuda_device_count() > 0


def _draws(generator=None):
    """A bit of everything: float32 draws leave half a 64-bit word buffered in PCG64."""
    return np.concatenate(
        [
            ag.rand(3, generator=generator).numpy().astype(np.float64),
            ag.randn(4, dtype=ag.float64, generator=generator).numpy(),
            ag.randint(0, 1000, (5,), generator=generator).numpy().astype(np.float64),
        ]
    )


def test_the_state_is_a_uint8_tensor():
    state = ag.get_rng_state()
    assert isinstance(state, ag.Tensor)
    assert state.dtype == ag.uint8 and state.ndim == 1 and not state.requires_grad


def test_set_rng_state_replays_the_default_generator():
    ag.manual_seed(0)
    ag.rand(1)  # an odd number of float32 draws: a buffered half word is part of the state
    state = ag.get_rng_state()
    first = _draws()
    ag.manual_seed(123)
    ag.set_rng_state(state)
    np.testing.assert_array_equal(_draws(), first)
    assert ag.initial_seed() == 0


def test_dropout_masks_replay_after_set_rng_state():
    layer = nn.Dropout(0.5)
    x = ag.ones(64, dtype=ag.float64)
    state = ag.get_rng_state()
    first = layer(x).numpy()
    layer(x)
    ag.set_rng_state(state)
    np.testing.assert_array_equal(layer(x).numpy(), first)


def test_generator_state_moves_to_another_generator():
    source = ag.Generator("cpu", 7)
    source.manual_seed(7)
    _draws(source)
    state = source.get_state()
    expected = _draws(source)
    target = ag.Generator("cpu", 99).set_state(state)
    assert target.initial_seed == 7
    np.testing.assert_array_equal(_draws(target), expected)


def test_an_os_seeded_generator_keeps_its_128_bit_seed():
    source = ag.Generator("cpu")
    target = ag.Generator("cpu", 0).set_state(source.get_state())
    assert target.initial_seed == source.initial_seed
    np.testing.assert_array_equal(_draws(target), _draws(source))


def test_a_state_survives_a_checkpoint_file(tmp_path):
    generator = ag.Generator("cpu", 5)
    _draws(generator)
    ag.save({"rng": ag.get_rng_state(), "loader": generator.get_state()}, tmp_path / "s.st")
    expected_default, expected_loader = _draws(), _draws(generator)
    loaded = ag.load(tmp_path / "s.st")
    ag.manual_seed(1)
    ag.set_rng_state(loaded["rng"])
    fresh = ag.Generator("cpu", 0).set_state(loaded["loader"])
    np.testing.assert_array_equal(_draws(), expected_default)
    np.testing.assert_array_equal(_draws(fresh), expected_loader)


def test_set_state_refuses_what_get_state_did_not_make():
    generator = ag.Generator("cpu", 0)
    good = generator.get_state().numpy()
    with pytest.raises(TypeError, match="expected the 1-D uint8 tensor that get_state"):
        generator.set_state(list(good))
    with pytest.raises(TypeError, match="got a float32 tensor of shape"):
        generator.set_state(ag.zeros(len(good)))
    with pytest.raises(TypeError, match="expected the 1-D uint8 tensor"):
        ag.set_rng_state(ag.from_numpy(good.reshape(1, -1)))
    with pytest.raises(ValueError, match="the state is 3 bytes, too short"):
        generator.set_state(ag.from_numpy(good[:3].copy()))
    with pytest.raises(ValueError, match="a CPU state holds 37 bytes after the seed, got 36"):
        generator.set_state(ag.from_numpy(good[:-1].copy()))
    cuda_kind = good.copy()
    cuda_kind[0] = 2
    with pytest.raises(ValueError, match=r"state is of a CUDA \(cuRAND\) generator; this gen"):
        generator.set_state(ag.from_numpy(cuda_kind))


def test_the_dataloader_shuffles_the_same_way_after_set_state():
    data = TensorDataset(ag.arange(20))

    def order(loader):
        return np.concatenate([b[0].numpy() for b in loader])

    generator = ag.Generator("cpu", 3)
    loader = DataLoader(data, batch_size=6, shuffle=True, generator=generator)
    order(loader)
    state = generator.get_state()
    expected = [order(loader), order(loader)]
    generator.manual_seed(11)
    generator.set_state(state)
    assert [order(loader).tolist() for _ in range(2)] == [e.tolist() for e in expected]
    assert sorted(expected[0].tolist()) == list(range(20))


def test_the_dataloader_generator_is_checked():
    data = TensorDataset(ag.arange(4))
    with pytest.raises(TypeError, match="generator should be an ag.Generator, got Generator"):
        DataLoader(data, shuffle=True, generator=np.random.default_rng(0))


@pytest.mark.gpu
def test_a_cuda_generator_state_replays_its_draws():
    generator = ag.Generator("cuda", 4)
    ag.rand(1000, device="cuda", generator=generator)
    state = generator.get_state()
    expected = ag.randn(5000, device="cuda", generator=generator).cpu().numpy()
    ag.randn(7, device="cuda", generator=generator)
    generator.set_state(state)
    np.testing.assert_array_equal(
        ag.randn(5000, device="cuda", generator=generator).cpu().numpy(), expected
    )
    with pytest.raises(ValueError, match=r"CPU \(PCG64\) generator; this generator is on cuda"):
        generator.set_state(ag.get_rng_state())


@pytest.mark.gpu
def test_the_dataloader_refuses_a_cuda_generator():
    data = TensorDataset(ag.arange(4))
    with pytest.raises(ValueError, match="generator should be a CPU generator, got one on cuda"):
        DataLoader(data, shuffle=True, generator=ag.Generator("cuda", 0))


@pytest.mark.parametrize("seed", [-5, 2**128])
def test_a_seed_a_state_cannot_hold_is_refused(seed):
    with pytest.raises(ValueError, match=r"the seed should be in \[0, 2\*\*128\)"):
        ag.Generator("cpu", seed)
