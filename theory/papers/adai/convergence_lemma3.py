"""`adai`, App. A.6, Lemma 3 (91)-(97): sum_k q_{k,t} (t - k) <= beta_max / (1 - beta_max), and the proof's steps.

Algebra over sequences beta_{1,0..t} in [0, beta_max]: bounds by worst-case searches over sequences, derivative
statements by exact complex-step derivatives of the printed sums (convergence_lemma1 has the notation).
"""

from __future__ import annotations

import sympy as sp

from checks import BoundCheck, SymbolicEquality
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc
from .convergence_lemma1 import (
    AG_SUM,
    EQ95_BRACKET,
    EQ96_RHS,
    L3SUM,
    SEQ_PARAMS,
    SEQ_REGIME,
    SYMS,
    WSUM,
    _weights_claim,
    derivative_side,
    sequence,
    weights_bound,
)
from .convergence_models import beta, beta_max, j, k, t


# --- Lemma 3, (91)-(97) ----------------------------------------------------------------------------------------------
def record_lemma3(setting: str):
    """Sequences for t = 2..7 set as the proof sets them before differentiating: beta_{1,0} = 0 ("zero"), then
    beta_{1,1..j-1} = beta_max ("prefix", every j = 1..t), or no setting ("free")."""

    def record(point, rng, n: int = 7):
        out = []
        for tt in range(2, n + 1):
            for jj in range(1, tt + 1) if setting == "prefix" else (0,):
                betas = rng.uniform(0, point[beta_max.name], tt + 1)
                if setting in ("zero", "prefix"):
                    betas[0] = 0.0
                if setting == "prefix":
                    betas[1:jj] = point[beta_max.name]
                out.append({"t": tt, "j": jj, beta.label.name: betas, "_step": tt, "_scale": 1.0})
        return out

    return record


@claim(
    "adai.lemma3",
    "Lemma 3, App. A.6",
    "sum_k q_{k,t} (t - k) <= beta_max / (1 - beta_max)",
    uses=["adai.eq94", "adai.eq97"],
)
def lemma3():
    return _weights_claim(
        sp.Le(L3SUM, beta_max / (1 - beta_max), evaluate=False),
        [weights_bound("Lemma 3")],
        [
            "Sup over sequences: beta_{1,0} = 0, the rest beta_max, where the sum is sum_{m=1}^t "
            "beta_max^m: the bound is approached as t grows (ratio 1 - beta_max^t)."
        ],
    )


@claim("adai.eq91", "Eq. (91), App. A.6", "d sum_k q_{k,t}(t - k) / d beta_{1,0} = -t prod_{k=1}^t beta_{1,k} (<= 0)")
def eq91():
    return _weights_claim(
        sp.Eq(sp.Derivative(L3SUM, beta[0]), -sp.Product(beta[k], (k, 1, t)) * t),
        [
            cc.Replay(
                "exact (complex-step) derivative of the printed sum",
                record_lemma3("free"),
                (beta, t),
                lhs=derivative_side(0),
            )
        ],
        [
            "The text before (91) says 'with respect to beta_{1,1}'; the display differentiates in beta_{1,0}, which "
            "is "
            "what follows."
        ],
    )


@claim(
    "adai.eq92",
    "Eq. (92), App. A.6",
    "with beta_{1,0} = 0: d sum_k q_{k,t}(t - k) / d beta_{1,1} = prod_{k=2}^t beta_{1,k} (t - (t - 1)) (>= 0)",
)
def eq92():
    return _weights_claim(
        sp.Eq(sp.Derivative(L3SUM, beta[1]), sp.Product(beta[k], (k, 2, t)) * (t - (t - 1))),
        [
            cc.Replay(
                "exact (complex-step) derivative, beta_{1,0} = 0",
                record_lemma3("zero"),
                (beta, t),
                lhs=derivative_side(1),
            )
        ],
    )


@claim(
    "adai.eq93",
    "Eq. (93), App. A.6",
    "with beta_{1,0} = 0 and beta_{1,1..j-1} = beta_max: d sum_k q_{k,t}(t - k) / d beta_{1,j} >= 0",
)
def eq93():
    def exact(values, c):
        """The statement's derivative (its left side) at beta_{1,j}, exactly by the complex step."""
        return cc.complex_step(c.lhs.expr, [t, beta], values, int(values["j"]))

    def derive(point):
        tt = int(point["t"])
        jj = min(int(point["j"]), tt)
        seq = sequence(point)[beta.label.name].copy()
        seq[0] = 0.0
        seq[1:jj] = point[beta_max.name]
        return {beta.label.name: seq, "j": float(jj)}

    return _weights_claim(
        sp.Ge(sp.Derivative(L3SUM, beta[j]), 0, evaluate=False),
        [
            BoundCheck(
                "worst case over beta sequences and j (exact complex-step derivative)",
                exact=exact,
                derive=derive,
                instances=SEQ_PARAMS + (Param(j, 1, 40, doc="the beta_{1,j} differentiated (j <= t)"),),
                derived=[beta],
                scale=lambda v: 1e-12 + abs(cc.complex_step(L3SUM, [t, beta], v, int(v["j"]))),
                maxiter=5,
                popsize=5,
                hypothesis_examples=20,
                deep_factor=4.0,
                self_test="replay",
            )
        ],
        [
            "The display writes k both for the summation index and for the beta differentiated: the latter is j here. "
            "Its middle term (t - k) d sum_k q_{k,t} / d beta_{1,k} = 0 (the sum is 1 once beta_{1,0} = 0) is "
            "adai.eq93.weights. Measured by the normalised gap 1 - derivative / |derivative|: 0 where it is positive."
        ],
    )


@claim("adai.eq93.weights", "Eq. (93), App. A.6", "with beta_{1,0} = 0: d sum_k q_{k,t} / d beta_{1,j} = 0")
def eq93_weights():
    return _weights_claim(
        sp.Eq(sp.Derivative(WSUM, beta[j]), 0),
        [
            cc.Replay(
                "exact (complex-step) derivative, beta_{1,0} = 0, beta_{1,1..j-1} = beta_max",
                record_lemma3("prefix"),
                (beta, t, j),
                lhs=derivative_side(j),
                perturbations=[("x1 + 1", lambda e: e + 1)],
            )
        ],
    )


@claim(
    "adai.eq94",
    "Eq. (94), App. A.6",
    "sum_k q_{k,t}(t - k) <= beta_max^{t+1} t + sum_k (1 - beta_max) beta_max^k k",
    uses=["adai.eq91", "adai.eq92", "adai.eq93"],
)
def eq94():
    return _weights_claim(
        sp.Le(L3SUM, beta_max ** (t + 1) * t + AG_SUM, evaluate=False),
        [weights_bound("(94)")],
        [
            "At the maximiser (beta_{1,0} = 0, the rest beta_max) the two sides are equal: the printed "
            "beta_max^{t+1} t (for beta_max^t t) and the sum's extra last term cancel."
        ],
    )


@claim(
    "adai.eq95",
    "Eq. (95), App. A.6",
    "the arithmetico-geometric sum: sum_{k=0}^t (1 - beta) beta^k k = beta - "
    "beta^{t+1} t + beta^2 (1 - beta^{t-1}) / (1 - beta)",
)
def eq95():
    return Claim(
        statement=sp.Eq(AG_SUM, EQ95_BRACKET),
        regime=Regime((Param(t, 0, 40), Param(beta_max, 0.01, 0.99))),
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="a closed form",
        checks=[SymbolicEquality("the sum evaluated", lambda c: c.lhs.doit(), lambda c: c.rhs)],
    )


@claim(
    "adai.eq96",
    "Eq. (96), App. A.6",
    "beta^{t+1} t + [(95)'s bracket] <= beta + beta^2 / (1 - beta)",
    uses=["adai.eq95"],
)
def eq96():
    return _weights_claim(
        sp.Le(beta_max ** (t + 1) * t + EQ95_BRACKET, EQ96_RHS, evaluate=False),
        [
            BoundCheck(
                "worst case over t and beta_max",
                maxiter=6,
                popsize=6,
                hypothesis_examples=20,
                polish=40,
                self_test="replay",
            )
        ],
    )


@claim("adai.eq97", "Eq. (97), App. A.6", "beta + beta^2 / (1 - beta) = beta / (1 - beta)", uses=["adai.eq96"])
def eq97():
    return Claim(
        statement=sp.Eq(EQ96_RHS, beta_max / (1 - beta_max)),
        regime=SEQ_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="-",
        observable="-",
        checks=[SymbolicEquality("both sides", lambda c: c.lhs, lambda c: c.rhs)],
    )
