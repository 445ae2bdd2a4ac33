"""Progress display for `fit`: a tqdm bar per epoch on a terminal, else one plain line per epoch."""

from __future__ import annotations

import sys
import time


def format_logs(logs: dict) -> str:
    parts = []
    for key, value in logs.items():
        if key == "lr":
            parts.append(f"lr={value:.3g}")
        else:
            # short names keep the bar itself visible on an 80-column terminal
            parts.append(f"{key.replace('accuracy', 'acc')}={value:.4f}")
    return " ".join(parts)


class Progress:
    """Shows epoch `e/E` with running loss and metrics; silent when `enabled` is False."""

    def __init__(self, enabled: bool, epochs: int, stream=None):
        self.epochs = epochs
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(enabled)
        self._tqdm = self._load_tqdm() if self.enabled else None
        self._bar = None
        self._start = 0.0

    def _load_tqdm(self):
        isatty = getattr(self.stream, "isatty", None)
        if not (isatty and isatty()):
            return None
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return None
        return tqdm

    def epoch_begin(self, epoch: int, n_batches: int | None) -> None:
        self._start = time.perf_counter()
        if self._tqdm is not None:
            width = len(str(self.epochs))
            self._bar = self._tqdm(
                total=n_batches,
                desc=f"epoch {epoch + 1:>{width}}/{self.epochs}",
                unit="batch",
                leave=True,
                dynamic_ncols=True,
                file=self.stream,
            )

    def batch(self, logs: dict) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(format_logs(logs), refresh=False)

    def epoch_end(self, epoch: int, logs: dict) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(format_logs(logs))
            self._bar.close()
            self._bar = None
        elif self.enabled:
            seconds = time.perf_counter() - self._start
            width = len(str(self.epochs))
            line = (
                f"epoch {epoch + 1:>{width}}/{self.epochs}  {format_logs(logs)}  ({seconds:.1f}s)"
            )
            print(line, file=sys.stdout, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
