"""`ziyin`, appendix statements that had no claim of their own: Proposition 8 with the steps (31)-(34) and the remark
after it (App. B.1), footnote 2 (App. B.2), the sigma -> 0 limit of (57) (App. C.3), v-hat's limit (98) and the
identity (99) of the proof of Proposition 5 (App. D.4). App. D.5's rows: rows_appendix_d5.

Integrals over a density are taken by quadrature on concrete cases that meet the printed premises; statements about
AMSGrad are checked on runs of the printed algorithm (13)-(16) with beta_1 = 0 (checks.dynamics.optimizers.AMSGrad,
no bias correction, eps = 0).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import integrate, stats

from checks import ExactComparison, NotCheckable, SymbolicEquality
from checks.base import FormulaCheck, RunContext
from theory import Claim, Param, Regime, Sampling, claim

from .experiment_checks import ExactLimit, RelationHolds, _passed
from .fokker_planck import C56, S, b, sigma, w
from .fokker_planck import SYMBOLS as FP_SYMBOLS
from .fokker_planck import a as a_fp
from .fokker_planck import lam as lam_fp
from .models import SYMBOLS, a, lam
from .prop8 import (
    E_LN2,
    MU1,
    MU2,
    MU_P,
    REGIME30_CORRECTED,
    S_P,
    TAIL_SYMBOLS,
    CentredCase,
    GaussianCase,
    above_delta,
    al,
    bl,
    case_values,
    corrected_premise,
    delta,
    expectation,
    integral_at,
    pf,
    xr,
)
from .stationary import EXP57

# --- Proposition 8 and the steps (31)-(34) --------------------------------------------------------------------------
FINITE = sp.StrictLessThan(E_LN2, sp.oo)                   # "E ln^2|x| is finite"
FINITE_AS_PRINTED = sp.LessThan(E_LN2, sp.oo)              # (34) ends with "<= oo"
FULL31 = sp.Integral(pf(xr) * (al * xr + bl) ** 2, (xr, -sp.oo, sp.oo))
TAIL31 = sp.LessThan(sp.Integral(pf(xr) * (al * xr + bl) ** 2, (xr, delta, sp.oo)), FULL31)
MOMENTS33 = al ** 2 * MU2 + 2 * al * bl * MU1 + bl ** 2
MU_PRINTED = sp.Symbol("mu", real=True)                    # the name the text gives E[x]
NAME_OF_EX = sp.Symbol(r"\text{symbol for }E[x]")


@claim("ziyin.prop8", "Proposition 8, App. B.1", "E ln^2|x| is finite if p has a second moment and is continuous "
       "near 0", about="algebra", uses=["ziyin.eq29", "ziyin.eq34.corrected"])
def prop8():
    return Claim(statement=FINITE, regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="E ln^2|x|",
                 notes=["Cases p = N(m, s_p^2): continuous everywhere with every moment (the premises)."],
                 checks=[GaussianCase("E ln^2|x| by quadrature on cases p = N(m, s_p^2)", corrected_premise)])


@claim("ziyin.prop8.eq31", "Proposition 8, proof, Eq. (31)", "int_delta^oo p (a x + b)^2 <= int_R p (a x + b)^2",
       about="algebra")
def prop8_eq31():
    return Claim(statement=TAIL31, regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="the tail integral of (a x + b)^2",
                 checks=[GaussianCase("cases p = N(m, s_p^2)", corrected_premise),
                         CentredCase("cases centred just above delta (almost all mass in the tail)", corrected_premise,
                                     above_delta)])


def full_integral(point) -> list[float]:
    return [integral_at(FULL31, point)]


@claim("ziyin.prop8.eq33", "Proposition 8, proof, Eqs. (32)-(33)", "int p (a x + b)^2 = a^2 mu_2 + 2ab mu_1 + b^2",
       about="algebra")
def prop8_eq33():
    return Claim(statement=sp.Eq(FULL31, MOMENTS33), regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="E (a x + b)^2",
                 checks=[SymbolicEquality("E (a x + b)^2 expanded in the moments", expectation((al * xr + bl) ** 2),
                                          lambda c: c.rhs, extra=[Param(MU1, -3, 3), Param(MU2, 0.1, 10)]),
                         ExactComparison("quadrature on cases p = N(m, s_p^2)", full_integral, lambda p, f: [f(**p)],
                                         formula=lambda c: c.rhs.subs({MU1: MU_P, MU2: MU_P ** 2 + S_P ** 2}),
                                         n_points=4, rtol=1e-7)])


def _notation_claim(name) -> Claim:
    used = MOMENTS33.coeff(al * bl) / 2                     # (33): the symbol multiplying 2ab
    return Claim(statement=sp.Eq(NAME_OF_EX, name), regime=Regime((Param(MU1, -3, 3), Param(MU_PRINTED, -3, 3)), (),
                                                                  "symbols"),
                 symbols={**TAIL_SYMBOLS, "mu": "the name the sentence after (33) gives E[x]"}, about="text",
                 dynamics="-", observable="the name of E[x] in (33)",
                 checks=[SymbolicEquality("the symbol (33) and (34) use for E[x]", used, lambda c: c.formula)])


@claim("ziyin.prop8.notation", "Proposition 8, proof, after Eq. (33)", "'we have used the notation E[x^2] = mu_2 and "
       "E[x] = mu'", about="text")
def prop8_notation():
    return _notation_claim(MU_PRINTED)


@claim("ziyin.prop8.notation.corrected", "Proposition 8, proof, after Eq. (33), corrected", "E[x] = mu_1, the symbol "
       "(33) uses", corrects="ziyin.prop8.notation", about="text")
def prop8_notation_corrected():
    return _notation_claim(MU1)


class ExcludesInfinity(FormulaCheck):
    """The statement concludes 'E ln^2|x| is finite'. A relation that an infinite value also satisfies does not: the
    statement is evaluated at E ln^2|x| = oo (it must fail there) and on Gaussian cases meeting the premises (it must
    hold there). Self-test: the non-strict '<= oo' must be rejected."""

    kind, evidence, form = "exact", "derivation", "relation"

    def __init__(self, name: str, n_points: int = 4):
        self.name, self.n_points = name, n_points

    @staticmethod
    def _judge(statement, points):
        rows = [{"E ln^2|x|": "oo", "holds": bool(statement.subs(E_LN2, sp.oo))}]
        failure = {"reason": "the relation also holds at E ln^2|x| = oo, so it does not conclude finiteness"} \
            if rows[0]["holds"] else None
        for pt in points:
            e = case_values(pt["m"], pt["s_p"], pt["delta"])[0]
            ok = bool(statement.subs(E_LN2, sp.Float(e, 15)))
            rows.append({"params": pt, "E ln^2|x|": e, "holds": ok})
            if not ok and failure is None:
                failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx: RunContext):
        points = claim.regime.sample(self.rng(claim, ctx), self.n_points)
        rows, failure = self._judge(claim.statement, points)
        _, bad = self._judge(FINITE_AS_PRINTED, points)
        return _passed(self.kind, self.name, "the relation at oo and on Gaussian cases", {"rows": rows}, failure, [],
                       [{"perturbation": "'<= oo'", "rejected": bad is not None}])


@claim("ziyin.prop8.finite", "Proposition 8, proof, Eq. (34)", "E ln^2|x| <= ... <= oo proves E ln^2|x| finite",
       about="text", uses=["ziyin.eq34"])
def prop8_finite():
    return Claim(statement=FINITE_AS_PRINTED, regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="the conclusion of (34)",
                 checks=[ExcludesInfinity("the conclusion at E ln^2|x| = oo and on cases")])


@claim("ziyin.prop8.finite.corrected", "Proposition 8, proof, Eq. (34), corrected", "(34) ends with '< oo'",
       corrects="ziyin.prop8.finite", about="text")
def prop8_finite_corrected():
    return Claim(statement=FINITE, regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="the conclusion of (34)",
                 checks=[ExcludesInfinity("the conclusion at E ln^2|x| = oo and on cases")])


# --- the remark after Proposition 8: bounded p with a second moment suffices -----------------------------------
uw, sh = sp.Symbol("u", positive=True), sp.Symbol("s_h", positive=True)


def remark_cases(point) -> list[tuple[str, float, float]]:
    """Bounded densities with a second moment, discontinuous at 0: U[0, u] and the half-normal of scale s_h on x > 0.
    Returns (case, E ln^2|x| by quadrature, closed form or nan)."""
    u_, s_ = point["u"], point["s_h"]
    uni = integrate.quad(lambda v: math.log(v) ** 2 / u_, 0, u_, limit=200)[0]
    half = sum(integrate.quad(lambda v: math.log(v) ** 2 * 2 * stats.norm.pdf(v, 0, s_), lo, hi, limit=200)[0]
               for lo, hi in ((0, s_), (s_, math.inf)))
    return [("U[0, u]", uni, math.log(u_) ** 2 - 2 * math.log(u_) + 2), ("half-normal", half, math.nan)]


def remark_values(claim, statement, point):
    """The largest E ln^2|x| over the cases (its closed form checked for U[0, u]) against the statement's bound."""
    cases = remark_cases(point)
    uni = cases[0]
    if not math.isclose(uni[1], uni[2], rel_tol=1e-8):
        raise ArithmeticError(f"quadrature of E ln^2|x| for U[0, u] is off: {uni}")
    return max(v for _, v, _ in cases), statement.rhs


@claim("ziyin.prop8.remark", "App. B.1, remark after Proposition 8", "E ln^2|x| is finite if p is bounded with a "
       "second moment (continuity at 0 is not necessary)", about="algebra", uses=["ziyin.prop8"])
def prop8_remark():
    return Claim(statement=FINITE, regime=Regime((Param(uw, 0.2, 5), Param(sh, 0.1, 3)), (),
                                                 "cases: U[0, u] and the half-normal on x > 0 (jumps at 0)"),
                 symbols={**TAIL_SYMBOLS, "u": "width of U[0, u]", "s_h": "scale of the half-normal"}, dynamics="-",
                 observable="E ln^2|x|",
                 notes=["Both cases are bounded with finite second moment and discontinuous at 0, outside Prop. 8's "
                        "premise. In general int_{|x|<1} p ln^2|x| <= 4 sup p and int_{|x|>1} p ln^2|x| <= E x^2."],
                 checks=[RelationHolds("quadrature on the cases", remark_values,
                                       lambda c, rng: c.regime.sample(rng, 5), tol=0.0, evidence="derivation")])


# --- App. B.2, footnote 2 -----------------------------------------------------------------------------------------
@claim("ziyin.footnote2", "App. B.2, footnote 2", "A batch size larger than 64 gives a gradient distribution quite "
       "well approximated by a Gaussian", about="text")
def footnote2():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{minibatch gradient} \approx \text{Gaussian for } B > 64"), 0),
                 regime=Regime((), (), "-"), symbols={}, dynamics="-",
                 observable="-",
                 checks=[NotCheckable("no model", "the footnote names no model, data set or network and no measure "
                                                  "of 'quite well approximated'; for i.i.d. per-sample gradients the "
                                                  "distance to a Gaussian shrinks like (skewness)/sqrt(B) "
                                                  "(Berry-Esseen), which depends entirely on the data")])


# --- App. C.3 after (63): "the normalization factor diverges slower than P(0) as sigma -> 0" ---------------------
UNNORM57 = C56 ** EXP57 * sp.exp(-S * b / lam_fp * w ** 2)          # (57) without its normalisation
RATIO57 = sp.Integral(UNNORM57, (w, -sp.oo, sp.oo)) / UNNORM57.subs(w, 0)


def ratio_cases(c, e, rng):
    """Along sigma = 1/T: the statement's int P dw / P(0) of (57) by quadrature (the integrand scaled by its value
    at 0, split at multiples of sqrt(S) sigma, where the peak sits)."""
    ratio = c.lhs.args[0]
    integral = next(iter(ratio.atoms(sp.Integral)))
    integrand = integral.function * (ratio / integral)       # the integrand over the statement's P(0)
    cases = []
    for p in c.regime.sample(rng, 3):
        f = sp.lambdify((w, sigma), integrand.subs({s_: p[s_.name] for s_ in (lam_fp, S, a_fp, b)}), "math")

        def exact(T, p=p, f=f):
            sg = 1.0 / T
            cuts = [0.0, 10 * math.sqrt(p["S"]) * sg, 1000 * math.sqrt(p["S"]) * sg, 5.0, math.inf]
            return 2 * sum(integrate.quad(lambda v: f(v, sg), lo, hi, limit=400)[0] for lo, hi in zip(cuts, cuts[1:])
                           if hi > lo)
        cases.append({"point": p, "ladder": [10, 100, 1000, 10000], "exact": exact, "claimed": lambda T: float(e)})
    return cases


@claim("ziyin.appc3.delta-limit", "App. C.3, after Eq. (63)", "As sigma -> 0 the normalisation of (57) diverges slower "
       "than P(0), so P(0) of the normalised density -> oo", uses=["ziyin.eq57", "ziyin.eq63.normalization"])
def appc3_delta_limit():
    return Claim(
        statement=sp.Eq(sp.Limit(RATIO57, sigma, 0), 0),
        regime=Regime((Param(lam_fp, 0.2, 0.9), Param(S, 1, 4.5), Param(a_fp, -0.8, -0.05), Param(b, 0.5, 1.5)),
                      (Sampling(sp.And(-S * a_fp / lam_fp >= sp.Rational(1, 5),
                                       -S * a_fp / lam_fp <= sp.Rational(4, 5)),
                                "0.2 <= -S a/lambda <= 0.8: condition (63)"),),
                      "(57) under condition (63)"),
        symbols=FP_SYMBOLS, dynamics="the stationary density (57) of SDE (55)",
        observable="normalisation of (57) over its value at w = 0",
        notes=["With q = -S a/lambda < 1, (57) at 0 is (S sigma^2)^(q - 1) -> oo, while its integral grows like "
               "sigma^(2q - 1) for q < 1/2 and stays finite for q > 1/2 (ziyin.eq63.normalization): the ratio "
               "shrinks like sigma^min(1, 2(1 - q)) either way."],
        checks=[ExactLimit("int P dw / P(0) of (57) by quadrature along sigma = 1/T", ratio_cases, order=0.4,
                           perturbations=(("limit 0.1 instead", lambda e: e + sp.Rational(1, 10)),),
                           evidence="model")])


# --- App. D.4: (98)'s sentence and the identity (99) ------------------------------------------------------------------
C_LIM = sp.Symbol("c", positive=True)
AMS_REGIME = Regime((Param(lam, 0.1, 0.5), Param(a, -3.0, -0.2)), (), "AMSGrad, beta_1 = 0, on Eq. (4), |w_t| <= 1")


def amsgrad_vhat(lv: float, av: float, n: int, T: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """v-hat at T/2 and T of n AMSGrad runs (beta_1 = 0, beta_2 = 0.999) on x w^2/2, w kept in [-1, 1]."""
    from checks.dynamics.optimizers import AMSGrad

    opt, wv, half = AMSGrad(lv, beta1=0.0), rng.uniform(-1, 1, (n, 1)), None
    for k in range(T):
        g = np.where(rng.random(wv.shape) < 0.5, 1.0, av - 1.0) * wv
        wv = np.clip(opt.step(wv, g), -1.0, 1.0)
        if k + 1 == T // 2:
            half = opt.v_hat[:, 0].copy()
    return half, opt.v_hat[:, 0].copy()


def vhat_values(claim, statement, point):
    """The largest v-hat_T over 200 runs (a lower bound of their limits c, v-hat being non-decreasing) against the
    statement's bound at a; v-hat_T > 0 and v-hat_T >= v-hat_(T/2) are required of every run."""
    rng = np.random.default_rng(abs(hash((point["lambda"], point["a"]))) % 2 ** 32)
    half, end = amsgrad_vhat(point["lambda"], point["a"], 200, 2000, rng)
    if not (np.all(end > 0) and np.all(end >= half)):
        raise ArithmeticError(f"v-hat not positive and non-decreasing at {point}")
    return float(end.max()), float(statement.rhs.subs(a, point["a"]))


def _vhat_claim(bound) -> Claim:
    return Claim(statement=sp.LessThan(C_LIM, bound), regime=AMS_REGIME, symbols={**SYMBOLS, "c": "lim v-hat_t"},
                 dynamics="AMSGrad (13)-(16), beta_1 = 0, on Eq. (4)", observable="the limit c of v-hat_t",
                 notes=["v-hat_T <= c for every run (v-hat does not decrease), so a run with v-hat_T above the bound "
                        "refutes it; v_t is an average of g_t^2, so sup g_t^2 over x and |w| <= 1 bounds c."],
                 checks=[RelationHolds("AMSGrad runs: the largest v-hat_T (<= c)", vhat_values,
                                       lambda c, rng: c.regime.sample(rng, 3), tol=0.0, kind="montecarlo"),
                         SymbolicEquality("the bound is sup g_t^2 = max over x of (x w)^2, |w| <= 1 (what (97) uses)",
                                          sp.Max(1, (a - 1) ** 2), lambda c: c.rhs, evidence="derivation")])


@claim("ziyin.eq98", "App. D.4, after Eq. (98)", "v-hat_t increases and is bounded by 1 + a, so it converges to some "
       "0 < c <= 1 + a", uses=["ziyin.eq94"])
def eq98():
    return _vhat_claim(1 + a)


@claim("ziyin.eq98.corrected", "App. D.4, after Eq. (98), corrected", "v-hat_t converges to some 0 < c <= (1 - a)^2",
       corrects="ziyin.eq98", uses=["ziyin.eq94.corrected"])
def eq98_corrected():
    return _vhat_claim((1 - a) ** 2)


# --- Eq. (99), the identity the proof's split (100)-(102) starts from -----------------------------------------------
t_, i_ = sp.Symbol("t", positive=True, integer=True), sp.Symbol("i", positive=True, integer=True)
MU99 = sp.Symbol("mu", real=True)
STEP_RATIO, LOG_RATIO = sp.Symbol(r"\ln|w_{t+1}/w_t|"), sp.Symbol(r"\ln|w_t/w_0|")
ELL = sp.IndexedBase(r"\ell")                 # ell_i = ln|1 - lambda x_i / sqrt(v-hat_i)|
SUM99 = sp.Sum(ELL[i_] - MU99, (i_, 1, t_)) / sp.sqrt(t_)
T99, RUNS99 = (20, 50, 100), 40


def amsgrad_logs(lv: float, av: float, n: int, T: int, rng):
    """ln|w_t| for t = 0..T+1 and ell_i = ln|1 - lambda x_i / sqrt(v-hat_i)| for i = 1..T+1 of n AMSGrad runs
    (beta_1 = 0, beta_2 = 0.999, eps = 0, no clipping) from w_0 ~ U[-1, 1]."""
    from checks.dynamics.optimizers import AMSGrad

    opt, wv = AMSGrad(lv, beta1=0.0), rng.uniform(-1, 1, (n, 1))
    logw, ell = [np.log(np.abs(wv[:, 0]))], [np.full(n, np.nan)]
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(T + 1):
            xs = np.where(rng.random(wv.shape) < 0.5, 1.0, av - 1.0)
            wv = opt.step(wv, xs * wv)
            ell.append(np.log(np.abs(1 - lv * xs[:, 0] / np.sqrt(opt.v_hat[:, 0]))))
            logw.append(np.log(np.abs(wv[:, 0])))
    return np.array(logw).T, np.array(ell).T


class PathwiseIdentity(FormulaCheck):
    """The statement is an identity between random variables of one AMSGrad run; both sides are evaluated on every run
    at t = 20, 50, 100 (runs whose w underflows to 0 are left out; mu drawn from the regime: any constant) and must
    agree to rounding (1e-9 relative). Self-test: the right side x1.05 must be rejected."""

    kind, evidence, form = "exact", "model", "identity"

    def __init__(self, name: str, n_points: int = 2):
        self.name, self.n_points = name, n_points

    @staticmethod
    def _judge(lhs, rhs, logs, point):
        args = (STEP_RATIO, LOG_RATIO, ELL, MU99, t_)
        fl, fr = sp.lambdify(args, lhs, "math"), sp.lambdify(args, rhs, "math")
        logw, ell = logs
        worst = 0.0
        for T in T99:
            for k in range(logw.shape[0]):
                vals = (logw[k, T + 1] - logw[k, T], logw[k, T] - logw[k, 0], ell[k], point["mu"], T)
                left, right = fl(*vals), fr(*vals)
                worst = max(worst, abs(left - right) / (1 + abs(right)))
        return worst

    def _run(self, claim, ctx: RunContext):
        rng = self.rng(claim, ctx)
        rows, failure, bad = [], None, []
        for point in claim.regime.sample(rng, self.n_points):
            logs = amsgrad_logs(point["lambda"], point["a"], RUNS99, max(T99), rng)
            keep = np.all(np.isfinite(logs[0]), axis=1)
            if keep.sum() < RUNS99 // 2:
                raise ArithmeticError(f"most AMSGrad runs left the floating-point range at {point}")
            logs = (logs[0][keep], logs[1][keep])
            worst = self._judge(claim.lhs, claim.rhs, logs, point)
            rows.append({"params": point, "max relative difference of the sides": worst, "runs": RUNS99,
                         "t": list(T99)})
            if worst > 1e-9 and failure is None:
                failure = dict(rows[-1])
            bad.append(self._judge(claim.lhs, 1.05 * claim.rhs, logs, point) > 1e-9)
        return _passed(self.kind, self.name, "both sides on every run, t = 20, 50, 100", {"rows": rows}, failure, [],
                       [{"perturbation": "right side x1.05", "rejected": all(bad)}])


def _identity_claim(lhs) -> Claim:
    return Claim(statement=sp.Eq(lhs, SUM99),
                 regime=Regime((Param(lam, 0.1, 0.5), Param(a, -2.0, -0.2), Param(MU99, -0.5, 0.5)), (),
                               "AMSGrad, beta_1 = 0, on Eq. (4); mu any constant"),
                 symbols={**SYMBOLS, "mu": "E ln|w_(t+1)/w_t| (a constant)",
                          r"\ell": "ln|1 - lambda x_i/sqrt(v-hat_i)|"},
                 dynamics="AMSGrad (13)-(16), beta_1 = 0, on Eq. (4)", observable="ln|w| along a run",
                 checks=[PathwiseIdentity("AMSGrad runs: both sides per run")])


@claim("ziyin.eq102", "App. D.4, Eq. (99) (the start of (100)-(102))", "(1/sqrt t)(ln|w_(t+1)/w_t| - mu) = (1/sqrt t) "
       "sum_(i<=t) (ln|1 - lambda x_i/sqrt(v-hat_i)| - mu)", uses=["ziyin.eq101"])
def eq102():
    return _identity_claim((STEP_RATIO - MU99) / sp.sqrt(t_))


@claim("ziyin.eq102.corrected", "App. D.4, Eq. (99), corrected", "(1/sqrt t)(ln|w_t/w_0| - t mu) = (1/sqrt t) "
       "sum_(i<=t) (ln|1 - lambda x_i/sqrt(v-hat_i)| - mu)", corrects="ziyin.eq102")
def eq102_corrected():
    return _identity_claim((LOG_RATIO - t_ * MU99) / sp.sqrt(t_))
