"""`ASGD`: averaged stochastic gradient descent (Polyak and Juditsky, 1992)."""

import autograd_core as ag

from .optimizer import Optimizer, _check


class ASGD(Optimizer):
    """SGD with a decaying step `eta` whose iterates are averaged into `state['ax']` from step
    `t0` on; the parameters themselves follow the plain SGD path."""

    def __init__(
        self,
        params,
        lr=1e-2,
        lambd=1e-4,
        alpha=0.75,
        t0=1e6,
        weight_decay=0,
        *,
        maximize=False,
    ):
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        super().__init__(
            params,
            dict(
                lr=lr,
                lambd=lambd,
                alpha=alpha,
                t0=t0,
                weight_decay=weight_decay,
                maximize=maximize,
            ),
        )

    def _update(self, p, grad, group, state):
        if not state:
            state["step"] = 0
            state["eta"] = float(group["lr"])
            state["mu"] = 1.0
            state["ax"] = ag.zeros_like(p)
        if group["maximize"]:
            grad = -grad
        state["step"] += 1
        step = state["step"]
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        lr, lambd, eta = group["lr"], group["lambd"], state["eta"]
        p.mul_(1 - lambd * eta)
        p.add_(grad, alpha=-eta)
        ax = state["ax"]
        if state["mu"] != 1:
            ax.add_(p.sub(ax).mul_(state["mu"]))
        else:
            ax.copy_(p)
        state["eta"] = lr / (1 + lambd * lr * step) ** group["alpha"]
        state["mu"] = 1 / max(1, step - group["t0"])
