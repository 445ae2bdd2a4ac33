"""`Work`: the handle of a collective started with `async_op=True`; `wait()` completes it."""

from __future__ import annotations


class Work:
    """A collective in flight. `wait()` blocks until this rank's part is done and the result
    is in the tensor; `is_completed()` asks without blocking. PyTorch's `Work`."""

    def __init__(self, wait, test, finish=None):
        self._wait, self._test, self._finish = wait, test, finish
        self._done = False

    def wait(self, timeout=None) -> bool:
        if not self._done:
            self._wait()
            self._complete()
        return True

    def is_completed(self) -> bool:
        if not self._done and self._test():
            self._complete()
        return self._done

    def _complete(self):
        self._done = True
        if self._finish is not None:
            self._finish()
            self._finish = None
