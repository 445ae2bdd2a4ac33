"""Bilinear maps and attention: `bilinear`, `scaled_dot_product_attention`,
`multi_head_attention_forward`."""

import math

import autograd_core as ag

from .basic import dropout, linear


def bilinear(input1, input2, weight, bias=None):
    """y_o = sum_ij x1_i A_oij x2_j + b_o, with weight A of shape (out, in1, in2); input1
    (*, in1) and input2 (*, in2) share their leading dims."""
    if weight.ndim != 3:
        raise ValueError(f"bilinear: weight must be 3-D (out, in1, in2), got {tuple(weight.shape)}")
    if input1.shape[:-1] != input2.shape[:-1]:
        raise ValueError(
            f"bilinear: input1 and input2 must have the same leading dims, got "
            f"{tuple(input1.shape)} and {tuple(input2.shape)}"
        )
    if input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2]:
        raise ValueError(
            f"bilinear: expected input1 (*, {weight.shape[1]}) and input2 (*, {weight.shape[2]}) "
            f"for weight {tuple(weight.shape)}, got {tuple(input1.shape)} and "
            f"{tuple(input2.shape)}"
        )
    out = ag.einsum("...i,oij,...j->...o", input1, weight, input2)
    return out + bias if bias is not None else out


def _attention_bias(attn_mask, L, S, is_causal, like):
    """The additive bias from a mask: bool (True = takes part) becomes 0 / -inf; float is
    added as it is. is_causal keeps position i from looking at j > i."""
    bias = None
    if is_causal:
        causal = ag.tril(ag.ones((L, S), device=like.device)).bool()
        bias = ag.zeros((L, S), dtype=like.dtype, device=like.device).masked_fill(
            causal.logical_not(), float("-inf")
        )
    if attn_mask is not None:
        if attn_mask.dtype == ag.bool:
            zeros = ag.zeros(attn_mask.shape, dtype=like.dtype, device=like.device)
            mask_bias = zeros.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            mask_bias = attn_mask
        bias = mask_bias if bias is None else bias + mask_bias
    return bias


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
):
    """softmax(Q K^T * scale + mask) V, scale = 1/sqrt(E) by default; query (..., L, E), key
    (..., S, E), value (..., S, Ev). A bool attn_mask marks with True the pairs that take part
    (PyTorch's convention); a float one is added to the scores. A row with no allowed position
    gives NaN, as PyTorch. dropout_p drops attention weights (always applied when given: pass 0.0
    in eval, as PyTorch's modules do). enable_gqa lets key/value have fewer heads (dim -3) than
    query, each shared by a group of query heads."""
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise ValueError(
            f"scaled_dot_product_attention: query, key and value must be at least 2-D, got "
            f"{tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}"
        )
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(
            f"scaled_dot_product_attention: expected query (..., L, E), key (..., S, E), value "
            f"(..., S, Ev), got {tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}"
        )
    if is_causal and attn_mask is not None:
        raise ValueError("scaled_dot_product_attention: give attn_mask or is_causal, not both")
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        heads_q, heads_kv = query.shape[-3], key.shape[-3]
        if heads_q % heads_kv or value.shape[-3] != heads_kv:
            raise ValueError(
                f"scaled_dot_product_attention: with enable_gqa, the query heads ({heads_q}) must "
                f"be a multiple of the key/value heads, got key {tuple(key.shape)} and value "
                f"{tuple(value.shape)}"
            )
        key = key.repeat_interleave(heads_q // heads_kv, dim=-3)
        value = value.repeat_interleave(heads_q // heads_kv, dim=-3)
    L, S = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    bias = _attention_bias(attn_mask, L, S, is_causal, query)
    return _attend(query, key, value, bias, scale, dropout_p)[0]


def _attend(query, key, value, bias, scale, dropout_p):
    """(softmax(Q K^T * scale + bias) V, the attention weights after dropout)."""
    scores = ag.matmul(query, key.transpose(-2, -1)) * scale
    if bias is not None:
        scores = scores + bias
    weights = ag.softmax(scores, dim=-1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return ag.matmul(weights, value), weights


def _ignore_bias(mask, like):
    """MultiheadAttention's masks mark with True what is left out: 0 / -inf as a float bias."""
    if mask.dtype != ag.bool:
        return mask.to(like.dtype)
    zeros = ag.zeros(mask.shape, dtype=like.dtype, device=like.device)
    return zeros.masked_fill(mask, float("-inf"))


def _append_column(bias):
    """One more key position (bias_k or the zero attention), allowed by every mask."""
    zeros = ag.zeros(bias.shape[:-1] + (1,), dtype=bias.dtype, device=bias.device)
    return ag.cat([bias, zeros], dim=-1)


def multi_head_attention_forward(
    query,
    key,
    value,
    embed_dim_to_check,
    num_heads,
    in_proj_weight,
    in_proj_bias,
    bias_k,
    bias_v,
    add_zero_attn,
    dropout_p,
    out_proj_weight,
    out_proj_bias,
    training=True,
    key_padding_mask=None,
    need_weights=True,
    attn_mask=None,
    use_separate_proj_weight=False,
    q_proj_weight=None,
    k_proj_weight=None,
    v_proj_weight=None,
    static_k=None,
    static_v=None,
    average_attn_weights=True,
    is_causal=False,
):
    """Multi-head attention on (L, N, E) query and (S, N, kdim/vdim) key/value (or unbatched
    (L, E)): project, split E into num_heads heads of E / num_heads, attend in each with scale
    1/sqrt(head_dim), join the heads, project out. Masks mark with True what is LEFT OUT
    (key_padding_mask (N, S); attn_mask (L, S) or (N * num_heads, L, S)); float masks are added.
    Returns (output (L, N, E), weights (N, L, S) averaged over heads or (N, num_heads, L, S)
    or None)."""
    if static_k is not None or static_v is not None:
        raise NotImplementedError("multi_head_attention_forward: static_k / static_v")
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "multi_head_attention_forward: is_causal is a hint that attn_mask is the causal "
            "mask; give attn_mask too"
        )
    batched = query.ndim == 3
    if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(
            f"multi_head_attention_forward: expected query, key, value all (L, N, E) or all "
            f"unbatched (L, E), got {tuple(query.shape)}, {tuple(key.shape)}, "
            f"{tuple(value.shape)}"
        )
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    L, N, E = query.shape
    S = key.shape[0]
    if E != embed_dim_to_check:
        raise ValueError(
            f"multi_head_attention_forward: expected query with embed_dim {embed_dim_to_check}, "
            f"got {tuple(query.shape)}"
        )
    if key.shape[:2] != value.shape[:2] or key.shape[1] != N:
        raise ValueError(
            f"multi_head_attention_forward: key and value must be (S, N, *) with the query's "
            f"N={N}, got {tuple(key.shape)} and {tuple(value.shape)}"
        )
    head_dim = E // num_heads
    if use_separate_proj_weight:
        w_q, w_k, w_v = q_proj_weight, k_proj_weight, v_proj_weight
    else:
        w_q, w_k, w_v = in_proj_weight.chunk(3)
    b_q = b_k = b_v = None
    if in_proj_bias is not None:
        b_q, b_k, b_v = in_proj_bias.chunk(3)
    q, k, v = linear(query, w_q, b_q), linear(key, w_k, b_k), linear(value, w_v, b_v)

    bias = None
    if attn_mask is not None:
        if tuple(attn_mask.shape) not in ((L, S), (N * num_heads, L, S)):
            raise ValueError(
                f"multi_head_attention_forward: attn_mask must be ({L}, {S}) or "
                f"({N * num_heads}, {L}, {S}), got {tuple(attn_mask.shape)}"
            )
        bias = _ignore_bias(attn_mask, q)
        if bias.ndim == 2:
            bias = bias.unsqueeze(0)
    pad_bias = None
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (N, S):
            raise ValueError(
                f"multi_head_attention_forward: key_padding_mask must be ({N}, {S}), got "
                f"{tuple(key_padding_mask.shape)}"
            )
        pad_bias = _ignore_bias(key_padding_mask, q)
    if bias_k is not None and bias_v is not None:
        k = ag.cat([k, bias_k.expand(1, N, E)])
        v = ag.cat([v, bias_v.expand(1, N, E)])
        bias = _append_column(bias) if bias is not None else None
        pad_bias = _append_column(pad_bias) if pad_bias is not None else None

    # (seq, N, E) -> (N * heads, seq, head_dim): each head attends on its own slice of E
    q = q.reshape(L, N * num_heads, head_dim).transpose(0, 1)
    k = k.reshape(k.shape[0], N * num_heads, head_dim).transpose(0, 1)
    v = v.reshape(v.shape[0], N * num_heads, head_dim).transpose(0, 1)
    if add_zero_attn:
        zeros = ag.zeros((N * num_heads, 1, head_dim), dtype=q.dtype, device=q.device)
        k, v = ag.cat([k, zeros], dim=1), ag.cat([v, zeros], dim=1)
        bias = _append_column(bias) if bias is not None else None
        pad_bias = _append_column(pad_bias) if pad_bias is not None else None
    if pad_bias is not None:
        S_all = pad_bias.shape[-1]
        pad_bias = pad_bias.reshape(N, 1, 1, S_all).expand(N, num_heads, 1, S_all)
        pad_bias = pad_bias.reshape(N * num_heads, 1, S_all)
        bias = pad_bias if bias is None else bias + pad_bias

    p = dropout_p if training else 0.0
    out, weights = _attend(q, k, v, bias, 1.0 / math.sqrt(head_dim), p)
    out = out.transpose(0, 1).reshape(L, N, E)
    out = linear(out, out_proj_weight, out_proj_bias)
    if not need_weights:
        weights = None
    else:
        weights = weights.reshape(N, num_heads, L, weights.shape[-1])
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            weights = weights.squeeze(0)
    if not batched:
        out = out.squeeze(1)
    return out, weights
