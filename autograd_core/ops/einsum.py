"""einsum: sums of products over labelled dims. The gradient of each operand is itself an
einsum, of the upstream gradient with the other operands."""

from __future__ import annotations

import string

from .. import backend
from ..function import Function
from .common import constant, is_tensor
from .shape import broadcast_to, reshape, sum_to

_LETTERS = string.ascii_letters


class Einsum(Function):
    """out = einsum(equation, *operands);  d operand_k = einsum of the gradient with the other
    operands onto operand k's labels (broadcast over labels only k has, placed on the
    diagonal where k repeats a label)"""

    op_name = "einsum"

    @staticmethod
    def forward(ctx, *operands, inputs, output):
        ctx.labels, ctx.output = inputs, output
        ctx.params = {"equation": ",".join(inputs) + "->" + output}
        xp = backend.array_module(operands[0])
        return xp.einsum(ctx.params["equation"], *operands)

    @staticmethod
    def backward(ctx, grad_out):
        operands = ctx.input_tensors
        grads = []
        for k, need in enumerate(ctx.needs_input_grad):
            if need:
                grads.append(_operand_grad(k, operands, ctx.labels, ctx.output, grad_out))
            else:
                grads.append(None)
        return tuple(grads)


def _operand_grad(k, operands, labels, output, grad_out):
    target = operands[k]
    mine = labels[k]
    others = [(labels[i], t) for i, t in enumerate(operands) if i != k] + [(output, grad_out)]
    seen = set("".join(s for s, _ in others))
    unique = "".join(dict.fromkeys(mine))
    reached = "".join(c for c in unique if c in seen)
    grad = _einsum([s for s, _ in others], reached, [t for _, t in others])
    sizes = dict(zip(mine, target.shape))
    # a label of size 1 on one side broadcasts: summed where this operand has the 1,
    # broadcast where the others have it
    wanted = tuple(sizes[c] for c in reached)
    summed = tuple(1 if w == 1 else s for s, w in zip(grad.shape, wanted))
    grad = broadcast_to(sum_to(grad, summed), wanted)
    if reached != unique:
        # labels only this operand has were summed away: each element had the same slope
        kept = tuple(sizes[c] if c in reached else 1 for c in unique)
        grad = broadcast_to(reshape(grad, kept), tuple(sizes[c] for c in unique))
    if len(unique) != len(mine):
        grad = _onto_diagonal(grad, unique, mine, target)
    return grad


def _onto_diagonal(grad, unique, mine, target):
    """The gradient over an operand's distinct labels placed on the diagonal its repeated
    labels describe (zeros elsewhere): einsum with identity matrices."""
    xp = backend.array_module(target._data)
    free = iter(c for c in _LETTERS if c not in mine)
    renamed, eyes, eye_labels = [], [], []
    for position, c in enumerate(mine):
        if c in mine[:position]:
            new = next(free)
            renamed.append(new)
            eyes.append(constant(xp.eye(target.shape[position], dtype=target.dtype)))
            eye_labels.append(c + new)
        else:
            renamed.append(c)
    return _einsum([unique, *eye_labels], "".join(renamed), [grad, *eyes])


def _einsum(inputs, output, operands):
    return Einsum._call(*operands, inputs=tuple(inputs), output=output)


def _parse(equation, operands):
    """(input labels per operand, output labels) with ellipses spelled out as letters the
    equation doesn't use, and the implicit output (labels seen once, sorted) made explicit."""
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(operands):
        raise ValueError(
            f"einsum: the equation {equation!r} names {len(inputs)} operands, got {len(operands)}"
        )
    for part in inputs + [right]:
        bad = set(part.replace("...", "")) - set(_LETTERS)
        if bad or part.count("...") > 1:
            raise ValueError(f"einsum: invalid subscripts {part!r} in {equation!r}")
    free = [c for c in _LETTERS if c not in equation]
    ellipsis_dims = 0
    for part, t in zip(inputs, operands):
        named = len(part.replace("...", ""))
        if ("..." in part and named > t.ndim) or ("..." not in part and named != t.ndim):
            raise ValueError(
                f"einsum: subscripts {part!r} don't fit an operand of shape {tuple(t.shape)}"
            )
        if "..." in part:
            ellipsis_dims = max(ellipsis_dims, t.ndim - named)
    spread = "".join(free[:ellipsis_dims])
    spelled = []
    for part, t in zip(inputs, operands):
        count = t.ndim - len(part.replace("...", ""))
        spelled.append(part.replace("...", spread[ellipsis_dims - count :] if count else ""))
    if arrow:
        output = right.replace("...", spread)
        if len(set(output)) != len(output):
            raise ValueError(f"einsum: output subscripts {right!r} repeat a label")
        missing = set(output) - set("".join(spelled))
        if missing:
            raise ValueError(
                f"einsum: output label(s) {''.join(sorted(missing))} appear in no operand"
            )
    else:
        counts = {}
        for c in "".join(inputs).replace("...", ""):
            counts[c] = counts.get(c, 0) + 1
        output = spread + "".join(sorted(c for c, n in counts.items() if n == 1))
    return spelled, output


def einsum(equation, *operands):
    """Einstein summation as PyTorch's torch.einsum: einsum("ij,jk->ik", a, b), operands also
    as one list; "..." for leading dims; size-1 dims broadcast. Differentiable in every
    operand, repeated labels (diagonals, "ii->i") included."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the equation must be a string, got {type(equation).__name__}")
    if not operands or not all(is_tensor(t) for t in operands):
        raise TypeError("einsum: expects one or more tensors after the equation")
    if len({t.dtype for t in operands}) > 1:
        raise TypeError(
            "einsum: operands must share a dtype, got " + ", ".join(str(t.dtype) for t in operands)
        )
    inputs, output = _parse(equation, operands)
    sizes = {}
    for part, t in zip(inputs, operands):
        for c, size in zip(part, t.shape):
            if size != 1 and sizes.setdefault(c, size) != size:
                raise ValueError(
                    f"einsum: label {c!r} has sizes {sizes[c]} and {size} in {equation!r} "
                    f"(operand shapes {', '.join(str(tuple(o.shape)) for o in operands)})"
                )
    return _einsum(inputs, output, operands)
