"""Checkpoints and the `safetensors` package: files it writes load here (bfloat16 included),
ours load there, and malformed files are a ValueError naming the file."""

import json
import re
import struct

import numpy as np
import pytest
import safetensors
import safetensors.numpy

import autograd_core as ag

INTEGERS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
DTYPES = ["float16", "float32", "float64", "bool", "complex64", *INTEGERS]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "weights.safetensors"


def _sample(dtype, shape=(2, 3)):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = [info.min, info.min + 1, 0, 1, info.max - 1, info.max]
        return np.array(values, dtype=dtype).reshape(shape)
    if dtype.kind == "b":
        return (np.arange(6) % 2 == 0).reshape(shape)
    if dtype.kind == "c":
        return (np.arange(6) - 2.5j).astype(dtype).reshape(shape)
    return (np.arange(6) / 7 - 0.25).astype(dtype).reshape(shape)


def _file_error(path):
    return pytest.raises(ValueError, match=f"^load: {re.escape(str(path))}[: ]")


# ---- files written by the safetensors package ----------------------------------------------------


def test_files_from_the_numpy_api_load(path):
    arrays = {name: _sample(name) for name in DTYPES}
    arrays["scalar"] = np.array(2.5)
    arrays["empty"] = np.zeros((0, 4), dtype=np.float32)
    safetensors.numpy.save_file(arrays, str(path), metadata={"format": "np"})
    loaded = ag.load(path)
    assert set(loaded) == set(arrays)
    for name, array in arrays.items():
        assert loaded[name].dtype == array.dtype, name
        assert loaded[name].shape == array.shape, name
        np.testing.assert_array_equal(loaded[name].numpy(), array)


def test_uint_extremes_survive_both_ways(path):
    values = {
        "u16": np.array([0, 1, 2**16 - 1], dtype=np.uint16),
        "u32": np.array([0, 1, 2**32 - 1], dtype=np.uint32),
        "u64": np.array([0, 1, 2**64 - 1], dtype=np.uint64),
    }
    ag.save({k: ag.from_numpy(v) for k, v in values.items()}, path)
    for reader in (ag.load, lambda p: safetensors.numpy.load(p.read_bytes())):
        read = reader(path)
        for key, array in values.items():
            got = read[key].numpy() if isinstance(read[key], ag.Tensor) else read[key]
            assert got.dtype == array.dtype
            assert got.tolist() == array.tolist()


# bfloat16 bit patterns and the float32 each one is exactly
BF16 = {
    0x3FC0: 1.5,
    0xC010: -2.25,
    0x4049: 3.140625,
    0x7F80: np.inf,
    0xFF80: -np.inf,
    0x0001: 2.0**-133,  # the smallest subnormal
    0x8000: -0.0,
}


def test_bfloat16_from_ml_dtypes_loads_as_float32(path):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    bits = np.array(list(BF16), dtype=np.uint16).reshape(7, 1)
    safetensors.numpy.save_file({"w": bits.view(ml_dtypes.bfloat16)}, str(path))
    loaded = ag.load(path)["w"]
    assert loaded.dtype == ag.float32 and loaded.shape == (7, 1)
    expected = np.array(list(BF16.values()), dtype=np.float32).reshape(7, 1)
    np.testing.assert_array_equal(loaded.numpy(), expected)
    assert np.signbit(loaded.numpy()[6, 0])


def test_bfloat16_header_written_by_hand_loads_as_float32(path):
    bits = np.array(list(BF16), dtype="<u2")
    header = {"w": {"dtype": "BF16", "shape": [7], "data_offsets": [0, 14]}}
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + bits.tobytes())
    np.testing.assert_array_equal(
        ag.load(path)["w"].numpy(), np.array(list(BF16.values()), dtype=np.float32)
    )


def test_a_dtype_we_cannot_hold_is_named(path):
    header = {"w": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}}
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0\0")
    with pytest.raises(ValueError, match="entry 'w' has dtype F8_E4M3, which autograd_core cannot"):
        ag.load(path)


# ---- our files read by the safetensors package ---------------------------------------------------


def test_our_checkpoints_load_with_the_numpy_api(path):
    nested = {
        "model": {name: ag.from_numpy(_sample(name)) for name in DTYPES},
        "step": 12,
        "groups": [{"lr": 0.1, "params": [0, 1]}],
        "view": ag.arange(12, dtype=ag.float64).reshape(3, 4).T,
    }
    ag.save(nested, path)
    read = safetensors.numpy.load(path.read_bytes())
    assert set(read) == {f"model.{name}" for name in DTYPES} | {"view"}
    for name in DTYPES:
        assert read[f"model.{name}"].dtype == np.dtype(name)
        np.testing.assert_array_equal(read[f"model.{name}"], _sample(name))
    np.testing.assert_array_equal(read["view"], np.arange(12.0).reshape(3, 4).T)
    with safetensors.safe_open(str(path), framework="np") as f:
        structure = json.loads(f.metadata()["autograd_core.structure"])
    assert structure["__dict__"]["step"] == {"__value__": 12}


@pytest.mark.parametrize("dtype", ["complex128", "longdouble"])
def test_save_of_a_dtype_the_format_lacks_names_it(path, dtype):
    if np.dtype(dtype).name not in ("complex128", "float128"):
        pytest.skip(f"{dtype} is {np.dtype(dtype).name} on this platform")
    ag.save({"w": ag.ones(2)}, path)
    before = path.read_bytes()
    odd = ag.from_numpy(np.zeros(3, dtype=dtype))
    name = np.dtype(dtype).name
    with pytest.raises(ValueError, match=f"entry 'layer.odd' has dtype {name}, which the safe"):
        ag.save({"layer": {"odd": odd}}, path)
    assert path.read_bytes() == before


def test_save_refuses_nesting_deeper_than_it_loads(path):
    deep = ag.ones(1)
    for _ in range(100):
        deep = {"x": deep}
    with pytest.raises(ValueError, match="nested more than 64 levels deep"):
        ag.save(deep, path)
    assert not path.exists()


# ---- malformed files -----------------------------------------------------------------------------


def _write(path, header, data=b""):
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)


F32x2 = {"dtype": "F32", "shape": [2]}


@pytest.mark.parametrize(
    "header, data, message",
    [
        (
            {"a": {**F32x2, "data_offsets": [0, 8]}, "b": {**F32x2, "data_offsets": [4, 12]}},
            b"\0" * 12,
            "invalid offset for tensor `b`",
        ),
        (
            {"a": {**F32x2, "data_offsets": [0, 8]}, "b": {**F32x2, "data_offsets": [12, 20]}},
            b"\0" * 20,
            "invalid offset for tensor `b`",
        ),
        (
            b'{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},'
            b' "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}',
            b"\0" * 8,
            "the header names 'a' twice",
        ),
        (
            {"a": {**F32x2, "data_offsets": [0, 8]}},
            b"\0" * 12,
            "has 4 bytes after its last tensor",
        ),
        (
            {"a": {**F32x2, "data_offsets": [0, 8]}},
            b"\0" * 4,
            "is truncated: entry 'a' ends at byte 8 of 4",
        ),
        (
            {"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}},
            b"\0" * 8,
            "integer `-2`",
        ),
        (
            {"a": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}},
            b"\0" * 8,
            "floating point `2.5`",
        ),
        (
            {"a": {"dtype": "F32", "shape": [2**62, 8], "data_offsets": [0, 8]}},
            b"\0" * 8,
            "overflow",
        ),
        (
            {"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}},
            b"\0" * 8,
            r"entry 'a' declares 8 bytes but shape \(3,\) of F32 needs 12",
        ),
        (b"[" * 100_000 + b"]" * 100_000, b"", "not a valid safetensors file"),
        (
            b'{"a": {"dtype": "F32", "shape": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
            b"",
            "not a valid safetensors file",
        ),
        (
            b'{"__metadata__": {"k": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
            b"",
            "not a valid safetensors file",
        ),
    ],
    ids=[
        "overlapping offsets",
        "gap between tensors",
        "duplicate names",
        "trailing bytes",
        "truncated data",
        "negative size",
        "fractional size",
        "size overflow",
        "shape and bytes disagree",
        "deeply nested header",
        "deeply nested shape",
        "deeply nested metadata",
    ],
)
def test_a_malformed_file_is_a_value_error_naming_it(path, header, data, message):
    _write(path, header, data)
    with _file_error(path) as info:
        ag.load(path)
    assert re.search(message, str(info.value)), str(info.value)


def _with_structure(path, structure):
    metadata = {"autograd_core.structure": structure}
    path.write_bytes(safetensors.numpy.save({"x": np.ones(2, np.float32)}, metadata=metadata))


def test_deeply_nested_structure_metadata_is_a_value_error(path):
    _with_structure(path, '{"__list__": [' * 100_000 + "]}" * 100_000)
    with pytest.raises(ValueError, match="corrupt structure metadata"):
        ag.load(path)
    deep = '{"__tensor__": "x"}'
    for _ in range(70):
        deep = '{"__list__": [' + deep + "]}"
    _with_structure(path, deep)
    with pytest.raises(ValueError, match="structure metadata nested more than 64 deep"):
        ag.load(path)


@pytest.mark.parametrize(
    "structure, message",
    [
        ('{"__tensor__": ["x"]}', r"tensor \['x'\] is listed but missing"),
        ('{"__dict__": [1]}', "unknown entry in the structure metadata"),
        ('{"__dict__": {"a": {"__value__": 1}}, "__int_keys__": true}', "key that is not an int"),
        ("[1, 2]", "unknown entry in the structure metadata"),
    ],
    ids=["tensor name not a string", "dict not an object", "int keys", "not an object"],
)
def test_malformed_structure_metadata_is_a_value_error(path, structure, message):
    _with_structure(path, structure)
    with pytest.raises(ValueError, match=message):
        ag.load(path)
