"""A small reader of the DOT text graphviz writes: nodes, edges, clusters and their attributes.

Enough for the drawings of autograd_core.graph: one statement per line, as graphviz emits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[^\s=\[\]"]+|=')


def _unquote(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r'\\(["])', r"\1", token[1:-1])
    return token


def _attrs(text: str) -> dict:
    tokens = [_unquote(t) if t != "=" else t for t in _TOKEN.findall(text)]
    attrs, i = {}, 0
    while i + 2 < len(tokens) and tokens[i + 1] == "=":
        attrs[tokens[i]] = tokens[i + 2]
        i += 3
    return attrs


@dataclass
class Cluster:
    name: str
    label: str = ""
    parent: str | None = None
    nodes: list = field(default_factory=list)


@dataclass
class Dot:
    graph: dict
    nodes: dict  # id -> attrs, plus "cluster": the innermost cluster's name or None
    edges: list  # (tail, head, attrs)
    clusters: dict  # name -> Cluster

    def lines(self, node_id) -> list[str]:
        """A node's label split at DOT's \\n."""
        return self.nodes[node_id]["label"].split("\\n")

    def find(self, title: str) -> str:
        """The id of the one node whose label's first line is `title`."""
        found = [n for n in self.nodes if self.lines(n)[0] == title]
        assert len(found) == 1, f"{len(found)} nodes titled {title!r}: {found}"
        return found[0]

    def of_class(self, kind: str) -> list[str]:
        return [n for n, a in self.nodes.items() if kind in a.get("class", "").split()]

    def edge(self, tail, head) -> dict:
        found = [a for t, h, a in self.edges if (t, h) == (tail, head)]
        assert len(found) == 1, f"{len(found)} edges {tail} -> {head}"
        return found[0]

    def has_edge(self, tail, head) -> bool:
        return any((t, h) == (tail, head) for t, h, _ in self.edges)

    def cluster_path(self, node_id) -> list[str]:
        """Labels of the clusters around a node, outermost first."""
        path, name = [], self.nodes[node_id]["cluster"]
        while name is not None:
            path.append(self.clusters[name].label)
            name = self.clusters[name].parent
        return path[::-1]


_NODE = re.compile(r'^("(?:\\.|[^"\\])*"|[\w.]+)\s*(?:\[(.*)\])?$')
_EDGE = re.compile(
    r'^("(?:\\.|[^"\\])*"|[\w.]+)\s*->\s*("(?:\\.|[^"\\])*"|[\w.]+)\s*(?:\[(.*)\])?$'
)


def parse(source: str) -> Dot:
    graph, nodes, edges, clusters = {}, {}, [], {}
    stack: list[str | None] = []
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith(("digraph", "graph {")):
            stack.append(None)
            continue
        if line.startswith("subgraph"):
            name = line.split()[1]
            clusters[name] = Cluster(name, parent=stack[-1])
            stack.append(name)
            continue
        if line == "}":
            stack.pop()
            continue
        kind = line.split(" ", 1)[0]
        if kind in ("graph", "node", "edge") and line[len(kind) :].lstrip().startswith("["):
            if kind == "graph" and stack[-1] is None:
                graph.update(_attrs(line[line.index("[") + 1 : line.rindex("]")]))
            continue
        if "->" in line:
            match = _EDGE.match(line)
            assert match, f"unreadable edge: {line}"
            tail, head, attrs = match.groups()
            edges.append((_unquote(tail), _unquote(head), _attrs(attrs or "")))
            continue
        match = _NODE.match(line)
        if match and (match.group(2) is not None or "=" not in line):
            node_id = _unquote(match.group(1))
            attrs = _attrs(match.group(2) or "")
            attrs["cluster"] = stack[-1]
            nodes[node_id] = attrs
            if stack[-1] is not None:
                clusters[stack[-1]].nodes.append(node_id)
            continue
        # a bare `key=value ...` line sets the attributes of the enclosing (sub)graph
        attrs = _attrs(line)
        if stack[-1] is None:
            graph.update(attrs)
        elif "label" in attrs:
            clusters[stack[-1]].label = attrs["label"]
    return Dot(graph, nodes, edges, clusters)
