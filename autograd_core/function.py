"""`Function`: the base of every op and the node the tape records.

Built-in ops run `forward` on raw arrays and write `backward` with differentiable Tensor ops
(so grad-of-grad comes free); user ops use PyTorch's API (`Function.apply`, `ctx`). Both make
the same node and go through the same engine.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np

from . import backend, grad_mode, released
from . import tensor as _tensor  # Tensor is looked up at call time: tensor.py imports the ops
from .anomaly import anomaly_enabled, forward_trace
from .scope import current_scope
from .tape import record_on_active_tape
from .watchers import active as _watchers

_sequence = itertools.count()
_new = object.__new__
_grad_enabled = grad_mode._grad_enabled.get

_NEEDS_ONE = (True,)
_NEEDS_TWO = (((False, False), (False, True)), ((True, False), (True, True)))
_ZEROS_ONE = (0,)
_ZEROS_TWO = (0, 0)

FREED_GRAPH_MESSAGE = (
    "Trying to backward through the graph a second time (or to read saved tensors after "
    "they were freed). Saved intermediate values are freed when you call .backward() or "
    "autograd_core.grad(); pass retain_graph=True the first time to keep them."
)


def _version(t):
    """How many in-place changes `t` has seen (0 for None, an absent input)."""
    if t is None or t._version is None:
        return 0
    return t._version[0]


class Function:
    """Base class of ops. Subclass with `forward(ctx, ...)` and `backward(ctx, *grad_outputs)`.

    As in PyTorch, both are static methods; `ctx` is the node recorded on the tape. `forward`
    may call `ctx.save_for_backward(*tensors)`; `backward` reads `ctx.saved_tensors` and
    `ctx.needs_input_grad` and returns one gradient (or None) per input of `forward`.

    >>> import autograd_core as ag
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x**3
    ...     @staticmethod
    ...     def backward(ctx, grad_out):
    ...         (x,) = ctx.saved_tensors
    ...         return grad_out * 3 * x**2
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad.item()
    12.0
    """

    # Built-in ops whose backward reads the op's own output (exp, tanh, sigmoid, ...).
    saves_output = False
    # Built-in ops whose backward does not read their inputs' values (add, reshape, sum, ...).
    uses_inputs = True
    # Optional: the same derivative on plain arrays, `backward_raw(ctx, *grad_arrays)`, which
    # the engine calls when backward is not itself recorded (create_graph=False), skipping the
    # Tensor layer. It must agree with `backward`; the op tests check both.
    backward_raw = None
    # Two-input elementwise ops: a ValueError from forward means shapes that don't broadcast,
    # reported naming the op and both shapes.
    broadcasts = False

    # ---- node state, set when an op is recorded -------------------------------------------
    # The inputs of a one- or two-input op (nearly every op) are kept in attributes rather
    # than a tuple: each tracked object an op allocates feeds the cyclic collector, whose
    # full passes rescan the whole graph. `inputs` hands them out as a tuple.
    _arity = 0  # 1 or 2: in _input_a/_input_b; 0: in _input_tuple (None when freed)
    _input_a = None
    _input_b = None
    _input_tuple: tuple | None = None
    needs_input_grad: tuple = ()
    _seq = -1
    _versions = ()
    _saved = ()
    _saved_versions = ()
    _output_refs = ()
    _output_saved = ()
    _output_meta = None
    _hooks = None
    _trace = None
    _released = False
    _non_differentiable = ()
    scope = ()

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError(
            "a Function subclass must define forward(ctx, ...) as a @staticmethod"
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "a Function subclass must define backward(ctx, *grad_outputs) as a @staticmethod"
        )

    # ---- the public, PyTorch-style entry point ---------------------------------------------
    @classmethod
    def apply(cls, *args):
        """Run `forward` on Tensors (not recorded inside) and record one node for backward."""
        ctx = cls()
        Tensor = _tensor.Tensor
        tensor_args = tuple(a if isinstance(a, Tensor) else None for a in args)
        ctx.needs_input_grad = tuple(t is not None and t.requires_grad for t in tensor_args)
        with grad_mode.no_grad():
            result = cls.forward(ctx, *args)
        single = not isinstance(result, tuple)
        outputs = (result,) if single else result
        record = grad_mode.is_grad_enabled() and any(ctx.needs_input_grad)
        wrapped = []
        for index, out in enumerate(outputs):
            if not isinstance(out, Tensor):
                if backend.is_array(out):
                    raise TypeError(
                        f"{cls.__name__}.forward returned a {type(out).__name__} as output "
                        f"{index}; return Tensors (wrap arrays with autograd_core.tensor)"
                    )
                wrapped.append(out)
                continue
            differentiable = (
                record and out.dtype.kind in "fc" and id(out) not in ctx._non_differentiable
            )
            if out.grad_fn is not None or out.requires_grad or any(out is a for a in args):
                out = Tensor._wrap(out._data)  # never re-parent a tensor the caller owns
            if differentiable:
                out._requires_grad = True
                out.grad_fn = ctx
                out._out_index = index
            wrapped.append(out)
        if record:
            ctx._record_apply(tensor_args, [w for w in wrapped if isinstance(w, Tensor)])
        return wrapped[0] if single else tuple(wrapped)

    # ---- the lean internal entry point of built-in ops ------------------------------------
    @classmethod
    def _call(cls, *inputs, **params):
        """Run a built-in op: `forward` on the inputs' arrays, record a node if needed."""
        ctx = _new(cls)
        forward = cls.forward
        # the hot path of every op: one and two inputs without hyperparameters are spelled
        # out, because a scalar lesson's graph is tens of thousands of such calls
        if len(inputs) == 2:
            a, b = inputs
            try:
                if params:
                    data = forward(ctx, a._data, b._data, **params)
                else:
                    data = forward(ctx, a._data, b._data)
            except ValueError:
                if cls.broadcasts:  # NumPy's message names neither the op nor the shapes
                    from .ops.common import check_broadcast

                    check_broadcast(cls.op_name, a, b)
                raise
            record = (a._requires_grad or b._requires_grad) and _grad_enabled()
        elif len(inputs) == 1:
            a = inputs[0]
            data = forward(ctx, a._data, **params) if params else forward(ctx, a._data)
            record = a._requires_grad and _grad_enabled()
        else:
            data = forward(ctx, *[t._data for t in inputs], **params)
            record = _grad_enabled() and True in [t._requires_grad for t in inputs]
        wrap = _tensor.Tensor._wrap
        if type(data) is not tuple:
            if isinstance(data, np.generic):  # NumPy turns 0-d results into scalars
                data = np.asarray(data)
            if not record or data.dtype.kind not in "fc":
                return wrap(data)
            out = wrap(data, True, ctx, 0)
            ctx._record(inputs, out)
            return out
        outs = []
        for index, array in enumerate(data):
            if isinstance(array, np.generic):
                array = np.asarray(array)
            if record and array.dtype.kind in "fc":
                outs.append(wrap(array, True, ctx, index))
            else:
                outs.append(wrap(array))
        if record:
            ctx._record(inputs, *outs)
        return tuple(outs)

    def _record(self, inputs, *outputs):
        """Keep what backward needs of a built-in op: its inputs and their versions."""
        self._seq = next(_sequence)
        # one and two inputs get shared constant tuples: every object allocated here feeds
        # the cyclic collector, which then rescans the whole graph
        if len(inputs) == 2:
            a, b = inputs
            self._input_a = a
            self._input_b = b
            self._arity = 2
            self.needs_input_grad = _NEEDS_TWO[a._requires_grad][b._requires_grad]
            if self.uses_inputs:
                if a._version is None and b._version is None:
                    self._versions = _ZEROS_TWO
                else:
                    self._versions = (_version(a), _version(b))
        elif len(inputs) == 1:
            a = inputs[0]
            self._input_a = a
            self._arity = 1
            self.needs_input_grad = _NEEDS_ONE  # recorded only because it needs one
            if self.uses_inputs:
                self._versions = _ZEROS_ONE if a._version is None else (a._version[0],)
        else:
            self._input_tuple = tuple(inputs)
            self.needs_input_grad = tuple([t._requires_grad for t in inputs])
            if self.uses_inputs:
                self._versions = tuple([_version(t) for t in inputs])
        if self.saves_output or len(outputs) > 1 or _watchers[0]:
            self._record_more(inputs, outputs)

    def _record_apply(self, inputs, outputs):
        """`_record` for `apply`, whose inputs may include None (non-tensor arguments)."""
        self._seq = next(_sequence)
        self._input_tuple = inputs
        self._versions = tuple([_version(t) for t in inputs])
        self._record_more(inputs, outputs)

    def _record_more(self, inputs, outputs):
        """The rarer parts of recording: saved outputs, several outputs, watchers."""
        if self.saves_output:
            # weak references keep the graph acyclic; the arrays and version counters are
            # kept too, because consumers release their inputs before this node runs
            if len(outputs) == 1:  # exp, tanh, sigmoid: spelled out, they are frequent
                (o,) = outputs
                self._output_refs = (weakref.ref(o),)
                self._output_saved = ((o._data, o._shared_version(), _version(o)),)
            else:
                self._output_refs = tuple([weakref.ref(o) for o in outputs])
                self._output_saved = tuple(
                    [(o._data, o._shared_version(), _version(o)) for o in outputs]
                )
        if len(outputs) > 1:
            # enough to make zeros for an output that received no gradient
            self._output_meta = tuple((o.shape, o.dtype, o.device) for o in outputs)
        if _watchers[0]:
            scope = current_scope()
            if scope:
                self.scope = scope
            if anomaly_enabled():
                self._trace = forward_trace()
            record_on_active_tape(self, inputs, outputs)

    # ---- what backward reads ---------------------------------------------------------------
    @property
    def inputs(self) -> tuple | None:
        """The op's recorded inputs (None for an absent one); None once backward freed them."""
        arity = self._arity
        if arity == 2:
            return (self._input_a, self._input_b)
        if arity == 1:
            return (self._input_a,)
        return self._input_tuple

    @property
    def next_functions(self) -> tuple:
        """Where backward goes next, PyTorch's way: one `(node, output_index)` pair per
        input: the node that made a non-leaf input, an `AccumulateGrad` (whose `.variable` is
        the tensor) for a leaf that requires grad, `(None, 0)` for anything else.

        >>> import autograd_core as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> loss = (x * 2).sum()
        >>> (mul, _), = loss.grad_fn.next_functions
        >>> (accumulate, _), (constant, _) = mul.next_functions
        >>> accumulate.variable is x, constant
        (True, None)
        """
        inputs = self.inputs
        if inputs is not None:
            return tuple(_next_function(t) for t in inputs)
        edges = released.released_edges(self)  # backward keeps the graph's shape, as PyTorch
        if edges is None:
            raise RuntimeError(
                f"{self.name}: next_functions were freed by backward(); pass "
                "retain_graph=True to walk the graph afterwards"
            )
        return tuple(_next_of_released(edge) for edge in edges)

    def save_for_backward(self, *tensors):
        """Keep tensors for backward; an in-place change to them before then is an error."""
        self._saved = tensors
        self._saved_versions = tuple(_version(t) for t in tensors)

    @property
    def saved_tensors(self):
        if self._released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        for t, version in zip(self._saved, self._saved_versions):
            if t is not None and _version(t) != version:
                self._raise_modified(t, version)
        return self._saved

    def mark_non_differentiable(self, *tensors):
        """Outputs that never carry a gradient (indices, masks)."""
        self._non_differentiable = tuple(id(t) for t in tensors)

    @property
    def input_tensors(self):
        """The recorded inputs of a built-in op, checked against in-place changes."""
        if self._arity == 2:
            a, b = self._input_a, self._input_b
            if a._version is None and b._version is None:  # never changed in place: the
                return (a, b)  # common case, and the hot path of every two-input backward
        inputs = self.inputs
        if inputs is None:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        for t, version in zip(inputs, self._versions):
            # a tensor never changed in place has no counter yet: the common, cheap case
            if t is not None and t._version is not None and t._version[0] != version:
                self._raise_modified(t, version)
        return inputs

    @property
    def outputs(self):
        """The op's own outputs (for backward formulas written with them, e.g. tanh)."""
        if self._released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        result = []
        for index, ref in enumerate(self._output_refs):
            array = self.output_data(index)
            out = ref()
            if out is None:
                # only a freed, non-recording backward gets here: a constant is all it needs
                out = _tensor.Tensor._wrap(array)
            result.append(out)
        return tuple(result)

    def output_data(self, index=0):
        """The array of output `index`, checked against in-place changes: what a
        `backward_raw` written with the op's output reads."""
        if self._released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        array, counter, version = self._output_saved[index]
        if counter[0] != version:
            raise RuntimeError(
                f"an output of {self.name}, needed for its gradient, has been modified by "
                f"an in-place operation (version {counter[0]}, expected {version}); use an "
                "out-of-place op or .clone() before changing it"
            )
        return array

    def _raise_modified(self, tensor, version):
        raise RuntimeError(
            f"one of the tensors needed for gradient computation by {self.name} has been "
            f"modified by an in-place operation: a tensor of shape {tuple(tensor.shape)} is at "
            f"version {_version(tensor)}; expected version {version}. Use an out-of-place op "
            "(x = x + 1 instead of x += 1) or .clone() before changing it."
        )

    def _release(self):
        """Free what backward needed; a second backward through this node is then an error."""
        if self._arity:
            self._arity = 0
            self._input_a = self._input_b = None
        else:
            self._input_tuple = None
        self._released = True
        # only what this node set on itself needs dropping; the class defaults are empty
        # (read through the attributes: touching __dict__ would build one per node)
        if self._saved:
            self._saved = ()
        if self._output_saved:
            self._output_refs = ()
            self._output_saved = ()
        if self._output_meta is not None:
            self._output_meta = None

    # ---- hooks on non-leaf outputs --------------------------------------------------------
    def _add_output_hook(self, index, hook):
        if self._hooks is None:
            self._hooks = {}
        self._hooks.setdefault(index, []).append(hook)

    # ---- naming, for errors, repr, the tape and graph drawings -----------------------------
    @property
    def name(self):
        """The op's name as the tape prints it: `mul`, `matmul`, `LinearFunction`, ..."""
        return getattr(type(self), "op_name", None) or type(self).__name__

    def describe(self):
        """Hyperparameters worth showing in a graph (stride, dim, ...), as a short string."""
        params = getattr(self, "params", None)
        if not params:
            return ""
        return ", ".join(f"{k}={v}" for k, v in params.items())

    def __repr__(self):
        return f"<{type(self).__name__}Backward>"


class AccumulateGrad:
    """The graph's end for a leaf that requires grad, as PyTorch's node of that name:
    `.variable` is the leaf whose `.grad` backward fills; it has no next functions."""

    name = "AccumulateGrad"
    next_functions = ()

    def __init__(self, variable):
        # the leaf's lifetime is the caller's; None: a leaf already freed
        self._variable = None if variable is None else weakref.ref(variable)

    @property
    def variable(self):
        return None if self._variable is None else self._variable()

    def __repr__(self):
        return "<AccumulateGrad>"


# one AccumulateGrad per leaf, as in PyTorch (walking the graph twice meets the same
# node), dropped when the leaf is
_accumulators: dict[int, AccumulateGrad] = {}


def _next_function(t):
    if t is None:
        return (None, 0)
    if t.grad_fn is not None:
        return (t.grad_fn, t._out_index)
    if not t._requires_grad:
        return (None, 0)
    key = id(t)
    node = _accumulators.get(key)
    if node is None or node.variable is not t:
        node = _accumulators[key] = AccumulateGrad(t)
        weakref.finalize(t, _accumulators.pop, key, None)
    return (node, 0)


def _next_of_released(edge):
    """`_next_function` for an input that backward has already released."""
    if edge is None or edge.grad_fn is not None:
        return (None, 0) if edge is None else (edge.grad_fn, edge.out_index)
    if not edge.requires_grad:
        return (None, 0)
    leaf = edge.tensor()
    return _next_function(leaf) if leaf is not None else (AccumulateGrad(None), 0)
