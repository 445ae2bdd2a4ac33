"""The gradient reducer of DistributedDataParallel: buckets of gradients all-reduced during
backward, each as soon as its last gradient is final, so communication overlaps backward."""

from __future__ import annotations

import autograd_core as ag
import autograd_core.distributed as dist

# PyTorch's: a small first bucket starts communication early, then ~25 MB buckets
FIRST_BUCKET_BYTES = 1024 * 1024


class Bucket:
    """Parameters whose gradients travel together, in one flat buffer (views per parameter)."""

    def __init__(self, params: list, names: list):
        self.params, self.names = params, names
        first = params[0]
        with ag.no_grad():
            self.flat = ag.zeros(
                sum(p.numel() for p in params), dtype=first.dtype, device=first.device
            )
            self.views, offset = [], 0
            for p in params:
                self.views.append(self.flat[offset : offset + p.numel()].view(p.shape))
                offset += p.numel()


def build_buckets(named_params: list, cap_bytes: int) -> list:
    """Buckets over parameters in reverse registration order (the order backward finishes
    their gradients), one dtype and device per bucket, the first ~1 MB, the others ~cap."""
    buckets, params, names, size = [], [], [], 0
    limit = min(FIRST_BUCKET_BYTES, cap_bytes)
    for name, p in reversed(named_params):
        if params and (p.dtype != params[0].dtype or p.device != params[0].device):
            buckets.append(Bucket(params, names))
            params, names, size, limit = [], [], 0, cap_bytes
        params.append(p)
        names.append(name)
        size += p.numel() * p.dtype.itemsize
        if size >= limit:
            buckets.append(Bucket(params, names))
            params, names, size, limit = [], [], 0, cap_bytes
    if params:
        buckets.append(Bucket(params, names))
    return buckets


class Reducer:
    """Counts the gradients of each bucket as backward finishes them and all-reduces (then
    averages) every bucket in order; the last one waits for all and writes the averages
    back into `.grad`. Buckets are launched strictly in order, so every rank issues the same
    sequence of collectives."""

    def __init__(self, named_params: list, cap_bytes: int, find_unused_parameters: bool):
        self.buckets = build_buckets(named_params, cap_bytes)
        self.find_unused_parameters = find_unused_parameters
        self.bucket_of = {}
        for index, bucket in enumerate(self.buckets):
            for p in bucket.params:
                self.bucket_of[id(p)] = index
        self.expecting = False  # a forward with gradient sync asked for this backward
        self._reset()

    def _reset(self):
        self.waiting = [len(b.params) for b in self.buckets]
        self.ready: set = set()
        self.used: set | None = None
        self.next_bucket = 0
        self.works = []

    # ---- called by DistributedDataParallel.forward ------------------------------------
    def prepare(self, outputs) -> None:
        if self.expecting and self.ready:
            raise RuntimeError(self._unfinished_message())
        self._reset()
        self.expecting = True
        if self.find_unused_parameters:
            self.used = _leaves_reached(outputs)
            for bucket in self.buckets:
                for p in bucket.params:
                    if id(p) not in self.used:
                        self.mark_ready(p)

    def skip(self) -> None:
        """A forward without gradient sync (no_sync, or grad mode off)."""
        self.expecting = False
        self._reset()

    # ---- called by each parameter's post-accumulate-grad hook ---------------------------
    def mark_ready(self, param) -> None:
        if not self.expecting:
            return
        key = id(param)
        if key in self.ready:
            raise RuntimeError(
                "DistributedDataParallel: a parameter was marked ready twice in one iteration "
                "(backward ran twice through one forward); call forward again before each "
                "backward, or accumulate under no_sync()"
            )
        self.ready.add(key)
        index = self.bucket_of[key]
        self.waiting[index] -= 1
        if self.waiting[index] == 0 and index == self.next_bucket:
            self._launch_ready_buckets()
        elif self.works:
            self.works[-1].is_completed()  # MPI moves a message on only inside its calls

    def _launch_ready_buckets(self):
        while self.next_bucket < len(self.buckets) and self.waiting[self.next_bucket] == 0:
            self._launch(self.buckets[self.next_bucket])
            self.next_bucket += 1
        if self.next_bucket == len(self.buckets):
            self._finish()

    def _launch(self, bucket):
        with ag.no_grad():
            for p, view in zip(bucket.params, bucket.views):
                if p.grad is None or (self.used is not None and id(p) not in self.used):
                    view.zero_()  # a parameter unused here contributes nothing
                else:
                    view.copy_(p.grad)
        self.works.append(dist.all_reduce(bucket.flat, async_op=True))

    def _finish(self):
        used_anywhere = self._used_anywhere() if self.used is not None else None
        world_size = dist.get_world_size()
        with ag.no_grad():
            for bucket, work in zip(self.buckets, self.works):
                work.wait()
                bucket.flat.div_(world_size)
                for p, view in zip(bucket.params, bucket.views):
                    if used_anywhere is not None and id(p) not in used_anywhere:
                        continue  # no rank used it: .grad stays as it was, as PyTorch
                    if p.grad is None:
                        p.grad = view.clone()
                    else:
                        p.grad.copy_(view)
        self.expecting = False
        self._reset()

    def _used_anywhere(self) -> set:
        params = [p for bucket in self.buckets for p in bucket.params]
        flags = ag.tensor([1 if id(p) in self.used else 0 for p in params], dtype=ag.int64)
        dist.all_reduce(flags)
        return {id(p) for p, count in zip(params, flags.tolist()) if count > 0}

    def _unfinished_message(self) -> str:
        missing = [
            name
            for bucket in self.buckets
            for p, name in zip(bucket.params, bucket.names)
            if id(p) not in self.ready
        ]
        missing.reverse()  # buckets run backwards: this is registration order
        return (
            "Expected to have finished reduction in the prior iteration before starting a new "
            "one. This error indicates that your module has parameters that were not used in "
            "producing loss. You can enable unused parameter detection by passing the keyword "
            "argument `find_unused_parameters=True` to `nn.parallel.DistributedDataParallel`, "
            "and by making sure all `forward` function outputs participate in calculating "
            f"loss. Parameters which did not receive grad for rank {dist.get_rank()}: "
            + ", ".join(missing)
        )


def _leaves_reached(outputs) -> set:
    """ids of the leaf tensors that the recorded graph of `outputs` reaches."""
    reached, seen = set(), set()
    stack = [t for t in _tensors_in(outputs)]
    while stack:
        t = stack.pop()
        node = t.grad_fn
        if node is None:
            if t.requires_grad:
                reached.add(id(t))
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(i for i in node.inputs or () if i is not None)
    return reached


def _tensors_in(value):
    if isinstance(value, ag.Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _tensors_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors_in(v)
