"""`ag.save` / `ag.load`: round trips, the safetensors layout, corrupt files and no pickle."""

import io
import json
import os
import pickle
import struct

import numpy as np
import pytest
import safetensors.numpy

import autograd_core as ag
import nn
import optim
from autograd_core import backend

HAS_CUDA = backend.cuda_device_count() > 0


@pytest.fixture
def path(tmp_path):
    return tmp_path / "checkpoint.safetensors"


def _assert_same(loaded, original):
    assert isinstance(loaded, ag.Tensor)
    assert loaded.dtype == original.dtype and loaded.shape == original.shape
    np.testing.assert_array_equal(loaded.numpy(), original.detach().cpu().numpy())


# ---- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.randn(3, 4),
        lambda: ag.randn(2, 3, dtype=ag.float64),
        lambda: ag.tensor([-(2**62), 0, 2**62 + 1]),
        lambda: ag.tensor([[True, False], [False, True]]),
        lambda: ag.tensor(2.5),
        lambda: ag.tensor(7),
        lambda: ag.zeros(0, 3),
        lambda: ag.randn(4, 2, requires_grad=True),
    ],
    ids=["float32", "float64", "int64", "bool", "0-d float", "0-d int", "empty", "needs grad"],
)
def test_round_trip_of_one_tensor(make, path):
    original = make()
    ag.save(original, path)
    loaded = ag.load(path)
    _assert_same(loaded, original)
    assert loaded.is_leaf and not loaded.requires_grad


@pytest.mark.parametrize(
    "view",
    [lambda x: x.T, lambda x: x[:, ::2], lambda x: x[::-1], lambda x: x.permute(1, 0)[1:]],
    ids=["transpose", "strided", "reversed", "permuted slice"],
)
def test_round_trip_of_non_contiguous_views(view, path):
    base = ag.arange(24, dtype=ag.float64).reshape(4, 6)
    original = view(base)
    assert not original.numpy().flags.c_contiguous
    ag.save({"view": original, "base": base}, path)
    loaded = ag.load(path)
    _assert_same(loaded["view"], original)
    _assert_same(loaded["base"], base)


def test_loaded_tensors_are_writable_and_own_their_memory(path):
    ag.save({"a": ag.ones(3), "b": ag.ones(3)}, path)
    loaded = ag.load(path)
    loaded["a"].add_(1)
    np.testing.assert_array_equal(loaded["a"].numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(loaded["b"].numpy(), [1.0, 1.0, 1.0])


def test_round_trip_of_nested_dicts_lists_and_plain_values(path):
    original = {
        "epoch": 7,
        "lr": 0.05,
        "name": "run-1",
        "done": False,
        "nothing": None,
        "layers": [ag.randn(2), {"w": ag.randn(2, 2), "sizes": (2, 2)}],
        "by_index": {0: ag.tensor([1, 2]), 3: "three"},
    }
    ag.save(original, path)
    loaded = ag.load(path)
    assert loaded.keys() == original.keys()
    for key in ("epoch", "lr", "name", "done", "nothing"):
        assert loaded[key] == original[key] and type(loaded[key]) is type(original[key])
    _assert_same(loaded["layers"][0], original["layers"][0])
    _assert_same(loaded["layers"][1]["w"], original["layers"][1]["w"])
    assert loaded["layers"][1]["sizes"] == (2, 2)
    assert isinstance(loaded["layers"], list)
    _assert_same(loaded["by_index"][0], original["by_index"][0])
    assert loaded["by_index"][3] == "three"


def test_round_trip_of_linear_and_sgd_state_dicts(path):
    ag.manual_seed(0)
    model = nn.Linear(3, 2)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = ag.randn(8, 3), ag.randn(8, 2)

    def step(m, opt):
        opt.zero_grad()
        ((m(x) - y) ** 2).mean().backward()
        opt.step()

    step(model, optimizer)
    ag.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    checkpoint = ag.load(path)

    restored = nn.Linear(3, 2)
    restored.load_state_dict(checkpoint["model"])
    restored_optimizer = optim.SGD(restored.parameters(), lr=0.5)
    restored_optimizer.load_state_dict(checkpoint["optimizer"])
    assert restored_optimizer.param_groups[0]["lr"] == 0.1
    assert restored_optimizer.param_groups[0]["momentum"] == 0.9
    saved_state = optimizer.state_dict()["state"]
    assert sorted(checkpoint["optimizer"]["state"]) == sorted(saved_state) == [0, 1]
    for index in saved_state:
        _assert_same(
            checkpoint["optimizer"]["state"][index]["momentum_buffer"],
            saved_state[index]["momentum_buffer"],
        )
    # one more step from the restored copy matches one more step of the original
    step(model, optimizer)
    step(restored, restored_optimizer)
    np.testing.assert_array_equal(restored.weight.detach().numpy(), model.weight.detach().numpy())
    np.testing.assert_array_equal(restored.bias.detach().numpy(), model.bias.detach().numpy())


def test_save_refuses_what_it_cannot_store_and_keeps_the_old_file(path):
    ag.save({"w": ag.ones(2)}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match="save: can't store a set"):
        ag.save({"w": ag.zeros(2), "tags": {"a", "b"}}, path)
    with pytest.raises(TypeError, match="dict keys must be str or int"):
        ag.save({(1, 2): ag.zeros(2)}, path)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]  # no temporary file left behind


def test_save_refuses_two_entries_with_one_flattened_name(path):
    with pytest.raises(ValueError, match="two entries would be stored under the name 'a.b'"):
        ag.save({"a.b": ag.ones(1), "a": {"b": ag.ones(1)}}, path)


def test_save_refuses_the_reserved_metadata_name(path):
    with pytest.raises(ValueError, match="'__metadata__' is reserved"):
        ag.save({"__metadata__": ag.ones(1)}, path)
    assert not path.exists()


def test_round_trip_of_empty_containers(path):
    ag.save({}, path)
    assert ag.load(path) == {}
    ag.save([], path)
    assert ag.load(path) == []


# ---- the file is safetensors ---------------------------------------------------------------------


def _split(blob):
    (length,) = struct.unpack("<Q", blob[:8])
    return length, json.loads(blob[8 : 8 + length]), blob[8 + length :]


def test_header_by_hand_is_little_endian_length_then_json(path):
    weight = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    steps = ag.tensor([3, 4])
    flags = ag.tensor([True, False, True])
    ag.save({"layer": {"weight": weight}, "steps": steps, "flags": flags}, path)
    blob = path.read_bytes()
    length, header, data = _split(blob)
    assert (8 + length) % 8 == 0  # the data starts 8-byte aligned, as safetensors pads it
    assert isinstance(header["__metadata__"], dict)
    assert all(isinstance(v, str) for v in header["__metadata__"].values())
    entries = {k: v for k, v in header.items() if k != "__metadata__"}
    assert entries["layer.weight"]["dtype"] == "F32"
    assert entries["layer.weight"]["shape"] == [2, 3]
    assert entries["steps"]["dtype"] == "I64"
    assert entries["flags"]["dtype"] == "BOOL"
    # byte ranges tile the data section exactly
    ranges = sorted(tuple(v["data_offsets"]) for v in entries.values())
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    start, end = entries["layer.weight"]["data_offsets"]
    np.testing.assert_array_equal(
        np.frombuffer(data[start:end], dtype="<f4").reshape(2, 3), weight.numpy()
    )
    start, end = entries["steps"]["data_offsets"]
    assert np.frombuffer(data[start:end], dtype="<i8").tolist() == [3, 4]


def test_the_safetensors_package_reads_the_file(path):
    tensors = {"w": ag.randn(3, 2), "n": ag.tensor([1, 2, 3]), "m": ag.tensor([True])}
    ag.save(tensors, path)
    read = safetensors.numpy.load_file(str(path))
    assert set(read) == set(tensors)
    for key, t in tensors.items():
        np.testing.assert_array_equal(read[key], t.numpy())
        assert read[key].dtype == t.dtype


def test_a_flat_safetensors_file_loads_as_a_dict_of_tensors(path):
    # written by hand, as another library would: no structure metadata
    values = np.arange(6, dtype="<f8").reshape(2, 3)
    header = {"x": {"dtype": "F64", "shape": [2, 3], "data_offsets": [0, 48]}}
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + values.tobytes())
    loaded = ag.load(path)
    assert list(loaded) == ["x"]
    np.testing.assert_array_equal(loaded["x"].numpy(), values)


# ---- corrupt files: a clear error, never a partial result ----------------------------------------


def _write_header(path, header, data=b""):
    raw = json.dumps(header).encode() if not isinstance(header, bytes) else header
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)


def test_truncated_file_is_an_error(path):
    ag.save({"a": ag.randn(10), "b": ag.randn(10)}, path)
    blob = path.read_bytes()
    path.write_bytes(blob[:-4])
    with pytest.raises(ValueError, match="is truncated: entry 'b' ends at byte 80 of 76"):
        ag.load(path)
    path.write_bytes(blob[:20])  # cut inside the header
    with pytest.raises(ValueError, match="truncated or not a safetensors file"):
        ag.load(path)
    path.write_bytes(blob[:3])
    with pytest.raises(ValueError, match=r"too short to be a safetensors file \(3 bytes\)"):
        ag.load(path)


def test_over_long_header_length_is_an_error(path):
    path.write_bytes(struct.pack("<Q", 2**40) + b"{}" + b"\0" * 16)
    with pytest.raises(ValueError, match=r"not a safetensors file \(header size 1099511627776\)"):
        ag.load(path)


def test_wrong_magic_is_an_error(path):
    path.write_bytes(b"GIF89a\x01\x00" + b"\0" * 64)
    with pytest.raises(ValueError, match="truncated or not a safetensors file"):
        ag.load(path)


@pytest.mark.parametrize(
    "header, message",
    [
        (b"{not json", "not a valid safetensors file: invalid JSON in header"),
        (b"\xff\xfe{}", "not a valid safetensors file: invalid UTF-8 in header"),
        (b"[1, 2]", "not a valid safetensors file: invalid JSON in header: invalid type: sequence"),
        ({"x": 5}, "not a valid safetensors file: .*integer `5`"),
        ({"x": {"dtype": "F32", "shape": [2]}}, "missing field `data_offsets`"),
        (
            {"x": {"dtype": "O", "shape": [1], "data_offsets": [0, 8]}},
            "not a valid safetensors file: .*unknown variant `O`",
        ),
        (
            {"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}},
            r"entry 'x' declares 8 bytes but shape \(3,\) of F32 needs 12",
        ),
        (
            {"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": 3},
            "not a valid safetensors file: .*integer `3`, expected a map",
        ),
        (
            {
                "x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                "__metadata__": {"autograd_core.structure": "{bad"},
            },
            "corrupt structure metadata",
        ),
        (
            {
                "x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                "__metadata__": {"autograd_core.structure": '{"__tensor__": "y"}'},
            },
            "tensor 'y' is listed but missing",
        ),
    ],
    ids=[
        "not json",
        "not utf-8",
        "json list",
        "entry not an object",
        "no offsets",
        "object dtype",
        "size mismatch",
        "metadata not an object",
        "bad structure",
        "missing tensor",
    ],
)
def test_corrupt_header_is_a_clear_error(path, header, message):
    _write_header(path, header, data=b"\0" * 8)
    with pytest.raises(ValueError, match=message):
        ag.load(path)


# ---- never unpickle ------------------------------------------------------------------------------


class _Trap:
    """Unpickling this creates a directory: proof that a loader ran pickle."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_a_pickle_file_is_refused_without_running_it(path, tmp_path):
    marker = tmp_path / "unpickled"
    path.write_bytes(pickle.dumps({"w": _Trap(marker)}))
    with pytest.raises(ValueError, match="is a pickle, not a safetensors file.*never unpickles"):
        ag.load(path)
    assert not marker.exists()


def test_an_object_npy_file_is_refused(path, tmp_path):
    marker = tmp_path / "unpickled"
    buffer = io.BytesIO()
    np.save(buffer, np.array([_Trap(marker)], dtype=object), allow_pickle=True)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="is a NumPy .npy file, not a safetensors file"):
        ag.load(path)
    assert not marker.exists()


def test_loading_never_calls_pickle(path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("load unpickled something")

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "Unpickler", forbidden)
    ag.save({"w": ag.ones(2), "meta": {"epoch": 1}}, path)
    assert ag.load(path)["meta"]["epoch"] == 1


# ---- map_location --------------------------------------------------------------------------------


def test_map_location_puts_tensors_on_the_device(path, device):
    ag.save({"w": ag.randn(2, 3), "n": ag.tensor([1, 2])}, path)
    loaded = ag.load(path, map_location=device)
    assert loaded["w"].device == ag.device(device) and loaded["n"].device == ag.device(device)
    np.testing.assert_array_equal(loaded["n"].cpu().numpy(), [1, 2])


def test_map_location_accepts_a_device_object(path):
    ag.save(ag.ones(2), path)
    assert ag.load(path, map_location=ag.device("cpu")).device == ag.device("cpu")


def test_tensors_saved_from_the_gpu_load_on_the_cpu(path, device):
    original = ag.randn(3, device=device)
    ag.save(original, path)
    loaded = ag.load(path, map_location="cpu")
    assert loaded.device == ag.device("cpu")
    np.testing.assert_array_equal(loaded.numpy(), original.cpu().numpy())


@pytest.mark.skipif(HAS_CUDA, reason="checks the message given when CUDA is missing")
def test_map_location_cuda_without_a_gpu_says_what_is_missing(path):
    ag.save(ag.ones(2), path)
    with pytest.raises(RuntimeError, match="device 'cuda' needs CuPy|sees no CUDA GPU"):
        ag.load(path, map_location="cuda")
