"""`adai`, Theorem 4 for Algorithm 2: the theorem read for Algorithm 2 itself (bias-corrected, its own beta_{1,t}),
eta = C / sqrt(t + 1). Worst-case searches over two-coordinate losses (so Adai's per-parameter beta_{1,t} differ),
exact for noise-free runs and for every sign sequence of two-point noise, Monte Carlo for Gaussian noise.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from checks import BoundCheck, Sample
from theory import Claim, claim

from . import convergence_checks as cc
from . import convergence_models as cm
from .convergence import C_REL, MINSQ, THM4_BOUND, THM4_NOTE, THM4_REGIME, THM4_SYMBOLS, thm4_eta
from .convergence_models import L0, G, Lstar, beta_max, calL, delta, eta

# --- Theorem 4 for Algorithm 2 itself ---------------------------------------------------------------------------------
BETA0 = cc._p("beta_0", 0.01, 1.0, doc="Adai's beta_0", positive=True)
BETA2 = cc._p("beta_2", 0.5, 0.999, doc="Adai's beta_2", positive=True)
KAPPA = cc._p(
    "kappa", 0.05, 20.0, log=True, doc="height of the second coordinate's loss relative to the first", positive=True
)
THETA0B = cc._p("theta_0b", -3.0, 3.0, doc="initial point, second coordinate", real=True)
ADAI_N2 = (cc.FAMILY, cc.SIGMA, cc.SHAPE_A, cc.SHAPE_B, cc.THETA0, THETA0B, KAPPA, BETA0, BETA2, C_REL)


def adai_setup(point, n: int, noise: bool):
    """The loss (n coordinates), theta_0, delta and the constants; eta = C / sqrt(t + 1)."""
    loss = cm.loss_from(point, n)
    theta0 = np.array([point["theta_0"], point.get("theta_0b", 0.0)][:n])
    smooth, gmax, lower = loss.constants()
    d_val = point["d"] * point["sigma"] if noise else 0.0
    l0 = float(loss.loss(theta0[None, :])[0])
    eta_v, more = thm4_eta(point, {"L0": l0, "Lstar": lower, "calL": smooth, "G": gmax, "delta": d_val})
    values = {
        eta.name: eta_v,
        calL.name: smooth,
        G.name: gmax,
        delta.name: d_val,
        L0.name: l0,
        Lstar.name: lower,
        **more,
        "_atol": cc.atol(l0, lower, gmax, d_val, smooth, eta_v),
    }
    return loss, theta0, values


def adai_derive(n: int, two_point: bool):
    def derive(point):
        tt = int(point["t"])
        loss, theta0, values = adai_setup(point, n, two_point)
        xis = cm.two_point_paths(tt, values[delta.name]) if two_point else None
        thetas, gs, _ = cm.run_adai(
            loss, theta0, values[eta.name], point["beta_0"], point["beta_2"], 1 - point[beta_max.name], tt, xis=xis
        )
        E = cm.PathSet(loss, thetas, gs, np.zeros(0))
        values[MINSQ.name] = float(E.mean_sq(E.grad[: tt + 1]).min())
        return values

    return derive


def adai_simulate(values, n_paths, rng):
    """Algorithm 2 with Gaussian gradient noise (two coordinates): ||grad L(theta_k)||^2 per path, k = 0..t."""
    tt = int(values["t"])
    loss = cm.loss_from(values, 2)
    theta0 = np.array([values["theta_0"], values["theta_0b"]])
    thetas, _, _ = cm.run_adai(
        loss,
        theta0,
        values[eta.name],
        values["beta_0"],
        values["beta_2"],
        1 - values[beta_max.name],
        tt,
        noise=1,
        delta=values[delta.name],
        n_paths=n_paths,
        rng=rng,
    )
    gsq = (loss.grad(thetas) ** 2).sum(-1)
    return Sample(gsq.T, [f"||grad L(theta_{kk})||^2" for kk in range(tt + 1)])


def adai_checks(statement, regime) -> list:
    derived = cc.statement_symbols(statement, regime)
    common = {"derived": derived, "evidence": "model", "deep_factor": 4.0}
    free = BoundCheck(
        "Theorem 4 for Algorithm 2: noise-free runs (exact), two coordinates, four loss families",
        instances=ADAI_N2,
        derive=adai_derive(2, False),
        maxiter=3,
        popsize=5,
        hypothesis_examples=30,
        polish=40,
        narrow={"t": (0, 30)},
        **common,
        self_test="replay",
    )
    two = BoundCheck(
        "Theorem 4 for Algorithm 2: two-point noise, every sign sequence (exact), one coordinate",
        instances=(cc.FAMILY, cc.SIGMA, cc.SHAPE_A, cc.SHAPE_B, cc.THETA0, BETA0, BETA2, C_REL, cc.NOISE_D),
        derive=adai_derive(1, True),
        narrow={"t": (0, 6)},
        maxiter=4,
        popsize=5,
        hypothesis_examples=10,
        polish=30,
        **common,
        self_test="replay",
    )
    mc = BoundCheck(
        "Theorem 4 for Algorithm 2: Gaussian noise, two coordinates (Monte Carlo, intersection-union test)",
        simulate=adai_simulate,
        derive=lambda p: adai_setup(p, 2, True)[2],
        reduce="min",
        instances=ADAI_N2 + (cc.NOISE_D,),
        narrow={"t": (0, 30)},
        n_paths=200,
        refine_paths=20_000,
        maxiter=3,
        popsize=5,
        hypothesis_examples=5,
        **common,
        self_test="replay",
    )
    return [free, cc.DeepOnly(two), cc.DeepOnly(mc)]


@claim(
    "adai.thm4.algorithm2",
    "Theorem 4",
    "Theorem 4 for Algorithm 2 as printed, eta = C / sqrt(t + 1)",
    reading_of="adai.thm4",
    reading="'Let Adai run': Algorithm 2 (bias-corrected, its own beta_{1,t} <= 1 - eps = "
    "beta_max), eta = C / sqrt(t + 1)",
)
def thm4_algorithm2():
    st = sp.Le(MINSQ, THM4_BOUND, evaluate=False)
    return Claim(
        statement=st,
        regime=THM4_REGIME,
        symbols=THM4_SYMBOLS,
        dynamics="Algorithm 2 (Adai kernel)",
        observable=MINSQ.name,
        notes=[
            THM4_NOTE,
            "Two coordinates of different heights (kappa) so that Adai's per-parameter "
            "beta_{1,t} differ; in one coordinate beta_{1,t} = min(1 - beta_0, 1 - eps) is constant. "
            "eps = 1 - beta_max.",
        ],
        checks=adai_checks(st, THM4_REGIME),
    )
