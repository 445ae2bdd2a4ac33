"""Helpers shared by the graph tests (conftest.py holds the fixtures).

Every graph test module imports this first, so all of them skip without the `graphviz`
package (the `graph` extra); rendering tests also skip without the `dot` program.
"""

import shutil

import pytest

graphviz = pytest.importorskip("graphviz")

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz 'dot' not installed")
