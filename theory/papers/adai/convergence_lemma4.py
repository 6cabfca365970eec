"""`adai`, App. A.6, Lemma 4 (98)-(110): the bound on Lemma 2's error terms -- and the proof's steps.

Statements about the process (74) are decided by worst-case searches with exact expectations
(convergence_checks.process_bound); the algebra steps by searches over the constants or symbolically. Readings as in
convergence_lemma2: '- L(theta_j)' literal or as '- grad L(theta_j)'; the bound's 'L eta^2' read as calL eta^2.
"""

from __future__ import annotations

import sympy as sp

from checks import BoundCheck, SymbolicEquality
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc
from .convergence_lemma2 import LEMMA4_RHS, REGIME, SYMS, lemma4_lhs, process_claim, searches, sum_j
from .convergence_models import DG, DLIT, NOISE_G, G, S, beta_max, calL, delta, eta, k, q, t


# --- Lemma 4 ---------------------------------------------------------------------------------------------------------
@claim(
    "adai.lemma4",
    "Lemma 4, App. A.6",
    "1/2 sum_k q_{k,t} E[sum_j ||grad L(theta_{j+1}) - L(theta_j)||^2] + calL "
    "eta^2/2 ||sum_k q_{k,t} g_k||^2 <= L eta^2 (G^2 + delta^2) / (2 (1 - beta_max))",
    uses=["adai.eq110"],
)
def lemma4():
    st = sp.Le(lemma4_lhs(DLIT), LEMMA4_RHS, evaluate=False)
    return process_claim(
        st,
        searches("Lemma 4 as printed", st, ("noise-free",), (), scale=None),
        [
            "Two readings of '- L(theta_j)': adai.lemma4.literal, adai.lemma4.gradient; the bound's L "
            "is read as calL, as (110) prints it.",
            "The printed statement carries the literal reading's search (the same formula), so that a change of "
            "it is seen; its verdict is the readings'.",
        ],
    )


@claim(
    "adai.lemma4.literal",
    "Lemma 4, App. A.6",
    "Lemma 4 with ||grad L(theta_{j+1}) - L(theta_j)||^2 as printed",
    reading_of="adai.lemma4",
    reading="the printed '- L(theta_j)': a loss value (1-D)",
)
def lemma4_literal():
    st = sp.Le(lemma4_lhs(DLIT), LEMMA4_RHS, evaluate=False)
    return process_claim(st, searches("Lemma 4 (literal)", st, ("noise-free",), ("two-point",), scale=None))


@claim(
    "adai.lemma4.gradient",
    "Lemma 4, App. A.6",
    "Lemma 4 with ||grad L(theta_{j+1}) - grad L(theta_j)||^2",
    reading_of="adai.lemma4",
    reading="'- L(theta_j)' read as '- grad L(theta_j)'",
    proof_reading=True,
)
def lemma4_gradient():
    st = sp.Le(lemma4_lhs(DG), LEMMA4_RHS, evaluate=False)
    return process_claim(
        st,
        searches("Lemma 4", st, ("noise-free",), ("quadratic", "two-point"), scale=None),
        [
            "The two sides scale differently under L -> s L (the left side's first term as s^2, the bound as s): "
            "smoothness gives calL^2, not calL, in (99)."
        ],
    )


LEMMA4_FIXED = (calL**2 * beta_max / (1 - beta_max) + calL) * eta**2 * NOISE_G / 2


@claim(
    "adai.lemma4.corrected",
    "Lemma 4, corrected",
    "Lemma 4 with calL^2 in the first term: ... <= (calL^2 beta_max / (1 - beta_max) + calL) eta^2 (G^2 + delta^2) / 2",
    corrects="adai.lemma4.gradient",
)
def lemma4_corrected():
    st = sp.Le(lemma4_lhs(DG), LEMMA4_FIXED, evaluate=False)
    return process_claim(
        st,
        searches("Lemma 4, corrected", st, ("noise-free", "quadratic"), ("two-point",), scale=None),
        [
            "Derived: ||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL^2 ||theta_{j+1} - theta_j||^2 <= calL^2 "
            "eta^2 "
            "||sum_i q_{i,j} g_i||^2, then Lemmas 1 and 3 as the proof does."
        ],
    )


# --- (98)-(110): the proof of Lemma 4
DGT = sp.Symbol(r"\mathbb{E}\|\nabla L(\theta_{t+1}) - \nabla L(\theta_t)\|^2", nonnegative=True)
DTH = sp.Symbol(r"\mathbb{E}\|\theta_{t+1} - \theta_t\|^2", nonnegative=True)
LAG = sp.Sum(q[k] * (t - k), (k, 0, t))  # sum_k q_{k,t} (t - k), bounded by Lemma 3
RHS107 = eta**2 * beta_max / (2 * (1 - beta_max)) * NOISE_G
RHS104 = calL * eta**2 / 2 * NOISE_G
RHS109 = calL * eta**2 * beta_max / (2 * (1 - beta_max)) * NOISE_G + calL * eta**2 / 2 * NOISE_G


def step_terms(E, tt, values):
    d = E.theta[tt + 1] - E.theta[tt]
    dg = E.grad[tt + 1] - E.grad[tt]
    return {DGT.name: E.inner(dg, dg), DTH.name: E.inner(d, d)}


def lemma4_step(name, statement, terms=step_terms, default=("noise-free",), deep=("quadratic",)):
    return cc.modes(name, statement, REGIME, terms, default, deep)


@claim(
    "adai.eq99",
    "Eqs. (98)-(99), App. A.6",
    "||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL ||theta_{j+1} - theta_j||^2",
)
def eq99():
    st = sp.Le(DGT, calL * DTH, evaluate=False)
    return process_claim(
        st,
        lemma4_step("(99)", st),
        [
            "Checked at j = t; noise-free runs are single paths (pathwise), "
            "the quadratic mode in expectation. (98) prints '- L(theta_j)'."
        ],
    )


@claim(
    "adai.eq99.corrected",
    "Eq. (99), corrected",
    "||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL^2 ||theta_{j+1} - theta_j||^2",
    corrects="adai.eq99",
)
def eq99_corrected():
    st = sp.Le(DGT, calL**2 * DTH, evaluate=False)
    return process_claim(
        st,
        lemma4_step("(99), corrected", st),
        ["The definition of calL-smoothness (footnote 2), squared. Equality on the Huber loss's quadratic part."],
    )


@claim(
    "adai.eq102",
    "Eqs. (100)-(102), App. A.6",
    "E||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL eta^2 (G^2 + delta^2)",
    uses=["adai.eq99", "adai.eq80.upper"],
)
def eq102():
    st = sp.Le(DGT, calL * eta**2 * NOISE_G, evaluate=False)
    return process_claim(st, lemma4_step("(102)", st, deep=("two-point", "quadratic")))


@claim(
    "adai.eq102.corrected",
    "Eq. (102), corrected",
    "E||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL^2 eta^2 (G^2 + delta^2)",
    corrects="adai.eq102",
)
def eq102_corrected():
    st = sp.Le(DGT, calL**2 * eta**2 * NOISE_G, evaluate=False)
    return process_claim(
        st,
        lemma4_step("(102), corrected", st, deep=("two-point", "quadratic")),
        [
            "Derived: (99) corrected, then ||sum_i q_{i,j} g_i||^2 <= sum_i q_{i,j} ||g_i||^2 (Jensen, sum_i q_{i,j} "
            "<= 1) "
            "and E||g_i||^2 <= G^2 + delta^2."
        ],
    )


@claim(
    "adai.eq104",
    "Eqs. (103)-(104), App. A.6",
    "calL eta^2 / 2 ||sum_k q_{k,t} g_k||^2 <= calL eta^2 / 2 (G^2 + delta^2)",
    uses=["adai.eq80.upper"],
)
def eq104():
    st = sp.Le(calL * eta**2 / 2 * S, RHS104, evaluate=False)
    return process_claim(st, searches("(104)", st, scale=None), ["Read in expectation, as (89) writes it."])


@claim(
    "adai.eq106",
    "Eqs. (105)-(106), App. A.6",
    "1/2 sum_k q_{k,t} E[sum_j ||grad L(theta_{j+1}) - grad "
    "L(theta_j)||^2] <= eta^2/2 (G^2 + delta^2) sum_k q_{k,t} (t - k)",
    uses=["adai.eq102"],
)
def eq106():
    st = sp.Le(sp.Rational(1, 2) * sum_j(DG), eta**2 / 2 * NOISE_G * LAG, evaluate=False)
    return process_claim(
        st,
        searches("(105)-(106)", st, ("noise-free",), ("quadratic", "two-point"), scale=None),
        [
            "(106) drops calL from (102) (which itself has calL for calL^2). Read with grad L(theta_j) ((105) prints "
            "'- L(theta_j)')."
        ],
    )


@claim(
    "adai.eq106.corrected",
    "Eqs. (105)-(106), corrected",
    "1/2 sum_k q_{k,t} E[sum_j ||grad L(theta_{j+1}) - grad L(theta_j)||^2] <= calL^2 eta^2/2 (G^2 + delta^2) "
    "sum_k q_{k,t} (t - k)",
    corrects="adai.eq106",
)
def eq106_corrected():
    st = sp.Le(sp.Rational(1, 2) * sum_j(DG), calL**2 * eta**2 / 2 * NOISE_G * LAG, evaluate=False)
    return process_claim(
        st,
        searches("(105)-(106), corrected", st, ("noise-free",), ("quadratic", "two-point"), scale=None),
        ["Derived: adai.eq102.corrected for each of the t - k terms of the inner sum."],
    )


@claim(
    "adai.eq107",
    "Eq. (107), App. A.6",
    "eta^2/2 (G^2 + delta^2) sum_k q_{k,t} (t - k) <= eta^2 beta_max (G^2 + delta^2) / (2 (1 - beta_max))",
    uses=["adai.lemma3"],
)
def eq107():
    st = sp.Le(eta**2 / 2 * NOISE_G * LAG, RHS107, evaluate=False)
    return Claim(
        statement=st,
        regime=REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="weights of (74)",
        observable="-",
        checks=searches("(107)", st, ("noise-free",), (), scale=None),
        notes=["Lemma 3 multiplied by eta^2 (G^2 + delta^2) / 2; the instance only supplies eta, G, delta."],
    )


ALGEBRA_REGIME = Regime(
    (
        Param(calL, 0.01, 100, log=True),
        Param(eta, 1e-3, 10, log=True),
        Param(beta_max, 0.0, 0.99),
        Param(G, 0.01, 100, log=True),
        Param(delta, 0.0, 10.0),
    ),
    (),
    "any constants",
)


@claim(
    "adai.eq109",
    "Eqs. (108)-(109), App. A.6",
    "(107) + (104) <= calL eta^2 beta_max (G^2 + delta^2) / (2 (1 - beta_max)) + L eta^2 (G^2 + delta^2) / 2",
    uses=["adai.eq107", "adai.eq104"],
)
def eq109():
    st = sp.Le(RHS107 + RHS104, RHS109, evaluate=False)
    return Claim(
        statement=st,
        regime=ALGEBRA_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        notes=["The step multiplies (107)'s bound by calL; (109)'s 'L' is read as calL."],
        checks=[
            BoundCheck(
                "worst case over the constants", maxiter=6, popsize=6, hypothesis_examples=20, self_test="replay"
            )
        ],
    )


@claim(
    "adai.eq110", "Eq. (110), App. A.6", "(109) = calL eta^2 (G^2 + delta^2) / (2 (1 - beta_max))", uses=["adai.eq109"]
)
def eq110():
    return Claim(
        statement=sp.Le(RHS109, LEMMA4_RHS, evaluate=False),
        regime=ALGEBRA_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        checks=[
            SymbolicEquality("the two sides are equal", lambda c: c.lhs, lambda c: c.rhs),
            BoundCheck(
                "worst case over the constants", maxiter=4, popsize=5, hypothesis_examples=10, self_test="replay"
            ),
        ],
    )


@claim(
    "adai.eq109.corrected",
    "Eqs. (108)-(109), corrected",
    "calL^2 x (107) + (104) = (calL^2 beta_max / (1 - beta_max) + calL) eta^2 (G^2 + delta^2) / 2, Lemma 4's "
    "corrected bound",
    corrects="adai.eq109",
)
def eq109_corrected():
    return Claim(
        statement=sp.Le(calL**2 * RHS107 + RHS104, LEMMA4_FIXED, evaluate=False),
        regime=ALGEBRA_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        notes=[
            "(106) corrected carries calL^2 (adai.eq106.corrected), so (107)'s bound enters multiplied by calL^2, "
            "not by calL; the sum is adai.lemma4.corrected's bound, which is checked against the process."
        ],
        checks=[
            SymbolicEquality("the two sides are equal", lambda c: c.lhs, lambda c: c.rhs),
            BoundCheck(
                "worst case over the constants", maxiter=4, popsize=5, hypothesis_examples=10, self_test="replay"
            ),
        ],
    )
