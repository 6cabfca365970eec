"""`adai`, Theorem 2 in Momentum notation (its second display) and the proof's (31) (Adam-style) and (32)
(SGD-style).

Readings. Each form can be read as a statement about the algorithm (4) itself, from m_0 = 0 (``.discrete``), or
about the SDE (7) under the mapping (6) with the proof's equilibrium velocity (``.sde``, the proof's route). What
the expansions drop is the force H theta; whether "|H_i| eta T << 1" makes that small is a claim of its own
(``.condition``).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import AsymptoticOrder, BoundCheck, SymbolicEquality
from theory import Claim, Condition, Param, Regime, claim

from . import momentum_tables as tables
from .momentum_checks import EveryReading, MonteCarloMeanAt, StatementOrder
from .momentum_models import (
    BETA1_BELOW_1,
    DISCRETE_FROM_REST,
    EQ31_PRINTED,
    EQ32_PRINTED,
    MOMENTUM_PRINTED,
    MSD,
    MSYMBOLS,
    NONZERO_H,
    P_B,
    P_H,
    PAPER_SMALL,
    R_FORCE,
    REMAINDER,
    SDE_AT_EQUILIBRIUM,
    THM2_RHS,
    B,
    H,
    P_beta1,
    P_beta3,
    P_eta,
    P_Tmom,
    T,
    beta1,
    beta3,
    discrete_variance,
    eigs_of,
    eta,
    heavy_ball_sample,
    mapped,
    momentum_map,
    pad_cross,
    recursion_variance,
    sde7_msd,
    sde7_msd_sample,
)

# --- Theorem 2 in Momentum notation, (31) and (32) -----------------------------------------------------------------
STYLES = {"general": beta3, "adam": 1 - beta1, "sgd": sp.S.One}
STYLE_NAME = {"general": "beta3 general", "adam": "Adam-style, beta3 = 1 - beta1", "sgd": "SGD-style, beta3 = 1"}


def b3_of(style, point) -> float:
    return float(STYLES[style].subs({beta1: point["beta_1"], beta3: point.get("beta_3", 1.0)}))


def effective(style):
    """The recursion's own small parameter |H| eta T beta3/(1 - beta1) (the force's relative effect)."""
    return sp.Abs(H) * eta * T * STYLES[style] / (1 - beta1)


def notation_regime(style, condition) -> Regime:
    params = (P_H, P_eta, P_B, P_beta1) + ((P_beta3,) if style == "general" else ()) + (P_Tmom,)
    return Regime(params, (NONZERO_H, BETA1_BELOW_1, condition),
                  f"Momentum (4), {STYLE_NAME[style]}, near a saddle with gradient noise N(0, [H]^+/B), theta_1 = c")


CORRECTED_SMALL = {s: Condition(effective(s) <= sp.Rational(3, 10), "|H_i| eta T beta3/(1-beta1) << 1 (encoded as "
                                "<= 0.3): the force's relative effect is small (adai.*.condition)") for s in STYLES}


def ladder_start(style):
    """First rung of the eta ladder where the force changes the MSD by about 10-30%: effective parameter 0.3."""
    def start(point):
        return {**point, "eta": 0.3 * (1 - point["beta_1"]) / (abs(point["H"]) * point["T"] * b3_of(style, point))}
    return start


def small_start(style):
    """The Monte Carlo points: T ~ 1.5/(1 - beta1) (where momentum matters) and eta so small that the claimed
    O(...) remainder (relative 1.3 |H| eta T beta3/(1-beta1) = 1e-3) is far below the Monte Carlo resolution."""
    def start(point):
        T_ = float(np.clip(round(1.5 / (1 - point["beta_1"])), 5, 100))
        e = 1e-3 * (1 - point["beta_1"]) / (1.3 * abs(point["H"]) * T_ * b3_of(style, point))
        return {**point, "T": T_, "eta": e}
    return start


def _predict3(point, f):
    return pad_cross([f(**{**point, "H": h}) for h in eigs_of(point)])


def _predict3_sde(point, f):
    return np.array([f(**{**point, "H": h}) for h in eigs_of(point)])


def discrete_checks(style) -> list:
    return [StatementOrder(f"Momentum (4) from rest, exact recursion: relative error shrinks at the statement's "
                           f"order in eta ({STYLE_NAME[style]})", lambda p: discrete_variance(p, b3_of(style, p)),
                           small=eta, rungs=6, start=ladder_start(style), n_points=3),
            MonteCarloMeanAt("Momentum (4) (the package's optimizer) on a 3-D rotated saddle from rest, "
                             "T ~ 1.5/(1-beta1), remainder below resolution",
                             lambda p, n, rng: heavy_ball_sample(p, b3_of(style, p), n, rng), _predict3,
                             small_start(style), n_points=2, n_paths=20_000)]


def _mapped_exact(style, h=None):
    def exact(point):
        m = mapped(point, momentum_map(STYLES[style]), h)
        return sde7_msd(point["H"] if h is None else h, m["D"], m["M"], m["gamma"], m["t"],
                        m["D"] / (m["gamma"] * m["M"] ** 2))
    return exact


def _mapped_simulate(style):
    def simulate(point, n_paths, rng):
        eigs = eigs_of(point)
        ms = [mapped(point, momentum_map(STYLES[style]), h) for h in eigs]
        d = np.array([m["D"] for m in ms])
        m0 = ms[0]
        return sde7_msd_sample(eigs, d, m0["M"], m0["gamma"], m0["t"], d / (m0["gamma"] * m0["M"] ** 2), n_paths,
                               rng, n_coarse=100)
    return simulate


def sde_notation_checks(style) -> list:
    return [StatementOrder(f"SDE (7) under the mapping (6), equilibrium velocity, exact (Van Loan): relative error "
                           f"shrinks at the statement's order in eta ({STYLE_NAME[style]})", _mapped_exact(style),
                           small=eta, rungs=6, start=ladder_start(style), n_points=3),
            MonteCarloMeanAt("SDE (7) under the mapping on a 3-D saddle, equilibrium velocity, T ~ 1.5/(1-beta1), "
                             "remainder below resolution (Euler-Maruyama, Richardson)", _mapped_simulate(style),
                             _predict3_sde, small_start(style), n_points=2, n_paths=20_000)]


DYN = {"discrete": "Momentum (4) with gradient noise N(0, [H]^+/B), theta_1 = c, m_0 = 0, beta1 and beta3 fixed",
       "sde": "SDE (7) with M = eta/beta3, gamma = (1-beta1)/eta (6), D = eta |H|/(2B) (3), t = eta T, the "
              "proof's equilibrium velocity"}
READING = {"discrete": "a statement about Momentum (4) itself, from m_0 = 0, as eta -> 0 with beta1, beta3 fixed",
           "sde": "Theorem 2's SDE (7) under the Momentum mapping (the proof's route), equilibrium velocity"}
NOTATION_NOTES = ["The O term is read with eta -> 0 (B, H, T, beta fixed): relative to the leading term it is "
                  "O(|H| eta T beta3/(1-beta1)); the exact ladder starts where that is 0.3."]


def notation_claim(expr, style, model, checks, regime=None, notes=(), curves=()) -> Claim:
    return Claim(statement=sp.Eq(MSD(T), expr + REMAINDER),
                 regime=regime or notation_regime(style, PAPER_SMALL), symbols=MSYMBOLS, dynamics=DYN[model],
                 observable="<Delta theta_i^2> after T iterations", notes=[*NOTATION_NOTES, *notes], checks=checks,
                 curves=list(curves))


def every_reading(style) -> EveryReading:
    return EveryReading("against SDE (7) under the mapping (the proof's reading) and against Momentum (4) itself",
                        {"sde": sde_notation_checks(style)[0], "discrete": discrete_checks(style)[0]})


def printed_parent(expr, style, checks, curves=()) -> Claim:
    return Claim(statement=sp.Eq(MSD(T), expr + REMAINDER), regime=notation_regime(style, PAPER_SMALL),
                 symbols=MSYMBOLS, dynamics="Momentum, " + STYLE_NAME[style], checks=[*checks, every_reading(style)],
                 curves=list(curves),
                 observable="<Delta theta_i^2> after T iterations",
                 notes=["Readings: .discrete (Momentum (4) itself) and .sde (the SDE (7) under the mapping, the "
                        "proof's "
                        "route); whether |H_i| eta T << 1 makes the dropped force small: .condition."])


def induction_checks(scale) -> list:
    """The statement's leading term = scale * sum_{j=1}^T (1 - beta1^j)^2, by induction on T."""
    S = lambda c: c.formula / scale
    return [SymbolicEquality("T -> T+1 adds scale (1 - beta1^(T+1))^2 (induction step)",
                             lambda c: S(c).subs(T, T + 1) - S(c), (1 - beta1 ** (T + 1)) ** 2, try_simplify=False),
            SymbolicEquality("T = 1 gives scale (1 - beta1)^2 (base case)", lambda c: S(c).subs(T, 1),
                             (1 - beta1) ** 2)]


CORRECTED_DISCRETE_NOTE = ("Derived: with the force H theta dropped, theta_(T+1) - theta_1 = -eta beta3 sum_k xi_k "
                           "(1 - beta1^(T-k+1))/(1 - beta1), so the variance is |H| beta3^2 eta^2 / (B (1-beta1)^2) "
                           "sum_{j=1}^T (1 - beta1^j)^2; the force adds the O term.")
CORRECTED_SDE_NOTE = ("Derived: the H -> 0 limit of adai.thm2.corrected under the mapping, 2D/(gamma^2 M^2) "
                      "[t - (1 - exp(-gamma t))/gamma] with gamma t = (1-beta1) T; the force adds the O term.")


def discrete_corrected(style) -> Claim:
    scale = sp.Abs(H) * STYLES[style] ** 2 * eta ** 2 / (B * (1 - beta1) ** 2)
    return notation_claim(DISCRETE_FROM_REST.subs(beta3, STYLES[style]), style, "discrete",
                          induction_checks(scale) + discrete_checks(style),
                          notation_regime(style, CORRECTED_SMALL[style]), [CORRECTED_DISCRETE_NOTE],
                          tables.momentum_curves(style) if style != "general" else [])


def sde_corrected(style) -> Claim:
    return notation_claim(SDE_AT_EQUILIBRIUM.subs(beta3, STYLES[style]), style, "sde", sde_notation_checks(style),
                          notation_regime(style, CORRECTED_SMALL[style]), [CORRECTED_SDE_NOTE])


# --- whether |H_i| eta T << 1 is the right condition ------------------------------------------------------------
def condition_regime(style, condition) -> Regime:
    params = (P_H, Param(eta, 1e-6, 0.1, log=True, doc="learning rate"), P_beta1) + \
        ((P_beta3,) if style == "general" else ()) + (P_Tmom,)
    return Regime(params, (NONZERO_H, BETA1_BELOW_1, condition), f"Momentum (4), {STYLE_NAME[style]}, from rest")


PAPER_CONDITION = Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 100), "|H_i| eta T << 1 (encoded as <= 0.03)")
CONDITION_QUANTIFIED = ("'|H_i| eta T << 1' read as |H_i| eta T <= 0.03 (the corrected condition likewise with its "
                        "own left side); 'it can be written as (leading term) + O(...)' read as: the force H theta, "
                        "which the expansion drops, changes the MSD of the algorithm by at most 10% (R <= 1/10)")


def force_effect(style):
    """R = |Var with the force / Var without it - 1| of Momentum (4) from rest (exact recursions)."""
    def exact(point):
        b3, T_ = b3_of(style, point), int(point["T"])
        with_force = recursion_variance(point["H"], 1.0, T_, point["eta"], point["beta_1"], b3)
        return abs(with_force / recursion_variance(0.0, 1.0, T_, point["eta"], point["beta_1"], b3) - 1)
    return exact


def condition_claim(style, condition, notes=()) -> Claim:
    return Claim(statement=sp.Le(R_FORCE, sp.Rational(1, 10)), regime=condition_regime(style, condition),
                 quantified=CONDITION_QUANTIFIED,
                 symbols=MSYMBOLS, dynamics=DYN["discrete"],
                 observable="R: relative change of <Delta theta_i^2> made by the force H theta",
                 notes=["R does not depend on B (the noise scale cancels).", *notes],
                 checks=[BoundCheck("worst case of R over the condition's region (exact recursions)",
                                    exact=force_effect(style), maxiter=15, popsize=8, hypothesis_examples=30)])


# --- the claims ------------------------------------------------------------------------------------------------
def mapped_order_check(style) -> AsymptoticOrder:
    return AsymptoticOrder("(9) under the Momentum mapping = the statement + O(bound) as eta -> 0",
                           THM2_RHS.subs(momentum_map(STYLES[style]), simultaneous=True), lambda c: c.formula,
                           lambda c: c.remainder_bound, eta)


def same_as_general_check(style) -> SymbolicEquality:
    """A special case printed on its own must be the general Momentum-notation form with its beta3."""
    return SymbolicEquality(f"the Momentum-notation form of Theorem 2 with {STYLE_NAME[style]}, O term included",
                            sp.Matrix([MOMENTUM_PRINTED.subs(beta3, STYLES[style]), REMAINDER.args[0]]),
                            lambda c: sp.Matrix([c.formula, c.remainder_bound]))


@claim("adai.thm2.momentum", "Theorem 2 (Momentum notation)", "Theorem 2 in Momentum notation (beta3 general)",
       uses=["adai.thm2", "adai.eq6", "adai.eq3"])
def thm2_momentum():
    return printed_parent(MOMENTUM_PRINTED, "general", [mapped_order_check("general")])


@claim("adai.thm2.momentum.discrete", "Theorem 2 (Momentum notation)", "Theorem 2 in Momentum notation, read for "
       "Momentum (4) itself", reading_of="adai.thm2.momentum", reading="about Momentum (4) itself from m_0 = 0")
def thm2_momentum_discrete():
    return notation_claim(MOMENTUM_PRINTED, "general", "discrete", discrete_checks("general"))


@claim("adai.thm2.momentum.sde", "Theorem 2 (Momentum notation)", "Theorem 2 in Momentum notation, read for the SDE "
       "(7) under the mapping", reading_of="adai.thm2.momentum", reading="about SDE (7) under the mapping (6), the "
       "proof's equilibrium velocity", proof_reading=True)
def thm2_momentum_sde():
    return notation_claim(MOMENTUM_PRINTED, "general", "sde", sde_notation_checks("general"))


@claim("adai.thm2.momentum.corrected", "Theorem 2 (Momentum notation), corrected", "Momentum (4) from rest near a "
       "saddle: the exact force-free variance (beta3 general)", corrects="adai.thm2.momentum", uses=["adai.eq3"])
def thm2_momentum_corrected():
    return discrete_corrected("general")


@claim("adai.thm2.momentum.sde.corrected", "Theorem 2 (Momentum notation), corrected (SDE reading)", "SDE (7) under "
       "the Momentum mapping, equilibrium velocity: the force-free MSD (beta3 general)",
       corrects="adai.thm2.momentum", uses=["adai.thm2.corrected"])
def thm2_momentum_sde_corrected():
    return sde_corrected("general")


@claim("adai.thm2.momentum.condition", "Theorem 2 (Momentum notation), 'as |H_i| eta T << 1'",
       "|H_i| eta T << 1 makes the force the expansion drops small (beta3 general)")
def thm2_momentum_condition():
    return condition_claim("general", PAPER_CONDITION, ["The force's relative effect is about |H_i| eta T "
                                                        "beta3/(1-beta1)"
                           ": within |H_i| eta T <= 0.03 it reaches O(1) when beta3/(1 - beta1) is large (SGD-style "
                           "Momentum with beta1 near 1)."])


@claim("adai.thm2.momentum.condition.corrected", "Theorem 2 (Momentum notation), condition corrected",
       "|H_i| eta T beta3/(1-beta1) << 1 makes the dropped force small (beta3 general)",
       corrects="adai.thm2.momentum.condition")
def thm2_momentum_condition_corrected():
    return condition_claim("general", Condition(effective("general") <= sp.Rational(3, 100),
                                                "|H_i| eta T beta3/(1-beta1) << 1 (encoded as <= 0.03)"))


@claim("adai.eq31", "Eq. (31), App. A.2", "Theorem 2 for Adam-style Momentum (beta3 = 1 - beta1)",
       uses=["adai.thm2.momentum"])
def eq31():
    return printed_parent(EQ31_PRINTED, "adam", [same_as_general_check("adam"), mapped_order_check("adam")],
                          tables.momentum_curves("adam"))


@claim("adai.eq31.discrete", "Eq. (31), App. A.2", "(31) read for Adam-style Momentum (4) itself",
       reading_of="adai.eq31", reading="about Momentum (4) itself from m_0 = 0")
def eq31_discrete():
    return notation_claim(EQ31_PRINTED, "adam", "discrete", discrete_checks("adam"))


@claim("adai.eq31.sde", "Eq. (31), App. A.2", "(31) read for the SDE (7) under the mapping", reading_of="adai.eq31",
       reading="about SDE (7) under the mapping (6), the proof's equilibrium velocity", proof_reading=True)
def eq31_sde():
    return notation_claim(EQ31_PRINTED, "adam", "sde", sde_notation_checks("adam"))


@claim("adai.eq31.corrected", "Eq. (31), corrected", "Adam-style Momentum from rest near a saddle: the exact "
       "force-free variance", corrects="adai.eq31")
def eq31_corrected():
    return discrete_corrected("adam")


@claim("adai.eq31.sde.corrected", "Eq. (31), corrected (SDE reading)", "SDE (7) under the Adam-style mapping, "
       "equilibrium velocity: the force-free MSD", corrects="adai.eq31")
def eq31_sde_corrected():
    return sde_corrected("adam")


@claim("adai.eq31.condition", "Eq. (31), 'as |H_i| eta T << 1'", "|H_i| eta T << 1 makes the force the expansion "
       "drops small (Adam-style)")
def eq31_condition():
    return condition_claim("adam", PAPER_CONDITION, ["For beta3 = 1 - beta1 the force's relative effect is about "
                                                     "|H_i| eta T: the printed condition is the right one."])


@claim("adai.eq32", "Eq. (32), App. A.2", "Theorem 2 for SGD-style Momentum (beta3 = 1)", uses=["adai.thm2.momentum"])
def eq32():
    return printed_parent(EQ32_PRINTED, "sgd", [same_as_general_check("sgd"), mapped_order_check("sgd")],
                          tables.momentum_curves("sgd"))


@claim("adai.eq32.discrete", "Eq. (32), App. A.2", "(32) read for SGD-style Momentum (4) itself",
       reading_of="adai.eq32", reading="about Momentum (4) itself from m_0 = 0")
def eq32_discrete():
    return notation_claim(EQ32_PRINTED, "sgd", "discrete", discrete_checks("sgd"))


@claim("adai.eq32.sde", "Eq. (32), App. A.2", "(32) read for the SDE (7) under the mapping", reading_of="adai.eq32",
       reading="about SDE (7) under the mapping (6), the proof's equilibrium velocity", proof_reading=True)
def eq32_sde():
    return notation_claim(EQ32_PRINTED, "sgd", "sde", sde_notation_checks("sgd"))


@claim("adai.eq32.corrected", "Eq. (32), corrected", "SGD-style Momentum from rest near a saddle: the exact "
       "force-free variance", corrects="adai.eq32")
def eq32_corrected():
    return discrete_corrected("sgd")


@claim("adai.eq32.sde.corrected", "Eq. (32), corrected (SDE reading)", "SDE (7) under the SGD-style mapping, "
       "equilibrium velocity: the force-free MSD", corrects="adai.eq32")
def eq32_sde_corrected():
    return sde_corrected("sgd")


@claim("adai.eq32.condition", "Eq. (32), 'as |H_i| eta T << 1'", "|H_i| eta T << 1 makes the force the expansion "
       "drops small (SGD-style)")
def eq32_condition():
    return condition_claim("sgd", PAPER_CONDITION, ["For beta3 = 1 the force's relative effect is about "
                                                    "|H_i| eta T/(1-beta1): up to 20 times the printed parameter."])


@claim("adai.eq32.condition.corrected", "Eq. (32), condition corrected", "|H_i| eta T/(1-beta1) << 1 makes the "
       "dropped force small (SGD-style)", corrects="adai.eq32.condition")
def eq32_condition_corrected():
    return condition_claim("sgd", Condition(effective("sgd") <= sp.Rational(3, 100),
                                            "|H_i| eta T/(1-beta1) << 1 (encoded as <= 0.03)"))
