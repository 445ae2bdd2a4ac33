"""Module backward hooks as PyTorch's `register_full_backward_hook`:
`hook(module, grad_input, grad_output)` runs once per backward through the module call, with
the gradients of its tensor inputs and of its outputs, and may return a new grad_input.

Two identity ops bracket the call: one on the outputs catches grad_output, one on the inputs
catches grad_input and then runs the hooks (it runs later in backward, as the inputs were
recorded earlier). When no input needs a gradient, the output side runs them.
"""

from __future__ import annotations

import autograd_core as ag
from autograd_core import Tensor


class _HookedCall:
    """One call of a module with backward hooks."""

    def __init__(self, module, args):
        self.module = module
        self.grad_output = ()
        tensors = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        # grad_input has one entry per tensor argument, None where no gradient is wanted
        self.input_slots = len(tensors)
        self.input_positions = [i for i in tensors if args[i].requires_grad]
        self.slot_of = {i: k for k, i in enumerate(tensors)}

    def wrap_inputs(self, args):
        if not self.input_positions:
            return args
        wrapped = _as_tuple(_InputsIdentity.apply(self, *[args[i] for i in self.input_positions]))
        args = list(args)
        for position, tensor in zip(self.input_positions, wrapped):
            args[position] = tensor
        return tuple(args)

    def wrap_outputs(self, out):
        single = isinstance(out, Tensor)
        outs = (out,) if single else out
        if not isinstance(outs, (tuple, list)):
            return out
        positions = [i for i, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
        if not positions:
            return out
        wrapped = _as_tuple(_OutputsIdentity.apply(self, *[outs[i] for i in positions]))
        result = list(outs)
        for position, tensor in zip(positions, wrapped):
            result[position] = tensor
        if single:
            return result[0]
        return type(outs)(result)

    def run_hooks(self, grad_input):
        for hook in list(self.module._backward_hooks.values()):
            replaced = hook(self.module, grad_input, self.grad_output)
            if replaced is not None:
                replaced = _as_tuple(replaced)
                if len(replaced) != len(grad_input):
                    raise RuntimeError(
                        f"backward hook of {type(self.module).__name__} returned "
                        f"{len(replaced)} gradients for {len(grad_input)} inputs"
                    )
                grad_input = replaced
        return grad_input


class _Identity(ag.Function):
    """The tensors unchanged (new tensors on the same memory), remembering the call."""

    @staticmethod
    def forward(ctx, call, *tensors):
        ctx.call = call
        return tuple(t.detach() for t in tensors) if len(tensors) > 1 else tensors[0].detach()


class _OutputsIdentity(_Identity):
    """The module's outputs, unchanged; backward keeps their gradients for the hooks."""

    @staticmethod
    def backward(ctx, *grads):
        call = ctx.call
        call.grad_output = grads
        if not call.input_positions:
            call.run_hooks((None,) * call.input_slots)
        return (None, *grads)


class _InputsIdentity(_Identity):
    """The module's inputs, unchanged; backward runs the hooks with their gradients."""

    @staticmethod
    def backward(ctx, *grads):
        call = ctx.call
        slots = [call.slot_of[i] for i in call.input_positions]
        grad_input = [None] * call.input_slots
        for slot, g in zip(slots, grads):
            grad_input[slot] = g
        grad_input = call.run_hooks(tuple(grad_input))
        return (None, *[grad_input[slot] for slot in slots])


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)
