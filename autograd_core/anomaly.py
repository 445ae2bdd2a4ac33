"""`detect_anomaly()`: stop at the first NaN or inf produced in backward and say where it began."""

from __future__ import annotations

import contextvars
import os
import traceback

from .watchers import Watching

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_anomaly = contextvars.ContextVar("detect_anomaly", default=False)


def anomaly_enabled() -> bool:
    return _anomaly.get()


def forward_trace() -> str:
    """Where the current op was called from, without the engine's own frames."""
    frames = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(_PACKAGE_DIR)]
    return "".join(traceback.format_list(frames[-6:]))


class detect_anomaly(Watching):
    """Inside this block, forward records where each op was called; backward checks every
    gradient and raises RuntimeError naming the op and that line at the first NaN or inf.

    Slow: for debugging, not training.
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan
        self._tokens = []

    def __enter__(self):
        self._tokens.append(_anomaly.set(self.check_nan))
        self._watch()
        return self

    def __exit__(self, *exc):
        _anomaly.reset(self._tokens.pop())
        self._unwatch()
        return False


def check_gradient(node, position, grad, xp):
    """Raise if the gradient an op produced for its input `position` holds NaN or inf."""
    if xp.isfinite(grad).all():
        return
    bad = "nan" if bool(xp.isnan(grad).any()) else "inf"
    where = node._trace or "(forward ran outside detect_anomaly, so its line is unknown)\n"
    raise RuntimeError(
        f"Function '{node.name}' returned {bad} values in its gradient for input {position}. "
        f"The forward call that created it:\n{where}"
    )
