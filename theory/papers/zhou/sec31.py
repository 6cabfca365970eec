"""`zhou`, Sec. 3.1: SGD (2) and ADAM (3) as the paper prints them.

Both are definitions of algorithms; the claims check that the printed updates are the algorithms the rest of the
paper (and the kernels of checks.dynamics) run: SGD's rewriting with the gradient noise u_t of Sec. 3.2, and ADAM
with the small constant outside the square root (Kingma & Ba), its moments given by the two printed recursions.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, SymbolicEquality
from checks.dynamics.levy import adam_eps_outside, discrete
from theory import Claim, Param, Regime, claim

from .models import SYMBOLS, beta1, beta2, eta

theta = sp.Symbol(r"\theta_t", real=True)
theta_next = sp.Symbol(r"\theta_{t+1}")          # the left side only (no assumptions: never swapped into the formula)
g_S = sp.Symbol(r"\nabla f_{S_t}(\theta_t)", real=True)      # minibatch gradient
g_F = sp.Symbol(r"\nabla F(\theta_t)", real=True)            # full gradient
u_t = sp.Symbol("u_t", real=True)                              # gradient noise u_t = grad F - grad f_S
m_t, v_t = sp.Symbol("m_t", real=True), sp.Symbol("v_t", positive=True)
eps_adam = sp.Symbol(r"\epsilon", positive=True)               # ADAM's small constant
k = sp.Symbol("t", positive=True, integer=True)               # iteration counter

EQ2 = theta - eta * g_S
EQ3 = theta - eta * m_t / (1 - beta1 ** k) / (sp.sqrt(v_t / (1 - beta2 ** k)) + eps_adam)

P_theta, P_eta = Param(theta, -2.0, 2.0, doc="parameter"), Param(eta, 1e-3, 0.5, log=True, doc="learning rate")
SGD_REGIME = Regime((P_theta, P_eta, Param(g_S, -3.0, 3.0, doc="minibatch gradient"),
                     Param(g_F, -3.0, 3.0, doc="full gradient")), (), "one step of minibatch SGD (1-D coordinate)")
ADAM_REGIME = Regime((P_theta, P_eta, Param(beta1, 0.5, 0.95), Param(beta2, 0.9, 0.999), Param(k, 1, 30),
                      Param(eps_adam, 1e-8, 1e-3, log=True), Param(m_t, -1.0, 1.0), Param(v_t, 0.01, 1.0)), (),
                     "ADAM (3) after t steps on a gradient sequence g_s = cos(1.3 s) + 0.2 (1-D coordinate)")


def sgd_kernel_step(p):
    """One step of the SGD kernel (checks.dynamics) on the minibatch gradient."""
    return discrete("sgd", p["eta"]).step(np.array([[p[r"\theta_t"]]]), np.array([[p[r"\nabla f_{S_t}(\theta_t)"]]]))


@claim("zhou.eq2", "Sec. 3.1, Eq. (2)", "Minibatch SGD: theta_{t+1} = theta_t - eta grad f_{S_t}(theta_t)",
       about="algebra")
def eq2():
    return Claim(
        statement=sp.Eq(theta_next, EQ2), regime=SGD_REGIME,
        symbols={**SYMBOLS, r"\theta_t": "iterate", r"\nabla f_{S_t}(\theta_t)": "minibatch gradient (1/S) sum_{i in "
                                                                                 "S_t} "
                 "grad f_i", r"\nabla F(\theta_t)": "full gradient", "u_t": "gradient noise grad F - grad f_S"},
        dynamics="minibatch SGD on F = (1/n) sum f_i", observable="the next iterate",
        notes=["A definition of the algorithm; Sec. 3.2 rewrites it with u_t = grad F - grad f_S as "
               "theta_{t+1} = theta_t - eta grad F + eta u_t, the form every SDE of the paper starts from."],
        checks=[SymbolicEquality("with u_t = grad F - grad f_S it is Sec. 3.2's theta - eta grad F + eta u_t",
                                 lambda c: c.formula.subs(g_S, g_F - u_t), theta - eta * g_F + eta * u_t,
                                 extra=[Param(u_t, -2.0, 2.0)]),
                ExactComparison("one step of the SGD kernel", lambda p: sgd_kernel_step(p)[0, 0],
                                lambda p, f: f(**p), n_points=6, rtol=1e-12)])


def adam_kernel(p):
    """ADAM with eps outside the root (checks.dynamics, as torch.optim.Adam) run for t steps on g_s = cos(1.3 s) + 0.2,
    and the moments m_t, v_t of the two printed recursions (m_0 = v_0 = 0) on the same gradients."""
    steps = int(p["t"])
    grads = np.cos(1.3 * np.arange(1, steps + 1)) + 0.2
    opt = adam_eps_outside(p["eta"], p["beta_1"], p["beta_2"], p[r"\epsilon"])
    th = np.array([[p[r"\theta_t"]]])
    m = v = 0.0
    for s_, g in enumerate(grads, 1):
        m = p["beta_1"] * m + (1 - p["beta_1"]) * g
        v = p["beta_2"] * v + (1 - p["beta_2"]) * g * g
        if s_ < steps:
            th = opt.step(th, np.array([[g]]))
    before = float(th[0, 0])
    after = float(opt.step(th, np.array([[grads[-1]]]))[0, 0])
    return before, after, m, v


@claim("zhou.eq3", "Sec. 3.1, Eq. (3) and the two displays before it",
       "ADAM: theta_{t+1} = theta_t - eta m_t/(1 - beta1^t)/(sqrt(v_t/(1 - beta2^t)) + eps)", about="algebra")
def eq3():
    def exact(p):
        return adam_kernel(p)[1]

    def predict(p, f):
        before, _, m, v = adam_kernel(p)
        return f(**{**p, r"\theta_t": before, "m_t": m, "v_t": v})

    return Claim(
        statement=sp.Eq(theta_next, EQ3), regime=ADAM_REGIME,
        symbols={**SYMBOLS, "m_t": "first moment, m_t = beta1 m_{t-1} + (1 - beta1) grad f_S, m_0 = 0",
                 "v_t": "second moment, v_t = beta2 v_{t-1} + (1 - beta2) [grad f_S]^2, v_0 = 0",
                 r"\epsilon": "ADAM's small constant (outside the square root)", "t": "iteration"},
        dynamics="ADAM (Kingma & Ba) on a gradient sequence", observable="the next iterate",
        notes=["The small constant stands outside the square root, as in Kingma & Ba and torch.optim.Adam; the same "
               "glyph is used for the noise scale of (4)-(5) in Sec. 3 (Theorems 1-2 write the latter as varepsilon)."],
        checks=[ExactComparison("t steps of the ADAM kernel (eps outside the root) against (3) with the printed "
                                "recursions for m_t, v_t", exact, predict, n_points=6, rtol=1e-10)])
