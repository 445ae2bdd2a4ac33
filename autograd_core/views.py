"""Views and in-place changes through them, as PyTorch models them.

A view (basic indexing, `view`/`reshape` that needs no copy, `t`/`transpose`/`permute`,
`squeeze`/`unsqueeze`, `expand`, `diagonal`, `narrow`, `select`) shares its base's memory and
version counter and remembers how it was cut from the base (`ViewOf.steps`). An in-place op on a
view rebases the history: the base's new node is `copy_slices` (its old value with the view's
elements replaced by the op's result, PyTorch's CopySlices) and every live view of the base gets
a node that reads it from the new base (PyTorch's AsStridedBackward). Nodes recorded before the
change keep the edge they saw (`edge_seen_by`), so earlier uses of a tensor are unaffected.
"""

from __future__ import annotations

import weakref

from . import backend, grad_mode
from .function import Function

LEAF_VIEW_MESSAGE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
NO_GRAD_VIEW_MESSAGE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block (if "
    "you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked)."
)


class ViewOf:
    """What a view knows of its base: the base itself (never a view) and the steps that cut
    the view from it, each `(step, argument)` with `step(array, argument) -> array`."""

    __slots__ = ("base", "steps", "expands", "made_in_no_grad", "where")

    def __init__(self, base, steps, expands, made_in_no_grad):
        self.base = base
        self.steps = steps
        self.expands = expands  # an expand step: several elements may share one location
        self.made_in_no_grad = made_in_no_grad
        self.where = None  # `positions`, computed on first need


class Aliases:
    """Per base and per rebased tensor, made on first need: the live views of a base, and the
    edges (node, output index) a tensor had before in-place changes replaced them."""

    __slots__ = ("views", "edges", "pruned_at")

    def __init__(self):
        self.views = []  # weak references to views of this base
        # (seq of the node that replaced the edge, grad_fn, index, requires_grad, shape)
        self.edges = []
        self.pruned_at = 8


# ---- the steps a view op records: the same cut on any array shaped like the base ------------
def getitem_step(array, index):
    return array[index]


def reshape_step(array, shape):
    return array.reshape(shape)


def permute_step(array, dims):
    return array.transpose(dims)


def expand_step(array, shape):
    return backend.array_module(array).broadcast_to(array, shape)


def take_step(array, where):
    """A view cut from its base by flat positions (after the base changed shape in place)."""
    return array.reshape(-1)[where]


def diagonal_step(array, args):
    offset, dim1, dim2 = args
    return backend.array_module(array).diagonal(array, offset, dim1, dim2)


def mark_view(out, a, step, argument):
    """Make `out` (just computed from `a` without a copy) a view of `a`'s base."""
    out._version = a._shared_version()
    info = a._view
    if info is None:
        base, steps, expands = a, ((step, argument),), False
    else:
        base, steps, expands = info.base, info.steps + ((step, argument),), info.expands
    no_grad = not grad_mode.is_grad_enabled()
    out._view = ViewOf(base, steps, expands or step is expand_step, no_grad)
    if not no_grad and not (base.grad_fn is None and base._requires_grad):
        # a view of a leaf that requires grad can never be changed in place in grad mode,
        # so its node never needs regenerating; the parameters' `w.t()` stay unregistered
        _register(base, out)
    return out


def _register(base, view):
    aliases = base._aliases
    if aliases is None:
        aliases = base._aliases = Aliases()
    views = aliases.views
    views.append(weakref.ref(view))
    if len(views) > aliases.pruned_at:  # drop dead views, amortised over the appends
        views[:] = [ref for ref in views if ref() is not None]
        aliases.pruned_at = 2 * len(views) + 8


def positions(info):
    """The flat index in the base of each element of the view described by `info`."""
    if info.where is None:
        base = info.base
        xp = backend.array_module(base._data)
        index = xp.arange(base._data.size).reshape(base._data.shape)
        for step, argument in info.steps:
            index = step(index, argument)
        info.where = index
    return info.where


def base_reshaped(base, make):
    """`base` is about to take the shape of `make(base)` in place (unsqueeze_, t_, ...): its
    live views keep their elements, now named by their flat positions in the new shape."""
    aliases = base._aliases
    if aliases is None or not aliases.views:
        return
    xp = backend.array_module(base._data)
    size = base._data.size
    # for each element of the new shape, its flat position in the old one, inverted
    old_of_new = make(xp.arange(size).reshape(base._data.shape)).reshape(-1)
    new_of_old = xp.empty(size, dtype=old_of_new.dtype)
    new_of_old[old_of_new] = xp.arange(size)
    for ref in aliases.views:
        view = ref()
        if view is not None:
            info = view._view
            info.where = new_of_old[positions(info)]
            info.steps = ((take_step, info.where),)


def check_write(view, op):
    """Refuse, as PyTorch does, in-place writes that can't be tracked or are ambiguous."""
    info = view._view
    if grad_mode.is_grad_enabled():
        base = info.base
        if base.grad_fn is None and base._requires_grad:
            raise RuntimeError(f"{op}: {LEAF_VIEW_MESSAGE}")
        if info.made_in_no_grad and base._requires_grad:
            raise RuntimeError(f"{op}: {NO_GRAD_VIEW_MESSAGE}")
    if info.expands:
        where = positions(info)
        xp = backend.array_module(where)
        if xp.unique(where).size != where.size:
            raise RuntimeError(f"{op}: {OVERLAP_MESSAGE}")
        return where
    return None


def write(view, data, where):
    """Write `data` into a view's memory, which is its base's memory (an expanded view holds
    a copy here, so its elements are also written into the base at their positions)."""
    xp = backend.array_module(view._data)
    xp.copyto(view._data, data, casting="unsafe")
    if where is not None:
        base = view._view.base._data
        base[xp.unravel_index(where, base.shape)] = data


# ---- rebasing history ----------------------------------------------------------------------
def set_edge(t, node, index):
    """Point `t` at a new node, remembering the edge it replaces for the nodes recorded
    before (they must still send their gradient there)."""
    aliases = t._aliases
    if aliases is None:
        aliases = t._aliases = Aliases()
    aliases.edges.append((node._seq, t.grad_fn, t._out_index, t._requires_grad, t.shape))
    t.grad_fn = node
    t._out_index = index
    t._requires_grad = True


def edge_seen_by(t, seq):
    """The (grad_fn, output index, shape) that `t` had when the node numbered `seq` recorded
    it; grad_fn None when `t` needed no gradient then."""
    for replaced_at, node, index, requires_grad, shape in t._aliases.edges:
        if replaced_at > seq:
            return (node if requires_grad else None), index, shape
    return t.grad_fn, t._out_index, t.shape


def rebase(view, result, where):
    """Record the in-place op whose new value `result` replaces `view`'s elements: the base
    becomes `copy_slices(old base, result)`, and its views read from the new base."""
    from .tensor import Tensor

    info = view._view
    base = info.base
    if where is None:
        where = positions(info)
    old_base = Tensor._wrap(base._data, base._requires_grad, base.grad_fn, base._out_index)
    new_base = CopySlices._call(old_base, result, positions=where)
    set_edge(base, new_base.grad_fn, 0)
    _regenerate(view, base, where)  # the written view first: it may be unregistered
    regenerate_views(base, skip=view, written=where)


def regenerate_views(base, skip=None, written=None):
    """Give the live views of `base` a node that reads them from `base`'s current history:
    all of them, or those that share an element with the `written` positions. (A view none
    of whose elements were written reads the same values through its old node, with the
    same gradient, so an RNN filling a buffer row by row does not rebuild every row's node.)"""
    aliases = base._aliases
    if aliases is None:
        return
    touched = None
    for ref in list(aliases.views):
        view = ref()
        if view is None or view is skip:
            continue
        where = positions(view._view)
        if written is not None:
            if touched is None:
                xp = backend.array_module(written)
                touched = xp.zeros(base._data.size, dtype=bool)
                touched[written.reshape(-1)] = True
            if not backend.to_numpy(xp.asarray(touched[where].any())):
                continue
        _regenerate(view, base, where)


def _regenerate(view, base, where):
    with grad_mode.enable_grad():
        regenerated = TakePositions._call(base, positions=where)
    if regenerated.grad_fn is not None:
        set_edge(view, regenerated.grad_fn, 0)


def rebind(t, result):
    """Point a non-view tensor at the node of its in-place result (and refresh its views)."""
    node = result.grad_fn
    set_edge(t, node, result._out_index)
    if node._output_refs:  # retain_grad and saved outputs find the tensor through these
        node._output_refs = tuple(
            weakref.ref(t) if i == t._out_index else ref for i, ref in enumerate(node._output_refs)
        )
    if t._aliases is not None and t._aliases.views:
        regenerate_views(t)


# ---- the two ops of a rebased history ------------------------------------------------------
class TakePositions(Function):
    """out = base's elements at flat `positions` (a view read from its base);
    d base = zeros with the gradient added at the positions"""

    op_name = "as_strided"
    uses_inputs = False

    @staticmethod
    def forward(ctx, base, positions):
        ctx.in_shape, ctx.positions = base.shape, positions
        return backend.array_module(base).take(base, positions)

    @staticmethod
    def backward(ctx, grad_out):
        from .ops.index import index_add_into  # ops import this module

        flat = index_add_into(
            (int(_size(ctx.in_shape)),), ctx.positions.reshape(-1), grad_out.reshape(-1)
        )
        return flat.reshape(ctx.in_shape)


class CopySlices(Function):
    """out = base with the elements at flat `positions` replaced by `values`;
    d base = the gradient with zeros there, d values = the gradient at the positions"""

    op_name = "copy_slices"
    uses_inputs = False

    @staticmethod
    def forward(ctx, base, values, positions):
        ctx.positions = positions
        xp = backend.array_module(base)
        out = xp.array(base, copy=True, order="C")
        out.reshape(-1)[positions.reshape(-1)] = values.reshape(-1)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        need_base, need_values = ctx.needs_input_grad
        grad_base = grad_values = None
        if need_base:
            from .creation import zeros

            hole = zeros(*ctx.positions.shape, dtype=grad_out.dtype, device=grad_out.device)
            grad_base = CopySlices._call(grad_out, hole, positions=ctx.positions)
        if need_values:
            grad_values = TakePositions._call(grad_out, positions=ctx.positions)
        return grad_base, grad_values


class Overwrite(Function):
    """out = new (an in-place op that replaces every value: fill_, zero_, copy_);
    d old = zeros, d new = the gradient"""

    op_name = "overwrite"
    uses_inputs = False

    @staticmethod
    def forward(ctx, old, new):
        return new

    @staticmethod
    def backward(ctx, grad_out):
        need_old, need_new = ctx.needs_input_grad
        grad_old = None
        if need_old:
            from .creation import zeros_like

            grad_old = zeros_like(grad_out)
        return grad_old, (grad_out if need_new else None)


def _size(shape):
    total = 1
    for s in shape:
        total *= s
    return total
