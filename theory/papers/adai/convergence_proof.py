"""`adai`, App. A.6, (111)-(118): the proof of Theorem 4.

(112), (114), (115), (116) and (117) are statements about the process (74): each is decided by the worst-case
searches of convergence_checks over instances with exact expectations. (113) and the passage (114) -> (115) are
algebra. (117) is printed under "Let eta <= C / sqrt(t + 1)": its first term only follows with eta = C / sqrt(t + 1)
(adai.eq117.corrected), as for Theorem 4 itself.
"""

from __future__ import annotations

import sympy as sp

from checks import BoundCheck
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc
from . import convergence_models as cm
from .convergence import C1, C_REL, MINSQ, U_ETA, min_grad_sq, thm4_eta
from .convergence_models import DL, EG, EN, L0, NOISE_G, C, G, Lstar, beta_max, calL, eta, k, q, t

REGIME = Regime(
    (Param(t, 0, 40, doc="iterations: t + 1"), Param(beta_max, 0.0, 0.99)), (), "(74) under the conditions of Theorem 4"
)
SYMS = {**cm.SYMBOLS, **cm.EXPECTATIONS, MINSQ.name: "min over k <= t of E||grad L(theta_k)||^2"}
NOISE_TERM = calL * eta**2 / (2 * (1 - beta_max)) * NOISE_G
DRIFT_TERM = beta_max * eta**2 / (2 * (1 - beta_max)) * G**2
EQ112_RHS = sp.Sum(q[k] * ((t - k) / 2 * eta**2 - eta) * EN[k], (k, 0, t)) + NOISE_TERM
EQ113_LHS = sp.Sum(q[k] * eta * EN[k], (k, 0, t))
EQ113_RHS = -DL + sp.Sum(q[k] * (t - k) / 2 * eta**2 * EN[k], (k, 0, t)) + NOISE_TERM
EQ116_RHS = (
    (L0 - Lstar) / ((1 - beta_max) * (t + 1) * eta)
    + beta_max * eta / (2 * (1 - beta_max) ** 2) * G**2
    + calL * eta / (2 * (1 - beta_max) ** 2) * NOISE_G
)
EQ117_RHS = (
    (L0 - Lstar) / ((1 - beta_max) * C * sp.sqrt(t + 1))
    + beta_max * C / (2 * (1 - beta_max) ** 2 * sp.sqrt(t + 1)) * G**2
    + calL * C / (2 * (1 - beta_max) ** 2 * sp.sqrt(t + 1)) * NOISE_G
)


def with_min(E, tt, values) -> dict:
    return {**cc.expectation_terms(E, tt, values), **min_grad_sq(E, tt, values)}


def searches(
    name, statement, default=("quadratic",), deep=("two-point", "noise-free"), scale="gap", terms=with_min, **kw
) -> list:
    sc = cc.abs_terms(statement) if scale == "gap" else None
    return cc.modes(name, statement, REGIME, terms, default, deep, scale=sc, **kw)


def process_claim(statement, checks, notes=()):
    return Claim(
        statement=statement,
        regime=REGIME,
        symbols=SYMS,
        dynamics="(74), beta_{1,k} in [0, beta_max]",
        observable="expectations of (74)",
        notes=list(notes),
        checks=checks,
    )


@claim(
    "adai.eq112",
    "Eqs. (111)-(112), App. A.6",
    "E[L(theta_{t+1}) - L(theta_t)] <= sum_k q_{k,t} ((t-k)/2 eta^2 - "
    "eta) E||grad L(theta_k)||^2 + calL eta^2 (G^2 + delta^2) / (2 (1 - beta_max))",
    uses=["adai.lemma2", "adai.lemma4"],
)
def eq112():
    st = sp.Le(DL, EQ112_RHS, evaluate=False)
    return process_claim(
        st,
        searches("(112)", st),
        [
            "Lemmas 2 and 4 are both refuted; (112), their sum with the error terms cancelled, is checked on its own. "
            "Measured by the normalised gap 1 + (lhs - rhs) / (|lhs| + sum of |rhs terms|)."
        ],
    )


EQ112_FIXED = (
    sp.Sum(q[k] * ((t - k) / 2 * eta**2 * EG[k] - eta * EN[k]), (k, 0, t))
    + calL**2 * eta**2 / 2 * NOISE_G * sp.Sum(q[k] * (t - k) ** 2, (k, 0, t))
    + calL * eta**2 / 2 * NOISE_G
)


@claim(
    "adai.eq112.corrected",
    "Eqs. (111)-(112), corrected",
    "E[L(theta_{t+1}) - L(theta_t)] <= sum_k q_{k,t} ((t-k)/2 eta^2 E||g_k||^2 - eta E||grad L(theta_k)||^2) + "
    "calL^2 eta^2 (G^2 + delta^2)/2 sum_k q_{k,t} (t-k)^2 + calL eta^2 (G^2 + delta^2)/2",
    corrects="adai.eq112",
)
def eq112_corrected():
    st = sp.Le(DL, EQ112_FIXED, evaluate=False)
    return process_claim(
        st,
        searches("(112), corrected", st),
        [
            "Derived: adai.lemma2.corrected, then each E||grad L(theta_{j+1}) - grad L(theta_j)||^2 <= calL^2 eta^2 "
            "(G^2 + delta^2) (adai.eq102.corrected) in its (t - k) sum_j term, and (104).",
            "Measured by the normalised gap 1 + (lhs - rhs) / (|lhs| + sum of |rhs terms|).",
        ],
    )


@claim(
    "adai.eq113",
    "Eq. (113), App. A.6",
    "(112) rearranged: sum_k q_{k,t} eta E||grad L(theta_k)||^2 <= E[L(theta_t) "
    "- L(theta_{t+1})] + sum_k q_{k,t} (t-k)/2 eta^2 E||grad L(theta_k)||^2 + calL eta^2 (G^2 + delta^2) / (2 (1 - "
    "beta_max))",
    uses=["adai.eq112"],
)
def eq113():
    return Claim(
        statement=sp.Le(EQ113_LHS, EQ113_RHS, evaluate=False),
        regime=REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        checks=[
            cc.identity_for_small_t(
                "(113)'s lhs - rhs = (112)'s lhs - rhs, t = 0..5",
                lambda c: c.lhs - c.rhs,
                lambda c: DL - EQ112_RHS,
                (EN, q),
                extra=[
                    Param(DL, -2, 2),
                    Param(eta, 0.01, 1),
                    Param(calL, 0.1, 10),
                    Param(G, 0.1, 10),
                    Param(cm.delta, 0, 2),
                ],
            )
        ],
    )


@claim(
    "adai.eq114",
    "Eq. (114), App. A.6",
    "(1 - beta_max^{t+1}) eta min_k E||grad L(theta_k)||^2 <= E[L(theta_t) - "
    "L(theta_{t+1})] + beta_max eta^2 G^2 / (2 (1 - beta_max)) + calL eta^2 (G^2 + delta^2) / (2 (1 - beta_max))",
    uses=["adai.eq113", "adai.eq80.lower", "adai.lemma3"],
)
def eq114():
    st = sp.Le((1 - beta_max ** (t + 1)) * eta * MINSQ, -DL + DRIFT_TERM + NOISE_TERM, evaluate=False)
    return process_claim(st, searches("(114)", st), ["Measured by the normalised gap."])


@claim(
    "adai.eq115",
    "Eq. (115), App. A.6",
    "(t+1)(1 - beta_max) eta min_k E||grad L(theta_k)||^2 <= L(theta_0) - L* + "
    "(t+1) [beta_max eta^2 G^2 / (2 (1 - beta_max)) + calL eta^2 (G^2 + delta^2) / (2 (1 - beta_max))]",
    uses=["adai.eq114", "adai.eq115.step"],
)
def eq115():
    st = sp.Le((t + 1) * (1 - beta_max) * eta * MINSQ, L0 - Lstar + (t + 1) * (DRIFT_TERM + NOISE_TERM), evaluate=False)
    return process_claim(
        st,
        searches(
            "(115)",
            st,
            ("noise-free",),
            ("quadratic", "two-point"),
            scale=None,
            terms=min_grad_sq,
            steps_of=lambda tt: tt,
        ),
        [
            "The sum of (114) over s = 0..t, with 1 - beta_max^{s+1} >= 1 - beta_max and min over k <= t below every "
            "min over k <= s (adai.eq115.step); the text writes 'for t = 0, ..., t'."
        ],
    )


@claim("adai.eq115.step", "Eqs. (114)-(115), App. A.6", "(114) -> (115): 1 - beta_max^{s+1} >= 1 - beta_max for s >= 0")
def eq115_step():
    return Claim(
        statement=sp.Ge(1 - beta_max ** (t + 1), 1 - beta_max, evaluate=False),
        regime=Regime((Param(t, 0, 200, doc="s"), Param(beta_max, 0.0, 0.99))),
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        notes=["t stands for the summation index s of (115)."],
        checks=[
            BoundCheck(
                "worst case over s and beta_max", maxiter=6, popsize=6, hypothesis_examples=20, self_test="replay"
            )
        ],
    )


@claim(
    "adai.eq116",
    "Eq. (116), App. A.6",
    "min_k E||grad L(theta_k)||^2 <= (L(theta_0) - L*) / ((1 - beta_max)(t+1) "
    "eta) + beta_max eta G^2 / (2 (1 - beta_max)^2) + calL eta (G^2 + delta^2) / (2 (1 - beta_max)^2)",
    uses=["adai.eq115"],
)
def eq116():
    st = sp.Le(MINSQ, EQ116_RHS, evaluate=False)
    return process_claim(
        st,
        searches(
            "(116)",
            st,
            ("noise-free",),
            ("quadratic", "two-point"),
            scale=None,
            terms=min_grad_sq,
            steps_of=lambda tt: tt,
        ),
        [
            "Any eta > 0 (searched as eta calL in [0.01, 3]). The corrected form of Theorem 4 for eta < C / sqrt(t + "
            "1) "
            "follows from it (adai.thm4.corrected)."
        ],
    )


def eq117_checks(statement, with_u):
    kw = {"steps_of": lambda tt: tt, "eta_of": thm4_eta, "extra": (C_REL, U_ETA) if with_u else (C_REL,), "maxiter": 5}
    return cc.modes("(117)", statement, REGIME, min_grad_sq, ("noise-free",), ("quadratic",), **kw)


@claim(
    "adai.eq117",
    "Eqs. (117)-(118), App. A.6",
    "Let eta <= C / sqrt(t + 1): min_k E||grad L(theta_k)||^2 <= (L(theta_0) "
    "- L*) / ((1 - beta_max) C sqrt(t + 1)) + (the C2, C3 terms with (1 - beta_max)^2) / sqrt(t + 1)",
    uses=["adai.eq116"],
)
def eq117():
    st = sp.Le(MINSQ, EQ117_RHS, evaluate=False)
    return process_claim(
        st,
        eq117_checks(st, with_u=True)[:1],
        [
            "eta = u C / sqrt(t + 1), u in (0, 1] searched: (116)'s first term grows as eta shrinks, so it is bounded "
            "by "
            "(117)'s only at u = 1."
        ],
    )


@claim("adai.eq117.corrected", "Eq. (117), corrected", "(117) with eta = C / sqrt(t + 1)", corrects="adai.eq117")
def eq117_corrected():
    st = sp.Le(MINSQ, EQ117_RHS, evaluate=False)
    return process_claim(st, eq117_checks(st, with_u=False), ["(116) with eta = C / sqrt(t + 1)."])


@claim(
    "adai.thm4.c1",
    "Theorem 4 and Eq. (117)",
    "(117)'s first term is at most Theorem 4's C1 / sqrt(t + 1): C1 "
    "carries (1 - beta_max)^2 where (117) has (1 - beta_max)",
    uses=["adai.eq117.corrected"],
)
def thm4_c1():
    st = sp.Le((L0 - Lstar) / ((1 - beta_max) * C * sp.sqrt(t + 1)), C1 / sp.sqrt(t + 1), evaluate=False)
    regime = Regime(
        (
            Param(t, 0, 100),
            Param(beta_max, 0.0, 0.99),
            Param(C, 0.01, 100, log=True),
            Param(L0, 0.0, 10.0),
            Param(Lstar, -10.0, 0.0),
        ),
        (),
        "L(theta_0) >= L*",
    )
    return Claim(
        statement=st,
        regime=regime,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        notes=["The theorem states a weaker constant than its proof derives (equal at beta_max = 0)."],
        checks=[
            BoundCheck(
                "worst case over the constants", maxiter=6, popsize=6, hypothesis_examples=20, self_test="replay"
            )
        ],
    )
