"""`adai`, Sec. 5 and Eq. (74): Theorem 4 (Adai's convergence bound) and the update rule (74) its proof analyses.

Readings. "Let Adai run for t + 1 iterations" names Algorithm 2; the proof instead "rewrites the main updating rule
of Adai" as (74), a momentum rule without Algorithm 2's bias correction, with any beta_{1,t} in [0, beta_max] ("we do
not need to specify how to update beta_{1,t}"). And "If eta <= C / sqrt(t + 1)" admits any such eta, while the
proof's last step (116) -> (117) substitutes eta = C / sqrt(t + 1). Each reading is a claim of its own:
``.any-eta`` (as printed), ``.eta-equal`` (the proof's: (74), eta = C / sqrt(t + 1)) and ``.algorithm2`` (Adai as
printed, eta = C / sqrt(t + 1)).

Every bound is checked by a worst-case search (checks.bounds.BoundCheck) over smooth nonconvex losses with bounded
gradients, noise, beta sequences and hyperparameters (convergence_checks); calL, G and L* come from the instance.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import BoundCheck, Sample
from checks.base import Undecidable
from checks.dynamics.optimizers import Adai
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc
from . import convergence_models as cm
from .convergence_models import L0, C, G, Lstar, beta_max, calL, delta, eta, t

# --- (74) -------------------------------------------------------------------------------------------------------
theta_next, theta_t, theta_prev = sp.symbols(r"\theta_{t+1} \theta_{t} \theta_{t-1}", real=True)
g_t = sp.Symbol("g_t", real=True)
beta_t = sp.Symbol(r"\beta_{1,t}", nonnegative=True)
P_t, P_prev = sp.symbols(r"\Pi_{t} \Pi_{t-1}", nonnegative=True)  # prod_{z <= t} beta_{1,z}, and up to t - 1
EQ74_RHS = theta_t - eta * (1 - beta_t) * g_t + beta_t * (theta_t - theta_prev)
EQ74_ALG2 = theta_t - eta * (1 - beta_t) / (1 - P_t) * g_t + beta_t * (1 - P_prev) / (1 - P_t) * (theta_t - theta_prev)
STATE = (theta_next, theta_t, theta_prev, g_t, beta_t, P_t, P_prev)
beta0, beta2, eps = sp.symbols("beta_0 beta_2 epsilon", positive=True)
ADAI_REGIME = Regime(
    (
        Param(eta, 1e-3, 0.5, log=True),
        Param(beta0, 0.05, 1.0),
        Param(beta2, 0.5, 0.999),
        Param(eps, 1e-3, 0.5, log=True),
    ),
    (),
    "Algorithm 2 on a noisy 3-parameter quadratic",
)
MOMENTUM_REGIME = Regime(
    (Param(eta, 1e-3, 0.5, log=True), Param(beta_max, 0.0, 0.99)),
    (),
    "(74) with a pseudo-random beta_{1,t} in [0, beta_max]",
)
CURV = np.array([0.2, 1.0, 5.0])  # a quadratic with three curvature scales: Adai's beta_{1,t} differ


def record_adai(point, rng, steps: int = 12, n_paths: int = 4):
    """States of Algorithm 2 (the Adai kernel) on L = sum_i h_i theta_i^2 / 2 with Gaussian gradient noise."""
    opt = Adai(point["eta"], beta0=point["beta_0"], beta2=point["beta_2"], eps=point["epsilon"])
    theta = rng.standard_normal((n_paths, 3))
    prev, out = theta.copy(), []
    for _ in range(steps):
        g = CURV * theta + 0.3 * rng.standard_normal(theta.shape)
        p_before = opt.beta1_prod.copy() if opt.t else np.ones_like(theta)
        new = opt.step(theta, g)
        out.append(
            {
                theta_next.name: new,
                theta_t.name: theta,
                theta_prev.name: prev,
                g_t.name: g,
                beta_t.name: opt.beta1.copy(),
                P_t.name: opt.beta1_prod.copy(),
                P_prev.name: p_before,
                "_scale": np.abs(theta) + point["eta"] * np.abs(g),
                "_step": opt.t - 1,
            }
        )
        prev, theta = theta, new
    return out


def record_momentum(point, rng, steps: int = 12, n_paths: int = 4):
    """States of Algorithm 2's momentum without its bias correction, m_t = beta_t m_{t-1} + (1 - beta_t) g_t,
    theta_{t+1} = theta_t - eta m_t from m_{-1} = 0, with pseudo-random beta_t in [0, beta_max]."""
    theta = rng.standard_normal((n_paths, 3))
    prev, m, out = theta.copy(), np.zeros_like(theta), []
    for step in range(steps):
        b = rng.uniform(0, point[beta_max.name], theta.shape)
        g = CURV * theta + 0.3 * rng.standard_normal(theta.shape)
        m = b * m + (1 - b) * g
        new = theta - point["eta"] * m
        out.append(
            {
                theta_next.name: new,
                theta_t.name: theta,
                theta_prev.name: prev,
                g_t.name: g,
                beta_t.name: b,
                "_scale": np.abs(theta) + point["eta"] * np.abs(g),
                "_step": step,
            }
        )
        prev, theta = theta, new
    return out


PARENT_NOTE = (
    "The printed statement carries the check of the proof's reading, so that a change of the printed formula is "
    "seen; its verdict is the readings' (depends-on-reading where they disagree)."
)
EQ74_NOTE = (
    "Replayed on the recorded states: theta_t, theta_{t-1}, g_t and beta_{1,t} of the run; the statement's "
    "right side must give the run's theta_{t+1}."
)


@claim(
    "adai.eq74",
    "Eq. (74), App. A.6",
    "Adai's update rewritten as heavy ball: theta_{t+1} = theta_t - eta (1 - "
    "beta_{1,t}) g_t + beta_{1,t} (theta_t - theta_{t-1})",
)
def eq74():
    return Claim(
        statement=sp.Eq(theta_next, EQ74_RHS),
        regime=MOMENTUM_REGIME,
        symbols=cm.SYMBOLS,
        dynamics="Adai's update",
        observable="theta_{t+1}",
        notes=[
            "The text calls (74) a rewriting of 'the main updating rule of Adai' (Algorithm 2) and then "
            "lets beta_{1,t} be any sequence: two readings, adai.eq74.algorithm2 and adai.eq74.momentum.",
            PARENT_NOTE,
        ],
        checks=[cc.Replay("the momentum rule replayed against (74) (the proof's reading)", record_momentum, STATE[:5])],
    )


@claim(
    "adai.eq74.algorithm2",
    "Eq. (74), App. A.6",
    "(74) read as Algorithm 2's update",
    reading_of="adai.eq74",
    reading="(74) restates Algorithm 2: the run of Algorithm 2 satisfies it",
)
def eq74_algorithm2():
    return Claim(
        statement=sp.Eq(theta_next, EQ74_RHS),
        regime=ADAI_REGIME,
        symbols=cm.SYMBOLS,
        dynamics="Algorithm 2 (bias-corrected m-hat, its own beta_{1,t})",
        observable="theta_{t+1}",
        notes=[
            EQ74_NOTE,
            "Algorithm 2 divides m_t by 1 - prod_z beta_{1,z}: its first step is -eta g_0, "
            "where (74) moves -eta (1 - beta_{1,0}) g_0.",
        ],
        checks=[cc.Replay("Algorithm 2 (Adai kernel) replayed against (74)", record_adai, STATE)],
    )


@claim(
    "adai.eq74.algorithm2.corrected",
    "Eq. (74), corrected",
    "Algorithm 2's update in heavy-ball form, with its bias correction",
    corrects="adai.eq74.algorithm2",
)
def eq74_algorithm2_corrected():
    return Claim(
        statement=sp.Eq(theta_next, EQ74_ALG2),
        regime=ADAI_REGIME,
        symbols={
            **cm.SYMBOLS,
            r"\Pi_{t}": "prod_{z <= t} beta_{1,z}",
            r"\Pi_{t-1}": "the same up to t - 1 (1 at t = 0)",
        },
        dynamics="Algorithm 2",
        observable="theta_{t+1}",
        notes=[
            EQ74_NOTE,
            "Derived: theta_{t+1} - theta_t = -eta m_t / (1 - Pi_t) and m_{t-1} = -(theta_t - "
            "theta_{t-1})(1 - Pi_{t-1}) / eta; at the first step 1 - Pi_{t-1} = 0.",
        ],
        checks=[cc.Replay("Algorithm 2 (Adai kernel) replayed against the corrected form", record_adai, STATE)],
    )


@claim(
    "adai.eq74.momentum",
    "Eq. (74), App. A.6",
    "(74) read as its own momentum rule, any beta_{1,t} in [0, beta_max]",
    reading_of="adai.eq74",
    reading="(74) is Algorithm 2's momentum without the bias correction, m_{-1} = 0, "
    "beta_{1,t} any sequence in [0, beta_max]",
    proof_reading=True,
)
def eq74_momentum():
    return Claim(
        statement=sp.Eq(theta_next, EQ74_RHS),
        regime=MOMENTUM_REGIME,
        symbols=cm.SYMBOLS,
        dynamics="m_t = beta_{1,t} m_{t-1} + (1 - beta_{1,t}) g_t, theta_{t+1} = theta_t - eta m_t",
        observable="theta_{t+1}",
        notes=[EQ74_NOTE],
        checks=[cc.Replay("the momentum rule replayed against (74)", record_momentum, STATE[:5])],
    )


# --- Theorem 4 -------------------------------------------------------------------------------------------------------
MINSQ = sp.Symbol(r"\min_{k=0,\dots,t} \mathbb{E}[\|\nabla L(\theta_k)\|^2]", nonnegative=True)
C1 = (L0 - Lstar) / ((1 - beta_max) ** 2 * C)
C2 = beta_max * C / (2 * (1 - beta_max) ** 2) * G**2
C3 = calL * C / (2 * (1 - beta_max) ** 2) * (G**2 + delta**2)
THM4_BOUND = (C1 + C2 + C3) / sp.sqrt(t + 1)
THM4_ANY_ETA = (L0 - Lstar) / ((1 - beta_max) ** 2 * (t + 1) * eta) + (C2 + C3) / sp.sqrt(t + 1)
P_t4 = Param(t, 0, 60, doc="iterations run: t + 1")
P_bmax = Param(beta_max, 0.0, 0.99, doc="beta_{1,max} = 1 - eps")
THM4_REGIME = Regime(
    (P_t4, P_bmax),
    (),
    "L calL-smooth, L >= L*, E xi = 0, E||g - grad L||^2 <= delta^2, ||grad L|| <= G; eta <= C / sqrt(t + 1)",
)
C_REL = cc._p(
    "c", 0.05, 20.0, log=True, doc="C relative to sqrt(2 (L(theta_0) - L*) / (calL (G^2 + delta^2)))", positive=True
)
U_ETA = cc._p("u", 0.01, 1.0, log=True, doc="eta as a fraction of C / sqrt(t + 1)", positive=True)
THM4_SYMBOLS = {**cm.SYMBOLS, MINSQ.name: "min over k <= t of E||grad L(theta_k)||^2"}


def thm4_eta(point, nominal):
    """C = c C_bal (C_bal balances C1 and C3 at beta_max = 0) and eta = u C / sqrt(t + 1)."""
    gap, noise = nominal["L0"] - nominal["Lstar"], nominal["G"] ** 2 + nominal["delta"] ** 2
    if not (gap > 0 and noise > 0):
        raise Undecidable("a degenerate instance (theta_0 at the minimum, no noise)", "instance")
    c_bal = math.sqrt(2 * gap / (nominal["calL"] * noise))
    c_val = point["c"] * c_bal
    return point.get("u", 1.0) * c_val / math.sqrt(point["t"] + 1), {C.name: c_val}


def min_grad_sq(E, tt, values) -> dict:
    return {MINSQ.name: float(E.mean_sq(E.grad[: tt + 1]).min())}


def thm4_checks(statement, regime, with_u: bool, deep=("two-point", "quadratic")) -> list:
    extra = (C_REL, U_ETA) if with_u else (C_REL,)
    kw = {
        "steps_of": lambda tt: tt,
        "eta_of": thm4_eta,
        "extra": extra,
        "maxiter": 4,
        "polish": 60,
        "hypothesis_examples": 40,
    }
    return cc.modes("Theorem 4", statement, regime, min_grad_sq, ("noise-free",), deep, **kw)


def mc_simulate(values, n_paths, rng):
    """Gaussian gradient noise on a loss of the point's family: ||grad L(theta_k)||^2 per path, k = 0..t."""
    tt = int(values["t"])
    loss = cm.loss_from(values)
    thetas, _ = cm.run_eq74(
        loss,
        [values["theta_0"]],
        values["eta"],
        values[cm.beta.label.name],
        tt,
        noise=1,
        delta=values["delta"],
        n_paths=n_paths,
        rng=rng,
    )
    gsq = (loss.grad(thetas) ** 2).sum(-1)
    return Sample(gsq.T, [f"||grad L(theta_{kk})||^2" for kk in range(tt + 1)])


def mc_derive(point):
    """The instance's constants, C and eta (the noise is simulated: delta = d sigma)."""
    loss = cm.loss_from(point)
    smooth, gmax, lower = loss.constants()
    d_val = point["d"] * point["sigma"]
    l0 = float(loss.loss(np.array([point["theta_0"]])))
    eta_v, more = thm4_eta(point, {"L0": l0, "Lstar": lower, "calL": smooth, "G": gmax, "delta": d_val})
    betas = cm.beta_schedule(int(point["schedule"]), point[beta_max.name], point["s"], int(point["t"]) + 1)
    return {
        eta.name: eta_v,
        calL.name: smooth,
        G.name: gmax,
        delta.name: d_val,
        L0.name: l0,
        Lstar.name: lower,
        cm.beta.label.name: betas,
        **more,
    }


def thm4_monte_carlo(statement, regime) -> BoundCheck:
    return BoundCheck(
        "Theorem 4: Gaussian noise, four loss families (Monte Carlo, min_k E by an intersection-union test)",
        simulate=mc_simulate,
        derive=mc_derive,
        reduce="min",
        instances=cc.MODES["two-point"] + (C_REL,),
        derived=cc.statement_symbols(statement, regime),
        n_paths=300,
        refine_paths=20_000,
        maxiter=4,
        popsize=5,
        hypothesis_examples=10,
        deep_factor=4.0,
        self_test="replay",
    )


MC_REGIME = Regime((Param(t, 0, 30), P_bmax))
THM4_NOTE = (
    "Searched: t, beta_max, the loss family and its shape, theta_0, the beta sequence, C (relative to the C "
    "that balances C1 and C3 at beta_max = 0) and the noise; calL, G, L* and delta are the instance's. At t = 0 "
    "the bound is met with equality by the Huber loss started at its kink with delta = 0, beta_max = 0 and "
    "the balancing C: C1 + C3 >= 2 sqrt(C1 C3) >= ||grad L(theta_0)||^2."
)


@claim(
    "adai.thm4",
    "Theorem 4",
    "Convergence of Adai: min_k E||grad L(theta_k)||^2 <= (C1 + C2 + C3) / sqrt(t + 1)",
    uses=["adai.eq74", "adai.lemma1", "adai.lemma2", "adai.lemma3", "adai.lemma4", "adai.eq117"],
)
def thm4():
    return Claim(
        statement=sp.Le(MINSQ, THM4_BOUND, evaluate=False),
        regime=THM4_REGIME,
        symbols=THM4_SYMBOLS,
        dynamics="Adai",
        observable=MINSQ.name,
        notes=[
            "Three readings (module docstring): adai.thm4.any-eta, adai.thm4.eta-equal (the proof's), "
            "adai.thm4.algorithm2.",
            "C2 is not homogeneous with the other terms (it lacks a factor calL): "
            "rescaling the loss changes C2's weight, which the search's height sigma explores.",
            PARENT_NOTE,
        ],
        checks=thm4_checks(sp.Le(MINSQ, THM4_BOUND, evaluate=False), THM4_REGIME, with_u=False, deep=()),
    )


@claim(
    "adai.thm4.any-eta",
    "Theorem 4",
    "Theorem 4 for any eta <= C / sqrt(t + 1), as printed",
    reading_of="adai.thm4",
    reading="'If eta <= C / sqrt(t + 1)': any such eta, the process (74)",
)
def thm4_any_eta():
    st = sp.Le(MINSQ, THM4_BOUND, evaluate=False)
    return Claim(
        statement=st,
        regime=THM4_REGIME,
        symbols=THM4_SYMBOLS,
        dynamics="(74), beta_{1,t} in [0, beta_max]",
        observable=MINSQ.name,
        notes=[
            THM4_NOTE,
            "eta = u C / sqrt(t + 1) with u in (0, 1] searched: as "
            "eta -> 0 the iterates stay at theta_0 and the left side stays "
            "||grad L(theta_0)||^2 while the bound falls like 1/sqrt(t + 1).",
        ],
        checks=thm4_checks(st, THM4_REGIME, with_u=True, deep=()),
    )


@claim(
    "adai.thm4.eta-equal",
    "Theorem 4",
    "Theorem 4 with eta = C / sqrt(t + 1), for (74)",
    reading_of="adai.thm4",
    reading="eta = C / sqrt(t + 1), as the proof substitutes in (117); the process (74) with any beta_{1,t} in "
    "[0, beta_max]",
    proof_reading=True,
)
def thm4_eta_equal():
    st = sp.Le(MINSQ, THM4_BOUND, evaluate=False)
    return Claim(
        statement=st,
        regime=THM4_REGIME,
        symbols=THM4_SYMBOLS,
        dynamics="(74), beta_{1,t} in [0, beta_max]",
        observable=MINSQ.name,
        notes=[THM4_NOTE],
        checks=thm4_checks(st, THM4_REGIME, with_u=False) + [thm4_monte_carlo(st, MC_REGIME)],
    )


@claim(
    "adai.thm4.corrected",
    "Theorem 4, corrected",
    "Theorem 4 for any eta <= C / sqrt(t + 1), with C1 / sqrt(t + 1) "
    "replaced by (L(theta_0) - L*) / ((1 - beta_max)^2 (t + 1) eta)",
    corrects="adai.thm4.any-eta",
)
def thm4_corrected():
    st = sp.Le(MINSQ, THM4_ANY_ETA, evaluate=False)
    return Claim(
        statement=st,
        regime=THM4_REGIME,
        symbols=THM4_SYMBOLS,
        dynamics="(74), beta_{1,t} in [0, beta_max]",
        observable=MINSQ.name,
        notes=[
            THM4_NOTE,
            "Derived from (116), whose first term decreases in eta: with eta < C / sqrt(t + 1) "
            "it cannot be bounded by C1 / sqrt(t + 1). At eta = C / sqrt(t + 1) this is Theorem 4.",
        ],
        checks=thm4_checks(st, THM4_REGIME, with_u=True),
    )
