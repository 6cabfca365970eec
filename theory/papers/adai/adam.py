"""`adai`, Sec. 4 and App. H: Adam near saddle points. Proposition 1 (in adaptive time t-hat and in Adam
notation) and Adam as Momentum with an adaptive learning rate, (121)-(123).

The paper analyses the "idealized" Adam, v = E[g g^T] = C = [H]^+/B a full matrix, so eta-hat = eta C^(-1/2);
along an eigenvector of H that is Momentum (4) with beta3 = 1 - beta1 and learning rate eta |H_i|^(-1/2) B^(1/2)
(App. H). Readings as for Theorem 2: the initial velocity of the SDE; Proposition 1 in Adam notation about the
algorithm (121) itself or about the SDE (7) under Adam's mapping (the proof's route); and (121) with eta-hat
constant (as Proposition 1 uses it) or absorbing Algorithm 1's bias correction.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import AsymptoticOrder, BoundCheck, ExactComparison, SymbolicEquality
from checks.dynamics.optimizers import Adam, IdealizedAdam
from theory import Claim, Condition, Param, Regime, claim

from . import momentum_tables as tables
from .mapping import MOMENTUM4, STEP_REGIME, TRAJ_H, momentum_trajectory, motion5, motion_checks, trajectory_noise
from .momentum_checks import EveryReading, MonteCarloMeanAt, StatementOrder
from .momentum_models import (
    ADAM_FROM_REST,
    ADAM_REMAINDER,
    BETA1_BELOW_1,
    ETA_HAT,
    EXACT_AT_EQUILIBRIUM,
    EXACT_FROM_REST,
    GAMMA_ADAM,
    M_ADAM,
    MSD,
    MSYMBOLS,
    NONZERO_H,
    P_B,
    P_D,
    P_H,
    PAPER_SMALL,
    PROP1_ADAM_PRINTED,
    PROP1_RHS,
    R_FORCE,
    SDE_AT_EQUILIBRIUM,
    THM2_RHS,
    B,
    H,
    M,
    P_beta1,
    P_eta,
    P_gamma,
    P_tlong,
    P_Tmom,
    T,
    adam_map,
    adam_variance,
    beta1,
    beta3,
    dt,
    eigs_of,
    eta,
    eta_hat,
    g,
    gamma,
    idealized_adam_sample,
    m_prev,
    mapped,
    pad_cross,
    recursion_variance,
    sde7_msd,
    sde7_msd_sample,
    t,
    theta_now,
)
from .notation import induction_checks
from .theorem2 import VELOCITY_TEXT, _moment_checks, sde_checks

# --- Proposition 1 in adaptive time ---------------------------------------------------------------------------
ADAM_MASS = 1 / gamma          # (123): M gamma = 1, checked in adai.eq123
PROP1_REGIME = Regime((P_H, P_D, P_gamma, P_tlong),
                      (NONZERO_H, Condition(4 * sp.Abs(H) / gamma <= sp.Rational(1, 2),
                                            "|H_i| << gamma M with gamma M = 1 (encoded as 4|H_i|/gamma <= 1/2)"),
                       Condition(sp.Abs(H) * t <= 1, "near an ill-conditioned saddle: |H_i| t-hat/(gamma M) <= 1")),
                      "SDE (7) with Adam's M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat (so gamma M = 1), in "
                      "adaptive time t-hat, theta(0) = c")
PROP1_DYNAMICS = "SDE (7) with M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat (App. H), t = t-hat, theta(0) = c"


def prop1_claim(expr, velocity=None, notes=()) -> Claim:
    checks = sde_checks(velocity, mass=ADAM_MASS) if velocity else [
        SymbolicEquality("equals (9) when gamma M = 1 (Adam's mass and damping)", THM2_RHS.subs(M, ADAM_MASS),
                         lambda c: c.formula.subs(M, ADAM_MASS))] + _moment_checks(mass=ADAM_MASS)
    return Claim(statement=sp.Eq(MSD(t), expr), regime=PROP1_REGIME, symbols={**MSYMBOLS, "t": "adaptive time t-hat"},
                 dynamics=PROP1_DYNAMICS + (f", {VELOCITY_TEXT[velocity]}" if velocity else ""),
                 observable="<Delta theta_i^2(t-hat)>", notes=list(notes), checks=checks)


@claim("adai.prop1", "Proposition 1", "Adam escapes saddle points: MSD in adaptive time t-hat",
       uses=["adai.thm2", "adai.eq123"])
def prop1():
    return prop1_claim(PROP1_RHS, notes=[
        "t stands for the adaptive time t-hat. The first term reads D/(gamma^2 M) where (9) has D/(gamma^3 M^2); "
        "with Adam's gamma M = 1 they agree. Checks set M = 1/gamma.",
        "Readings: adai.prop1.equilibrium (the proof's) and adai.prop1.rest."])


@claim("adai.prop1.equilibrium", "Proposition 1", "Proposition 1 with the equilibrium initial velocity",
       reading_of="adai.prop1", reading="the velocity at t = 0 is at equilibrium, E r(0)^2 = D/(gamma M^2)",
       proof_reading=True)
def prop1_equilibrium():
    return prop1_claim(PROP1_RHS, "equilibrium")


@claim("adai.prop1.rest", "Proposition 1", "Proposition 1 from rest (m_0 = 0)", reading_of="adai.prop1",
       reading="the velocity at t = 0 is 0, as Adam starts (m_0 = 0)")
def prop1_rest():
    return prop1_claim(PROP1_RHS, "rest")


@claim("adai.prop1.corrected", "Proposition 1, corrected", "Exact MSD of Adam's SDE (gamma M = 1), equilibrium "
       "initial velocity", corrects="adai.prop1", uses=["adai.thm2.corrected"])
def prop1_corrected():
    return prop1_claim(EXACT_AT_EQUILIBRIUM, "equilibrium", ["Derived: adai.thm2.corrected with M = 1/gamma."])


@claim("adai.prop1.rest.corrected", "Proposition 1, corrected (from rest)", "Exact MSD of Adam's SDE (gamma M = 1) "
       "from rest", corrects="adai.prop1", uses=["adai.thm2.rest.corrected"])
def prop1_rest_corrected():
    return prop1_claim(EXACT_FROM_REST, "rest", ["Derived: adai.thm2.rest.corrected with M = 1/gamma."])


# --- Proposition 1 in Adam notation ----------------------------------------------------------------------------
ADAM_EFFECTIVE = sp.sqrt(B * sp.Abs(H)) * eta * T       # |H| eta-hat T: the force's relative effect


def adam_regime(condition) -> Regime:
    return Regime((P_H, P_eta, P_B, P_beta1, P_Tmom), (NONZERO_H, BETA1_BELOW_1, condition),
                  "idealized Adam (121) near a saddle, eta-hat = eta C^(-1/2), C = [H]^+/B, m_0 = 0")


def _ladder_start(point):
    """First rung where the force's relative effect |H| eta-hat T = sqrt(B|H|) eta T is 0.3."""
    return {**point, "eta": 0.3 / (np.sqrt(point["B"] * abs(point["H"])) * point["T"])}


def _small_start(point):
    """Monte Carlo points: T ~ 1.5/(1-beta1), and sqrt(B 1.3|H|) eta T = 1e-3 (remainder below resolution)."""
    T_ = float(np.clip(round(1.5 / (1 - point["beta_1"])), 5, 100))
    return {**point, "T": T_, "eta": 1e-3 / (np.sqrt(point["B"] * 1.3 * abs(point["H"])) * T_)}


def _predict3(point, f):
    return pad_cross([f(**{**point, "H": h}) for h in eigs_of(point)])


def _adam_sde_exact(point):
    m = mapped(point, adam_map())
    return sde7_msd(point["H"], m["D"], m["M"], m["gamma"], m["t"], m["D"] / (m["gamma"] * m["M"] ** 2))


def _adam_sde_simulate(point, n_paths, rng):
    """SDE (7) under Adam's mapping along the 3 eigenvectors (each with its own eta-hat_i, so its own mass, damping
    and adaptive time), equilibrium velocity (Euler-Maruyama, Richardson)."""
    eigs = eigs_of(point)
    ms = [mapped(point, adam_map(), h) for h in eigs]
    Ds, Ms, gs, ts = (np.array([m[k] for m in ms]) for k in ("D", "M", "gamma", "t"))
    return sde7_msd_sample(eigs, Ds, Ms, gs, ts, Ds / (gs * Ms ** 2), n_paths, rng, n_coarse=100)


def discrete_checks() -> list:
    return [StatementOrder("idealized Adam (121) from rest, exact recursion: relative error shrinks at the statement's "
                           "order in eta", adam_variance, small=eta, rungs=6, start=_ladder_start, n_points=3),
            MonteCarloMeanAt("idealized Adam (121) (the package's optimizer) on a 3-D rotated saddle from rest, "
                             "T ~ 1.5/(1-beta1), remainder below resolution",
                             idealized_adam_sample, _predict3, _small_start, n_points=2, n_paths=20_000)]


def sde_checks_adam() -> list:
    return [StatementOrder("SDE (7) under Adam's mapping, equilibrium velocity, exact (Van Loan): relative error "
                           "shrinks at the statement's order in eta", _adam_sde_exact, small=eta, rungs=6,
                           start=_ladder_start, n_points=3),
            MonteCarloMeanAt("SDE (7) under Adam's mapping on a 3-D saddle, equilibrium velocity, T ~ 1.5/(1-beta1), "
                             "remainder below resolution (Euler-Maruyama, Richardson)", _adam_sde_simulate,
                             lambda p, f: np.array([f(**{**p, "H": h}) for h in eigs_of(p)]), _small_start,
                             n_points=2, n_paths=20_000)]


ADAM_DYN = {"discrete": "idealized Adam (121): m_t = beta1 m_(t-1) + (1-beta1) g_t, theta -= eta C^(-1/2) m_t, "
                        "gradient noise N(0, [H]^+/B), theta_1 = c, m_0 = 0",
            "sde": "SDE (7) with Adam's M, gamma (123), eta-hat = eta C^(-1/2), D = eta-hat C/2, t-hat = eta-hat T, "
                   "the "
                   "proof's equilibrium velocity"}


def adam_claim(expr, model, checks, regime=None, notes=(), curves=()) -> Claim:
    return Claim(statement=sp.Eq(MSD(T), expr + ADAM_REMAINDER), regime=regime or adam_regime(PAPER_SMALL),
                 symbols=MSYMBOLS, dynamics=ADAM_DYN.get(model, "Adam (idealized)"),
                 observable="<Delta theta_i^2> after T iterations", checks=checks, curves=list(curves),
                 notes=["The printed O(sqrt(|B| H_i) eta^3 T^2) is read as O(sqrt(B |H_i|) eta^3 T^2), with eta -> 0.",
                        *notes])


ADAM_CORRECTED_SMALL = Condition(ADAM_EFFECTIVE <= sp.Rational(3, 10),  # noqa: SIM300
                                 "sqrt(B |H_i|) eta T << 1 (encoded as <= 0.3): "
                                 "the force's relative effect is small (adai.prop1.adam.condition)")


@claim("adai.prop1.adam", "Proposition 1 (Adam notation)", "Adam's MSD in Adam notation: Hessian-independent drift "
       "+ eta^2 T", uses=["adai.prop1", "adai.eq121"])
def prop1_adam():
    return adam_claim(PROP1_ADAM_PRINTED, "parent", [
        AsymptoticOrder("Proposition 1 with eta-hat = eta C^(-1/2), D = eta-hat C/2, t-hat = eta-hat T = the statement "
                        "+ O(bound) as eta -> 0", PROP1_RHS.subs(adam_map(), simultaneous=True), lambda c: c.formula,
                        lambda c: c.remainder_bound, eta),
        EveryReading("against SDE (7) under Adam's mapping (the proof's reading) and against (121) itself",
                     {"sde": sde_checks_adam()[0], "discrete": discrete_checks()[0]})],
        notes=["Readings: adai.prop1.adam.discrete (the rule (121) itself) and adai.prop1.adam.sde (the proof's "
               "route); "
               "whether |H_i| eta T << 1 makes the dropped force small: adai.prop1.adam.condition."],
        curves=tables.ADAM_CURVES)


@claim("adai.prop1.adam.discrete", "Proposition 1 (Adam notation)", "Proposition 1 in Adam notation, read for the "
       "idealized Adam (121) itself", reading_of="adai.prop1.adam", reading="about the idealized Adam (121) itself, "
       "from m_0 = 0")
def prop1_adam_discrete():
    return adam_claim(PROP1_ADAM_PRINTED, "discrete", discrete_checks())


@claim("adai.prop1.adam.sde", "Proposition 1 (Adam notation)", "Proposition 1 in Adam notation, read for the SDE (7) "
       "under Adam's mapping", reading_of="adai.prop1.adam", reading="about SDE (7) under Adam's mapping (123), the "
       "proof's equilibrium velocity", proof_reading=True)
def prop1_adam_sde():
    return adam_claim(PROP1_ADAM_PRINTED, "sde", sde_checks_adam())


@claim("adai.prop1.adam.corrected", "Proposition 1 (Adam notation), corrected", "Idealized Adam (121) from rest near "
       "a saddle: the exact force-free variance", corrects="adai.prop1.adam")
def prop1_adam_corrected():
    return adam_claim(ADAM_FROM_REST, "discrete", induction_checks(eta ** 2) + discrete_checks(),
                      adam_regime(ADAM_CORRECTED_SMALL),
                      ["Derived as for Momentum with beta3 = 1 - beta1 and eta-hat^2 C = eta^2: eta^2 sum_{j=1}^T "
                       "(1 - beta1^j)^2."], tables.ADAM_CURVES)


@claim("adai.prop1.adam.sde.corrected", "Proposition 1 (Adam notation), corrected (SDE reading)", "SDE (7) under "
       "Adam's mapping, equilibrium velocity: the force-free MSD", corrects="adai.prop1.adam")
def prop1_adam_sde_corrected():
    expr = sp.simplify(SDE_AT_EQUILIBRIUM.subs(beta3, 1 - beta1).subs(eta, ETA_HAT))
    return adam_claim(expr, "sde", sde_checks_adam(), adam_regime(ADAM_CORRECTED_SMALL),
                      ["Derived: adai.thm2.momentum.sde.corrected with beta3 = 1 - beta1 and eta-hat for eta "
                       "(eta-hat^2 C = eta^2)."])


def _adam_force_effect(point):
    """R of the idealized Adam (121) from rest: |Var with the force / Var without - 1| (exact recursions)."""
    c = abs(point["H"]) / point["B"]
    lr, T_ = point["eta"] / np.sqrt(c), int(point["T"])
    with_force = recursion_variance(point["H"], c, T_, lr, point["beta_1"], 1 - point["beta_1"])
    return abs(with_force / recursion_variance(0.0, c, T_, lr, point["beta_1"], 1 - point["beta_1"]) - 1)


CONDITION_QUANTIFIED = ("'|H_i| eta T << 1' read as |H_i| eta T <= 0.03 (the corrected condition likewise with its own "
                        "left side); 'it can be written as (leading term) + O(...)' read as: the force H theta, which "
                        "the expansion drops, changes the MSD of the idealized Adam by at most 10% (R <= 1/10)")


def adam_condition_claim(condition, notes=()) -> Claim:
    return Claim(statement=sp.Le(R_FORCE, sp.Rational(1, 10)), quantified=CONDITION_QUANTIFIED,
                 regime=Regime((P_H, Param(eta, 1e-7, 0.1, log=True, doc="learning rate"), P_B, P_beta1, P_Tmom),
                               (NONZERO_H, BETA1_BELOW_1, condition), "idealized Adam (121) from rest"),
                 symbols=MSYMBOLS, dynamics=ADAM_DYN["discrete"], notes=list(notes),
                 observable="R: relative change of <Delta theta_i^2> made by the force H theta",
                 checks=[BoundCheck("worst case of R over the condition's region (exact recursions)",
                                    exact=_adam_force_effect, maxiter=15, popsize=8, hypothesis_examples=30)])


@claim("adai.prop1.adam.condition", "Proposition 1 (Adam notation), 'Under |H_i| eta T << 1'", "|H_i| eta T << 1 "
       "makes the force the expansion drops small (idealized Adam)")
def prop1_adam_condition():
    return adam_condition_claim(Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 100),
                                          "|H_i| eta T << 1 (encoded as <= 0.03)"),
                                ["Along eigenvector i Adam's step is eta-hat_i = eta (B/|H_i|)^(1/2), so the force's "
                                 "relative effect is about |H_i| eta-hat_i T = sqrt(B |H_i|) eta T: sqrt(B/|H_i|) "
                                 "times "
                                 "the printed parameter, large near ill-conditioned saddles (small |H_i|)."])


@claim("adai.prop1.adam.condition.corrected", "Proposition 1 (Adam notation), condition corrected",
       "sqrt(B |H_i|) eta T << 1 makes the dropped force small (idealized Adam)",
       corrects="adai.prop1.adam.condition")
def prop1_adam_condition_corrected():
    return adam_condition_claim(Condition(ADAM_EFFECTIVE <= sp.Rational(3, 100),  # noqa: SIM300
                                          "sqrt(B |H_i|) eta T << 1 (encoded as <= 0.03)"))


# --- App. H: (121)-(123) ----------------------------------------------------------------------------------------
m_now = sp.Symbol("m_t", real=True)
theta_next = sp.Symbol(r"\theta_{t+1}", real=True)
step_t = sp.Symbol("t", positive=True, integer=True)           # the step index of Algorithm 1
EQ121 = sp.Eq(sp.Matrix([m_now, theta_next]),                   # (121) with its beta3 = 1 - beta1
              sp.Matrix([beta1 * m_prev + (1 - beta1) * g, theta_now - eta_hat * m_now]), evaluate=False)
RULE_REGIME = Regime((Param(beta1, 0.05, 0.95), Param(eta_hat, 1e-3, 1.0, log=True), Param(g, -3, 3),
                      Param(m_prev, -3, 3), Param(theta_now, -3, 3), Param(m_now, -3, 3), Param(theta_next, -3, 3),
                      Param(step_t, 1, 50, doc="step t of Algorithm 1")), (BETA1_BELOW_1,),
                     "one step of Adam at step t, one parameter")
RULE_NOISE_C = 0.64            # gradient-noise variance of the trajectories (the idealized C of a 1-D model)


def rule_trajectory(point, f, eta_hat_of):
    """Iterate the statement's two lines [m_t, theta_{t+1}] on the trajectories' noisy quadratic with eta-hat_t
    given by ``eta_hat_of(t, state)``: [theta_2 .. theta_{K+1}, m_1 .. m_K]."""
    noise = trajectory_noise(point)
    th, m, thetas, ms = 1.0, 0.0, [], []
    v = 0.0
    for k, xi in enumerate(noise, start=1):
        grad = TRAJ_H * th + xi
        v = 0.999 * v + 0.001 * grad * grad
        e = eta_hat_of(k, v, point)
        kw = {**point, "g_t": grad, "m_{t-1}": m, r"\theta_t": th, "m_t": 0.0, r"\hat{\eta}": e, "t": float(k)}
        m = float(np.asarray(f(**kw), dtype=float).ravel()[0])
        th = float(np.asarray(f(**{**kw, "m_t": m}), dtype=float).ravel()[1])
        thetas.append(th)
        ms.append(m)
    return np.array(thetas + ms)


def algorithm1_trajectory(point, idealized: bool):
    """Algorithm 1 (the package's Adam: bias-corrected m and v, eps = 1e-8 inside the root), or with the idealized
    v = C fixed (full-matrix C^(-1/2), bias-corrected m): [theta_2 .., m_1 ..] on the same noise."""
    lr = point[r"\hat{\eta}"] * np.sqrt(RULE_NOISE_C)            # so that eta C^(-1/2) = eta-hat
    opt = IdealizedAdam(lr, [[RULE_NOISE_C]], point["beta_1"]) if idealized else \
        Adam(point[r"\hat{\eta}"], point["beta_1"], 0.999, 1e-8)
    th, thetas, ms = np.array([1.0]), [], []
    for xi in trajectory_noise(point):
        th = opt.step(th, TRAJ_H * th + xi)
        thetas.append(float(th[0]))
        ms.append(float(opt.m[0]))
    return np.array(thetas + ms)


def _absorbed_rate(k, v, point):
    """Algorithm 1's whole factor: eta / ((1 - beta1^t) sqrt(v-hat_t + eps)), with eta the point's eta-hat."""
    v_hat = v / (1 - 0.999 ** k)
    return point[r"\hat{\eta}"] / ((1 - point["beta_1"] ** k) * np.sqrt(v_hat + 1e-8))


def _constant_rate(k, v, point):
    return point[r"\hat{\eta}"]


def rule_claim(statement, checks, notes=()) -> Claim:
    return Claim(statement=statement, regime=RULE_REGIME,
                 symbols={**MSYMBOLS, "g_t": "stochastic gradient", "m_t": "first moment", "t": "step of Algorithm 1"},
                 dynamics="Algorithm 1 (Adam)", observable="m_t and theta_{t+1} after each step", notes=list(notes),
                 checks=checks)


def rule_check(name, eta_hat_of, idealized) -> ExactComparison:
    return ExactComparison(name, lambda p: algorithm1_trajectory(p, idealized),
                           lambda p, f: rule_trajectory(p, f, eta_hat_of), n_points=4, rtol=1e-9)


@claim("adai.eq121", "Eq. (121), App. H", "Adam's update as Momentum (4) with eta-hat for eta and beta3 = 1 - beta1")
def eq121():
    return rule_claim(EQ121, [SymbolicEquality("Momentum (4) with eta-hat for eta and beta3 = 1 - beta1",
                                               sp.Matrix([MOMENTUM4, theta_now - eta * m_now]).subs(
                                                   {beta3: 1 - beta1, eta: eta_hat}), lambda c: c.formula)],
                      ["Readings: adai.eq121.absorbed and adai.eq121.constant (the one Proposition 1 uses)."])


@claim("adai.eq121.absorbed", "Eq. (121), App. H", "(121) with eta-hat_t absorbing Algorithm 1's bias correction",
       reading_of="adai.eq121", reading="eta-hat_t = eta / ((1 - beta1^t) (v-hat_t + eps)^(1/2)): Algorithm 1's whole "
       "step factor, varying with t")
def eq121_absorbed():
    return rule_claim(EQ121, [rule_check("(121) iterated with eta-hat_t reproduces Algorithm 1 (the package's Adam) "
                                         "step by step", _absorbed_rate, idealized=False)])


@claim("adai.eq121.constant", "Eq. (121), App. H", "(121) with the constant eta-hat = eta C^(-1/2)",
       reading_of="adai.eq121", reading="eta-hat = eta C^(-1/2) constant, the idealized Adam of Proposition 1",
       proof_reading=True)
def eq121_constant():
    return rule_claim(EQ121, [rule_check("(121) iterated with eta-hat = eta C^(-1/2) reproduces Algorithm 1 with the "
                                         "idealized v = C step by step", _constant_rate, idealized=True)])


@claim("adai.eq121.constant.corrected", "Eq. (121), corrected", "Algorithm 1 with the idealized v = C: (121) with "
       "m_t / (1 - beta1^t)", corrects="adai.eq121")
def eq121_constant_corrected():
    statement = sp.Eq(sp.Matrix([m_now, theta_next]), sp.Matrix([beta1 * m_prev + (1 - beta1) * g,
                                                                 theta_now - eta_hat * m_now / (1 - beta1 ** step_t)]),
                      evaluate=False)
    return rule_claim(statement, [rule_check("iterated with eta-hat = eta C^(-1/2) it reproduces Algorithm 1 with the "
                                             "idealized v = C step by step", _constant_rate, idealized=True)],
                      ["Derived: Algorithm 1 divides m_t by 1 - beta1^t (bias correction); with the constant eta-hat "
                       "of "
                       "Proposition 1 this factor is lost, and it matters at T ~ 1/(1-beta1), where the momentum drift "
                       "builds up (see the plot table of adai.prop1.adam)."])


IDENT122 = {dt: eta_hat, gamma: GAMMA_ADAM, M: M_ADAM}        # dt = eta-hat, 1 - gamma dt = beta1, dt/M = 1 - beta1
ADAM_STEP_REGIME = Regime(tuple(p for p in STEP_REGIME.params if p.name not in ("beta_3", "eta"))
                          + (Param(eta_hat, 1e-3, 1.0, log=True),), (BETA1_BELOW_1,), "one step of (121), r = -m")
RULE121 = MOMENTUM4.subs(beta3, 1 - beta1)


def _rule121_trajectory(point):
    return momentum_trajectory(point, lr_name=r"\hat{\eta}", b3=1 - point["beta_1"])


def eq122_claim(force, notes) -> Claim:
    return Claim(statement=motion5(force), regime=ADAM_STEP_REGIME, symbols={**MSYMBOLS, "g_t": "stochastic gradient"},
                 dynamics="Adam's update (121)", observable="r_t = -m_t and theta_{t+1} after each step", notes=notes,
                 checks=motion_checks(IDENT122, RULE121, eta_hat, _rule121_trajectory, names=("(122)", "Adam's rule "
                                                                                                       "(121)")))


@claim("adai.eq122", "Eq. (122), App. H", "Adam (121) as the motion equation (122) with r_t = -m_t, F = g_t")
def eq122():
    return eq122_claim(g, ["The same printed equation as (5), with dt = eta-hat and dt/M = beta3 = 1 - beta1."])


@claim("adai.eq122.corrected", "Eq. (122), corrected", "Adam (121) as the motion equation (122) with F = -g_t",
       corrects="adai.eq122")
def eq122_corrected():
    return eq122_claim(-g, ["Derived: with r_t = -m_t the force is F = -g_t, as for (5)."])


@claim("adai.eq123", "Eq. (123), App. H", "Adam's mass and damping: M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat",
       about="algebra")
def eq123():
    return Claim(
        statement=sp.Eq(sp.Matrix([M, gamma]), sp.Matrix([M_ADAM, GAMMA_ADAM]), evaluate=False),
        regime=Regime((Param(beta1, 0.05, 0.99), Param(eta_hat, 1e-3, 1.0, log=True), Param(M, 0.2, 5.0, log=True),
                       Param(gamma, 0.5, 5.0, log=True)), (BETA1_BELOW_1,), "Adam (121)"),
        symbols=MSYMBOLS, dynamics="Adam (121) as the motion equation (122)/(123)", observable="M and gamma",
        checks=[SymbolicEquality("solve dt = eta-hat, 1 - gamma dt = beta1, dt/M = 1 - beta1",
                                 lambda c: sp.Matrix([sp.solve([dt - eta_hat, 1 - gamma * dt - beta1,
                                                                dt / M - (1 - beta1)], [dt, gamma, M],
                                                               dict=True)[0][s] for s in (M, gamma)]),
                                 lambda c: c.formula),
                SymbolicEquality("gamma M = 1 (used by Proposition 1)", lambda c: c.formula[0] * c.formula[1],
                                 sp.S.One)])
