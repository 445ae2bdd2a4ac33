"""Counts every copy between the stand-in device and the host, by kind."""

from __future__ import annotations

import collections
import contextlib
import traceback


class Transfers:
    """`device_to_host` / `host_to_device` totals and a `Counter` of kinds ('get', 'item', ...);
    `where` keeps the caller of each device-to-host copy, for the message of a failing test."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.device_to_host = 0
        self.host_to_device = 0
        self.kinds = collections.Counter()
        self.where = []

    def count(self, kind, host_to_device=False):
        self.kinds[kind] += 1
        if host_to_device:
            self.host_to_device += 1
            return
        self.device_to_host += 1
        frames = traceback.extract_stack(limit=12)[:-2]
        # name the caller, not the stand-in or the seam that made the copy
        outside = [
            f
            for f in frames
            if "cuda_standin" not in f.filename and not f.filename.endswith("backend.py")
        ]
        if outside:
            frame = outside[-1]
            self.where.append(f"{kind} at {frame.filename}:{frame.lineno} ({frame.name})")

    @contextlib.contextmanager
    def recording(self):
        """Reset, run the block, and leave the counts of that block alone."""
        self.reset()
        yield self


transfers = Transfers()
