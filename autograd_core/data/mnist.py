"""MNIST and Fashion-MNIST from IDX files (gzipped or not), checked against published MD5s."""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
from pathlib import Path

import numpy as np

from ..creation import from_numpy
from .dataset import Dataset

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path) -> bytes:
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as e:  # truncated or damaged gzip stream
        raise ValueError(f"read_idx: cannot decompress {path}: {e}") from e


def read_idx(path, expected_magic: int | None = None) -> np.ndarray:
    """Read an IDX file (2049: labels, 2051: images) into a NumPy array; never a partial one."""
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"read_idx: {path} is too short ({len(raw)} bytes) for an IDX header")
    magic = struct.unpack(">I", raw[:4])[0]
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(f"read_idx: bad magic number {magic} in {path}, expected {expected_magic}")
    if raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES or raw[3] == 0:
        raise ValueError(f"read_idx: bad magic number {magic} in {path}")
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:
        raise ValueError(f"read_idx: {path} is truncated inside its header of {ndim} dims")
    dims = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    body = raw[4 + 4 * ndim :]
    if len(body) != expected:
        kind = "truncated" if len(body) < expected else "has trailing bytes"
        raise ValueError(
            f"read_idx: {path} {kind}: dims {dims} need {expected} data bytes, got {len(body)}"
        )
    return np.frombuffer(body, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def _md5(path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_images_and_labels(name, images, labels, paths, n_classes):
    """One image per label, and every label a class in [0, n_classes): a bad file fails here,
    naming itself, not as an IndexError deep inside training. (The magic numbers already
    fixed the arrays' dtype, uint8, and dims: images (N, rows, cols), labels (N,).)"""
    images_path, labels_path = paths
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{name}: {images_path} holds {images.shape[0]} images but {labels_path} holds "
            f"{labels.shape[0]} labels"
        )
    outside = np.flatnonzero(labels >= n_classes)
    if outside.size:
        i = int(outside[0])
        raise ValueError(
            f"{name}: {labels_path} holds label {int(labels[i])} at index {i} "
            f"({outside.size} labels out of range); labels must be 0..{n_classes - 1}"
        )


class MNIST(Dataset):
    """The MNIST digits: `.data` uint8 (N, 28, 28), `.targets` int64 (N,)."""

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = {
        "train": [
            ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ],
        "test": [
            ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
    }
    classes = [str(i) for i in range(10)]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.root = Path(os.path.expanduser(str(root)))
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        if download:
            self.download()
        images, labels = self._load()
        self.data = from_numpy(images)
        self.targets = from_numpy(labels)

    @property
    def _files(self):
        return self.resources["train" if self.train else "test"]

    def _folders(self):
        # the files directly in root, or torchvision's root/<Name>/raw layout
        return [self.root, self.root / type(self).__name__ / "raw"]

    def _find(self, name):
        for folder in self._folders():
            for candidate in (folder / name, folder / name.removesuffix(".gz")):
                if candidate.is_file():
                    return candidate
        return None

    def _missing_message(self, missing):
        mirror = self.mirrors[0]
        return (
            f"{type(self).__name__}: dataset files not found: {', '.join(missing)}. "
            f"Download them (e.g. from {mirror}) and put them into the folder {self.root}"
        )

    def _load(self):
        paths, missing = [], []
        for name, md5 in self._files:
            path = self._find(name)
            if path is None:
                missing.append(name)
                continue
            # checksums are for the .gz files; an unpacked copy is trusted as it is
            if path.name == name and _md5(path) != md5:
                raise RuntimeError(
                    f"{type(self).__name__}: MD5 mismatch for {path}: expected {md5}, "
                    f"got {_md5(path)}; the file is corrupt or not the published one, "
                    f"delete it and download it again"
                )
            paths.append(path)
        if missing:
            raise RuntimeError(self._missing_message(missing))
        images = read_idx(paths[0], 2051)
        labels = read_idx(paths[1], 2049)
        _check_images_and_labels(type(self).__name__, images, labels, paths, len(self.classes))
        return images, labels.astype(np.int64)

    def download(self):
        """Fetch missing files from the mirrors; on failure, say which files go where."""
        import urllib.request

        self.root.mkdir(parents=True, exist_ok=True)
        missing = []
        for name, md5 in self._files:
            if self._find(name) is not None:
                continue
            for mirror in self.mirrors:
                target = self.root / name
                try:
                    with urllib.request.urlopen(mirror + name, timeout=30) as r:
                        payload = r.read()
                except Exception:
                    continue
                if hashlib.md5(payload).hexdigest() == md5:
                    tmp = target.with_suffix(".part")
                    tmp.write_bytes(payload)
                    tmp.replace(target)
                    break
            else:
                missing.append(name)
        if missing:
            raise RuntimeError("download failed; " + self._missing_message(missing))

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        img, target = self.data._data[index], int(self.targets._data[index])
        if hasattr(img, "get"):
            img = img.get()
        img = np.asarray(img)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: same format and sizes as MNIST, ten kinds of clothing."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = {
        "train": [
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ],
        "test": [
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
    }
    classes = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]


def load_mnist_arrays(root, train=True):
    """MNIST as NumPy arrays: images uint8 (N, 28, 28) and labels int64 (N,)."""
    ds = MNIST.__new__(MNIST)
    ds.root, ds.train = Path(os.path.expanduser(str(root))), train
    return ds._load()
