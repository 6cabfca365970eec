"""`adai`, App. A.6, Lemma 1 (75)-(80): the displacement of (74) as a weighted sum of past gradients, and the weights
q_{k,t} = (1 - beta_{1,k}) prod_{i=k+1}^t beta_{1,i} it uses.

Statements about the weights are algebra over sequences beta_{1,0..t} in [0, beta_max]: they are decided by
worst-case searches over sequences (constant, alternating, switched on, ramped, pseudo-random), and derivative
statements by exact complex-step derivatives of the printed sums. The displacement formulas are statements about
the process (74) and are replayed on runs of it.

Reading: Lemma 1 writes x_t for theta_t and (1 - beta_k) for (1 - beta_{1,k}); both are read as in (77).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from checks import BoundCheck, SymbolicEquality
from theory import Claim, Param, Regime, claim

from . import convergence_checks as cc
from . import convergence_models as cm
from .convergence_models import Q_DEF, beta, beta_max, eta, g, i, j, k, q, t

# --- printed expressions ------------------------------------------------------------------------------------------
WSUM = sp.Sum(Q_DEF, (k, 0, t))  # sum_k q_{k,t}
L3SUM = sp.Sum(Q_DEF * (t - k), (k, 0, t))  # sum_k q_{k,t} (t - k)
STEP = sp.Symbol(r"\theta_{t+1} - \theta_{t}", real=True)
LEMMA1_RHS = -eta * sp.Sum(q[k], (k, 0, t)) * g[t]  # as printed: g_t inside the sum
EQ77_RHS = -eta * sp.Sum((1 - beta[k]) * g[k] * sp.Product(beta[i], (i, k + 1, t)), (k, 0, t))
EQ78_RHS = -sp.Product(beta[i], (i, k + 1, t))  # k outside its sum, as printed
EQ78_FIXED = -sp.Product(beta[i], (i, 1, t))
AG_SUM = sp.Sum((1 - beta_max) * beta_max**k * k, (k, 0, t))
EQ95_BRACKET = beta_max - beta_max ** (t + 1) * t + beta_max**2 * (1 - beta_max ** (t - 1)) / (1 - beta_max)
EQ96_RHS = beta_max + beta_max**2 / (1 - beta_max)

SEQ_REGIME = Regime(
    (Param(t, 0, 40, doc="last index"), Param(beta_max, 0.0, 0.99, doc="largest beta_{1,k}")),
    (),
    "any sequence beta_{1,0..t} in [0, beta_max]",
)
SEQ_PARAMS = (cc.SCHEDULE, cc.SHAPE_S)
SYMS = {**cm.SYMBOLS, r"\theta_{t+1} - \theta_{t}": "the displacement of (74) at step t"}


def sequence(point) -> dict:
    return {
        beta.label.name: cm.beta_schedule(int(point["schedule"]), point[beta_max.name], point["s"], int(point["t"]) + 1)
    }


def weights_bound(name: str, **kw) -> BoundCheck:
    return BoundCheck(
        f"{name}: worst case over beta sequences",
        instances=SEQ_PARAMS,
        derive=sequence,
        derived=[beta],
        maxiter=6,
        popsize=6,
        hypothesis_examples=20,
        polish=60,
        deep_factor=4.0,
        **kw,
        self_test="replay",
    )


def _weights_claim(statement, checks, notes=()):
    return Claim(
        statement=statement,
        regime=SEQ_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="weights q_{k,t} of (74)",
        observable="a function of beta_{1,0..t}",
        notes=list(notes),
        checks=checks,
    )


# --- the displacement (75)-(77) and Lemma 1 --------------------------------------------------------------------------
theta_next, theta_t, theta_prev = sp.symbols(r"\theta_{t+1} \theta_{t} \theta_{t-1}", real=True)
g_t = sp.Symbol("g_t", real=True)
beta_t = sp.Symbol(r"\beta_{1,t}", nonnegative=True)
EQ74_RHS = theta_t - eta * (1 - beta_t) * g_t + beta_t * (theta_t - theta_prev)
EQ76_RHS = beta_t * (theta_t - theta_prev) - eta * (1 - beta_t) * g_t
STEP_REGIME = Regime((Param(eta, 1e-3, 0.5, log=True), Param(beta_max, 0.0, 0.99)), (), "(74), any beta_{1,t}")


def record_run(point, rng, steps: int = 10, n_paths: int = 3):
    """States of (74) on a noisy quadratic with a pseudo-random beta sequence (shared by the paths): the
    displacement at each t with the gradients and weights so far."""
    betas = rng.uniform(0, point[beta_max.name], steps)
    loss = cm.Loss((cm.Loss1D(0, 1.0, 1.0, 0.5),))
    thetas, gs = cm.run_eq74(
        loss, rng.uniform(-2, 2, (n_paths, 1)), point["eta"], betas, steps, noise=1, delta=0.5, n_paths=n_paths, rng=rng
    )
    out = []
    for tt in range(steps):
        out.append(
            {
                "t": tt,
                STEP.name: thetas[tt + 1, :, 0] - thetas[tt, :, 0],
                g.label.name: gs[:, :, 0],
                beta.label.name: betas,
                q.label.name: cm.q_weights(betas, tt + 1),
                "_step": tt,
                "_scale": point["eta"] * np.abs(gs[:, :, 0]).max(axis=0),
            }
        )
    return out


@claim(
    "adai.eq76",
    "Eqs. (75)-(76), App. A.6",
    "(74) rearranged: theta_{t+1} - theta_t = beta_{1,t}(theta_t - theta_{t-1}) - eta (1 - beta_{1,t}) g_t",
    uses=["adai.eq74"],
)
def eq76():
    return Claim(
        statement=sp.Eq(theta_next - theta_t, EQ76_RHS),
        regime=STEP_REGIME,
        symbols=SYMS,
        about="algebra",
        dynamics="(74)",
        observable="theta_{t+1} - theta_t",
        checks=[
            SymbolicEquality(
                "(74) solved for theta_{t+1} - theta_t",
                lambda c: c.lhs.subs(theta_next, EQ74_RHS),
                lambda c: c.rhs,
                extra=[
                    Param(theta_next, -2, 2),
                    Param(theta_t, -2, 2),
                    Param(theta_prev, -2, 2),
                    Param(g_t, -2, 2),
                    Param(beta_t, 0, 0.99),
                ],
            )
        ],
    )


@claim(
    "adai.lemma1",
    "Lemma 1, App. A.6",
    "theta_{t+1} - theta_t = -eta sum_k q_{k,t} g_t (g_t as printed)",
    uses=["adai.eq76"],
)
def lemma1():
    return Claim(
        statement=sp.Eq(STEP, LEMMA1_RHS),
        regime=STEP_REGIME,
        symbols=SYMS,
        dynamics="(74)",
        observable="theta_{t+1} - theta_t",
        notes=[
            "The statement prints g_t inside a sum over k; (77) has g_k (adai.eq77, the corrected form). "
            "At t = 0 the two agree; from t = 1 on the printed form ignores every earlier gradient."
        ],
        checks=[cc.Replay("runs of (74) replayed against the statement", record_run, (STEP, g, beta, q, t))],
    )


@claim(
    "adai.eq77",
    "Eq. (77), App. A.6",
    "theta_{t+1} - theta_t = -eta sum_k (1 - beta_{1,k}) g_k prod_{i>k} beta_{1,i}",
    uses=["adai.eq76"],
    corrects="adai.lemma1",
)
def eq77():
    return Claim(
        statement=sp.Eq(STEP, EQ77_RHS),
        regime=STEP_REGIME,
        symbols=SYMS,
        dynamics="(74)",
        observable="theta_{t+1} - theta_t",
        notes=["(77) as printed is the corrected form of Lemma 1's first display (g_k, not g_t)."],
        checks=[cc.Replay("runs of (74) replayed against (77)", record_run, (STEP, g, beta, t))],
    )


# --- (78)-(80): the sum of the weights ----------------------------------------------------------------------------
def record_sequences(point, rng, n: int = 6):
    """Pseudo-random sequences beta_{1,0..t} in [0, beta_max] for t = 1..n, with every k = 0..t."""
    out = []
    for tt in range(1, n + 1):
        betas = rng.uniform(0, point[beta_max.name], tt + 1)
        for kk in range(tt + 1):
            out.append({"t": tt, "k": kk, beta.label.name: betas, "_step": tt, "_scale": 1.0})
    return out


def derivative_side(index):
    """The left side d(sum)/d beta_{1,index} of a statement Eq(Derivative(sum, beta[index]), ...), exact."""

    def lhs(c, values):
        d = c.lhs
        where = int(
            sp.sympify(d.variables[0].indices[0]).subs({s: values[s.name] for s in (k, j, t) if s.name in values})
        )
        return cc.complex_step(d.expr, [t, beta, beta_max], values, where)

    return lhs


@claim("adai.eq78", "Eq. (78), App. A.6", "d sum_k q_{k,t} / d beta_{1,0} = -prod_{i=k+1}^t beta_{1,i} (k as printed)")
def eq78():
    return _weights_claim(
        sp.Eq(sp.Derivative(WSUM, beta[0]), EQ78_RHS),
        [
            cc.Replay(
                "exact (complex-step) derivative of the printed sum, every k = 0..t",
                record_sequences,
                (beta, k, t),
                lhs=derivative_side(0),
            )
        ],
        [
            "The right side's k is the summation index of the left side, free outside it; "
            "only k = 0 gives the derivative (adai.eq78.corrected)."
        ],
    )


@claim(
    "adai.eq78.corrected",
    "Eq. (78), corrected",
    "d sum_k q_{k,t} / d beta_{1,0} = -prod_{i=1}^t beta_{1,i}",
    corrects="adai.eq78",
)
def eq78_corrected():
    return _weights_claim(
        sp.Eq(sp.Derivative(WSUM, beta[0]), EQ78_FIXED),
        [
            cc.Replay(
                "exact (complex-step) derivative of the printed sum",
                record_sequences,
                (beta, k, t),
                lhs=derivative_side(0),
            )
        ],
        ["Derived: sum_k q_{k,t} = 1 - prod_{i=0}^t beta_{1,i} (the sum telescopes)."],
    )


def at_beta0(value):
    """The sum of the weights with beta_{1,0} set to ``value`` (beta_max or 0), other entries as searched."""
    f = cc._lambdified(WSUM, (t, beta.label))

    def derive(point):
        seq = sequence(point)[beta.label.name].copy()
        seq[0] = point[beta_max.name] if value == "max" else 0.0
        return {beta.label.name: sequence(point)[beta.label.name], SUM_AT[value].name: float(f(int(point["t"]), seq))}

    return derive


SUM_AT = {
    "max": sp.Symbol(r"\sum_k q_{k,t}|_{\beta_{1,0}=\beta_{1,\max}}", real=True),
    "zero": sp.Symbol(r"\sum_k q_{k,t}|_{\beta_{1,0}=0}", real=True),
}


@claim(
    "adai.eq79",
    "Eq. (79), App. A.6",
    "sum_k q_{k,t} at beta_{1,0} = beta_max <= sum_k q_{k,t} <= the same at beta_{1,0} = 0 (left inequality)",
    uses=["adai.eq78.corrected"],
)
def eq79():
    st = sp.Le(SUM_AT["max"], WSUM, evaluate=False)
    return _weights_claim(
        st,
        [
            BoundCheck(
                "worst case over beta sequences",
                instances=SEQ_PARAMS,
                derive=at_beta0("max"),
                derived=[beta, SUM_AT["max"]],
                maxiter=6,
                popsize=6,
                hypothesis_examples=20,
                scale=lambda v: 1.0,
                deep_factor=4.0,
                self_test="replay",
            )
        ],
        [
            "The right inequality is adai.eq80.upper: the sum at beta_{1,0} = 0 is 1. Measured by the "
            "gap lhs - sum (scale 1), which is 0 where beta_{1,0} = beta_max already."
        ],
    )


@claim(
    "adai.lemma1.min",
    "Lemma 1, proof (text before (80))",
    "'min sum_k q_{k,t} = 1 by letting beta_{1,t} = beta_max for all k'",
    uses=["adai.eq78.corrected"],
)
def lemma1_min():
    return _weights_claim(
        sp.Ge(WSUM, 1, evaluate=False),
        [weights_bound("the minimum of the sum")],
        [
            "Encoded as: the sum of the weights is at least 1 for every sequence in [0, beta_max] (its "
            "minimum is 1). With beta_{1,k} = beta_max for all k the sum is 1 - beta_max^{t+1}; the "
            "corrected minimum is (80)'s left side (adai.eq80.lower)."
        ],
    )


@claim("adai.eq80.upper", "Eq. (80), App. A.6", "sum_k q_{k,t} <= 1", uses=["adai.eq78.corrected"])
def eq80_upper():
    return _weights_claim(
        sp.Le(WSUM, 1, evaluate=False),
        [weights_bound("(80), right")],
        ["Equality wherever some beta_{1,k} = 0 (beta_{1,0} = 0 in particular)."],
    )


@claim(
    "adai.eq80.lower",
    "Eq. (80), App. A.6",
    "1 - beta_max^{t+1} <= sum_k q_{k,t}",
    uses=["adai.eq78.corrected"],
    corrects="adai.lemma1.min",
)
def eq80_lower():
    return _weights_claim(
        sp.Ge(WSUM, 1 - beta_max ** (t + 1), evaluate=False),
        [weights_bound("(80), left")],
        [
            "Equality for the constant sequence beta_max; (80) is the corrected form of the text's "
            "'min = 1' (adai.lemma1.min)."
        ],
    )
