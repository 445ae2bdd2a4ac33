"""Every built-in op, grouped by family; each op class has its forward and backward together."""

from .. import backend, grad_mode
from .binary_math import atan2, hypot, lerp, logaddexp
from .compare import (
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    floor_divide,
    ge,
    gt,
    isfinite,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
    remainder,
    sign,
)
from .conv import conv2d, conv_transpose2d
from .elementwise import (
    abs,
    add,
    cast,
    cos,
    div,
    erf,
    exp,
    log,
    log1p,
    mul,
    neg,
    pow,
    relu,
    sigmoid,
    sin,
    sqrt,
    sub,
    tanh,
    to_device,
)
from .index import gather, getitem, index_put, index_select, setitem_
from .join import cat, chunk, concat, concatenate, narrow, pad, split, stack, unbind
from .linalg import bmm, dot, linear, matmul, mm
from .pool import max_pool2d
from .reduce import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    max,
    mean,
    min,
    norm,
    prod,
    std,
    sum,
    var,
)
from .rounding import ceil, floor, frac, nan_to_num, round, trunc
from .select import clamp, masked_fill, maximum, minimum, where
from .shape import (
    broadcast_to,
    clone,
    contiguous,
    diagonal,
    expand,
    expand_copy,
    flatten,
    flip,
    is_contiguous,
    permute,
    repeat,
    reshape,
    select,
    squeeze,
    sum_to,
    transpose,
    unsqueeze,
    view,
)
from .transcendental import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    cosh,
    exp2,
    expm1,
    log2,
    log10,
    reciprocal,
    rsqrt,
    sinh,
    square,
    tan,
)
from .window import fold, unfold

clip = clamp

# sorting, scans, einsum and positional structure
from .einsum import einsum
from .linalg import addmm, baddbmm, outer
from .masked import masked_select, nonzero
from .scan import cumprod, cumsum, diff
from .scatter import scatter, scatter_add, scatter_reduce
from .softmax import log_softmax, logsumexp, softmax
from .sorting import argsort, sort, topk
from .structure import diag, repeat_interleave, roll, tile, trace, tril, triu
