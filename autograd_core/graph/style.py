"""Colours and shapes: parameters, inputs, outputs, ops and module boxes look different."""

FONT = "Helvetica"

TENSOR_STYLE = {
    "param": {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#dbe9f6",
        "color": "#3c78b4",
    },
    "input": {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#e2f0d9",
        "color": "#548235",
    },
    "output": {
        "shape": "box",
        "style": "rounded,filled,bold",
        "fillcolor": "#fde9d9",
        "color": "#c55a11",
        "penwidth": "2",
    },
    "intermediate": {"shape": "box", "style": "rounded", "color": "#7f7f7f"},
    "constant": {"shape": "plaintext", "fontcolor": "#555555"},
}
OP_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "#f2f2f2", "color": "#7f7f7f"}
MODULE_STYLE = {"shape": "box", "style": "filled", "fillcolor": "#fff2cc", "color": "#bf9000"}
CLUSTER_STYLE = {"style": "rounded,dashed", "color": "#999999", "fontcolor": "#555555"}
# the node and edges of the current step of a backward slideshow
HIGHLIGHT = {"color": "#d62728", "penwidth": "3"}
HIGHLIGHT_FILL = "#f9d6d5"
GRAD_EDGE = {"color": "#d62728", "fontcolor": "#d62728"}

LEGEND = (
    ("param", "parameter (requires_grad leaf)"),
    ("input", "input (leaf, no grad)"),
    ("intermediate", "intermediate tensor"),
    ("output", "output"),
)
