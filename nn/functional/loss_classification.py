"""Classification losses: binary (`F.binary_cross_entropy`, `..._with_logits`), over class labels
or probabilities (`F.nll_loss`, `F.cross_entropy`, `F.kl_div`) and margin-based
(`F.soft_margin_loss`, `F.multilabel_soft_margin_loss`, `F.multi_margin_loss`), with reduction
'mean'/'sum'/'none'."""

import autograd_core as ag
from autograd_core import Tensor

from .loss_reduction import _reduce, _same_shape


def _weighted_mean(loss, total):
    """loss.sum() / total; when every target is ignored (total 0) the loss is nan, as in
    PyTorch, but the gradient is zero rather than 0/0 = nan, so a fully padded batch does not
    poison the weights."""
    safe = ag.where(total > 0, total, 1.0)
    return ag.where(total > 0, loss.sum() / safe, float("nan"))


def _clamped_logs(p):
    """max(log p, -100) and max(log(1 - p), -100), PyTorch's clamps; p = 0 and p = 1 give
    -100 without taking log(0), so no divide-by-zero warning either."""
    above_zero, below_one = p > 0, p < 1
    log_p = ag.clamp(ag.log(ag.where(above_zero, p, 1.0)), min=-100.0)
    log_q = ag.clamp(ag.log1p(-ag.where(below_one, p, 0.0)), min=-100.0)
    return ag.where(above_zero, log_p, -100.0), ag.where(below_one, log_q, -100.0)


class _BinaryCrossEntropy(ag.Function):
    """-(y log p + (1 - y) log(1 - p)) per element, logs clamped at -100. The gradient is not
    the clamp's (1/p times 0 is nan at p = 0) but PyTorch's (p - y) / max(p (1 - p), 1e-12):
    finite at p = 0 and p = 1, about +-1e12 where the prediction is confidently wrong, so a
    saturated sigmoid does not turn the weights to nan. d/dy is log(1 - p) - log(p) with the
    clamped logs (PyTorch's is unclamped: +-inf at p = 0 or 1)."""

    op_name = "binary_cross_entropy"  # the name the tape and graph drawings show

    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        log_p, log_q = _clamped_logs(input)
        return -(target * log_p + (1.0 - target) * log_q)

    @staticmethod
    def backward(ctx, grad_out):
        input, target = ctx.saved_tensors
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            spread = ag.clamp(input * (1.0 - input), min=1e-12)
            grad_input = grad_out * (input - target) / spread
        if ctx.needs_input_grad[1]:
            log_p, log_q = _clamped_logs(input)
            grad_target = grad_out * (log_q - log_p)
        return grad_input, grad_target


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(w (y log p + (1-y) log(1-p))), logs clamped at -100 and the gradient
    (p - y) / max(p (1 - p), 1e-12) as PyTorch, finite at p = 0 and p = 1."""
    _same_shape(input, target, "binary_cross_entropy")
    loss = _BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Stable for large logits: max(x, 0) - x y + log1p(exp(-|x|))."""
    _same_shape(input, target, "binary_cross_entropy_with_logits")
    # log(1 + exp(-x)); maximum splits its gradient at x = 0, so d/dx = sigmoid(x) - y there too
    softplus_neg = ag.log1p(ag.exp(-ag.abs(input))) + ag.maximum(-input, 0.0)
    if pos_weight is None:
        loss = (1.0 - target) * input + softplus_neg
    else:
        loss = (1.0 - target) * input + (1.0 + (pos_weight - 1.0) * target) * softplus_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


def _classes_last(input, target, op):
    """(N, C, d1, ...) -> (N*d1*..., C); a 1-D input is one sample."""
    if input.ndim == 1:
        return input.unsqueeze(0), (None if target is None else target.unsqueeze(0))
    if input.ndim == 2:
        return input, target
    if input.ndim < 1:
        raise ValueError(f"{op}: expected input of shape (N, C, ...), got {tuple(input.shape)}")
    dims = (0,) + tuple(range(2, input.ndim)) + (1,)
    flat = input.permute(*dims).reshape(-1, input.shape[1])
    if target is not None:
        if target.dtype.kind == "f":
            target = target.permute(*dims).reshape(-1, input.shape[1])
        else:
            target = target.reshape(-1)
    return flat, target


def _class_indices(target, op):
    """Integer class labels of any integer dtype as int64, so that comparing them with
    ignore_index (-100) cannot overflow a uint8."""
    if not isinstance(target, Tensor) or target.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must be an integer tensor of class indices")
    return target if target.dtype == ag.int64 else target.long()


def _check_targets(tgt, n_classes, op, ignore_index=None, valid=None):
    """Every label (but those equal to ignore_index, where `valid` is False) must be a class
    in [0, C), as PyTorch checks: gather would read -1 as the last class. One reduction on
    the labels' device; on a GPU its answer is read with the next copy to the host, so the
    training step does not wait for it (ag.assert_async)."""
    outside = (tgt < 0) | (tgt >= n_classes)
    if valid is not None:
        outside = outside & valid

    def error():  # the failing label is fetched only to name it
        value = tgt[outside].reshape(-1)[0].item()
        allowed = "" if ignore_index is None else f" or equal ignore_index ({ignore_index})"
        return IndexError(
            f"{op}: Target {value} is out of bounds: class indices must be in "
            f"[0, {n_classes}){allowed}"
        )

    ag.assert_async(~outside.any(), error)


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of integer class labels, given log-probabilities (N, C, ...).
    A label outside [0, C) that is not ignore_index raises IndexError, as in PyTorch."""
    return _nll_loss(input, _class_indices(target, "nll_loss"), weight, ignore_index, reduction)


def _nll_loss(input, target, weight, ignore_index, reduction, op="nll_loss"):
    out_shape = tuple(target.shape)
    logp, tgt = _classes_last(input, target, op)
    if tgt.shape[0] != logp.shape[0]:
        raise ValueError(
            f"{op}: input shape {tuple(input.shape)} does not match target shape {out_shape}"
        )
    valid = tgt != ignore_index
    _check_targets(tgt, logp.shape[1], op, ignore_index, valid)
    safe = ag.where(valid, tgt, 0)
    picked = ag.gather(logp, 1, safe.unsqueeze(1)).squeeze(1)
    w = valid.to(logp.dtype)
    if weight is not None:
        w = w * weight[safe]
    loss = -picked * w
    if reduction == "mean":
        return _weighted_mean(loss, w.sum())
    if reduction == "none":
        return loss.reshape(out_shape)
    return _reduce(loss, reduction, op)


def cross_entropy(
    input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    """log_softmax + nll_loss for integer labels (any integer dtype; outside [0, C) and not
    ignore_index raises IndexError); or -(p * log_softmax).sum(1) for probabilities."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    if input.ndim == 0:
        raise ValueError("cross_entropy: expected input of shape (N, C, ...), got a 0-d tensor")
    n_classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    logp_full = ag.log_softmax(input, dim=1 if input.ndim > 1 else 0)
    if target.dtype.kind == "f":
        _same_shape(input, target, "cross_entropy")
        logp, probs = _classes_last(logp_full, target, "cross_entropy")
        if label_smoothing > 0:
            probs = probs * (1.0 - label_smoothing) + label_smoothing / n_classes
        terms = logp * probs
        if weight is not None:
            terms = terms * weight
        loss = -terms.sum(1)
        if reduction == "none":
            shape = (tuple(input.shape[:1]) + tuple(input.shape[2:])) if input.ndim > 1 else ()
            return loss.reshape(shape)
        return _reduce(loss, reduction, "cross_entropy")
    target = _class_indices(target, "cross_entropy")
    nll = _nll_loss(logp_full, target, weight, ignore_index, reduction, "cross_entropy")
    if label_smoothing == 0.0:
        return nll
    logp, tgt = _classes_last(logp_full, target, "cross_entropy")
    valid = (tgt != ignore_index).to(logp.dtype)
    terms = logp if weight is None else logp * weight
    smooth = -terms.sum(1) * valid
    if reduction == "mean":
        if weight is None:
            denom = valid.sum()
        else:
            denom = (weight[ag.where(tgt != ignore_index, tgt, 0)] * valid).sum()
        smooth = _weighted_mean(smooth, denom)
    elif reduction == "none":
        smooth = smooth.reshape(tuple(target.shape))
    else:
        smooth = _reduce(smooth, reduction, "cross_entropy")
    return nll * (1.0 - label_smoothing) + smooth * (label_smoothing / n_classes)


def kl_div(input, target, reduction="mean", log_target=False):
    """KL(target || q) pointwise, with `input` = log q (log-probabilities, as PyTorch):
    target * (log target - input), taken as 0 where target = 0; with log_target=True the target
    is log p too: exp(target) * (target - input). 'batchmean' divides the sum by the batch size
    (input.shape[0]), which gives the true KL divergence; 'mean' divides by every element."""
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(
            f"kl_div: reduction must be 'mean', 'batchmean', 'sum' or 'none', got {reduction!r}"
        )
    if log_target:
        loss = ag.exp(target) * (target - input)
    else:
        # 0 log 0 = 0: take the log of a safe value, so neither value nor gradient is nan
        positive = target > 0
        log_t = ag.log(ag.where(positive, target, 1.0))
        loss = ag.where(positive, target * (log_t - input), -target * input)
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim > 0 else total
    return _reduce(loss, reduction, "kl_div")


def _logsigmoid(x):
    """log(sigmoid(x)) = -(max(-x, 0) + log1p(exp(-|x|))): never overflows, never log(0)."""
    return -(ag.maximum(-x, 0.0) + ag.log1p(ag.exp(-ag.abs(x))))


def soft_margin_loss(input, target, reduction="mean"):
    """log(1 + exp(-target * input)), target in {1, -1}; computed as -logsigmoid(target * input),
    which stays finite for large margins (PyTorch's log1p(exp(.)) overflows to inf there)."""
    _same_shape(input, target, "soft_margin_loss")
    return _reduce(-_logsigmoid(target * input), reduction, "soft_margin_loss")


def multilabel_soft_margin_loss(input, target, weight=None, reduction="mean"):
    """Per sample, the mean over the C classes (last dim) of the binary cross-entropy with
    logits: -(y logsigmoid(x) + (1 - y) logsigmoid(-x)), times weight[c] if given."""
    _same_shape(input, target, "multilabel_soft_margin_loss")
    loss = -(target * _logsigmoid(input) + (1.0 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    n_classes = input.shape[-1] if input.ndim else 1
    loss = loss.sum(dim=-1) / n_classes if input.ndim else loss
    return _reduce(loss, reduction, "multilabel_soft_margin_loss")


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, reduction="mean"):
    """Multi-class hinge loss: per sample, sum over classes j != y of
    max(0, margin - x[y] + x[j])^p / C (times weight[y] if given); input (N, C) or (C,),
    target integer class indices (N,) or 0-d, each in [0, C) (else IndexError)."""
    op = "multi_margin_loss"
    if p not in (1, 2):
        raise ValueError(f"{op}: only p = 1 and p = 2 are supported, got {p}")
    if input.ndim not in (1, 2):
        raise ValueError(f"{op}: expected input of shape (N, C) or (C,), got {tuple(input.shape)}")
    x = input if input.ndim == 2 else input.unsqueeze(0)
    y = _class_indices(target, op).reshape(-1)
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"{op}: input shape {tuple(input.shape)} does not match target shape "
            f"{tuple(target.shape)}"
        )
    n_classes = x.shape[1]
    _check_targets(y, n_classes, op)
    picked = ag.gather(x, 1, y.unsqueeze(1))
    # relu, not clamp: a term exactly at the hinge (z = 0) gets no gradient, as in PyTorch
    z = ag.relu(margin - picked + x)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[y].unsqueeze(1)
    not_target = ag.arange(n_classes, device=x.device).unsqueeze(0) != y.unsqueeze(1)
    loss = ag.where(not_target, z, 0.0).sum(1) / n_classes
    if input.ndim == 1:
        loss = loss.reshape(())
    return _reduce(loss, reduction, op)
