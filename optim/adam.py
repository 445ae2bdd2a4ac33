"""`Adam` and `AdamW`: bias-corrected moment estimates; AdamW decays weights decoupled."""

import math

import autograd_core as ag

from .optimizer import Optimizer, _adam_defaults, _adam_grad, _check_adam_args, _init_moments


class Adam(Optimizer):
    _decoupled = False

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        maximize=False,
    ):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = _adam_defaults(lr, betas, eps, weight_decay, amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, p, grad, group, state):
        if not state:
            _init_moments(p, state)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = ag.zeros_like(p)
        state["step"] += 1
        step, lr = state["step"], group["lr"]
        grad = _adam_grad(p, grad, group, decoupled=self._decoupled)
        beta1, beta2 = group["betas"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        if group["amsgrad"]:
            state["max_exp_avg_sq"].copy_(ag.maximum(state["max_exp_avg_sq"], exp_avg_sq))
            second = state["max_exp_avg_sq"]
        else:
            second = exp_avg_sq
        denom = second.sqrt().div_(math.sqrt(bias_correction2)).add_(group["eps"])
        p.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)


class AdamW(Adam):
    _decoupled = True

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
