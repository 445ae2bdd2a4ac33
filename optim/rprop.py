"""`Rprop`: resilient backpropagation, per-element step sizes driven by gradient signs."""

import autograd_core as ag

from .optimizer import Optimizer, _check


class Rprop(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        etas=(0.5, 1.2),
        step_sizes=(1e-6, 50),
        *,
        maximize=False,
    ):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(0.0 < etas[0] < 1.0 < etas[1], f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(
            params,
            dict(lr=lr, etas=tuple(etas), step_sizes=tuple(step_sizes), maximize=maximize),
        )

    def _update(self, p, grad, group, state):
        if not state:
            state["step"] = 0
            state["prev"] = ag.zeros_like(p)
            state["step_size"] = ag.full_like(p, group["lr"])
        if group["maximize"]:
            grad = -grad
        state["step"] += 1
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        prev, step_size = state["prev"], state["step_size"]
        sign = grad.mul(prev).sign()
        factor = ag.ones_like(p)
        factor.masked_fill_(sign > 0, etaplus)
        factor.masked_fill_(sign < 0, etaminus)
        step_size.mul_(factor).clamp_(step_size_min, step_size_max)
        # where the gradient changed sign the minimum was overshot: skip that element this
        # step, and remember a zero so the next step neither grows nor shrinks its size
        grad = grad.clone()
        grad.masked_fill_(sign < 0, 0)
        p.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)

    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)
        for group in self.param_groups:  # a file round trip may turn tuples into lists
            group["etas"] = tuple(group["etas"])
            group["step_sizes"] = tuple(group["step_sizes"])
