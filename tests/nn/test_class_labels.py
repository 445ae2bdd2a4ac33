"""Class labels and embedding indices: every integer dtype is accepted, and a label or index
outside the table raises IndexError (as PyTorch) instead of reading -1 as the last entry. On a
GPU the error may come at the next read of a result, as CUDA's device-side asserts do, so the
device tests read each result back."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

INT_DTYPES = [ag.uint8, ag.int8, ag.int16, ag.int32, ag.int64]
LOGITS = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]


def _logits(device):
    return ag.tensor(LOGITS, device=device)


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
@pytest.mark.parametrize("label", [-1, 3, 200])
def test_label_outside_the_classes_raises(device, loss, label):
    target = ag.tensor([0, label], device=device)
    with pytest.raises(IndexError, match=f"Target {label} is out of bounds"):
        loss(_logits(device), target).item()


def test_label_check_covers_every_layout_and_option():
    x = _logits(None)
    with pytest.raises(IndexError, match="cross_entropy: Target -1 is out of bounds"):
        F.cross_entropy(x, ag.tensor([0, -1]), label_smoothing=0.1, reduction="none")
    with pytest.raises(IndexError, match="nll_loss: Target 3 is out of bounds"):
        F.nll_loss(x, ag.tensor([3, 0]), weight=ag.ones(3), reduction="sum")
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.cross_entropy(ag.randn(2, 3, 4), ag.tensor([[0, 1, 2, -1], [0, 0, 0, 0]]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.cross_entropy(ag.randn(3), ag.tensor(-1))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        nn.CrossEntropyLoss()(x, ag.tensor([-1, 0]))
    with pytest.raises(IndexError, match=r"multi_margin_loss: Target -1 is out of bounds"):
        F.multi_margin_loss(x, ag.tensor([0, -1]))


def test_minus_100_is_special_only_as_ignore_index():
    x = _logits(None)
    alone = F.cross_entropy(x[:1], ag.tensor([2]))
    # -100 is the default ignore_index: that sample is left out
    np.testing.assert_allclose(F.cross_entropy(x, ag.tensor([2, -100])).item(), alone.item())
    with pytest.raises(IndexError, match=r"Target -100 is out of bounds.*ignore_index \(0\)"):
        F.cross_entropy(x, ag.tensor([1, -100]), ignore_index=0)
    # whatever ignore_index is set to is ignored, in range or not
    for ignore in (-1, 5, 1):
        got = F.cross_entropy(x, ag.tensor([2, ignore]), ignore_index=ignore)
        np.testing.assert_allclose(got.item(), alone.item(), rtol=1e-6)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_labels_of_every_integer_dtype(device, dtype):
    x = _logits(device).requires_grad_()
    expected = F.cross_entropy(_logits(device), ag.tensor([2, 0], device=device)).item()
    target = ag.tensor([2, 0], dtype=dtype, device=device)
    loss = F.cross_entropy(x, target, weight=ag.ones(3, device=device), label_smoothing=0.1)
    loss.backward()
    assert np.isfinite(x.grad.cpu().numpy()).all()
    smoothed = F.cross_entropy(
        _logits(device), ag.tensor([2, 0], device=device), label_smoothing=0.1
    )
    np.testing.assert_allclose(loss.item(), smoothed.item(), rtol=1e-6)
    np.testing.assert_allclose(F.nll_loss(_logits(device), target).item(), -1.75, rtol=1e-6)
    np.testing.assert_allclose(F.cross_entropy(_logits(device), target).item(), expected)
    assert F.multi_margin_loss(_logits(device), target).item() >= 0.0


@pytest.mark.parametrize("index", [-1, 10, 300])
def test_embedding_index_outside_the_table_raises(device, index):
    emb = nn.Embedding(10, 3, device=device)
    with pytest.raises(IndexError, match=f"index {index} is out of range for num_embeddings 10"):
        emb(ag.tensor([[0, 1], [index, 2]], device=device)).cpu()
    with pytest.raises(IndexError, match=f"embedding: index {index}"):
        F.embedding(ag.tensor([index], device=device), emb.weight).cpu()


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_embedding_indices_of_every_integer_dtype(device, dtype):
    emb = nn.Embedding(300, 2, padding_idx=4, device=device)
    rows = [0, 4, 127] if dtype == ag.int8 else [0, 4, 255]
    out = emb(ag.tensor(rows, dtype=dtype, device=device))
    expected = emb.weight.detach().cpu().numpy()[rows]
    np.testing.assert_array_equal(out.detach().cpu().numpy(), expected)
    out.sum().backward()
    assert emb.weight.grad.cpu().numpy()[4].tolist() == [0.0, 0.0]  # the padding row


@pytest.mark.parametrize("dtype", [ag.int8, ag.int16, ag.int32])
def test_negative_embedding_index_of_a_small_dtype_raises(dtype):
    emb = nn.Embedding(10, 3)
    with pytest.raises(IndexError, match="index -1 is out of range for num_embeddings 10"):
        emb(ag.tensor([3, -1], dtype=dtype))
