"""Module.load_state_dict: every key, shape and dtype is checked before anything is copied,
so a failed load leaves the model as it was; strict and non-strict keys as in PyTorch."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def _model():
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 2))


def _snapshot(model):
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


def _assert_unchanged(model, before):
    after = _snapshot(model)
    assert list(after) == list(before)
    for k in before:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)


def _checkpoint(model, fill=7.0):
    """The model's state dict with every float entry set to `fill`."""
    return {
        k: (ag.full(tuple(v.shape), fill) if v.dtype.kind == "f" else v + 3)
        for k, v in model.state_dict().items()
    }


def test_a_wrong_shape_in_the_last_entry_leaves_every_earlier_entry_unchanged():
    model = _model()
    before = _snapshot(model)
    sd = _checkpoint(model)
    last = list(sd)[-1]
    assert last == "2.bias"
    sd[last] = ag.zeros(5)
    with pytest.raises(ValueError, match=r"size mismatch for 2\.bias: checkpoint has shape \(5,\)"):
        model.load_state_dict(sd)
    _assert_unchanged(model, before)
    with pytest.raises(ValueError, match="size mismatch for 2.bias"):
        model.load_state_dict(sd, strict=False)  # shapes are checked strict or not, as PyTorch
    _assert_unchanged(model, before)


def test_every_size_mismatch_is_named():
    model = _model()
    sd = _checkpoint(model)
    sd["0.weight"], sd["1.running_var"] = ag.zeros(3, 3), ag.zeros(4)
    with pytest.raises(
        ValueError, match=r"0\.weight.*\(3, 3\).*\(3, 2\); size mismatch for 1\.run"
    ):
        model.load_state_dict(sd)


def test_a_value_that_is_not_numbers_raises_typeerror_and_changes_nothing():
    model = _model()
    before = _snapshot(model)
    sd = _checkpoint(model)
    sd["2.bias"] = np.array(["a", "b"])
    with pytest.raises(TypeError, match=r"load_state_dict: cannot load 2\.bias"):
        model.load_state_dict(sd)
    _assert_unchanged(model, before)


def test_strict_keys_raise_before_copying():
    model = _model()
    before = _snapshot(model)
    sd = _checkpoint(model)
    del sd["2.bias"]
    with pytest.raises(KeyError, match=r"missing keys \['2\.bias'\], unexpected keys \[\]"):
        model.load_state_dict(sd)
    sd = _checkpoint(model)
    sd["extra"] = ag.zeros(1)
    with pytest.raises(KeyError, match=r"unexpected keys \['extra'\]"):
        model.load_state_dict(sd)
    _assert_unchanged(model, before)


def test_non_strict_loads_what_matches_and_reports_the_rest():
    model = _model()
    before = _snapshot(model)
    sd = _checkpoint(model)
    del sd["0.bias"]
    sd["head.weight"] = ag.zeros(1)
    result = model.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["head.weight"]
    missing, unexpected = result  # unpacks as the (missing, unexpected) pair
    assert (missing, unexpected) == (["0.bias"], ["head.weight"])
    assert repr(result) == (
        "IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['head.weight'])"
    )
    after = _snapshot(model)
    np.testing.assert_array_equal(after["0.bias"], before["0.bias"])
    np.testing.assert_array_equal(after["0.weight"], np.full((3, 2), 7.0))
    assert repr(model.load_state_dict(_checkpoint(model))) == "<All keys matched successfully>"


def test_values_are_converted_to_the_models_dtypes():
    model = _model()
    sd = {
        k: (v.double() * 0 + 0.5 if v.dtype.kind == "f" else v.double() + 4.0)
        for k, v in model.state_dict().items()
    }
    model.load_state_dict(sd)
    state = model.state_dict()
    assert state["0.weight"].dtype == ag.float32 and state["0.weight"].numpy()[0, 0] == 0.5
    assert state["1.num_batches_tracked"].dtype == ag.int64
    assert state["1.num_batches_tracked"].item() == 4
    model.load_state_dict({k: v.numpy().tolist() for k, v in state.items()})  # nested lists
    np.testing.assert_array_equal(model.state_dict()["2.bias"].numpy(), [0.5, 0.5])
