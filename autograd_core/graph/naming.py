"""Names in a drawing: tensor ids as the Tape numbers them, parameter and module names."""

from __future__ import annotations

from .trace import TracedGraph


def short_ids(graph: TracedGraph, tape=None) -> dict:
    """tensor key -> the id the Tape prints (t1, t2, ... or tensor.name).

    With a tape, its own numbering; without one, the same rule applied to this graph:
    tensors numbered in order of appearance in execution order, constants left out.
    """
    if tape is not None:
        key_of = {id(info.tensor): key for key, info in graph.tensors.items()}
        # the tape's own order of appearance, so node ids follow execution order
        return {key_of[i]: name for i, name in tape.names().items() if i in key_of}
    ids: dict = {}
    for op in graph.ops:
        for key in (*op.inputs, *op.outputs):
            if key is None or key in ids or graph.tensors[key].kind == "constant":
                continue
            ids[key] = graph.tensors[key].tensor.name or f"t{len(ids) + 1}"
    for key, info in graph.tensors.items():  # a leaf output (drawn alone) has no op
        if key not in ids and info.kind != "constant":
            ids[key] = info.tensor.name or f"t{len(ids) + 1}"
    return ids


def module_names(model) -> dict:
    """id(module) -> its dotted name in `model` ('' for the model itself)."""
    if model is None:
        return {}
    return {id(m): name for name, m in model.named_modules()}


def parameter_names(graph: TracedGraph, model=None, names=None) -> dict:
    """tensor key -> a known name: `names` passed by the user first, then `model`'s
    parameter and buffer names, then `module.param` found through the module an op ran in."""
    found: dict = {}
    modules = module_names(model)
    for op in graph.ops:
        owner = op.scope[-1] if op.scope else None
        params = getattr(owner, "_parameters", None)
        if not params:
            continue
        for key in op.inputs:
            if key is None or key in found:
                continue
            t = graph.tensors[key].tensor
            for pname, p in params.items():
                if p is t:
                    prefix = modules.get(id(owner)) or type(owner).__name__
                    found[key] = f"{prefix}.{pname}"
    if model is not None:
        named = (*model.named_buffers(), *model.named_parameters())  # running_mean, ...
        by_id = {id(t): name for name, t in named}
        for key, info in graph.tensors.items():
            if id(info.tensor) in by_id:
                found[key] = by_id[id(info.tensor)]
    if names:
        by_id = {id(t): name for t, name in _items(names)}
        for key, info in graph.tensors.items():
            if id(info.tensor) in by_id:
                found[key] = by_id[id(info.tensor)]
    return found


def _items(names):
    items = names.items() if hasattr(names, "items") else names
    for t, name in items:
        if not isinstance(name, str):
            raise TypeError(f"draw_graph: names maps tensors to str, got {type(name).__name__}")
        yield t, name


def owner_label(owner, modules: dict) -> str:
    """A module as `name: Type` (`Type` alone when it has no name); a string owner as is."""
    if isinstance(owner, str):
        return owner
    kind = type(owner).__name__
    name = modules.get(id(owner))
    return f"{name}: {kind}" if name else kind
