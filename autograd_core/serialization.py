"""`save` and `load`: tensors and nested dicts of them in the safetensors format, never pickle.

The `safetensors` package writes and checks the file (a JSON header of name -> dtype, shape,
byte range, then the raw little-endian bytes). Nested dicts are flattened to dotted names;
numbers, strings and lists that sit beside the tensors (an optimiser's step count, its param
groups) travel as JSON in the header's metadata, under "autograd_core.structure". NumPy arrays
are stored as tensors and load back as tensors. Nothing is ever pickled, modules included.
"""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import safetensors
import safetensors.numpy

from . import backend
from .checkpoint_files import (
    check_file_object,
    describe,
    is_path,
    read_checkpoint,
    write_checkpoint,
)
from .tensor import Tensor

# safetensors' dtype names for the NumPy dtypes a checkpoint can hold
_FORMAT_NAMES = {
    "float64": "F64",
    "float32": "F32",
    "float16": "F16",
    "int64": "I64",
    "int32": "I32",
    "int16": "I16",
    "int8": "I8",
    "uint64": "U64",
    "uint32": "U32",
    "uint16": "U16",
    "uint8": "U8",
    "bool": "BOOL",
    "complex64": "C64",
}
_LOADED_DTYPES = {code: np.dtype(name) for name, code in _FORMAT_NAMES.items()}
_LOADED_DTYPES["BF16"] = np.dtype("float32")  # NumPy has no bfloat16: widened, exactly
_STRUCTURE_KEY = "autograd_core.structure"
_MAX_HEADER = 100 * 1024 * 1024  # as safetensors: a larger header is a corrupt length
_MAX_DEPTH = 64  # nesting of dicts and lists in one checkpoint


def save(obj, f) -> None:
    """Write a tensor, or a (nested) dict / list of tensors and plain values, to `f`.

    `f` is a path or a binary file object (anything with `write`, seekable or not, such as
    `io.BytesIO` or `open(path, "wb")`). A path is replaced atomically: a reader, or a
    concurrent `save` to the same path, sees the old file or the new one whole. A file object
    gets the whole checkpoint in one write at its current position. NumPy arrays are stored as
    tensors (and load back as tensors). A whole module is refused: save `model.state_dict()`,
    since this library never pickles. A text-mode file object is a TypeError naming its mode;
    a dtype that safetensors cannot store (float128, complex128) is a ValueError naming it,
    and `f` is left as it was.
    """
    check_file_object(f, "save", "write")
    tensors: dict[str, np.ndarray] = {}
    structure = _encode(obj, "", tensors, depth=0)
    metadata = {_STRUCTURE_KEY: json.dumps(structure, separators=(",", ":"))}
    try:
        data = safetensors.numpy.save(tensors, metadata=metadata)
    except safetensors.SafetensorError as e:
        raise ValueError(
            f"save: safetensors refused the checkpoint for {describe(f)}: {e}"
        ) from None
    write_checkpoint(f, data)


def _host_array(array, name):
    if array.dtype.name not in _FORMAT_NAMES:
        raise ValueError(
            f"save: entry {name!r} has dtype {array.dtype.name}, which the safetensors format "
            f"cannot store (it stores {', '.join(_FORMAT_NAMES)}); convert it first, e.g. "
            "with .to(ag.float64)"
        )
    # safetensors reads raw memory: it needs contiguous little-endian bytes
    return array.astype(array.dtype.newbyteorder("<"), order="C", copy=False)


def _encode(obj, prefix, tensors, depth):
    """Replace tensors by references, collecting their host arrays under dotted names."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"save: {prefix!r} is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(obj, (Tensor, np.ndarray)):
        name = prefix or "tensor"
        if name in tensors:
            raise ValueError(f"save: two entries would be stored under the name {name!r}")
        if name == "__metadata__":
            raise ValueError("save: '__metadata__' is reserved by safetensors; rename the entry")
        if isinstance(obj, np.ma.MaskedArray):
            raise TypeError(f"save: entry {name!r} is a masked array; its mask would be lost")
        array = backend.to_numpy(obj.detach()._data) if isinstance(obj, Tensor) else obj
        tensors[name] = _host_array(array, name)
        return {"__tensor__": name}
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"save: dict keys must be str or int, got {type(key).__name__}")
            child = f"{prefix}.{key}" if prefix else str(key)
            out[str(key)] = _encode(value, child, tensors, depth + 1)
        key_types = {type(k).__name__ for k in obj}
        return {"__dict__": out, "__int_keys__": key_types == {"int"}}
    if isinstance(obj, (list, tuple)):
        return {
            "__list__": [
                _encode(v, f"{prefix}.{i}" if prefix else str(i), tensors, depth + 1)
                for i, v in enumerate(obj)
            ],
            "__tuple__": isinstance(obj, tuple),
        }
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"__value__": obj}
    if isinstance(obj, np.generic):
        return {"__value__": obj.item()}
    _refuse_stateful(obj, prefix)
    raise TypeError(
        f"save: can't store a {type(obj).__name__}; only tensors, dicts, lists, numbers and strings"
    )


def _refuse_stateful(obj, prefix):
    """A module or an optimiser would need pickle; say what to save instead. Duck-typed, as
    autograd_core does not import nn or optim."""
    if not callable(getattr(obj, "state_dict", None)):
        return
    kind = type(obj).__name__
    where = f"entry {prefix!r}" if prefix else "the object"
    if callable(getattr(obj, "parameters", None)):
        raise TypeError(
            f"save: {where} is a whole module ({kind}); PyTorch pickles modules, this library "
            "never pickles: save its weights with ag.save(model.state_dict(), f) and restore "
            "them into a new model with model.load_state_dict(ag.load(f))"
        )
    raise TypeError(
        f"save: {where} is a {kind} object, which only pickle could store: save its "
        "state_dict() instead and restore it with load_state_dict"
    )


def load(f, map_location=None, *, weights_only=None, mmap=None):
    """Read what `save` wrote (or any safetensors file, as a flat dict of tensors).

    `f` is a path or a binary file object (anything with `read`, seekable or not), read from
    its current position to its end. `map_location` ('cpu', 'cuda', ...) puts the tensors on
    that device. bfloat16 entries load as float32 (exactly). Loading never unpickles, so
    `weights_only=True` (PyTorch's safe mode) and `weights_only=False` behave alike: only
    tensors, dicts, lists, numbers and strings can come back. `mmap` is accepted for PyTorch's
    signature (it needs a path, as in PyTorch); the file is read whole either way.

    A truncated, corrupt or malformed file (overlapping byte ranges, duplicate names, trailing
    bytes, bad shapes) raises a ValueError naming the file.
    """
    for flag, value in (("weights_only", weights_only), ("mmap", mmap)):
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"load: {flag} must be True, False or None, got {value!r}")
    if mmap and not is_path(f):
        raise ValueError("load: f must be a file path in order to use the mmap argument")
    check_file_object(f, "load", "read")
    name = describe(f)
    blob = read_checkpoint(f)
    header_size = _check_length(name, blob)
    try:
        entries = safetensors.deserialize(blob)
    except safetensors.SafetensorError as e:
        raise ValueError(f"load: {name} {_explain(blob, header_size, e)}") from None
    header = _parse_header(name, blob[8 : 8 + header_size])
    arrays = {key: _to_array(name, key, entry) for key, entry in entries}
    device = backend.as_device(map_location) if map_location is not None else None
    tensors = {
        key: Tensor._wrap(array if device is None else backend.to_device(array, device))
        for key, array in arrays.items()
    }
    metadata = header.get("__metadata__") or {}
    if _STRUCTURE_KEY not in metadata:
        return tensors
    try:
        structure = json.loads(metadata[_STRUCTURE_KEY])
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"load: {name} has corrupt structure metadata: {exc}") from None
    return _decode(structure, tensors, name, depth=0)


def _check_length(name, blob) -> int:
    if len(blob) < 8:
        raise ValueError(f"load: {name} is too short to be a safetensors file ({len(blob)} bytes)")
    (header_size,) = struct.unpack("<Q", blob[:8])
    if header_size > min(_MAX_HEADER, len(blob) - 8):
        foreign = _foreign_format(blob)
        if foreign:
            raise ValueError(
                f"load: {name} is {foreign}, not a safetensors file; load reads only "
                "safetensors and never unpickles"
            )
        raise ValueError(
            f"load: {name} is truncated or not a safetensors file (header size {header_size})"
        )
    return header_size


def _foreign_format(blob) -> str | None:
    """Name the formats most often loaded by mistake, once the first 8 bytes have proved
    not to be a plausible safetensors header length."""
    if blob.startswith(b"\x93NUMPY"):
        return "a NumPy .npy file"
    if blob.startswith(b"PK\x03\x04"):
        return "a zip archive (torch.save or .npz)"
    if blob[:1] == b"\x80" and 2 <= blob[1] <= 5:
        return "a pickle"
    return None


def _explain(blob, header_size, error) -> str:
    """safetensors' reason, sharpened where the header shows which entry is at fault: a file
    cut short, bytes after the last tensor, a byte range that does not fit its shape."""
    reason = str(error).replace("Error while deserializing header: ", "")
    reason = f"is not a valid safetensors file: {reason.replace('Error while deserializing: ', '')}"
    try:
        return _sharpen(blob, header_size, reason)
    except (ValueError, TypeError, KeyError, RecursionError, AttributeError):
        return reason  # the header is too broken to say more than safetensors did


def _sharpen(blob, header_size, reason) -> str:
    header = json.loads(blob[8 : 8 + header_size])
    ends = []
    for key, info in header.items():
        if key == "__metadata__":
            continue
        code, shape = info["dtype"], tuple(int(n) for n in info["shape"])
        start, end = (int(o) for o in info["data_offsets"])
        itemsize = 2 if code == "BF16" else getattr(_LOADED_DTYPES.get(code), "itemsize", None)
        mismatch = itemsize is not None and end - start != math.prod(shape) * itemsize
        if mismatch and "invalid shape, data type, or offset" in reason:
            return (
                f"is not a valid safetensors file: entry {key!r} declares {end - start} bytes "
                f"but shape {shape} of {code} needs {math.prod(shape) * itemsize}"
            )
        ends.append((end, key))
    data_size = len(blob) - 8 - header_size
    end, key = max(ends, default=(0, None))
    if "not fully covered" in reason and end > data_size:
        return f"is truncated: entry {key!r} ends at byte {end} of {data_size}"
    if "not fully covered" in reason and end < data_size:
        return f"has {data_size - end} bytes after its last tensor, {reason}"
    return reason


def _parse_header(name, raw) -> dict:
    # safetensors has checked the header; it keeps the last of two equal names, we refuse
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"load: {name}: the header names {repeated[0]!r} twice")
        return dict(pairs)

    return json.loads(raw, object_pairs_hook=no_duplicates)


def _to_array(name, key, entry):
    code, shape, data = entry["dtype"], tuple(entry["shape"]), entry["data"]
    if code not in _LOADED_DTYPES:
        raise ValueError(
            f"load: {name}: entry {key!r} has dtype {code}, which autograd_core cannot hold "
            f"(it loads {', '.join(_LOADED_DTYPES)})"
        )
    if code == "BF16":
        # a bfloat16 is the top half of a float32
        bits = np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    dtype = _LOADED_DTYPES[code]
    # the bytearray from safetensors is this array's own writable memory
    array = np.frombuffer(data, dtype=dtype.newbyteorder("<")).reshape(shape)
    return array.astype(dtype, copy=False)


def _decode(node, tensors, name, depth):
    if depth > _MAX_DEPTH:
        raise ValueError(f"load: {name}: structure metadata nested more than {_MAX_DEPTH} deep")
    if not isinstance(node, dict):
        raise ValueError(f"load: {name}: unknown entry in the structure metadata")
    if "__tensor__" in node:
        key = node["__tensor__"]
        if not isinstance(key, str) or key not in tensors:
            raise ValueError(f"load: {name}: tensor {key!r} is listed but missing")
        return tensors[key]
    if isinstance(node.get("__dict__"), dict):
        items = {k: _decode(v, tensors, name, depth + 1) for k, v in node["__dict__"].items()}
        if node.get("__int_keys__"):
            try:
                items = {int(k): v for k, v in items.items()}
            except ValueError:
                raise ValueError(
                    f"load: {name}: a dict of int keys has a key that is not an int"
                ) from None
        return items
    if isinstance(node.get("__list__"), list):
        items = [_decode(v, tensors, name, depth + 1) for v in node["__list__"]]
        return tuple(items) if node.get("__tuple__") else items
    if "__value__" in node:
        return node["__value__"]
    raise ValueError(f"load: {name}: unknown entry in the structure metadata")
