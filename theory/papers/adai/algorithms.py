"""`adai`, Sec. 4-5 and App. G: Algorithms 1 (Adam), 2 (Adai) and 3 (AdaiS/AdaiW) as printed, and Sec. 5's defaults.

Each algorithm's statement is its printed update, one step as a map from the state before it (moments, products,
theta_t) and g_t to the state after it; the check runs the optimizer of checks/dynamics/optimizers.py and replays every
recorded step against the statement. Algorithm 2 couples the parameters through the mean of v-hat: it is written for
n = 2 parameters (the check runs two-parameter models). Reading of "Algorithm 1: Adam": the update as printed (eps
inside the square root) and, as a claim of its own, the statement that it is Adam as Kingma & Ba define it (eps
added to sqrt(v-hat), as torch.optim.Adam does).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, SymbolicEquality
from checks.dynamics.optimizers import Adai, AdaiW, Adam
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc

t = sp.Symbol("t", integer=True, positive=True)
eta, beta1, beta2, eps, beta0, lam = sp.symbols(r"eta beta_1 beta_2 epsilon beta_0 lambda", positive=True)
# the state before step t and after it (one coordinate for Algorithm 1; coordinates 1, 2 for Algorithms 2, 3)
m0, v0, th0, g0 = sp.symbols(r"m_{t-1} v_{t-1} \theta_t g_t", real=True)
m1, v1, th1 = sp.symbols(r"m_t v_t \theta_{t+1}", real=True)


def two(name, **kw):
    return tuple(sp.Symbol(f"{name}_{{{i}}}", **kw) for i in (1, 2))


M0, V0, P0, TH0, G0 = (
    two("m_{t-1}", real=True),
    two("v_{t-1}", real=True),
    two(r"\Pi_{t-1}", real=True),
    two(r"\theta_t", real=True),
    two("g_t", real=True),
)
M1, V1, B1, P1, TH1 = (
    two("m_t", real=True),
    two("v_t", real=True),
    two(r"\beta_{1,t}", real=True),
    two(r"\Pi_t", real=True),
    two(r"\theta_{t+1}", real=True),
)

# --- the printed updates -------------------------------------------------------------------------------------------
ALG1_M = beta1 * m0 + (1 - beta1) * g0
ALG1_V = beta2 * v0 + (1 - beta2) * g0**2
ALG1 = sp.Matrix([ALG1_M, ALG1_V, th0 - eta / sp.sqrt(ALG1_V / (1 - beta2**t) + eps) * (ALG1_M / (1 - beta1**t))])
ALG1_KB = sp.Matrix([ALG1_M, ALG1_V, th0 - eta / (sp.sqrt(ALG1_V / (1 - beta2**t)) + eps) * (ALG1_M / (1 - beta1**t))])


def clip(x, low, high):
    """Clip(low, high) of Algorithm 2, as a piecewise expression."""
    return sp.Piecewise((low, x < low), (high, x > high), (x, True))


def adai_rows(decay: bool) -> sp.Matrix:
    """Algorithm 2 (decay=False) or 3, n = 2: v_t, beta_{1,t}, m_t, prod_z beta_{1,z}, theta_{t+1}, per coordinate."""
    v = [beta2 * V0[i] + (1 - beta2) * G0[i] ** 2 for i in range(2)]
    vhat = [v[i] / (1 - beta2**t) for i in range(2)]
    vbar = (vhat[0] + vhat[1]) / 2  # mean(v-hat_t)
    b = [clip(1 - beta0 / vbar * vhat[i], 0, 1 - eps) for i in range(2)]
    m = [b[i] * M0[i] + (1 - b[i]) * G0[i] for i in range(2)]
    prod = [P0[i] * b[i] for i in range(2)]  # prod_{z=1}^t beta_{1,z}
    theta = [TH0[i] - eta * m[i] / (1 - prod[i]) - (lam * eta * TH0[i] if decay else 0) for i in range(2)]
    return sp.Matrix(v + b + m + prod + theta)


ALG2, ALG3 = adai_rows(False), adai_rows(True)
ADAM_REGIME = Regime(
    (
        Param(eta, 1e-3, 0.1, log=True),
        Param(beta1, 0.5, 0.99),
        Param(beta2, 0.9, 0.9999),
        Param(eps, 1e-10, 1e-4, log=True),
    ),
    (),
    "Adam's hyperparameters; gradients of scale 1e-6 .. 1",
)
ADAI_REGIME = Regime(
    (
        Param(eta, 1e-3, 1.0, log=True),
        Param(beta0, 0.05, 1.0),
        Param(beta2, 0.5, 0.999),
        Param(eps, 1e-3, 0.5, log=True),
    ),
    (),
    "Adai's hyperparameters, two parameters",
)
ADAIW_REGIME = ADAI_REGIME.extended(Param(lam, 1e-4, 0.1, log=True))
GRAD_SCALES = np.array([1e-6, 1e-4, 1e-2, 1.0])


def record_adam(make):
    def record(point, rng, steps: int = 10, n_paths: int = 3):
        """Adam on gradients of four scales (eps matters at the small ones), state before and after each step."""
        opt = make(point)
        theta = rng.standard_normal((n_paths, 4))
        m, v, out = np.zeros_like(theta), np.zeros_like(theta), []
        for step in range(1, steps + 1):
            g = GRAD_SCALES * (1 + 0.5 * rng.standard_normal(theta.shape))
            new = opt.step(theta, g)
            out.append(
                {
                    "t": step,
                    m0.name: m,
                    v0.name: v,
                    th0.name: theta,
                    g0.name: g,
                    m1.name: opt.m.copy(),
                    v1.name: opt.v.copy(),
                    th1.name: new,
                    "_step": step,
                    "_scale": np.array(
                        [np.abs(opt.m) + GRAD_SCALES, opt.v + GRAD_SCALES**2, np.abs(theta) + point["eta"]]
                    )[:, None],
                }
            )
            m, v, theta = opt.m.copy(), opt.v.copy(), new
        return out

    return record


def record_adai(decoupled: bool):
    def record(point, rng, steps: int = 10, n_paths: int = 4):
        """Algorithm 2 or 3 on a two-parameter quadratic with noise (gradient scales 1 and 1e-3 apart, so both
        clip bounds are met): the state before and after each step."""
        kw = {"beta0": point["beta_0"], "beta2": point["beta_2"], "eps": point["epsilon"]}
        opt = AdaiW(point["eta"], weight_decay=point["lambda"], **kw) if decoupled else Adai(point["eta"], **kw)
        theta = rng.standard_normal((n_paths, 2))
        m, v, p, out = np.zeros_like(theta), np.zeros_like(theta), np.ones_like(theta), []
        for step in range(1, steps + 1):
            g = np.array([1.0, 1e-3]) * (theta + 0.5 * rng.standard_normal(theta.shape))
            new = opt.step(theta, g)
            state = {"t": step, "_step": step}
            for i in range(2):
                state.update(
                    {
                        M0[i].name: m[:, i],
                        V0[i].name: v[:, i],
                        P0[i].name: p[:, i],
                        TH0[i].name: theta[:, i],
                        G0[i].name: g[:, i],
                        V1[i].name: opt.v[:, i].copy(),
                        B1[i].name: opt.beta1[:, i].copy(),
                        M1[i].name: opt.m[:, i].copy(),
                        P1[i].name: opt.beta1_prod[:, i].copy(),
                        TH1[i].name: new[:, i],
                    }
                )
            state["_scale"] = np.concatenate(
                [
                    opt.v.T + 1e-12,
                    np.ones((2, n_paths)),
                    np.abs(opt.m.T) + 1e-6,
                    np.ones((2, n_paths)),
                    np.abs(theta.T) + point["eta"],
                ]
            )[:, None, :]
            out.append(state)
            m, v, p, theta = opt.m.copy(), opt.v.copy(), opt.beta1_prod.copy(), new
        return out

    return record


STATE1 = (m0, v0, th0, g0, m1, v1, th1, t)
STATE2 = (*M0, *V0, *P0, *TH0, *G0, *M1, *V1, *B1, *P1, *TH1, t)
NOTE = "The kernel's state (m, v, prod beta, theta) before and after each step is replayed against the statement."


def adam_claim(statement, checks, notes=()):
    return Claim(
        statement=statement,
        regime=ADAM_REGIME,
        dynamics="Algorithm 1",
        observable="one step's state",
        about="algebra",
        notes=[NOTE, *notes],
        checks=checks,
        symbols={"m_t": "first moment", "v_t": "second moment", "t": "step (from 1)"},
    )


@claim(
    "adai.alg1",
    "Algorithm 1, Sec. 4",
    "Adam as printed: bias-corrected m and v, theta_{t+1} = theta_t - eta m-hat / sqrt(v-hat + eps)",
)
def alg1():
    return adam_claim(
        sp.Eq(sp.Matrix([m1, v1, th1]), ALG1),
        [
            cc.Replay(
                "Adam kernel (the paper's convention) replayed",
                record_adam(lambda p: Adam(p["eta"], p["beta_1"], p["beta_2"], p["epsilon"])),
                STATE1,
            )
        ],
    )


@claim(
    "adai.alg1.adam",
    "Algorithm 1, Sec. 4",
    "Algorithm 1 is Adam (Kingma & Ba): its update is theirs",
    uses=["adai.alg1"],
)
def alg1_adam():
    return adam_claim(
        sp.Eq(sp.Matrix([m1, v1, th1]), ALG1),
        [
            cc.Replay(
                "Adam of Kingma & Ba (torch.optim.Adam: eps added to sqrt(v-hat)) replayed against the printed update",
                record_adam(lambda p: Adam(p["eta"], p["beta_1"], p["beta_2"], p["epsilon"], eps_inside=False)),
                STATE1,
            )
        ],
        ["Algorithm 1 puts eps inside the square root: at |g| of order sqrt(eps) its step is ~1/sqrt(2) of Adam's."],
    )


@claim(
    "adai.alg1.adam.corrected",
    "Algorithm 1, corrected",
    "Adam (Kingma & Ba): theta_{t+1} = theta_t - eta m-hat / (sqrt(v-hat) + eps)",
    corrects="adai.alg1.adam",
)
def alg1_adam_corrected():
    return adam_claim(
        sp.Eq(sp.Matrix([m1, v1, th1]), ALG1_KB),
        [
            cc.Replay(
                "Adam of Kingma & Ba (torch.optim.Adam) replayed",
                record_adam(lambda p: Adam(p["eta"], p["beta_1"], p["beta_2"], p["epsilon"], eps_inside=False)),
                STATE1,
            )
        ],
    )


def adai_claim(statement, regime, decoupled, notes=()):
    return Claim(
        statement=statement,
        regime=regime,
        dynamics="Algorithm 3" if decoupled else "Algorithm 2",
        observable="one step's state, two parameters",
        about="algebra",
        notes=[NOTE, *notes],
        symbols={r"\Pi_t": "prod_{z=1}^t beta_{1,z} (the bias correction's product)"},
        checks=[cc.Replay(f"{'AdaiW' if decoupled else 'Adai'} kernel replayed", record_adai(decoupled), STATE2)],
    )


@claim(
    "adai.alg2",
    "Algorithm 2, Sec. 4",
    "Adai as printed: beta_{1,t} = Clip(1 - beta0 v-hat / mean(v-hat), 0, 1 - "
    "eps), m-hat = m / (1 - prod beta_{1,z}), theta_{t+1} = theta_t - eta m-hat",
)
def alg2():
    return adai_claim(
        sp.Eq(sp.Matrix([*V1, *B1, *M1, *P1, *TH1]), ALG2),
        ADAI_REGIME,
        False,
        ["Written for n = 2 parameters: mean(v-hat) = (v-hat_1 + v-hat_2) / 2."],
    )


@claim(
    "adai.alg3",
    "Algorithm 3, App. G",
    "AdaiS/AdaiW: Algorithm 2 with theta_t = theta_{t-1} - eta m-hat_t - lambda eta theta_{t-1}",
)
def alg3():
    return adai_claim(
        sp.Eq(sp.Matrix([*V1, *B1, *M1, *P1, *TH1]), ALG3),
        ADAIW_REGIME,
        True,
        [
            "Algorithm 3 indexes g_t = grad L(theta_{t-1}); written here with theta_t for the current "
            "iterate, as Algorithm 2."
        ],
    )


# --- Sec. 5: defaults, inertia ratio, hyperparameter count
M_ratio = sp.Symbol(r"M_{\max} / M_{\min}", positive=True)
DEFAULTS = Regime((Param(eta, 1e-3, 1.0, log=True),), (), "Adai's defaults beta0 = 0.1, beta2 = 0.99, eps = 0.001")


def inertia_range(point) -> float:
    """Adai with its defaults on 20 parameters whose gradients span five orders of magnitude: the largest and the
    smallest inertia eta / (1 - beta_{1,t,i}) it sets over 50 steps."""
    rng = np.random.default_rng(0)
    opt = Adai(point["eta"])
    scales = np.logspace(-5, 0, 20) ** 0.5
    scales[-1] = 1e3  # one parameter with v-hat >= 10 v-bar: beta_{1,t} = 0
    theta = np.zeros((1, 20))
    hi, lo = 0.0, np.inf
    for _ in range(50):
        theta = opt.step(theta, scales * rng.standard_normal(theta.shape))
        mass = point["eta"] / (1 - opt.beta1)
        hi, lo = max(hi, mass.max()), min(lo, mass.min())
    return hi / lo


@claim(
    "adai.sec5.defaults",
    "Sec. 5, 'Adaptive Inertia Optimization (Adai)'",
    "The default eps = 0.001 means the "
    "maximal inertia is 1000 times the minimal inertia, M_max = eta (1 - beta_{1,max})^-1 = eta eps^-1",
)
def sec5_defaults():
    return Claim(
        statement=sp.Eq(M_ratio, 1000),
        regime=DEFAULTS,
        dynamics="Algorithm 2 with its defaults",
        observable="the largest over the smallest inertia eta / (1 - beta_{1,t,i}) Adai sets",
        quantified="'maximal / minimal inertia' read as the inertia at the clip's two ends, beta_{1,t,i} = "
        "1 - eps and 0 (attained once some v-hat_i >= v-bar / beta0 = 10 v-bar, so n >= 10)",
        checks=[
            SymbolicEquality("M(1 - eps) / M(0) at the default eps", sp.Rational(1, 1000) ** -1, lambda c: c.formula),
            ExactComparison(
                "Adai kernel with its defaults: the inertia range it sets",
                inertia_range,
                lambda p, f: f(**p),
                n_points=1,
                rtol=1e-9,
            ),
        ],
    )


N_ADAI, N_ADAM = sp.symbols(r"N_{\mathrm{Adai}} N_{\mathrm{Adam}}", positive=True)
HYPER = {"Algorithm 1": (ALG1, (eta, beta1, beta2, eps)), "Algorithm 2": (ALG2, (eta, beta0, beta2, eps))}


def count_hyperparameters(point, rng):
    """The hyperparameters each printed update uses: its free symbols that are not state, step or gradient."""
    state = set(STATE1) | set(STATE2)
    n1 = len(ALG1.free_symbols - state)
    n2 = len(ALG2.free_symbols - state)
    return [{N_ADAI.name: float(n2), N_ADAM.name: float(n1), "_scale": 1.0}]


@claim(
    "adai.sec5.hyperparameters",
    "Sec. 5, 'Adaptive Inertia Optimization (Adai)'",
    "Compared with Adam, Adai does not increase the number of hyperparameters",
    uses=["adai.alg1", "adai.alg2"],
)
def sec5_hyperparameters():
    return Claim(
        statement=sp.Eq(N_ADAI, N_ADAM),
        regime=Regime(()),
        about="text",
        dynamics="Algorithms 1 and 2",
        observable="hyperparameters in the printed updates",
        quantified="read as: Algorithm 2's update uses as many hyperparameters (eta, beta0, beta2, eps) as "
        "Algorithm 1's (eta, beta1, beta2, eps)",
        checks=[
            cc.Replay(
                "the free symbols of the printed updates counted", count_hyperparameters, (N_ADAI, N_ADAM), n_points=1
            )
        ],
    )
