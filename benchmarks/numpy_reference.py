"""The benchmarks' reference: the same networks written by hand in NumPy (forward, backward,
SGD), the way a student would after the course. float32, im2col convolution."""

from __future__ import annotations

import numpy as np

F32 = np.float32


def _init(rng, fan_in, shape):
    bound = 1 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, shape).astype(F32)


def _softmax_xent_grad(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / F32(len(y))


class NumpyMLP:
    """784-256-128-10 ReLU MLP with softmax cross-entropy."""

    def __init__(self, x, y, lr=0.01):
        rng = np.random.default_rng(0)
        sizes = [x.shape[1], 256, 128, 10]
        self.w = [_init(rng, a, (a, b)) for a, b in zip(sizes, sizes[1:])]
        self.b = [np.zeros(b, F32) for b in sizes[1:]]
        self.x, self.y, self.lr = x, y, F32(lr)

    def step(self):
        acts = [self.x]
        for i, (w, b) in enumerate(zip(self.w, self.b)):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0) if i < len(self.w) - 1 else z)
        g = _softmax_xent_grad(acts[-1], self.y)
        for i in reversed(range(len(self.w))):
            gw, gb = acts[i].T @ g, g.sum(axis=0)
            if i:
                g = (g @ self.w[i].T) * (acts[i] > 0)
            self.w[i] -= self.lr * gw
            self.b[i] -= self.lr * gb


def im2col(x, k, pad):
    """(N, C, H, W) -> (N*OH*OW, C*k*k) by a strided window view and one copy."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, w = x.shape
    oh, ow = h - k + 1, w - k + 1
    s = x.strides
    windows = np.lib.stride_tricks.as_strided(
        x, (n, oh, ow, c, k, k), (s[0], s[2], s[3], s[1], s[2], s[3])
    )
    return windows.reshape(n * oh * ow, c * k * k), (n, c, h, w, oh, ow)


def col2im(cols, dims, k, pad):
    n, c, h, w, oh, ow = dims
    cols = cols.reshape(n, oh, ow, c, k, k)
    out = np.zeros((n, c, h, w), F32)
    for i in range(k):
        for j in range(k):
            out[:, :, i : i + oh, j : j + ow] += cols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return out[:, :, pad : h - pad, pad : w - pad] if pad else out


def conv2d_numpy(x, w):
    """Forward and backward of one convolution (gradient of the sum of its output)."""
    o, _, k, _ = w.shape
    cols, dims = im2col(x, k, 0)
    out = cols @ w.reshape(o, -1).T
    g = np.ones_like(out)
    grad_w = (g.T @ cols).reshape(w.shape)
    grad_x = col2im(g @ w.reshape(o, -1), dims, k, 0)
    return grad_x, grad_w


class NumpyLeNet:
    """conv5(6, pad 2)-relu-pool2, conv5(16)-relu-pool2, 400-120-84-10, by hand."""

    def __init__(self, x, y, lr=0.01):
        rng = np.random.default_rng(0)
        self.convs = [
            (_init(rng, 25, (6, 1, 5, 5)), np.zeros(6, F32), 2),
            (_init(rng, 150, (16, 6, 5, 5)), np.zeros(16, F32), 0),
        ]
        self.mlp = NumpyMLP.__new__(NumpyMLP)
        sizes = [400, 120, 84, 10]
        self.mlp.w = [_init(rng, a, (a, b)) for a, b in zip(sizes, sizes[1:])]
        self.mlp.b = [np.zeros(b, F32) for b in sizes[1:]]
        self.x, self.y, self.lr = x, y, F32(lr)

    def step(self):
        h, caches = self.x, []
        for w, b, pad in self.convs:
            o, _, k, _ = w.shape
            cols, dims = im2col(h, k, pad)
            z = (
                (cols @ w.reshape(o, -1).T + b)
                .reshape(dims[0], dims[4], dims[5], o)
                .transpose(0, 3, 1, 2)
            )
            a = np.maximum(z, 0)
            n, c, hh, ww = a.shape
            blocks = a.reshape(n, c, hh // 2, 2, ww // 2, 2)
            pooled = blocks.max(axis=(3, 5))
            mask = blocks == pooled[:, :, :, None, :, None]
            caches.append((cols, dims, z, mask))
            h = pooled
        flat = h.reshape(len(h), -1)
        self.mlp.x, self.mlp.y, self.mlp.lr = flat, self.y, self.lr
        acts = [flat]
        for i, (w, b) in enumerate(zip(self.mlp.w, self.mlp.b)):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0) if i < 2 else z)
        g = _softmax_xent_grad(acts[-1], self.y)
        for i in reversed(range(3)):
            gw, gb = acts[i].T @ g, g.sum(axis=0)
            g = g @ self.mlp.w[i].T
            if i:
                g = g * (acts[i] > 0)
            self.mlp.w[i] -= self.lr * gw
            self.mlp.b[i] -= self.lr * gb
        g = g.reshape(h.shape)
        for (w, b, pad), (cols, dims, z, mask) in zip(reversed(self.convs), reversed(caches)):
            o = w.shape[0]
            g = (mask * g[:, :, :, None, :, None]).reshape(z.shape) * (z > 0)
            g2 = g.transpose(0, 2, 3, 1).reshape(-1, o)
            gw, gb = (g2.T @ cols).reshape(w.shape), g2.sum(axis=0)
            g = col2im(g2 @ w.reshape(o, -1), dims, w.shape[2], pad)
            w -= self.lr * gw
            b -= self.lr * gb
