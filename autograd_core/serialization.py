"""`save` and `load`: tensors and nested dicts of them in the safetensors format, never pickle.

A file holds a JSON header (name -> dtype, shape, byte range) and the raw little-endian
bytes. Nested dicts are flattened to dotted names; numbers, strings and lists that sit beside
the tensors (an optimiser's step count, its param groups) travel in the header's metadata.
"""

from __future__ import annotations

import json
import os
import struct

import numpy as np

from . import backend
from .atomic import write_atomically
from .tensor import Tensor

_DTYPE_NAMES = {
    "float64": "F64",
    "float32": "F32",
    "float16": "F16",
    "int64": "I64",
    "int32": "I32",
    "int16": "I16",
    "int8": "I8",
    "uint8": "U8",
    "bool": "BOOL",
}
_DTYPES = {v: np.dtype(k) for k, v in _DTYPE_NAMES.items()}
_STRUCTURE_KEY = "autograd_core.structure"
_MAX_HEADER = 100 * 1024 * 1024


def save(obj, path) -> None:
    """Write a tensor, or a (nested) dict / list of tensors and plain values, to `path`."""
    tensors: dict[str, np.ndarray] = {}
    structure = _encode(obj, "", tensors)
    header: dict = {}
    offset = 0
    for name, array in tensors.items():
        size = array.nbytes
        header[name] = {
            "dtype": _DTYPE_NAMES[array.dtype.name],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + size],
        }
        offset += size
    header["__metadata__"] = {_STRUCTURE_KEY: json.dumps(structure)}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)  # safetensors aligns the data to 8 bytes

    def write(f):
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for array in tensors.values():
            f.write(
                np.ascontiguousarray(array)
                .astype(array.dtype.newbyteorder("<"), copy=False)
                .tobytes()
            )

    write_atomically(path, write)


def _encode(obj, prefix, tensors):
    """Replace tensors by references, collecting their host arrays under dotted names."""
    if isinstance(obj, Tensor):
        name = prefix or "tensor"
        if name in tensors:
            raise ValueError(f"save: two entries would be stored under the name {name!r}")
        if name == "__metadata__":
            raise ValueError("save: '__metadata__' is reserved by safetensors; rename the entry")
        tensors[name] = backend.to_numpy(obj.detach()._data)
        return {"__tensor__": name}
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, (str, int)):
                raise TypeError(f"save: dict keys must be str or int, got {type(key).__name__}")
            child = f"{prefix}.{key}" if prefix else str(key)
            out[str(key)] = _encode(value, child, tensors)
        key_types = {type(k).__name__ for k in obj}
        return {"__dict__": out, "__int_keys__": key_types == {"int"}}
    if isinstance(obj, (list, tuple)):
        return {
            "__list__": [
                _encode(v, f"{prefix}.{i}" if prefix else str(i), tensors)
                for i, v in enumerate(obj)
            ],
            "__tuple__": isinstance(obj, tuple),
        }
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"__value__": obj}
    if isinstance(obj, np.generic):
        return {"__value__": obj.item()}
    raise TypeError(
        f"save: can't store a {type(obj).__name__}; only tensors, dicts, lists, numbers and strings"
    )


def load(path, map_location=None):
    """Read what `save` wrote (or any safetensors file, as a flat dict of tensors).

    `map_location` ('cpu', 'cuda', ...) puts the tensors on that device. A truncated or
    corrupt file raises ValueError saying what is wrong.
    """
    with open(path, "rb") as f:
        blob = f.read()
    name = os.fspath(path)
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
    try:
        header = json.loads(blob[8 : 8 + header_size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"load: {name} has a corrupt header: {exc}") from None
    if not isinstance(header, dict):
        raise ValueError(
            f"load: {name} has a corrupt header: expected a JSON object, got "
            f"{type(header).__name__}"
        )
    data = memoryview(blob)[8 + header_size :]
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise ValueError(f"load: {name} has a corrupt header: __metadata__ is not an object")
    arrays = {}
    for key, info in header.items():
        arrays[key] = _read_array(name, key, info, data)
    device = backend.as_device(map_location) if map_location is not None else None
    tensors = {
        key: Tensor._wrap(array if device is None else backend.to_device(array, device))
        for key, array in arrays.items()
    }
    if _STRUCTURE_KEY in metadata:
        try:
            structure = json.loads(metadata[_STRUCTURE_KEY])
        except (TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"load: {name} has corrupt structure metadata: {exc}") from None
        return _decode(structure, tensors, name)
    return tensors


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


def _read_array(name, key, info, data):
    try:
        dtype_name = info["dtype"]
        shape = tuple(int(s) for s in info["shape"])
        start, end = (int(v) for v in info["data_offsets"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"load: {name}: entry {key!r} has a malformed header") from None
    if not isinstance(dtype_name, str) or dtype_name not in _DTYPES:
        raise ValueError(
            f"load: {name}: entry {key!r} has unsupported dtype {dtype_name!r} "
            f"(supported: {', '.join(_DTYPES)})"
        )
    dtype = _DTYPES[dtype_name]
    if any(s < 0 for s in shape):
        raise ValueError(f"load: {name}: entry {key!r} has a negative size in shape {shape}")
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if end - start != expected or start < 0:
        raise ValueError(
            f"load: {name}: entry {key!r} declares {end - start} bytes but shape {shape} of "
            f"{dtype} needs {expected}"
        )
    if end > len(data):
        raise ValueError(
            f"load: {name} is truncated: entry {key!r} ends at byte {end} of {len(data)}"
        )
    little = dtype.newbyteorder("<")
    return np.frombuffer(data[start:end], dtype=little).astype(dtype).reshape(shape)


def _decode(node, tensors, name):
    if not isinstance(node, dict):
        raise ValueError(f"load: {name}: unknown entry in the structure metadata")
    if "__tensor__" in node:
        key = node["__tensor__"]
        if key not in tensors:
            raise ValueError(f"load: {name}: tensor {key!r} is listed but missing")
        return tensors[key]
    if "__dict__" in node:
        items = {k: _decode(v, tensors, name) for k, v in node["__dict__"].items()}
        if node.get("__int_keys__"):
            items = {int(k): v for k, v in items.items()}
        return items
    if "__list__" in node:
        items = [_decode(v, tensors, name) for v in node["__list__"]]
        return tuple(items) if node.get("__tuple__") else items
    if "__value__" in node:
        return node["__value__"]
    raise ValueError(f"load: {name}: unknown entry in the structure metadata")
