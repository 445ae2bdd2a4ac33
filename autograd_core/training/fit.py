"""The training loop: `fit` (with callbacks, schedulers, progress bars), `evaluate`, `predict`."""

from __future__ import annotations

import numpy as np

from ..creation import from_numpy
from ..grad_mode import no_grad
from ..ops import cat
from ..random import manual_seed
from ..tensor import Tensor
from .callbacks import History
from .checkpoint import resume, save_checkpoint
from .metrics import batch_size, correct_count
from .progress import Progress


def _resolve_metrics(metrics):
    """(name, fn(outputs, targets) -> summed value over the batch) for each metric."""
    resolved = []
    for metric in metrics or ():
        if metric in ("accuracy", "acc"):
            resolved.append(("accuracy", correct_count))
        elif callable(metric):
            name = getattr(metric, "__name__", type(metric).__name__)

            def summed(outputs, targets, fn=metric):
                return float(fn(outputs, targets)) * batch_size(targets)

            resolved.append((name, summed))
        else:
            raise ValueError(f"fit: unknown metric {metric!r}; use 'accuracy' or a callable")
    return resolved


def _model_device(model):
    for p in model.parameters():
        return p.device
    return None


def _to(x, device):
    if isinstance(x, np.ndarray):
        x = from_numpy(x)
    if device is not None and isinstance(x, Tensor):
        x = x.to(device)
    return x


def _split(batch, device, name):
    if not isinstance(batch, (tuple, list)) or len(batch) != 2:
        raise TypeError(
            f"{name}: expected batches of (inputs, targets), got {type(batch).__name__}"
        )
    return _to(batch[0], device), _to(batch[1], device)


class _Running:
    """Sums of the loss and metrics over the samples seen so far in one pass."""

    def __init__(self, metric_fns, with_loss=True):
        self.metric_fns = metric_fns
        self.with_loss = with_loss
        self.count = 0
        self.sums = {"loss": 0.0} if with_loss else {}
        self.sums.update({name: 0.0 for name, _ in metric_fns})

    def add(self, loss_value, outputs, targets) -> int:
        n = len(targets)
        self.count += n
        if self.with_loss:
            self.sums["loss"] += loss_value * n
        for name, fn in self.metric_fns:
            self.sums[name] += fn(outputs, targets)
        return n

    def means(self) -> dict:
        return {k: v / max(self.count, 1) for k, v in self.sums.items()}


def _step_scheduler(scheduler, logs):
    # plateau schedulers watch a metric; the others count epochs
    if "ReduceLROnPlateau" in {c.__name__ for c in type(scheduler).__mro__}:
        scheduler.step(logs.get("val_loss", logs["loss"]))
    else:
        scheduler.step()


def _n_batches(loader):
    try:
        return len(loader)
    except TypeError:
        return None


def fit(
    model,
    loss_fn,
    optimizer,
    train_loader,
    epochs,
    val_loader=None,
    scheduler=None,
    metrics=("accuracy",),
    device=None,
    callbacks=(),
    progress=True,
    seed=None,
    checkpoint=None,
    resume_from=None,
    distributed=False,
) -> History:
    """Train `model` for `epochs` passes over `train_loader`; returns the `History`.

    Each epoch logs the mean training loss and metrics, `val_*` from `val_loader` and the
    learning rate. Callbacks may stop training early; `seed` makes a run reproducible.

    `checkpoint` (a path) is written after every epoch, atomically: the model, optimiser and
    scheduler states, the default generator of every device, `train_loader.generator` and the
    history. `resume_from` (such a path) restores all of it and trains the remaining epochs up
    to `epochs`, giving the run that was never stopped. Callbacks start afresh on resume.

    `distributed=True` (under `mpiexec -n N`): the model is wrapped in DistributedDataParallel,
    each rank trains on its DistributedSampler share of `train_loader` (and `val_loader`), the
    logged metrics are averaged over the ranks, and only rank 0 shows progress and writes
    checkpoints. The process group is initialised if it is not yet.
    """
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"fit: epochs should be a positive int, got {epochs!r}")
    if seed is not None:
        manual_seed(seed)
    if device is not None:
        model.to(device)
    else:
        device = _model_device(model)
    metric_fns = _resolve_metrics(metrics)
    history, first_epoch = History(), 0
    if resume_from is not None:
        first_epoch, history = resume(
            resume_from, model, optimizer, scheduler, train_loader, device
        )
    trained = model  # what callbacks and checkpoints see: never the DDP wrapper
    if distributed:
        from . import distributed as ranks

        model, train_loader, val_loader = ranks.prepare(
            model, train_loader, val_loader, seed, device
        )
        progress = progress and ranks.is_main_process()
        callbacks = ranks.main_process_callbacks(callbacks)
    callbacks = [history, *callbacks]
    for cb in callbacks:
        cb.set_context(trained, optimizer)
    bar = Progress(progress, epochs)
    for cb in callbacks:
        cb.on_train_begin({})
    try:
        for epoch in range(first_epoch, epochs):
            for cb in callbacks:
                cb.on_epoch_begin(epoch, {})
            if distributed:
                ranks.set_epoch(train_loader, epoch)
            logs = _train_epoch(
                model, loss_fn, optimizer, train_loader, metric_fns, device, callbacks, bar, epoch
            )
            if val_loader is not None:
                val = evaluate(model, val_loader, loss_fn, metrics, device)
                logs.update({f"val_{k}": v for k, v in val.items()})
            if distributed:
                logs = ranks.averaged(logs)
            logs["lr"] = float(optimizer.param_groups[0]["lr"])
            if scheduler is not None:
                _step_scheduler(scheduler, logs)
            bar.epoch_end(epoch, logs)
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
            if checkpoint is not None and (not distributed or ranks.is_main_process()):
                save_checkpoint(
                    checkpoint, epoch + 1, trained, optimizer, scheduler, train_loader, history
                )
            if any(cb.stop_training for cb in callbacks):
                break
    finally:
        bar.close()
    for cb in callbacks:
        cb.on_train_end({"epochs": len(history.epoch)})
    return history


def _train_epoch(model, loss_fn, optimizer, loader, metric_fns, device, callbacks, bar, epoch):
    model.train()
    running = _Running(metric_fns)
    bar.epoch_begin(epoch, _n_batches(loader))
    for i, batch in enumerate(loader):
        inputs, targets = _split(batch, device, "fit")
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        running.add(loss_value, outputs, targets)
        batch_logs = {"loss": loss_value, "size": len(targets)}
        for cb in callbacks:
            cb.on_batch_end(i, batch_logs)
        bar.batch(running.means())
    if running.count == 0:
        raise ValueError("fit: train_loader yielded no batches")
    return running.means()


def evaluate(model, loader, loss_fn=None, metrics=("accuracy",), device=None) -> dict:
    """Mean loss (if `loss_fn`) and metrics over `loader`, in eval mode and under no_grad."""
    device = device if device is not None else _model_device(model)
    running = _Running(_resolve_metrics(metrics), with_loss=loss_fn is not None)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            for batch in loader:
                inputs, targets = _split(batch, device, "evaluate")
                outputs = model(inputs)
                loss_value = loss_fn(outputs, targets).item() if loss_fn is not None else 0.0
                running.add(loss_value, outputs, targets)
    finally:
        model.train(was_training)
    if running.count == 0:
        raise ValueError("evaluate: loader yielded no batches")
    return running.means()


def predict(model, inputs_or_loader, batch_size=256, device=None) -> Tensor:
    """The model's outputs for a tensor / array of inputs (in chunks) or for each batch of a
    loader (its inputs, when batches are (inputs, targets)), concatenated along dim 0."""
    device = device if device is not None else _model_device(model)
    data = inputs_or_loader
    if isinstance(data, (Tensor, np.ndarray)):
        data = _to(data, None)
        batches = (data[i : i + batch_size] for i in range(0, data.shape[0], batch_size))
    else:
        batches = (b[0] if isinstance(b, (tuple, list)) else b for b in data)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            outputs = [model(_to(x, device)) for x in batches]
    finally:
        model.train(was_training)
    if not outputs:
        raise ValueError("predict: no inputs")
    return outputs[0] if len(outputs) == 1 else cat(outputs, 0)
