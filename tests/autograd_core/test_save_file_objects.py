"""`ag.save` / `ag.load` with file objects, NumPy arrays, `weights_only` / `mmap`, and the
refusal of whole modules (PyTorch pickles them; this library never pickles)."""

import io

import numpy as np
import pytest

import autograd_core as ag
import nn
import optim


@pytest.fixture
def path(tmp_path):
    return tmp_path / "checkpoint.safetensors"


def _state():
    ag.manual_seed(0)
    return {"model": nn.Linear(3, 2).state_dict(), "epoch": 4, "sizes": (3, 2)}


def _assert_same_state(loaded, original):
    assert loaded["epoch"] == original["epoch"] and loaded["sizes"] == original["sizes"]
    assert loaded["model"].keys() == original["model"].keys()
    for key, tensor in original["model"].items():
        assert loaded["model"][key].dtype == tensor.dtype
        np.testing.assert_array_equal(loaded["model"][key].numpy(), tensor.detach().numpy())


class _WriteOnly:
    """A pipe-like sink: write() only, not seekable; takes at most `chunk` bytes per call,
    as a raw (unbuffered) file may."""

    def __init__(self, chunk=None):
        self.chunk, self.data, self.calls = chunk, bytearray(), 0

    def write(self, b):
        self.calls += 1
        taken = bytes(b)[: self.chunk] if self.chunk else bytes(b)
        self.data += taken
        return len(taken)

    def seekable(self):
        return False


class _ReadOnly:
    def __init__(self, data):
        self._data = data

    def read(self):
        data, self._data = self._data, b""
        return data


# ---- file objects ------------------------------------------------------------------------------


def test_bytesio_round_trip_holds_the_same_bytes_as_a_file(path):
    state = _state()
    buffer = io.BytesIO()
    ag.save(state, buffer)
    ag.save(state, path)
    assert buffer.getvalue() == path.read_bytes()
    buffer.seek(0)
    _assert_same_state(ag.load(buffer), state)


def test_open_binary_files_work_both_ways(path):
    state = _state()
    with open(path, "wb") as f:
        ag.save(state, f)
    with open(path, "rb") as f:
        _assert_same_state(ag.load(f), state)
    _assert_same_state(ag.load(str(path)), state)


def test_save_writes_at_the_current_position_and_load_reads_from_it():
    buffer = io.BytesIO()
    buffer.write(b"HEADER")
    ag.save({"w": ag.arange(4)}, buffer)
    buffer.seek(len(b"HEADER"))
    assert ag.load(buffer)["w"].tolist() == [0, 1, 2, 3]


def test_a_non_seekable_sink_gets_the_checkpoint_in_one_write():
    sink = _WriteOnly()
    ag.save({"w": ag.ones(3)}, sink)
    assert sink.calls == 1
    np.testing.assert_array_equal(ag.load(io.BytesIO(bytes(sink.data)))["w"].numpy(), [1, 1, 1])


def test_short_writes_are_continued_until_every_byte_is_written():
    expected = io.BytesIO()
    ag.save({"w": ag.arange(10)}, expected)
    sink = _WriteOnly(chunk=7)
    ag.save({"w": ag.arange(10)}, sink)
    assert bytes(sink.data) == expected.getvalue()
    assert sink.calls == -(-len(sink.data) // 7)


def test_a_non_seekable_source_loads():
    buffer = io.BytesIO()
    ag.save({"w": ag.tensor([1.5, -2.0])}, buffer)
    loaded = ag.load(_ReadOnly(buffer.getvalue()))
    np.testing.assert_array_equal(loaded["w"].numpy(), np.array([1.5, -2.0], dtype=np.float32))


def test_text_mode_file_objects_are_a_type_error_naming_the_mode(path):
    with open(path, "w") as f:
        with pytest.raises(TypeError, match=r"save: .* is open in text mode \(mode 'w'\)"):
            ag.save({"w": ag.ones(2)}, f)
    with pytest.raises(TypeError, match=r"save: <StringIO> is open in text mode \(a StringIO\)"):
        ag.save({"w": ag.ones(2)}, io.StringIO())
    ag.save({"w": ag.ones(2)}, path)
    with open(path) as f:
        with pytest.raises(TypeError, match=r"load: .* is open in text mode \(mode 'r'\)"):
            ag.load(f)


def test_a_reader_that_returns_text_is_a_type_error():
    with pytest.raises(TypeError, match="load: <_ReadOnly> returned text from read"):
        ag.load(_ReadOnly("not bytes"))


def test_something_that_is_neither_a_path_nor_a_file_is_a_type_error():
    with pytest.raises(TypeError, match="save: f must be a path or a binary file object"):
        ag.save(ag.ones(1), 3)
    with pytest.raises(TypeError, match=r"load: f must be a path .* with read\(\), got list"):
        ag.load([b"bytes"])
    with pytest.raises(
        TypeError, match=r"load: f must be a path .*, got bytes \(wrap bytes in io.BytesIO\)"
    ):
        ag.load(b"the checkpoint's bytes are not a file: wrap them in io.BytesIO")


def test_errors_name_the_file_object():
    with pytest.raises(ValueError, match=r"load: <BytesIO> is too short .* \(3 bytes\)"):
        ag.load(io.BytesIO(b"abc"))


def test_a_refused_save_writes_nothing_to_a_file_object():
    buffer = io.BytesIO()
    with pytest.raises(ValueError, match="complex128"):
        ag.save({"z": np.ones(2, dtype=np.complex128)}, buffer)
    assert buffer.getvalue() == b""


# ---- NumPy arrays are stored as tensors -------------------------------------------------------


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.int16).reshape(2, 3),
        np.linspace(-1, 1, 5, dtype=np.float32),
        np.array([True, False]),
        np.array(2.5),
        np.arange(12.0).reshape(3, 4)[:, ::2],  # not contiguous
        np.arange(4, dtype=">f8"),  # big-endian
    ],
    ids=["int16", "float32", "bool", "0-d", "strided", "big-endian"],
)
def test_numpy_arrays_load_back_as_tensors(array, path):
    ag.save({"array": array, "nested": [array]}, path)
    loaded = ag.load(path)
    for tensor in (loaded["array"], loaded["nested"][0]):
        assert isinstance(tensor, ag.Tensor)
        assert tensor.shape == array.shape and tensor.dtype == array.dtype.newbyteorder("=")
        np.testing.assert_array_equal(tensor.numpy(), array)


def test_a_bare_numpy_array_round_trips(path):
    ag.save(np.arange(3), path)
    assert ag.load(path).tolist() == [0, 1, 2]


def test_object_and_masked_arrays_are_refused(path):
    with pytest.raises(ValueError, match="entry 'o' has dtype object"):
        ag.save({"o": np.array([1, "a"], dtype=object)}, path)
    with pytest.raises(TypeError, match="entry 'm' is a masked array"):
        ag.save({"m": np.ma.masked_array([1, 2], mask=[0, 1])}, path)
    assert not path.exists()


# ---- weights_only and mmap --------------------------------------------------------------------


@pytest.mark.parametrize("weights_only", [None, True, False])
def test_weights_only_is_accepted_and_changes_nothing(weights_only, path):
    state = _state()
    ag.save(state, path)
    _assert_same_state(ag.load(path, weights_only=weights_only), state)
    _assert_same_state(ag.load(path, map_location="cpu", weights_only=weights_only), state)


def test_mmap_is_accepted_for_a_path_and_refused_for_a_file_object(path):
    ag.save({"w": ag.ones(2)}, path)
    assert ag.load(path, mmap=True)["w"].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="f must be a file path in order to use the mmap"):
        ag.load(io.BytesIO(path.read_bytes()), mmap=True)
    assert ag.load(io.BytesIO(path.read_bytes()), mmap=False)["w"].tolist() == [1.0, 1.0]


def test_weights_only_and_mmap_must_be_bools(path):
    ag.save(ag.ones(1), path)
    with pytest.raises(TypeError, match="load: weights_only must be True, False or None, got 'y'"):
        ag.load(path, weights_only="y")
    with pytest.raises(TypeError, match="load: mmap must be True, False or None, got 1"):
        ag.load(path, mmap=1)
    with pytest.raises(TypeError):
        ag.load(path, None, True)  # keywords only, as in PyTorch


# ---- whole modules are refused ----------------------------------------------------------------


def test_saving_a_whole_module_says_to_save_its_state_dict(path):
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    with pytest.raises(TypeError, match=r"whole module \(Sequential\).*model\.state_dict\(\)"):
        ag.save(model, path)
    with pytest.raises(TypeError, match=r"entry 'net' is a whole module \(Linear\)"):
        ag.save({"net": nn.Linear(2, 2), "epoch": 1}, path)
    assert not path.exists()
    buffer = io.BytesIO()
    with pytest.raises(TypeError, match="never pickles"):
        ag.save(model, buffer)
    assert buffer.getvalue() == b""


def test_modules_are_recognised_by_duck_typing(path):
    class Model:  # not an nn.Module: autograd_core cannot know nn
        def state_dict(self):
            return {}

        def parameters(self):
            return iter(())

    with pytest.raises(TypeError, match=r"whole module \(Model\)"):
        ag.save(Model(), path)


def test_saving_an_optimizer_says_to_save_its_state_dict(path):
    optimizer = optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"the object is a SGD object.*save its state_dict\(\)"):
        ag.save(optimizer, path)
