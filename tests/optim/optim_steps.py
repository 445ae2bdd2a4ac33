"""Shared by the optimiser tests: a fixed parameter and gradients, a runner that applies them,
and a state_dict round trip check."""

import numpy as np

import autograd_core as ag

P0 = np.array([1.0, -2.0, 0.5])
GRADS = [np.array([0.3, -0.1, 0.2]), np.array([-0.2, 0.4, 0.1]), np.array([0.5, 0.5, -0.3])]


def run(cls, steps=3, grads=GRADS, dtype=ag.float64, device="cpu", **kw):
    """Apply `steps` updates with fixed gradients; return the parameter after each."""
    p = ag.tensor(P0.copy(), dtype=dtype, device=device, requires_grad=True)
    opt = cls([p], **kw)
    out = []
    for g in grads[:steps]:
        p.grad = ag.tensor(g, dtype=dtype, device=device)
        opt.step()
        out.append(p.detach().cpu().numpy().astype(np.float64))
    return out


def check_state_dict_round_trip(cls, kw, through_file, tmp_path, take_steps, steps_before):
    """Two param groups (the second with its own lr), `steps_before` steps, then a fresh
    optimiser loads the state_dict (through a file if asked) and both must take the same next
    3 steps. Returns the state_dict as first taken."""
    init = [ag.randn(3, dtype=ag.float64), ag.randn(2, 2, dtype=ag.float64)]
    ps = [t.clone().requires_grad_(True) for t in init]
    opt = cls([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.02}], **kw)
    take_steps(opt, ps, steps_before)
    sd = first = opt.state_dict()
    if through_file:
        ag.save(sd, tmp_path / "opt.safetensors")
        sd = ag.load(tmp_path / "opt.safetensors")
    qs = [p.detach().clone().requires_grad_(True) for p in ps]
    opt2 = cls([{"params": qs[:1]}, {"params": qs[1:]}], **kw)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[1]["lr"] == 0.02
    take_steps(opt, ps, 3)
    take_steps(opt2, qs, 3)
    for p, q in zip(ps, qs):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12)
    return first
