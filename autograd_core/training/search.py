"""Hyperparameter search: every point of a grid, or `n_iter` random draws, ranked by score."""

from __future__ import annotations

import itertools
import math
import numbers
import time

import numpy as np


class SearchResults(list):
    """Rows `{"params": ..., "score": ..., **extras}` sorted best first; `format_table()`."""

    @property
    def best(self) -> dict:
        if not self:
            raise ValueError("SearchResults: no results")
        return self[0]

    def format_table(self, digits: int = 4) -> str:
        """A plain-text table: rank, one column per parameter, score and extras."""
        if not self:
            return "(no results)"
        params = list(dict.fromkeys(k for row in self for k in row["params"]))
        extras = list(dict.fromkeys(k for row in self for k in row if k not in ("params",)))
        header = ["rank", *params, *extras]
        lines = []
        for rank, row in enumerate(self, 1):
            cells = [str(rank)]
            cells += [_cell(row["params"].get(k, ""), digits) for k in params]
            cells += [_cell(row.get(k, ""), 3 if k == "seconds" else digits) for k in extras]
            lines.append(cells)
        widths = [max(len(h), *(len(r[i]) for r in lines)) for i, h in enumerate(header)]
        out = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
        out.append("  ".join("-" * w for w in widths))
        out += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in lines]
        return "\n".join(out)


def _cell(value, digits):
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _run(build_and_train, params):
    start = time.perf_counter()
    result = build_and_train(**params)
    row = {"params": dict(params)}
    if isinstance(result, dict):
        if "score" not in result:
            raise ValueError(f"search: build_and_train returned a dict without 'score': {result}")
        row.update(result)
    elif isinstance(result, numbers.Real):
        row["score"] = float(result)
    else:
        raise TypeError(
            f"search: build_and_train should return a number or a dict with 'score', "
            f"got {type(result).__name__}"
        )
    row["score"] = float(row["score"])
    row["seconds"] = time.perf_counter() - start
    return row


def _ranked(rows, mode):
    if mode not in ("max", "min"):
        raise ValueError(f"search: mode should be 'max' or 'min', got {mode!r}")
    sign = -1.0 if mode == "max" else 1.0

    def key(row):
        # NaN scores (diverged runs) go last
        score = row["score"]
        return (math.isnan(score), sign * score if not math.isnan(score) else 0.0)

    return SearchResults(sorted(rows, key=key))


def grid_search(build_and_train, param_grid: dict, mode: str = "max") -> SearchResults:
    """Call `build_and_train(**params)` for every combination in `param_grid` (name -> list).

    `build_and_train` returns a score (higher is better with mode='max') or a dict holding
    'score' and any other columns to report.
    """
    if not isinstance(param_grid, dict) or not param_grid:
        raise ValueError("grid_search: param_grid should be a non-empty dict of name -> values")
    names = list(param_grid)
    for name in names:
        if isinstance(param_grid[name], (str, bytes)) or not hasattr(param_grid[name], "__iter__"):
            raise TypeError(f"grid_search: values for {name!r} should be a list")
    rows = [
        _run(build_and_train, dict(zip(names, combo)))
        for combo in itertools.product(*(list(param_grid[n]) for n in names))
    ]
    return _ranked(rows, mode)


class uniform:
    """Draw uniformly from [low, high)."""

    def __init__(self, low, high):
        if not low < high:
            raise ValueError(f"uniform: need low < high, got {low}, {high}")
        self.low, self.high = float(low), float(high)

    def sample(self, rng):
        return float(rng.uniform(self.low, self.high))


class loguniform(uniform):
    """Draw log-uniformly from [low, high): learning rates, weight decay."""

    def __init__(self, low, high):
        if not 0 < low < high:
            raise ValueError(f"loguniform: need 0 < low < high, got {low}, {high}")
        super().__init__(low, high)

    def sample(self, rng):
        return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))


def _draw(name, dist, rng):
    if hasattr(dist, "sample"):
        return dist.sample(rng)
    if hasattr(dist, "rvs"):  # scipy.stats distributions
        return dist.rvs(random_state=rng)
    if callable(dist):
        return dist(rng)
    if isinstance(dist, (list, tuple, range)):
        value = dist[int(rng.integers(len(dist)))]
        return value.item() if isinstance(value, np.generic) else value
    raise TypeError(
        f"random_search: {name!r} should be a list, a callable(rng), uniform/loguniform "
        f"or a scipy distribution, got {type(dist).__name__}"
    )


def random_search(
    build_and_train, param_distributions: dict, n_iter: int = 10, seed=None, mode: str = "max"
) -> SearchResults:
    """Call `build_and_train(**params)` for `n_iter` draws from `param_distributions`.

    Each value is a list (one element drawn), `uniform(a, b)`, `loguniform(a, b)`, a
    scipy.stats distribution or a callable taking a NumPy Generator. `seed` fixes the draws.
    """
    if not isinstance(param_distributions, dict) or not param_distributions:
        raise ValueError("random_search: param_distributions should be a non-empty dict")
    if not isinstance(n_iter, int) or n_iter < 1:
        raise ValueError(f"random_search: n_iter should be a positive int, got {n_iter!r}")
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_iter):
        params = {name: _draw(name, d, rng) for name, d in param_distributions.items()}
        rows.append(_run(build_and_train, params))
    return _ranked(rows, mode)
