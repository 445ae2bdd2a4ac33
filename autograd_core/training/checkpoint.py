"""Training checkpoints for `fit(checkpoint=..., resume_from=...)`: everything a run needs to go
on exactly as if it had never stopped, in one safetensors file."""

from __future__ import annotations

import os

from .. import random
from ..serialization import load, save
from .callbacks import History

_FORMAT = "autograd_core.training.fit checkpoint"
_VERSION = 1


def save_checkpoint(path, epoch, model, optimizer, scheduler, train_loader, history) -> None:
    """Write the state after `epoch` completed epochs: model, optimiser, scheduler, the
    default generator of every device, the loader's shuffling generator and the history."""
    loader_generator = _loader_generator(train_loader)
    save(
        {
            "format": _FORMAT,
            "version": _VERSION,
            "epoch": epoch,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict() if scheduler is not None else None,
            "rng": {
                name: random.default_generator(name).get_state()
                for name in random.default_generator_devices()
            },
            "loader_generator": (
                loader_generator.get_state() if loader_generator is not None else None
            ),
            "history": history.to_dict(),
        },
        path,
    )


def resume(path, model, optimizer, scheduler, train_loader, device) -> tuple[int, History]:
    """Restore what `save_checkpoint` wrote; returns (completed epochs, history so far)."""
    name = os.fspath(path)
    state = load(path, map_location=device)
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise ValueError(f"fit: {name} is not a checkpoint written by fit(checkpoint=...)")
    if state.get("version") != _VERSION:
        raise ValueError(
            f"fit: {name} is a version {state.get('version')} checkpoint; this fit reads "
            f"version {_VERSION}"
        )
    if (state["scheduler"] is None) != (scheduler is None):
        has = "no scheduler" if state["scheduler"] is None else "a scheduler"
        raise ValueError(f"fit: {name} was saved with {has}; pass the same scheduler= to resume")
    loader_generator = _loader_generator(train_loader)
    if (state["loader_generator"] is None) != (loader_generator is None):
        has = "no" if state["loader_generator"] is None else "a"
        raise ValueError(
            f"fit: {name} was saved with {has} DataLoader generator; give train_loader the "
            "same kind of generator= to resume"
        )
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    for device_name, rng_state in state["rng"].items():
        random.default_generator(device_name).set_state(rng_state)
    if loader_generator is not None:
        loader_generator.set_state(state["loader_generator"])
    return int(state["epoch"]), History.from_dict(state["history"])


def _loader_generator(loader):
    generator = getattr(loader, "generator", None)
    return generator if isinstance(generator, random.Generator) else None
