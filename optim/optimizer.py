"""`Optimizer`: the base of every optimiser (param groups, per-parameter state, state_dict)."""

from __future__ import annotations

import autograd_core as ag
from autograd_core import Tensor


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


def _check(cond, message):
    if not cond:
        raise ValueError(message)


def _check_adam_args(lr, betas, eps, weight_decay):
    """Validate the options every Adam-family optimiser takes, with PyTorch's messages."""
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")


def _adam_defaults(lr, betas, eps, weight_decay, **options):
    """The defaults dict of an Adam-family optimiser: the shared options, then its own."""
    return dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, **options)


def _init_moments(p, state, second="exp_avg_sq", **scalars):
    """First step of an Adam-family optimiser: step 0, its own scalars, zero moment buffers."""
    state["step"] = 0
    state.update(scalars)
    state["exp_avg"] = ag.zeros_like(p)
    state[second] = ag.zeros_like(p)


def _adam_grad(p, grad, group, decoupled):
    """The gradient an Adam-family optimiser feeds its moments: negated under `maximize`, then
    weight decay as an L2 term (grad + wd * p), or decoupled (p shrunk by lr * wd in place)."""
    if group["maximize"]:
        grad = -grad
    lr, wd = group["lr"], group["weight_decay"]
    if wd != 0:
        if decoupled:
            p.mul_(1 - lr * wd)
        else:
            grad = grad.add(p, alpha=wd)
    return grad


class Optimizer:
    """Holds `param_groups` (dicts with 'params' and options) and `state` keyed by parameter."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state: dict = {}
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}"
            )
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters (with its own options) to optimise."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections")
        params = list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("optimizer got a parameter that appears twice in its param group")
        group = dict(param_group, params=params)
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    f"parameter group didn't specify a value of required option {name}"
                )
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient (to None, or to zeros in place)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    with ag.no_grad():
                        p.grad.zero_()

    def step(self, closure=None):
        """Run the closure (if any) with grad enabled, then update every parameter."""
        loss = None
        if closure is not None:
            with ag.enable_grad():
                loss = closure()
        with ag.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None or not p.requires_grad:
                        continue
                    self._update(p, p.grad, group, self.state.setdefault(p, {}))
        return loss

    def _update(self, p, grad, group, state):
        raise NotImplementedError

    # ---- state_dict: parameters referenced by integer ids, as PyTorch does ----------------
    def state_dict(self) -> dict:
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if self.state.get(p):  # as PyTorch, parameters with no state are left out
                    state[index[id(p)]] = {
                        k: (v.clone() if isinstance(v, Tensor) else v)
                        for k, v in self.state[p].items()
                    }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(groups)} parameter groups, "
                f"the optimizer has {len(self.param_groups)}"
            )
        for mine, saved in zip(self.param_groups, groups):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group ({len(saved['params'])} vs {len(mine['params'])})"
                )
        by_id = {}
        for mine, saved in zip(self.param_groups, groups):
            by_id.update(zip(saved["params"], mine["params"]))
            for k, v in saved.items():
                if k != "params":
                    mine[k] = v
        self.state = {}
        for key, values in state_dict["state"].items():
            p = by_id[int(key)]
            restored = {}
            for k, v in values.items():
                if isinstance(v, Tensor):
                    # state lives on the parameter's device and dtype
                    v = v.to(device=p.device, dtype=p.dtype).clone()
                restored[k] = v
            self.state[p] = restored
        for group in self.param_groups:
            if "betas" in group:  # a file round trip may turn the tuple into a list
                group["betas"] = tuple(group["betas"])
