"""grid_search / random_search: every combination, seeded draws, ranked tables."""

import math

import pytest

from autograd_core.training import grid_search, loguniform, random_search, uniform


def test_grid_search_runs_every_combination_best_first():
    calls = []

    def build_and_train(lr, width):
        calls.append((lr, width))
        return {"score": width - lr, "loss": lr}

    results = grid_search(build_and_train, {"lr": [0.1, 0.01], "width": [8, 16, 32]})
    assert len(calls) == 6 and len(results) == 6
    assert results.best["params"] == {"lr": 0.01, "width": 32}
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    table = results.format_table()
    lines = table.splitlines()
    assert lines[0].split() == ["rank", "lr", "width", "score", "loss", "seconds"]
    assert len(lines) == 2 + 6 and lines[2].split()[:3] == ["1", "0.01", "32"]


def test_grid_search_min_mode_and_nan_last():
    results = grid_search(lambda a: math.nan if a == 0 else a, {"a": [0, 3, 1]}, mode="min")
    assert [r["params"]["a"] for r in results] == [1, 3, 0]


def test_random_search_is_seeded_and_draws_in_range():
    space = {"lr": loguniform(1e-4, 1e-1), "momentum": uniform(0.5, 0.99), "bs": [16, 32]}
    a = random_search(lambda **p: -p["lr"], space, n_iter=5, seed=0)
    b = random_search(lambda **p: -p["lr"], space, n_iter=5, seed=0)
    assert [r["params"] for r in a] == [r["params"] for r in b]
    for row in a:
        p = row["params"]
        assert 1e-4 <= p["lr"] < 1e-1 and 0.5 <= p["momentum"] < 0.99 and p["bs"] in (16, 32)
    assert "rank" in a.format_table()


def test_search_errors():
    with pytest.raises(ValueError, match="grid_search: param_grid"):
        grid_search(lambda: 0, {})
    with pytest.raises(TypeError, match="should return a number or a dict"):
        grid_search(lambda a: "good", {"a": [1]})
    with pytest.raises(ValueError, match="without 'score'"):
        grid_search(lambda a: {"acc": 1}, {"a": [1]})
    with pytest.raises(ValueError, match="n_iter"):
        random_search(lambda a: 0, {"a": [1]}, n_iter=0)
    with pytest.raises(ValueError, match="loguniform: need 0 < low < high"):
        loguniform(0, 1)
