"""Optimizer conventions: the papers' printed algorithms (the defaults) and the forms users train with
(torch.optim, the official Adai code), each checked step by step against updates computed by hand; a
claim checked under a chosen convention (``--optimizer-convention``), and the ledger saying which."""
from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest

from checks.dynamics.optimizers import (
    CONVENTION,
    Adai,
    AdaiW,
    Adam,
    AMSGrad,
    OptimizerError,
    RMSprop,
    current_convention,
    for_convention,
    rmsprop,
)


# --- Adam: eps inside (printed) or outside (Kingma & Ba, torch.optim.Adam) -------------------------------
def test_adam_eps_outside_two_steps_by_hand():
    opt = Adam(0.1, beta1=0.9, beta2=0.999, eps=1.0, eps_inside=False)
    # t = 1, g = 2: m-hat = 2, v-hat = 4: -0.1 * 2 / (2 + 1)      (eps inside: -0.1 * 2 / sqrt(5))
    assert np.allclose(opt.update([2.0]), [-0.2 / 3])
    # t = 2, g = -1: m = 0.18 - 0.1 = 0.08, v = 0.999 * 0.004 + 0.001 = 0.004996
    m_hat, v_hat = 0.08 / (1 - 0.9 ** 2), 0.004996 / (1 - 0.999 ** 2)
    assert np.allclose(opt.update([-1.0]), [-0.1 * m_hat / (math.sqrt(v_hat) + 1.0)])


def test_adam_conventions_part_at_small_gradients():
    """At gradients of 1e-5 (eps = 1e-8) the placement of eps changes the step tenfold; at gradients of
    order 1 the two agree to 1e-8: "does the theorem hold for the optimizer I run?" is a real question."""
    rng = np.random.default_rng(1)
    for scale, close in ((1e-5, False), (1.0, True)):
        paper, torch = Adam(1e-3), Adam(1e-3, eps_inside=False)
        x_paper = x_torch = np.zeros(4)
        for _ in range(1000):
            g = scale * (1 + rng.standard_normal(4))
            x_paper, x_torch = paper.step(x_paper, g), torch.step(x_torch, g)
        gap = np.max(np.abs(x_paper - x_torch) / np.abs(x_torch))
        assert (gap < 1e-6) if close else (gap > 0.5), (scale, gap)


# --- AMSGrad: as `ziyin` prints it, or torch.optim.Adam(amsgrad=True) --------------------------------------
def test_amsgrad_torch_three_steps_by_hand():
    opt = AMSGrad(0.1, beta1=0.9, beta2=0.9, torch=True)          # eps defaults to torch's 1e-8
    assert opt.eps == 1e-8
    # t = 1, g = 2: m = 0.2, v = 0.4 = v-max; m / (1 - 0.9) = 2, sqrt(0.4 / 0.1) = 2
    assert np.allclose(opt.update([2.0]), [-0.1 * 2 / (2 + 1e-8)])
    # t = 2, g = 0.1: m = 0.19, v = 0.361, v-max stays 0.4 (max of the RAW v); bias corrections 0.19 and 0.19
    step2 = -0.1 * (0.19 / 0.19) / (math.sqrt(0.4 / 0.19) + 1e-8)
    assert np.allclose(opt.update([0.1]), [step2])
    # (the max of the bias-corrected v-hat would be max(4, 0.361/0.19 = 1.9) = 4, a step of -0.05: different)
    assert not np.isclose(step2, -0.1 * 1 / 2)
    # t = 3, g = 0.1: m = 0.171 + 0.01 = 0.181, v = 0.3249 + 0.001 = 0.3259 < 0.4
    bc1, bc2 = 1 - 0.9 ** 3, 1 - 0.9 ** 3
    assert np.allclose(opt.update([0.1]), [-0.1 * (0.181 / bc1) / (math.sqrt(0.4 / bc2) + 1e-8)])


def test_amsgrad_default_unchanged_and_torch_without_max_is_torch_adam():
    g = np.random.default_rng(2).standard_normal((30, 3))
    a = AMSGrad(0.1, beta1=0.0, beta2=0.9)
    assert a.eps == 0.0 and not a.torch
    v = vmax = np.zeros(3)
    for gi in g:                                   # ziyin (13)-(16): no bias correction, max of v, no eps
        v = 0.9 * v + 0.1 * gi * gi
        vmax = np.maximum(vmax, v)
        assert np.allclose(a.update(gi), -0.1 * gi / np.sqrt(vmax), rtol=1e-13)
    t1 = AMSGrad(0.1, beta1=0.9, beta2=0.99, torch=True, amsgrad=False)
    t2 = Adam(0.1, 0.9, 0.99, 1e-8, eps_inside=False)
    for gi in g:
        assert np.allclose(t1.update(gi), t2.update(gi), rtol=1e-12)
    with pytest.raises(OptimizerError, match="printed_m"):
        AMSGrad(0.1, printed_m=True, torch=True)


# --- RMSprop: Adam with beta1 = 0 (the paper) or torch.optim.RMSprop -----------------------------------------
def test_rmsprop_torch_two_steps_by_hand():
    opt = RMSprop(0.01, beta2=0.99, eps=1e-8, bias_correction=False, eps_inside=False)
    # t = 1, g = 2: v = 0.01 * 4 = 0.04 (no bias correction): -0.01 * 2 / (0.2 + 1e-8)
    assert np.allclose(opt.update([2.0]), [-0.02 / (0.2 + 1e-8)])
    # t = 2, g = -1: v = 0.0396 + 0.01 = 0.0496
    assert np.allclose(opt.update([-1.0]), [0.01 / (math.sqrt(0.0496) + 1e-8)])


def test_rmsprop_defaults_are_the_papers():
    g = np.random.default_rng(3).standard_normal((20, 2))
    new, old = RMSprop(0.01, beta2=0.9, eps=1e-3), rmsprop(0.01, beta2=0.9, eps=1e-3)
    for gi in g:
        assert np.allclose(new.update(gi), old.update(gi), rtol=1e-13)
    # bias correction alone: t = 1, g = 2, beta2 = 0.9: v-hat = 4 (corrected) vs v = 0.4
    assert np.allclose(RMSprop(1.0, 0.9, eps=0.0).update([2.0]), [-1.0])
    assert np.allclose(RMSprop(1.0, 0.9, eps=0.0, bias_correction=False).update([2.0]), [-2 / math.sqrt(0.4)])


# --- Adai: as printed (no decay) or the official code (coupled L2, or decoupled) --------------------------
def official_adai(theta, grads, lr, beta0, beta2, eps, weight_decay, decoupled):
    """adai_optim/adai.py of zeke-xie/adaptive-inertia-adai, transcribed line by line for one parameter
    group of plain floats (no numpy): the reference the vectorized class must match."""
    theta = [float(x) for x in theta]
    n = len(theta)
    m, v, prod = [0.0] * n, [0.0] * n, [1.0] * n
    path = []
    for step, grad in enumerate(grads, start=1):
        grad = [float(x) for x in grad]
        bc2 = 1 - beta2 ** step
        for i in range(n):
            if weight_decay != 0 and not decoupled:
                grad[i] += weight_decay * theta[i]
            elif weight_decay != 0 and decoupled:
                theta[i] *= 1 - lr * weight_decay
            v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]
        mean = sum(vi / bc2 for vi in v) / n
        for i in range(n):
            beta1 = min(max(1 - beta0 * (v[i] / bc2) / mean, 0.0), 1 - eps)
            prod[i] *= beta1
            m[i] = beta1 * m[i] + (1 - beta1) * grad[i]
            theta[i] -= lr * m[i] / (1 - prod[i])
        path.append(list(theta))
    return np.array(path)


def test_adai_coupled_weight_decay_first_steps_by_hand():
    theta, lr, wd = np.array([1.0, -2.0]), 0.1, 0.1
    opt = Adai(lr, beta0=0.1, beta2=0.99, eps=1e-3, weight_decay=wd)
    # t = 1: g' = g + wd theta = (0.6, -0.1); m-hat = g' at the first step
    theta1 = opt.step(theta, [0.5, 0.1])
    assert np.allclose(theta1, [1 - 0.06, -2 + 0.01])
    # t = 2 with g = (0.5, 0.1) again: g' = g + 0.1 theta1 = (0.594, -0.099)
    g2 = np.array([0.5, 0.1]) + wd * theta1
    v = 0.99 * 0.01 * np.array([0.6, -0.1]) ** 2 + 0.01 * g2 ** 2
    v_hat = v / (1 - 0.99 ** 2)
    b1_first = 1 - 0.1 * (np.array([0.36, 0.01]) / 0.185)                 # step 1: v-hat = g'^2, mean 0.185
    b1 = np.clip(1 - 0.1 * v_hat / v_hat.mean(), 0, 1 - 1e-3)
    m = b1 * (1 - b1_first) * np.array([0.6, -0.1]) + (1 - b1) * g2
    assert np.allclose(opt.step(theta1, [0.5, 0.1]), theta1 - lr * m / (1 - b1_first * b1))


@pytest.mark.parametrize("decoupled", [False, True])
def test_adai_weight_decay_matches_the_official_code(decoupled):
    rng = np.random.default_rng(4)
    grads = rng.standard_normal((25, 5)) * np.array([1, 0.1, 3, 0.5, 1e-3])
    theta0 = rng.standard_normal(5)
    want = official_adai(theta0, grads, lr=0.05, beta0=0.1, beta2=0.99, eps=1e-3, weight_decay=5e-2,
                         decoupled=decoupled)
    opt, theta, got = Adai(0.05, weight_decay=5e-2, decoupled=decoupled), theta0.copy(), []
    for g in grads:
        theta = opt.step(theta, g)
        got.append(theta)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-14)


def test_adai_defaults_unchanged_and_adaiw_is_decoupled():
    rng = np.random.default_rng(5)
    grads, theta0 = rng.standard_normal((10, 4)), rng.standard_normal(4)
    want = official_adai(theta0, grads, 0.1, 0.1, 0.99, 1e-3, 0.0, False)      # no decay = Algorithm 2
    opt, theta = Adai(0.1), theta0.copy()
    for g, w in zip(grads, want):
        theta = opt.step(theta, g)
        assert np.allclose(theta, w, rtol=1e-12)
    a, b = AdaiW(0.1, weight_decay=0.3), Adai(0.1, weight_decay=0.3, decoupled=True)
    x = y = theta0.copy()
    for g in grads:
        x, y = a.step(x, g), b.step(y, g)
    assert np.allclose(x, y, rtol=1e-13)
    with pytest.raises(OptimizerError, match="needs the parameters"):
        Adai(0.1, weight_decay=0.1).update([1.0, 2.0])
    with pytest.raises(OptimizerError, match="weight_decay >= 0"):
        Adai(0.1, weight_decay=-1.0)


# --- a run's convention reaches the optimizers ------------------------------------------------------------
def test_for_convention_builds_each_library_form():
    assert for_convention("adam", 0.1, "paper").eps_inside and not for_convention("adam", 0.1, "torch").eps_inside
    assert for_convention("amsgrad", 0.1, "torch").torch and not for_convention("amsgrad", 0.1, "paper").torch
    r = for_convention("rmsprop", 0.1, "torch")
    assert isinstance(r, RMSprop) and not r.bias_correction and not r.eps_inside
    assert for_convention("adai", 0.1, "torch", weight_decay=1e-3).weight_decay == 1e-3
    with pytest.raises(OptimizerError, match="convention"):
        for_convention("adam", 0.1, "tensorflow")
    with pytest.raises(OptimizerError, match="no optimizer named"):
        for_convention("lion", 0.1, "paper")


def test_run_context_sets_the_convention_of_each_check():
    from checks.base import FormulaCheck, RunContext
    from checks.result import PASS, CheckResult

    seen = []

    class Probe(FormulaCheck):
        name = "probe"

        def _run(self, claim, ctx):
            seen.append(current_convention())
            return CheckResult("symbolic", self.name, PASS, "probe")

    class C:
        id, origin = "x.eq1", "test"

    Probe().run(C(), RunContext(convention="torch"))
    Probe().run(C(), RunContext())
    assert seen == ["torch", "paper"] and CONVENTION.get() == "paper"


CONVENTION_CLAIM = textwrap.dedent('''
    """One step of Adam from m = v = 0 moves theta by -eta g / (|g| + epsilon): eps outside the root, as
    torch.optim.Adam computes it (the `adai` paper prints sqrt(g^2 + eps))."""
    import numpy as np
    import sympy as sp
    from theorycheck import claim, Claim, Param, Regime, ExactComparison
    from checks.dynamics.optimizers import for_convention

    eta, g, e = sp.symbols("eta g epsilon", positive=True)

    def one_step(point):
        opt = for_convention("adam", point["eta"], eps=point["epsilon"])   # the run's convention
        return opt.update(np.array([point["g"]]))

    @claim("conv.step1", "Eq. (1)", "first Adam step with eps outside the root")
    def step1():
        return Claim(statement=sp.Eq(sp.Symbol(r"\\Delta\\theta_{1}"), -eta * g / (g + e)),
                     regime=Regime((Param(eta, 1e-3, 1e-1), Param(g, 1e-5, 1e-3, log=True),
                                    Param(e, 1e-5, 1e-3, log=True))),
                     checks=[ExactComparison("one step of the optimizer", one_step, lambda p, f: [f(**p)])])
''')


def test_cli_checks_a_claim_under_a_convention_and_records_which(tmp_path, capsys, monkeypatch):
    from theorycheck.cli import main

    path = tmp_path / "conv.py"
    path.write_text(CONVENTION_CLAIM)
    monkeypatch.chdir(tmp_path)
    status = {}
    for convention in ("paper", "torch"):
        assert main(["verify", str(path), "--optimizer-convention", convention, "--json", "--record"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["run"]["convention"] == convention
        status[convention] = out["claims"][0]["status"]
    assert status == {"paper": "refuted", "torch": "verified"}
    ledger = json.loads((tmp_path / "theorycheck.lock").read_text())["claims"]
    assert ledger["conv.step1"]["status"] == "refuted" and ledger["conv.step1"]["convention"] == "paper"
    assert ledger["conv.step1@torch"]["status"] == "verified" and ledger["conv.step1@torch"]["convention"] == "torch"
    assert main(["verify", str(path), "--optimizer-convention", "torch", "--strict", "-q"]) == 0
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(path), "--optimizer-convention", "jax"])
    assert exit_.value.code == 2 and "invalid choice: 'jax'" in capsys.readouterr().err
