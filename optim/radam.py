"""`RAdam`: Adam with the variance of the adaptive step rectified (Liu et al., 2019)."""

import math

from .optimizer import Optimizer, _adam_defaults, _adam_grad, _check_adam_args, _init_moments


class RAdam(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        decoupled_weight_decay=False,
        *,
        maximize=False,
    ):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = _adam_defaults(
            lr,
            betas,
            eps,
            weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p, grad, group, state):
        if not state:
            _init_moments(p, state)
        state["step"] += 1
        step, lr = state["step"], group["lr"]
        grad = _adam_grad(p, grad, group, decoupled=group["decoupled_weight_decay"])
        beta1, beta2 = group["betas"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        # rho_t: length of the approximated simple moving average of squared gradients
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2**step / bias_correction2
        if rho_t > 5.0:
            # the variance of the adaptive step is tractable: rectify it
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            denom = exp_avg_sq.sqrt().add_(group["eps"])
            scale = lr * rect * math.sqrt(bias_correction2) / bias_correction1
            p.addcdiv_(exp_avg, denom, value=-scale)
        else:
            # early steps: plain (bias-corrected) momentum, no adaptive denominator
            p.add_(exp_avg, alpha=-lr / bias_correction1)
