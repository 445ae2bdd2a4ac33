"""`Adamax`: Adam with the infinity norm of past gradients in place of the second moment."""

from .optimizer import Optimizer, _adam_defaults, _adam_grad, _check_adam_args, _init_moments


class Adamax(Optimizer):
    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        *,
        maximize=False,
    ):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = _adam_defaults(lr, betas, eps, weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _update(self, p, grad, group, state):
        if not state:
            _init_moments(p, state, second="exp_inf")
        state["step"] += 1
        grad = _adam_grad(p, grad, group, decoupled=False)
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        exp_avg.lerp_(grad, 1 - beta1)
        # eps is added to |g| before the max, as PyTorch does, so exp_inf is never zero
        exp_inf.mul_(beta2).maximum_(grad.abs().add_(group["eps"]))
        bias_correction = 1 - beta1 ** state["step"]
        p.addcdiv_(exp_avg, exp_inf, value=-group["lr"] / bias_correction)
