"""How many recording watchers (Tape, name_scope, detect_anomaly) are open anywhere.

Recording an op checks this one number first and skips the three context lookups while it is
zero, which is almost always: the per-op cost stays low without giving up any feature.
"""

active = [0]


class Watching:
    """Mixin for context managers that watch recording: counts them in and out."""

    def _watch(self):
        active[0] += 1

    def _unwatch(self):
        active[0] -= 1
