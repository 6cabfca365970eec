"""`diagrams`, Sec. 2.5: Corollary 5 (`cor:vsode`): SGD against its ODE and SDE (one claim per reading of where
SGD starts), the skewness term and the footnote. The rebuttal row `diagrams.remark.third-order` is in rebuttal.py.

ODE: d theta = -eta G dt; SDE: the same drift and diffusion covariance eta^2 C per unit time (App. C.4), time in
SGD steps; both expanded exactly by theory.series.expected_after_flow. The simulated model is linear regression
l_x = (theta - x)^2/2, x ~ N(0, 1) (H = C = 1, G = theta - 0), whose SGD, ODE and SDE means are known in closed
form for every eta.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from checks.dynamics.sgd_data import enumerate_sgd, run_sgd
from theory import Claim, Param, Regime, claim

from . import models as m
from .intro import EX1
from .intro import on_gen as ex1_on_gen
from .kinds import RemainderOrder, series_check
from .notation import CH, GHG_T, SJ, BigO, LittleO, T, contract, eta, taylor
from .plots import attach
from .simulate import paired_sampler, series_mc

SYMBOLS = {"eta": "learning rate", "T": "SGD steps (E = B = 1)", r"C_{\mu\nu}H^{\mu\nu}": "eta^2 tr(C H)",
           r"S_{\mu\nu\lambda}J^{\mu\nu\lambda}": "eta^3 S:J"}
REGIME = Regime((Param(eta, 0.005, 0.2, log=True, doc="learning rate"), Param(T, 1, 30, doc="steps")), (),
                "E = B = 1 SGD for T steps and its ODE / SDE from the same start")
D_ODE, D_SDE = sp.Function(r"\Delta l_{SGD-ODE}"), sp.Function(r"\Delta l_{SGD-SDE}")
D_SKEW = sp.Function(r"\Delta l^{S}_{SGD-SDE}")
GEN_EXTRA = [p for p in m.GEN_PARAMS if p.name not in ("s_4",)]
STATS = {CH: m.sig ** 2 * m.H, GHG_T: m.A ** 2 * m.H, SJ: m.s3 * m.sig ** 3 * m.J}


@cache
def gen_difference(flow: str, order: int = 3):
    return sp.expand(m.gen_sgd(order) - m.gen_flow(order, flow))


# --- linear regression: exact SGD, ODE and SDE test losses ---------------------------------------------------
T_LR = 10


def lr_exact(kind, theta0, etas):
    e = np.asarray(etas, dtype=float)
    a = 1 - e
    if kind == "sgd":
        return ((a ** T_LR * theta0) ** 2 + e * (1 - a ** (2 * T_LR)) / (2 - e) + 1) / 2
    m_ = np.exp(-e * T_LR) * theta0
    if kind == "ode":
        return (m_ ** 2 + 1) / 2
    return (m_ ** 2 + e * (1 - np.exp(-2 * e * T_LR)) / 2 + 1) / 2


def lr_series(flow, theta0, order=2):
    a = 1 - eta
    sgd = ((a ** T_LR * theta0) ** 2 + eta * (1 - a ** (2 * T_LR)) / (2 - eta) + 1) / 2
    m_ = sp.exp(-eta * T_LR) * theta0
    other = (m_ ** 2 + 1) / 2 if flow == "ode" else (m_ ** 2 + eta * (1 - sp.exp(-2 * eta * T_LR)) / 2 + 1) / 2
    return taylor(sgd - other, order + 2)


def lr_instantiate(c, theta0):
    return contract(c.formula, {CH: 1, GHG_T: theta0 ** 2, SJ: 0}).subs(T, T_LR)


def lr_sim(flow, theta0):
    def sim(etas, n_paths, rng):
        run = run_sgd(lambda t, xx: t - xx, lambda r, s: r.standard_normal(s), [theta0], list(etas), T_LR, n_paths,
                      rng)
        loss = (run.records[T_LR][..., 0] ** 2 + 1) / 2                  # E_x (theta - x)^2 / 2
        return (loss - lr_exact(flow, theta0, etas)[:, None]).T
    return sim


def vs_flow_checks(flow, theta0, general):
    name = "ODE" if flow == "ode" else "SDE (exact Ornstein-Uhlenbeck)"
    where = f"from theta0 = {theta0:g} (G = {theta0:g})" if theta0 else "from the minimum theta0 = 0"
    exact = lambda etas: lr_exact("sgd", theta0, etas) - lr_exact(flow, theta0, etas)
    inst = lambda c: lr_instantiate(c, theta0)
    sub = (lambda e: e) if general else (lambda e: e.subs(m.A, 0))
    return [
        series_check(f"generic 1-D model{'' if general else ' at a minimum (A = 0)'}: exact series of SGD minus "
                     f"{flow.upper()}", lambda c: sub(contract(c.formula, STATS)),
                     lambda: sub(gen_difference(flow, 2)), extra=GEN_EXTRA),
        RemainderOrder(f"linear regression {where}, T = {T_LR}: SGD minus {name}, exact", exact, inst, eta0=0.05),
        series_mc(f"SGD simulated {where} (T = {T_LR}) minus the exact {name}", lr_sim(flow, theta0), (0.1, 0.05),
                  inst, exact, lambda: lr_series(flow, theta0), n_paths=20_000)]


def flow_claim(flow, statement, checks, notes=(), theta0=None):
    c = Claim(statement=statement, regime=REGIME, symbols=SYMBOLS,
                 dynamics=f"E = B = 1 SGD and the {flow.upper()} with SGD's drift" + (" and covariance" if flow == "sde"
                                                                                     else ""),
                 observable=f"SGD's expected test loss minus the {flow.upper()}'s after T steps", checks=checks,
              notes=list(notes))
    if theta0 is None:
        return c
    return attach(c, f"linear regression from theta0 = {theta0:g}, T = {T_LR}", "statement",
                  lambda c_: lr_instantiate(c_, theta0), lambda: lr_series(flow, theta0),
                  lambda etas: lr_exact("sgd", theta0, etas) - lr_exact(flow, theta0, etas), 3, 0.1)


ODE_STMT = sp.Eq(D_ODE(T), T / 2 * CH + LittleO(eta ** 2), evaluate=False)
SDE_STMT = sp.Eq(D_SDE(T), T / 2 * CH + LittleO(eta ** 2), evaluate=False)


@claim("diagrams.cor5.ode", "Corollary 5 (cor:vsode), first part, vs ODE, Sec. 2.5", "SGD's test loss is "
       "(T/2) C_{mu nu} H^{mu nu} + o(eta^2) more than the ODE's")
def cor5_ode():
    return flow_claim("ode", ODE_STMT, [series_check("generic 1-D model at a minimum (A = 0): exact series",
                                                     lambda c: contract(c.formula, STATS),
                                                     lambda: gen_difference("ode", 2).subs(m.A, 0), extra=GEN_EXTRA)],
                      ["Read with any initialization (diagrams.cor5.ode.general) and at a test minimum "
                       "(diagrams.cor5.ode.minimum). The proof of this part cites 'Remark rmk:vsode', which the paper "
                       "does not contain (diagrams.proof.cor5-ode)."])


@claim("diagrams.cor5.ode.general", "Corollary 5, vs ODE, reading: any initialization", "SGD minus ODE is "
       "(T/2) C H + o(eta^2) from any start", reading_of="diagrams.cor5.ode",
       reading="from any initialization (the corollary names no minimum)")
def cor5_ode_general():
    return flow_claim("ode", ODE_STMT, vs_flow_checks("ode", 1.0, True),
                      ["Exact: SGD - ODE = (T/2)(C_{mu nu} - G_mu G_nu) H^{mu nu} + o(eta^2)."], theta0=1.0)


@claim("diagrams.cor5.ode.minimum", "Corollary 5, vs ODE, reading: at a test minimum", "SGD minus ODE is "
       "(T/2) C H + o(eta^2) from a test minimum", reading_of="diagrams.cor5.ode", proof_reading=True,
       reading="at a test minimum (G = 0), as the proof of the second part assumes")
def cor5_ode_minimum():
    return flow_claim("ode", ODE_STMT, vs_flow_checks("ode", 0.0, False), theta0=0.0)


@claim("diagrams.cor5.ode.corrected", "Corollary 5, vs ODE, corrected", "SGD's test loss is (T/2)(C_{mu nu} - "
       "G_mu G_nu) H^{mu nu} + o(eta^2) more than the ODE's", corrects="diagrams.cor5.ode.general")
def cor5_ode_corrected():
    stmt = sp.Eq(D_ODE(T), T / 2 * (CH - GHG_T) + LittleO(eta ** 2), evaluate=False)
    return flow_claim("ode", stmt, vs_flow_checks("ode", 0.5, True), theta0=0.5)


@claim("diagrams.cor5.sde", "Corollary 5 (cor:vsode), first part, vs SDE, Sec. 2.5", "SGD's test loss is "
       "(T/2) C_{mu nu} H^{mu nu} + o(eta^2) more than the SDE's")
def cor5_sde():
    return flow_claim("sde", SDE_STMT, [series_check("generic 1-D model at a minimum (A = 0): exact series",
                                                     lambda c: contract(c.formula, STATS),
                                                     lambda: gen_difference("sde", 2).subs(m.A, 0), extra=GEN_EXTRA)],
                      ["The SDE with SGD's covariance has the same (T/2) C H eta^2 term as SGD: SGD - SDE = "
                       "-(T/2) G_mu H^{mu nu} G_nu + o(eta^2), zero at a minimum, where the first difference is "
                       "eta^3: (T/2) C_{mu nu} H^{mu lambda} H_lambda^nu - (T/6) S:J."])


@claim("diagrams.cor5.sde.general", "Corollary 5, vs SDE, reading: any initialization", "SGD minus SDE is "
       "(T/2) C H + o(eta^2) from any start", reading_of="diagrams.cor5.sde",
       reading="from any initialization (the corollary names no minimum)")
def cor5_sde_general():
    return flow_claim("sde", SDE_STMT, vs_flow_checks("sde", 1.0, True), theta0=1.0)


@claim("diagrams.cor5.sde.minimum", "Corollary 5, vs SDE, reading: at a test minimum", "SGD minus SDE is "
       "(T/2) C H + o(eta^2) from a test minimum", reading_of="diagrams.cor5.sde", proof_reading=True,
       reading="at a test minimum (G = 0), as the proof of the second part assumes")
def cor5_sde_minimum():
    return flow_claim("sde", SDE_STMT, vs_flow_checks("sde", 0.0, False), theta0=0.0)


@claim("diagrams.cor5.sde.corrected", "Corollary 5, vs SDE, corrected", "SGD's test loss is -(T/2) G_mu H^{mu nu} "
       "G_nu + o(eta^2) more than the SDE's (0 at a minimum)", corrects="diagrams.cor5.sde")
def cor5_sde_corrected():
    stmt = sp.Eq(D_SDE(T), -T / 2 * GHG_T + LittleO(eta ** 2), evaluate=False)
    return flow_claim("sde", stmt, vs_flow_checks("sde", 1.0, True), theta0=1.0)


# --- the skewness term --------------------------------------------------------------------------------------
T_SK = 6


@cache
def skew_exact(etas):
    out = [enumerate_sgd(m.quartic_grad, *law, [0.0], list(etas), T_SK,
                         observe=lambda t: t * t * (0.5 + t * (1 / 6 + t / 24)))[:, 0]
           for law in (m.SKEWED_NP, m.PM1_NP)]
    return out[0] - out[1]


@cache
def skew_series():
    def one(law):
        return m.expected_after(m.QUARTIC, {m.x: law}, T_SK, 3, params=[m.th], theta0=[0])
    return sp.expand(one(m.SKEWED) - one(m.PM1))


def skew_sim(etas, n_paths, rng):
    run = run_sgd(lambda t, xx: t * (1 + t * (0.5 + t / 6)) + xx, paired_sampler(m.SKEWED_NP, m.PM1_NP),
                  [0.0, 0.0], list(etas), T_SK, n_paths, rng)
    q = lambda t: t * t * (0.5 + t * (1 / 6 + t / 24))
    th = run.records[T_SK]
    return (q(th[..., 0]) - q(th[..., 1])).T


def skew_instantiate(c):
    return contract(c.formula, {SJ: sp.Rational(8, 3)}).subs(T, T_SK)


@claim("diagrams.cor5.skew", "Corollary 5, second part, Sec. 2.5", "The deviation from SDE due to skewed noise is "
       "-(T/6) S_{mu nu lambda} J^{mu nu lambda} + o(eta^3)")
def cor5_skew():
    stmt = sp.Eq(D_SKEW(T), -T / 6 * SJ + LittleO(eta ** 3), evaluate=False)
    return attach(Claim(statement=stmt, regime=REGIME, symbols=SYMBOLS, dynamics="E = B = 1 SGD and the SDE",
                 observable="S-part of SGD's test loss minus the SDE's", notes=[
                     "The SDE's test loss has no S-part (diagrams.remark1.sde), so the S-part of SGD - SDE is SGD's "
                     "own: simulated as SGD with a skewed law minus SGD with a symmetric law of the same mean and "
                     "variance, driven by the same uniforms (they also differ in E x^4, at eta^4)."],
                 checks=[series_check("S-part of the exact series of SGD minus SDE, generic 1-D model, any start",
                                      lambda c: contract(c.formula, STATS),
                                      lambda: m.s_part(gen_difference("sde", 3)), extra=GEN_EXTRA),
                         RemainderOrder(f"QUARTIC (H = J = 1, S = 8/3), T = {T_SK}: every data sequence enumerated",
                                        skew_exact, skew_instantiate, eta0=0.2),
                         series_mc(f"SGD on QUARTIC with the skewed and the symmetric law, same uniforms, T = {T_SK}",
                                   skew_sim, (0.2, 0.1), skew_instantiate, skew_exact, skew_series,
                                   n_paths=100_000)]),
                  f"QUARTIC, skewed minus symmetric law, T = {T_SK}", "-(T/6) S J", skew_instantiate, skew_series,
                  lambda etas: skew_exact(tuple(etas)), 3, 0.2)


@claim("diagrams.cor5.footnote", "Corollary 5, footnote", "-(T/6) S J agrees with Example 1's more exact expression "
       "to leading order in eta", about="algebra", uses=["diagrams.example1"])
def cor5_footnote():
    return Claim(statement=sp.Eq(EX1, -T / 6 * SJ + BigO(eta ** 4), evaluate=False), regime=REGIME, symbols=SYMBOLS,
                 checks=[series_check("Example 1's expression expanded in eta on the generic 1-D model",
                                      lambda c: contract(c.formula, STATS), lambda: ex1_on_gen(EX1),
                                      extra=GEN_EXTRA, evidence="derivation")])
