"""`NAdam`: Adam with Nesterov momentum and a momentum schedule (Dozat, 2016)."""

from .optimizer import (
    Optimizer,
    _adam_defaults,
    _adam_grad,
    _check,
    _check_adam_args,
    _init_moments,
)


class NAdam(Optimizer):
    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        momentum_decay=4e-3,
        decoupled_weight_decay=False,
        *,
        maximize=False,
    ):
        _check_adam_args(lr, betas, eps, weight_decay)
        _check(momentum_decay >= 0.0, f"Invalid momentum_decay value: {momentum_decay}")
        defaults = _adam_defaults(
            lr,
            betas,
            eps,
            weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p, grad, group, state):
        if not state:
            _init_moments(p, state, mu_product=1.0)
        state["step"] += 1
        step, lr = state["step"], group["lr"]
        grad = _adam_grad(p, grad, group, decoupled=group["decoupled_weight_decay"])
        beta1, beta2 = group["betas"]
        # the momentum schedule mu_t = beta1 * (1 - 0.5 * 0.96^(t * psi))
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * group["momentum_decay"]))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * group["momentum_decay"]))
        state["mu_product"] *= mu
        mu_product = state["mu_product"]
        mu_product_next = mu_product * mu_next
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction2 = 1 - beta2**step
        denom = exp_avg_sq.div(bias_correction2).sqrt_().add_(group["eps"])
        p.addcdiv_(grad, denom, value=-lr * (1.0 - mu) / (1.0 - mu_product))
        p.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1.0 - mu_product_next))
