"""The backward pass: replay the recorded ops in reverse order, applying the chain rule.

No recursion: a node enters a heap when it first receives a gradient, and the heap hands out
the latest recorded node first (a reverse topological order, since an op is always recorded
after the ops that made its inputs), so a chain of 100,000 ops backpropagates.
"""

from __future__ import annotations

import gc
from heapq import heappop, heappush

from . import backend, grad_mode, post_accumulate, released
from .anomaly import anomaly_enabled, check_gradient
from .function import FREED_GRAPH_MESSAGE
from .ops.common import unboxed
from .tensor import Tensor
from .views import edge_seen_by


def run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs=None):
    """`tensor.backward()`: accumulate gradients into the `.grad` of leaves."""
    targets = None
    if inputs is not None:
        inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
        if not inputs:
            raise RuntimeError("backward: 'inputs' was passed but is empty")
        targets = {id(t): t for t in inputs}
    _backprop(outputs, grad_outputs, retain_graph, create_graph, targets, capture=None)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=False,
):
    """Gradients of `outputs` with respect to `inputs`, returned instead of stored in `.grad`.

    `create_graph=True` records the backward pass so the result can be differentiated again
    (Hessian-vector products, d2y/dx2).

    >>> import autograd_core as ag
    >>> x = ag.tensor(0.5, requires_grad=True)
    >>> (dy,) = ag.grad(ag.tanh(x), x, create_graph=True)
    >>> (d2y,) = ag.grad(dy, x)
    >>> round(d2y.item(), 4)  # -2 tanh(x) (1 - tanh(x)^2)
    -0.7233
    """
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    single_input = isinstance(inputs, Tensor)
    inputs = (inputs,) if single_input else tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    for t in inputs:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError("grad: every input must be a tensor that requires grad")
    capture = {id(t): None for t in inputs}
    _backprop(outputs, grad_outputs, retain_graph, create_graph, None, capture, inputs)
    results = []
    for position, t in enumerate(inputs):
        g = capture[id(t)]
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {position} (shape {tuple(t.shape)}) was not used to compute the "
                "outputs; pass allow_unused=True to get None for it"
            )
        results.append(g)
    return tuple(results)


def _backprop(outputs, grad_outputs, retain_graph, create_graph, targets, capture, wanted=()):
    # The graph holds no reference cycles (outputs are held weakly), so reference counting
    # frees it; the cyclic collector would only rescan the whole graph, again and again, for
    # each batch of gradient tensors that backward allocates. It runs again afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run_backprop(outputs, grad_outputs, retain_graph, create_graph, targets, capture, wanted)
    finally:
        if collecting:
            gc.enable()


def _run_backprop(outputs, grad_outputs, retain_graph, create_graph, targets, capture, wanted):
    if retain_graph is None:
        retain_graph = create_graph
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"backward: got {len(grad_outputs)} gradients for {len(outputs)} outputs"
        )
    # gradients waiting at each node: one slot per output of the op
    pending: dict = {}
    # the nodes holding gradients, latest recorded first: a node's consumers were all recorded
    # after it, so by the time it comes off the heap every gradient it will receive is in
    ready: list = []
    owned: set = set()  # ids of arrays that a leaf's .grad may keep without a copy
    # each leaf's gradient is summed over the pass and delivered once at the end, as
    # PyTorch's AccumulateGrad: its hooks run once, on the total
    leaf_grads: dict = {}  # id(leaf) -> [leaf, gradient so far]
    # capture of non-leaf inputs of grad(): (node, output index) -> id of the tensor
    watch = {}
    for t in wanted:
        if t.grad_fn is not None:
            watch[(t.grad_fn, t._out_index)] = id(t)

    # Unless backward itself is recorded (create_graph), gradients travel between nodes as
    # plain arrays and ops with a `backward_raw` skip the Tensor layer: most of the cost of a
    # scalar graph's backward. Hooks, captures and leaves still see Tensors.
    raw = not create_graph
    # leaves with post-accumulate hooks get their .grad as soon as their last edge has run
    early = post_accumulate.countdown(outputs) if capture is None else None
    with grad_mode.set_grad_enabled(create_graph):
        for out, g in zip(outputs, grad_outputs):
            g = _initial_grad(out, g)
            owned.add(id(_memory_of(g._data)))  # the caller's array: never kept as a .grad
            if out.grad_fn is None:
                _add_to_leaf(leaf_grads, out, g._data if raw else g)
                continue
            node = out.grad_fn
            if node not in pending:
                heappush(ready, (-node._seq, node))
            _add_to_slot(pending, node, out._out_index, unboxed(g._data) if raw else g)

        anomaly = anomaly_enabled()
        pop = pending.pop
        get = pending.get
        while ready:
            node = heappop(ready)[1]
            node_seq = node._seq
            slots = pop(node)
            node_inputs = node.inputs
            if node_inputs is None:
                raise RuntimeError(FREED_GRAPH_MESSAGE)
            if node._hooks is not None or watch or node._output_meta is not None:
                if raw:
                    slots = [_as_tensor(g) for g in slots]
                slots = _prepare_output_grads(node, slots, watch, capture)
                if raw:
                    slots = [None if g is None else g._data for g in slots]
            if raw and node.backward_raw is not None:
                # built-in ops only: one array (or None) per input, as their tests check
                grads_in = node.backward_raw(node, *slots)
                if type(grads_in) is not tuple:
                    grads_in = (grads_in,)
            elif raw:
                grads = node.backward(node, *[_as_tensor(g) for g in slots])
                grads_in = tuple(
                    g._data if isinstance(g, Tensor) else g for g in _checked(node, grads)
                )
            else:
                grads_in = _checked(node, node.backward(node, *slots))
            if anomaly:
                _check_gradients(node, grads_in)
            if not retain_graph:
                _release_keeping_structure(node, node_inputs)
            for inp, g in zip(node_inputs, grads_in):
                if g is None or inp is None or not inp._requires_grad:
                    continue
                parent = inp.grad_fn
                index = inp._out_index
                shape = inp._data.shape
                if parent is not None and parent._seq > node_seq:
                    # changed in place after this node recorded it: the edge it saw then
                    parent, index, shape = edge_seen_by(inp, node_seq)
                    if parent is None:
                        continue
                if raw:
                    if g.shape != shape:
                        g = _unbroadcast_array(node, g, shape)
                else:
                    if type(g) is not Tensor:
                        g = g if isinstance(g, Tensor) else _as_tensor(g)
                    if g._data.shape != shape:
                        g = _unbroadcast(node, g, shape)
                if parent is None:  # a leaf: _add_to_leaf, spelled out on this hot path
                    entry = leaf_grads.get(id(inp))
                    if entry is None:
                        leaf_grads[id(inp)] = [inp, g]
                    else:
                        entry[1] = entry[1] + g
                    continue
                slots = get(parent)
                if slots is None:
                    heappush(ready, (-parent._seq, parent))
                    if parent._output_meta is None:
                        pending[parent] = [g]
                        continue
                    slots = pending[parent] = [None] * len(parent._output_meta)
                current = slots[index]
                slots[index] = g if current is None else current + g
            if early is not None and node in early.edges:
                grads_in = g = None  # this node's references go: a sole gradient needs no copy
                _deliver_finished_leaves(
                    early.finished(node), leaf_grads, create_graph, targets, owned
                )

        for leaf, g in leaf_grads.values():
            _deliver_final(leaf, _as_tensor(g), create_graph, targets, capture, owned)


def _release_keeping_structure(node, node_inputs):
    """Free what backward needed (saved arrays, the inputs themselves) but keep the graph's
    shape, as PyTorch does: each input becomes a weak reference and the edge to the node that
    made it, so that `draw_graph` after backward still draws every op and shows the values
    of the tensors someone still holds (parameters, inputs, retained outputs)."""
    node._release()
    node._freed_edges = released.edges_of(node_inputs)


def _check_gradients(node, grads_in):
    """detect_anomaly: raise at the first NaN or inf among the gradients an op returned."""
    for position, g in enumerate(grads_in):
        if g is not None:
            array = g._data if isinstance(g, Tensor) else g
            check_gradient(node, position, array, backend.array_module(array))


def _checked(node, grads) -> tuple:
    """What a `backward` returned, as a tuple of one gradient per input of the op.

    PyTorch lets backward return extra trailing Nones (an optional input's gradient).
    """
    if type(grads) is not tuple:
        grads = (grads,)
    inputs = node.inputs
    if len(grads) != len(inputs) and not (
        len(grads) > len(inputs) and all(g is None for g in grads[len(inputs) :])
    ):
        raise RuntimeError(
            f"{node.name}.backward returned {len(grads)} gradients but its forward "
            f"took {len(inputs)} inputs"
        )
    return grads


def _initial_grad(out, g):
    if not isinstance(out, Tensor):
        raise TypeError(f"backward: expected a Tensor, got {type(out).__name__}")
    if not out._requires_grad:
        raise RuntimeError(
            "element 0 of tensors does not require grad and does not have a grad_fn: nothing "
            "recorded this tensor's computation (was it made under no_grad(), or from "
            "tensors without requires_grad=True?)"
        )
    if g is None:
        if out._data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this output has "
                f"shape {tuple(out.shape)}, so pass gradient= a tensor of that shape"
            )
        xp = backend.array_module(out._data)
        return Tensor._wrap(xp.ones_like(out._data))
    if not isinstance(g, Tensor):
        from .creation import tensor

        g = tensor(g, dtype=out.dtype, device=out.device)
    if g.shape != out.shape:
        raise RuntimeError(
            f"backward: gradient has shape {tuple(g.shape)} but the output has shape "
            f"{tuple(out.shape)}"
        )
    if g.device != out.device:
        raise RuntimeError(f"backward: gradient is on {g.device} but the output is on {out.device}")
    return g


def _add_to_slot(pending, node, index, g):
    slots = pending.get(node)
    if slots is None:
        meta = node._output_meta
        slots = [None] * (1 if meta is None else len(meta))
        pending[node] = slots
    current = slots[index]
    slots[index] = g if current is None else current + g


def _prepare_output_grads(node, slots, watch, capture):
    """Run hooks, capture watched gradients and fill missing ones with zeros."""
    hooks = node._hooks
    for index, g in enumerate(slots):
        if g is None:
            continue
        if hooks and index in hooks:
            for hook in list(hooks[index]):
                if capture is not None and getattr(hook, "fills_grad", False):
                    continue
                replaced = hook(g)
                if replaced is not None:
                    g = replaced
            slots[index] = g
        if watch:
            key = watch.get((node, index))
            if key is not None:
                capture[key] = g if capture[key] is None else capture[key] + g
    if node._output_meta is not None and any(g is None for g in slots):
        for index, (shape, dtype, device) in enumerate(node._output_meta):
            if slots[index] is None:
                xp = backend.module_for(device)
                slots[index] = Tensor._wrap(xp.zeros(shape, dtype))
    return slots


def _as_tensor(g):
    """A gradient array as a Tensor (NumPy's 0-d results are scalars: made arrays again)."""
    if g is None or isinstance(g, Tensor):
        return g
    if not backend.is_array(g):
        g = backend.array_module(g).asarray(g)
    return Tensor._wrap(g)


def _unbroadcast_array(node, g, shape):
    """`_unbroadcast` for a plain array."""
    from .ops.shape import sum_array_to

    try:
        return sum_array_to(g, shape)
    except ValueError:
        raise RuntimeError(
            f"{node.name}.backward returned a gradient of shape {tuple(g.shape)} for an input "
            f"of shape {tuple(shape)}"
        ) from None


def _unbroadcast(node, g, shape):
    """Sum a broadcast gradient back to the input's shape (sum_to, differentiable)."""
    from .ops.shape import sum_to

    try:
        return sum_to(g, shape)
    except ValueError:
        raise RuntimeError(
            f"{node.name}.backward returned a gradient of shape {tuple(g.shape)} for an input "
            f"of shape {tuple(shape)}"
        ) from None


def _add_to_leaf(leaf_grads, leaf, g):
    entry = leaf_grads.get(id(leaf))
    if entry is None:
        leaf_grads[id(leaf)] = [leaf, g]
    else:
        entry[1] = entry[1] + g


def _deliver_finished_leaves(leaves, leaf_grads, create_graph, targets, owned):
    """Hand hooked leaves whose last producer has run their gradient now, mid-backward."""
    for leaf in leaves:
        entry = leaf_grads.pop(id(leaf), None)
        if entry is None:
            continue
        g = entry.pop()  # the entry lets go: `g` is now this frame's alone, or shared
        if backend.is_array(g) and post_accumulate.may_be_shared(g):
            # the array may still be on its way to other ops, and hooks may change .grad in
            # place (an all-reduce): marking its memory as handed out makes .grad a copy
            owned.add(id(_memory_of(g)))
        _deliver_final(leaf, _as_tensor(g), create_graph, targets, None, owned)


def _deliver_final(leaf, g, create_graph, targets, capture, owned):
    """A leaf's total gradient into `.grad`, then its post-accumulate hooks."""
    _deliver_to_leaf(leaf, g, create_graph, targets, capture, owned)
    if capture is None and (targets is None or id(leaf) in targets):
        post_accumulate.run_hooks(leaf)


def _deliver_to_leaf(leaf, g, create_graph, targets, capture, owned):
    if leaf._hooks:
        for hook in list(leaf._hooks):
            replaced = hook(g)
            if replaced is not None:
                g = replaced
    if capture is not None:
        key = id(leaf)
        if key in capture:
            capture[key] = g if capture[key] is None else capture[key] + g
        return
    if targets is not None and id(leaf) not in targets:
        return
    if create_graph:
        leaf.grad = g if leaf.grad is None else leaf.grad + g
        return
    array = g._data
    if leaf.grad is None:
        # .grad is updated in place by later passes and by optimisers, so no two leaves may
        # share its memory: `owned` holds the memory (base arrays) already handed out in
        # this pass; a second claim on the same memory, or read-only memory, is copied
        memory = _memory_of(array)
        if id(memory) in owned or not backend.is_writeable(array):
            array = array.copy()
            memory = array
        owned.add(id(memory))
        if array.dtype != leaf.dtype:
            array = array.astype(leaf.dtype)
        leaf.grad = Tensor._wrap(array)
        return
    grad = leaf.grad
    if grad.shape != array.shape:
        raise RuntimeError(
            f"backward: existing .grad has shape {tuple(grad.shape)} but the new gradient "
            f"has shape {tuple(array.shape)}"
        )
    in_place = grad.grad_fn is None and backend.is_writeable(grad._data)
    if in_place:
        grad._data += array
        grad._bump_version()
    else:
        total = grad._data + array
        if not backend.is_array(total):  # NumPy makes a scalar of two 0-d arrays
            total = backend.array_module(array).asarray(total)
        leaf.grad = Tensor._wrap(total)


def _memory_of(array):
    """The array that owns `array`'s memory (itself unless it is a view)."""
    while array.base is not None and backend.is_array(array.base):
        array = array.base
    return array
