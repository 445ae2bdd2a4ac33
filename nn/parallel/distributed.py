"""`DistributedDataParallel`: one model replica per process, gradients averaged in backward."""

from __future__ import annotations

import contextlib

import autograd_core as ag
import autograd_core.distributed as dist

from ..module import Module
from .reducer import Reducer


class DistributedDataParallel(Module):
    """Wrap `module` so that `backward()` averages its gradients across all processes.

    At construction the parameters and buffers of rank 0 are broadcast to every rank, so the
    replicas start equal. During backward the gradients are all-reduced in buckets of about
    `bucket_cap_mb` MB, in reverse order of registration, each as soon as its last gradient is
    final, so communication overlaps the rest of backward; after backward `.grad` holds the
    average over ranks, and the optimiser steps every replica the same way. Feed each rank its
    own share of the data (`DistributedSampler`).

    `no_sync()`: forward/backward inside it accumulate local gradients without communication;
    the first synchronised backward after it averages the sum. A parameter that gets no
    gradient is an error at the next forward unless `find_unused_parameters=True`.
    `broadcast_buffers=True` copies rank 0's buffers (BatchNorm's running statistics) to every
    rank before each training forward. `.module` is the wrapped model; its `state_dict()` is
    unchanged by the wrapper (this wrapper's own has the 'module.' prefix, as PyTorch's).
    """

    def __init__(
        self,
        module,
        device_ids=None,
        output_device=None,
        dim=0,
        broadcast_buffers=True,
        process_group=None,
        bucket_cap_mb=25,
        find_unused_parameters=False,
        gradient_as_bucket_view=False,
        static_graph=False,
    ):
        if not dist.is_initialized():
            raise RuntimeError(
                "DistributedDataParallel: Default process group has not been initialized, "
                "please make sure to call init_process_group."
            )
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel: module must be an nn.Module, got {type(module).__name__}"
            )
        if isinstance(bucket_cap_mb, bool) or not isinstance(bucket_cap_mb, (int, float)):
            raise TypeError(
                f"DistributedDataParallel: bucket_cap_mb must be a number, got {bucket_cap_mb!r}"
            )
        if bucket_cap_mb <= 0:
            raise ValueError(
                f"DistributedDataParallel: bucket_cap_mb must be positive, got {bucket_cap_mb}"
            )
        if process_group is not None:
            raise ValueError("DistributedDataParallel: only the default process group is supported")
        if gradient_as_bucket_view:
            raise ValueError(
                "DistributedDataParallel: gradient_as_bucket_view=True is not supported; "
                "gradients are copied into the buckets"
            )
        super().__init__()
        self.module = module
        named = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        if not named:
            raise RuntimeError(
                "DistributedDataParallel is not needed when a module doesn't have any "
                "parameter that requires a gradient."
            )
        _check_device_ids(device_ids, named)
        self.device_ids, self.output_device, self.dim = device_ids, output_device, dim
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.bucket_cap_mb = bucket_cap_mb
        self.static_graph = static_graph
        self.require_backward_grad_sync = True
        _check_same_model_everywhere(module)
        self._broadcast_state(module.parameters())
        self._broadcast_state(module.buffers())
        reducer = Reducer(named, int(bucket_cap_mb * 1024 * 1024), find_unused_parameters)
        self.__dict__["_reducer"] = reducer  # not a Module attribute: kept out of state_dict
        self.__dict__["_hook_handles"] = [
            p.register_post_accumulate_grad_hook(reducer.mark_ready) for _, p in named
        ]

    def forward(self, *inputs, **kwargs):
        if self.broadcast_buffers and self.training:
            self._broadcast_state(self.module.buffers())
        out = self.module(*inputs, **kwargs)
        if self.require_backward_grad_sync and ag.is_grad_enabled():
            self._reducer.prepare(out)
        else:
            self._reducer.skip()
        return out

    @contextlib.contextmanager
    def no_sync(self):
        """Accumulate gradients locally (no communication) for the forwards made inside."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    @staticmethod
    def _broadcast_state(tensors):
        with ag.no_grad():
            for t in tensors:
                if t is not None:
                    dist.broadcast(t, src=0)

    def extra_repr(self) -> str:
        return f"world_size={dist.get_world_size()}, buckets={len(self._reducer.buckets)}"


def _check_device_ids(device_ids, named):
    if device_ids is None:
        return
    if not isinstance(device_ids, (list, tuple)) or len(device_ids) != 1:
        raise ValueError(
            f"DistributedDataParallel: device_ids must be None or hold one device (this "
            f"process's), got {device_ids!r}"
        )
    wanted = ag.device(f"cuda:{device_ids[0]}" if isinstance(device_ids[0], int) else device_ids[0])
    for name, p in named:
        if p.device != wanted:
            raise ValueError(
                f"DistributedDataParallel: parameter {name} is on {p.device} but device_ids "
                f"names {wanted}; move the module there first (.to(device))"
            )


def _check_same_model_everywhere(module):
    """Every rank must wrap the same architecture, or the collectives would not match."""
    params = list(module.parameters())
    layout = ag.tensor([len(params), sum(p.numel() for p in params)], dtype=ag.int64)
    largest, smallest = layout.clone(), layout.clone()
    dist.all_reduce(largest, op=dist.ReduceOp.MAX)
    dist.all_reduce(smallest, op=dist.ReduceOp.MIN)
    if largest.tolist() != smallest.tolist():
        raise RuntimeError(
            f"DistributedDataParallel: the ranks wrap different models (rank {dist.get_rank()} "
            f"has {layout.tolist()[0]} parameters with {layout.tolist()[1]} values; across "
            f"ranks these range from {smallest.tolist()} to {largest.tolist()})"
        )
