"""Computation graphs for lessons: `draw_graph` (graphviz) and the backward pass step by step.

Needs the `graphviz` Python package (`pip install autograd-core[graph]`); rendering needs
Graphviz's `dot` program, the DOT text (`.source`) does not.
"""

from ._graphviz import GraphvizNotFoundError
from .draw import draw_graph
from .frames import Frames, backward_frames, save_frames
from .slideshow import Slideshow, html_slideshow
from .trace import GraphTooLargeError

__all__ = [
    "Frames",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "Slideshow",
    "backward_frames",
    "draw_graph",
    "html_slideshow",
    "save_frames",
]
