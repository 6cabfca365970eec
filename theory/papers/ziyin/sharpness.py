"""`ziyin`, Sec. 5.3 with App. D.3 and Sec. 6.3: sharp minima. The loss (10)
and its Hessian (11)-(12), Theorem 3 and Proposition 4 with the proof's bound (86)-(93), and Figure 3.

SGD on (10) with x = +-1: w_1' = w_1 (1 + 2 lambda - 4 lambda w_1^2 - 12 lambda w_2^2 - x b lambda) (Eq. (87)) and
w_2' = w_2 (1 + 2 lambda (1 + a) - 4 lambda w_2^2 - 12 lambda w_1^2). Both w_1 = 0 and w_2 = 0 are invariant lines.
The proof bounds |w_1'/w_1| by r_t (89) over the box |w| <= 1; the bound is the exact sup of the factor over the
box, so the checks compute it from the dynamics (86) and compare.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import ExactComparison, Sample, SymbolicEquality
from checks.dynamics.loop import run
from theory import Claim, Condition, Param, Regime, claim

from .amsgrad_checks import UNDECIDED, FractionCheck, Threshold
from .experiment_checks import ByReading

lam = sp.Symbol("lambda", positive=True)
a = sp.Symbol("a", positive=True)                    # (10): a > 0
b = sp.Symbol("b", positive=True)
x = sp.Symbol("x", real=True)                        # the data point, +-1
w1, w2 = sp.symbols("w_1 w_2", real=True)
SYMBOLS = {"lambda": "learning rate", "a": "a > 0 in (10)", "b": "noise strength b > 0 in (10)",
           "x": "data point, x = +-1 with probability 1/2", "w_1": "first parameter", "w_2": "second parameter"}

# --- Sec. 5.3: the loss (10), its Hessian (11) and minima (12) --------------------------------------------------------
L10 = (-(w1 - w2) ** 2 - (w1 + w2) ** 2 + (w1 - w2) ** 4 + (w1 + w2) ** 4 - 2 * a * w2 ** 2 + x * b * w1 ** 2) / 2
L_MEAN = L10.subs(x, 0)                               # E x = 0
H11_PRINTED = sp.Matrix([-2 + 12 * w1 ** 2 + 12 * w2 ** 2, -2 - 2 * a + 12 * w1 ** 2 + 12 * w2 ** 2])
FLAT, SHARP = (1 / sp.sqrt(2), sp.S.Zero), (sp.S.Zero, sp.sqrt((1 + a) / 2))
MINIMA12 = sp.Matrix([list(FLAT), list(SHARP)])       # one of each +- pair
MINIMA_LHS = sp.Matrix(2, 2, sp.symbols("w_1^flat w_2^flat w_1^sharp w_2^sharp"))
S12_PRINTED = sp.Matrix([4, 4 + 4 * a])
S12_TRACE = sp.Matrix([8 - 2 * a, 8 + 10 * a])
W_BOX = [Param(w1, -1, 1), Param(w2, -1, 1)]


def hessian(L_: sp.Expr) -> sp.Matrix:
    return sp.hessian(L_, (w1, w2))


def eq11_check(which: str):
    L_ = {"mean": L_MEAN, "sampled": L10}[which]
    return SymbolicEquality(f"diagonal of the Hessian of the {which} loss", lambda c: c.rhs,
                            sp.Matrix([hessian(L_)[0, 0], hessian(L_)[1, 1]]))


def eq11_claim(checks) -> Claim:
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol(r"\partial^2_{w_1} \hat L"), sp.Symbol(r"\partial^2_{w_2} "
                                                                                             r"\hat L")]),
                                 H11_PRINTED),
                 regime=Regime((Param(a, 0.05, 1.9), Param(b, 0.1, 20), Param(x, -1, 1), *W_BOX), (), "Eq. (10)"),
                 symbols=SYMBOLS, dynamics="the loss (10)", observable="Hessian diagonal", checks=checks)


@claim("ziyin.eq11", "Eq. (11)", "Diagonal of the Hessian of the loss (10)")
def eq11():
    return eq11_claim([ByReading("by reading of L-hat", {"expected loss": eq11_check("mean"),
                                                          "sampled loss": eq11_check("sampled")})])


@claim("ziyin.eq11.mean", "Eq. (11) (expected-loss reading)", "Hessian diagonal of L = E_x "
                                                              "L-hat", reading_of="ziyin.eq11",
       reading="the Hessian of the expected loss L = E_x L-hat (the sentence's 'the loss function'; Definition 3 "
       "and (12) use it)", proof_reading=True)
def eq11_mean():
    return eq11_claim([eq11_check("mean")])


@claim("ziyin.eq11.sampled", "Eq. (11) (sampled-loss reading)", "Hessian diagonal of the sampled L-hat, as the symbol "
       "reads", reading_of="ziyin.eq11", reading="the Hessian of L-hat(w; x) itself, as (11) writes "
                                                 "it", about="algebra")
def eq11_sampled():
    return eq11_claim([eq11_check("sampled")])


def min_eigen_sign(point) -> sp.Expr:
    return sp.Matrix([sp.sign(min(hessian(L_MEAN).subs({w1: p0, w2: p1}).eigenvals())) for p0, p1 in point])


def minima_of_mean(point) -> list[float]:
    """Number of strict local minima of E L-hat at a given a (all critical points solved exactly, then classified)."""
    L_ = L_MEAN.subs(a, sp.nsimplify(point["a"], rational=True))
    crit = sp.solve([sp.diff(L_, w1), sp.diff(L_, w2)], [w1, w2], dict=True)
    count = 0
    for c in crit:
        if all(v.is_real for v in c.values()):
            ev = [float(e) for e in hessian(L_).subs(c).eigenvals()]
            count += all(e > 1e-12 for e in ev)
    return [float(count)]


def minima_checks():
    return [SymbolicEquality("the gradient of E L-hat vanishes at the listed points",
                             lambda c: sp.Matrix([sp.diff(L_MEAN, v).subs({w1: c.rhs[k, 0], w2: c.rhs[k, 1]})
                                                  for k in range(c.rhs.rows) for v in (w1, w2)]), sp.zeros(4, 1)),
            SymbolicEquality("the Hessian of E L-hat is positive definite there (sign of its smallest eigenvalue)",
                             lambda c: sp.Matrix([sp.sign(sp.Min(*hessian(L_MEAN).subs({w1: c.rhs[k, 0],
                                                                                      w2: c.rhs[k, 1]}).eigenvals()))
                                                  for k in range(c.rhs.rows)]), sp.ones(2, 1)),
            ExactComparison("there are no other minima: the count of strict local minima is 2 x the listed +- pairs",
                            minima_of_mean, lambda p, f: [2 * np.asarray(f(**p)).shape[0]], n_points=2,
                            perturbations=(), evidence="derivation")]


@claim("ziyin.eq12.minima", "Eq. (12) and the sentence before it", "For a, b > 0 the loss (10) has four local minima, "
       "(+-1/sqrt 2, 0) and (0, +-sqrt((1+a)/2))", about="algebra", uses=["ziyin.eq11.mean"])
def eq12_minima():
    return Claim(statement=sp.Eq(MINIMA_LHS, MINIMA12), regime=Regime((Param(a, 0.05, 3.5),), (), "a > 0"),
                 symbols=SYMBOLS, dynamics="the loss (10)", observable="its local minima (one of each +- pair)",
                 notes=["At (+-1/sqrt 2, 0) the Hessian is diag(4, 4 - 2a): a saddle for a > 2, where the four saddles "
                        "(+-sqrt((2 + 3a)/16), +-sqrt((2 - a)/16)) have merged into it."],
                 checks=minima_checks())


@claim("ziyin.eq12.minima.corrected", "Eq. (12), corrected", "For 0 < a < 2 the loss (10) has four local minima",
       corrects="ziyin.eq12.minima", about="algebra")
def eq12_minima_corrected():
    return Claim(statement=sp.Eq(MINIMA_LHS, MINIMA12),
                 regime=Regime((Param(a, 0.05, 1.95),), (Condition(a < 2, "a < 2"),), "0 < a < 2"), symbols=SYMBOLS,
                 dynamics="the loss (10)", observable="its local minima (one of each +- pair)", checks=minima_checks())


def trace_at(point) -> sp.Expr:
    return hessian(L_MEAN).subs({w1: point[0], w2: point[1]}).trace()


def sharpness_checks():
    return [SymbolicEquality("Definition 3: the trace of the Hessian of E L-hat at the two minima",
                             sp.Matrix([trace_at(FLAT), trace_at(SHARP)]), lambda c: c.rhs)]


A_REGIME = Regime((Param(a, 0.05, 1.95),), (), "0 < a < 2 (four minima)")


@claim("ziyin.eq12", "Eq. (12) and Definition 3", "Sharpness s = 4 at (+-1/sqrt 2, 0) and 4 + 4a at (0, "
                                                  "+-sqrt((1+a)/2))",
       about="algebra", uses=["ziyin.eq11.mean", "ziyin.eq12.minima.corrected"])
def eq12():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("s_flat"), sp.Symbol("s_sharp")]), S12_PRINTED), regime=A_REGIME,
                 symbols=SYMBOLS, dynamics="the loss (10)", observable="sharpness (Definition 3)",
                 notes=["The printed values are one diagonal entry each (H_11 at the first pair, H_22 at the second); "
                        "they match no single definition (largest eigenvalue: 4 and 4 + 6a; smallest: 4 - 2a and "
                        "4 + 4a). The minima at (0, +-sqrt((1+a)/2)) are the sharper ones either way."],
                 checks=sharpness_checks())


@claim("ziyin.eq12.corrected", "Eq. (12), corrected", "Sharpness 8 - 2a at (+-1/sqrt 2, 0) and 8 + 10a at "
       "(0, +-sqrt((1+a)/2))", corrects="ziyin.eq12", about="algebra")
def eq12_corrected():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("s_flat"), sp.Symbol("s_sharp")]), S12_TRACE), regime=A_REGIME,
                 symbols=SYMBOLS, dynamics="the loss (10)", observable="sharpness (Definition 3)",
                 checks=sharpness_checks())


# --- App. D.3: the proof of Proposition 4, Eqs. (86)-(93) ---------------------------------------------------------
FACTOR87 = 1 + 2 * lam - 4 * lam * w1 ** 2 - 12 * lam * w2 ** 2 - x * b * lam      # w_1'/w_1, from (86)
R89 = sp.Matrix([sp.Max(sp.Abs(1 + lam * (2 - b)), sp.Abs(1 + lam * (2 - b) - 16 * lam)),
                 sp.Max(sp.Abs(1 + lam * (2 + b)), sp.Abs(1 + lam * (2 + b) - 16 * lam))])
B_STAR = 1 / lam - 6
R91 = sp.Matrix([8 * lam, 2 * sp.Max(sp.Abs(1 - 2 * lam), sp.Abs(1 - 10 * lam))])
MU92 = sp.log(8 * lam * sp.Max(sp.Abs(1 - 2 * lam), sp.Abs(1 - 10 * lam))) / 2
LAM93 = (1 + sp.sqrt(6)) / 20
LAM93_CORRECTED = (2 - sp.sqrt(2)) / 8
_factor = sp.lambdify((lam, b, x, w1, w2), FACTOR87, "numpy")
_GRID = np.linspace(-1, 1, 41)                      # contains 0 and +-1, where the sup is attained


def factor_sup(lam_v: float, b_v: float) -> list[float]:
    """sup over the box |w_1|, |w_2| <= 1 of |w_1'/w_1| for x = +1 and x = -1, from the dynamics (86) (the factor is
    affine in 4 w_1^2 + 12 w_2^2, so the grid's corners give the sup exactly)."""
    W1, W2 = np.meshgrid(_GRID, _GRID)
    return [float(np.max(np.abs(_factor(lam_v, b_v, xv, W1, W2)))) for xv in (1.0, -1.0)]


def mu_bound(lam_v: float) -> float:
    """E ln r_t with r_t the exact sup of the factor, at b = 1/lambda - 6 (x = +-1 with probability 1/2)."""
    return float(np.mean(np.log(factor_sup(lam_v, 1 / lam_v - 6))))


LAMB_REGIME = Regime((Param(lam, 0.01, 0.3), Param(b, 0.1, 50, log=True)), (), "Eq. (89): any lambda, b")
LAM_REGIME = Regime((Param(lam, 0.01, 0.16),), (), "b = 1/lambda - 6 > 0")


@claim("ziyin.eq89", "Eqs. (86)-(89), App. D.3", "r_t = max(|1 + lambda(2 -+ b)|, |1 + lambda(2 -+ b) - 16 lambda|) "
       "bounds |w_1,t+1 / w_1,t| for x >= 0 and x <= 0", about="algebra")
def eq89():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("r_+"), sp.Symbol("r_-")]), R89), regime=LAMB_REGIME,
                 symbols=SYMBOLS, dynamics="SGD (86) on (10), |w| <= 1", observable="the bound r_t",
                 checks=[SymbolicEquality("(86) is -lambda times the gradient of (10): w_1'/w_1 = (87)",
                                          FACTOR87, 1 - lam * sp.diff(L10, w1) / w1,
                                          extra=[Param(x, -1, 1), *W_BOX]),
                         ExactComparison("the sup of |w_1'/w_1| over the box, from the dynamics", lambda p: factor_sup(
                             p["lambda"], p["b"]), lambda p, f: list(np.ravel(f(**p))), rtol=1e-9)])


@claim("ziyin.eq91", "Eq. (91), App. D.3", "With b = 1/lambda - 6: r_t = 8 lambda (x >= 0), 2 max(|1 - 2 lambda|, "
       "|1 - 10 lambda|) (x <= 0)", about="algebra", uses=["ziyin.eq89"])
def eq91():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("r_+"), sp.Symbol("r_-")]), R91), regime=LAM_REGIME,
                 symbols=SYMBOLS, dynamics="SGD (86) on (10)", observable="the bound r_t at b = 1/lambda - 6",
                 checks=[SymbolicEquality("(89) at b = 1/lambda - 6", R89.subs(b, B_STAR), lambda c: c.rhs),
                         ExactComparison("the sup of |w_1'/w_1| over the box at b = 1/lambda - 6, from the dynamics",
                                         lambda p: factor_sup(p["lambda"], 1 / p["lambda"] - 6),
                                         lambda p, f: list(np.ravel(f(**p))), rtol=1e-9)])


def argmin_b(which: str):
    """argmin over b > 0 of r_+ (0), r_- (1) or E ln r (2), from the exact sups: a grid, then a bounded search."""
    from scipy.optimize import minimize_scalar

    def value(lv, bv):
        r = factor_sup(lv, bv)
        return {"+": r[0], "-": r[1], "E ln": 0.5 * (math.log(r[0]) + math.log(r[1]))}[which]

    def exact(point) -> list[float]:
        lv = point["lambda"]
        grid = np.linspace(0.0, 2 / lv, 201)
        k = int(np.argmin([value(lv, bv) for bv in grid]))
        lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, 200)]
        res = minimize_scalar(lambda bv: value(lv, bv), bounds=(lo, hi), method="bounded", options={"xatol": 1e-11})
        return [float(res.x)]
    return exact


@claim("ziyin.eq91.minimizer", "App. D.3, before Eq. (91)", "b = 1/lambda - 6 minimises r_t in both cases "
       "(x >= 0 and x <= 0)", about="algebra", uses=["ziyin.eq89"])
def eq91_minimizer():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("argmin_b r_+"), sp.Symbol("argmin_b r_-")]),
                                 sp.Matrix([B_STAR, B_STAR])), regime=LAM_REGIME, symbols=SYMBOLS,
                 dynamics="the bound (89)", observable="the b minimising r_t, over b > 0",
                 notes=["r_- increases with b for b > 0 (lambda < 1/6), so its infimum is at b -> 0; b = 1/lambda - 6 "
                        "minimises r_+ and E ln r_t, which is what the proof needs (ziyin.eq91.minimizer.corrected)."],
                 checks=[ExactComparison("argmin over b > 0 of each r, from the exact sups",
                                         lambda p: argmin_b("+")(p) + argmin_b("-")(p),
                                         lambda p, f: list(np.ravel(f(**p))), rtol=1e-6)])


@claim("ziyin.eq91.minimizer.corrected", "App. D.3, corrected", "b = 1/lambda - 6 minimises E ln r_t over b > 0",
       corrects="ziyin.eq91.minimizer", about="algebra")
def eq91_minimizer_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("argmin_b E ln r"), B_STAR), regime=LAM_REGIME, symbols=SYMBOLS,
                 dynamics="the bound (89)", observable="the b minimising E ln r_t",
                 checks=[ExactComparison("argmin over b > 0 of E ln r_t, from the exact sups", argmin_b("E ln"),
                                         lambda p, f: [f(**p)], rtol=1e-6)])


def mu92_checks():
    return [SymbolicEquality("E ln r_t = (ln r_+ + ln r_-)/2 with (91)", sp.log(R91[0] * R91[1]) / 2,
                             lambda c: c.formula),
            ExactComparison("E ln r_t with the exact sups of the factor (x = +-1, probability 1/2)",
                            lambda p: [mu_bound(p["lambda"])], lambda p, f: [f(**p)], rtol=1e-9)]


@claim("ziyin.eq92", "Eq. (92), App. D.3", "mu = E ln r_t = (1/2) ln[8 lambda max(|1 - 2 lambda|, |1 - 10 lambda|)]",
       about="algebra", uses=["ziyin.eq91"])
def eq92():
    return Claim(statement=sp.Eq(sp.Symbol("mu_r"), MU92), regime=LAM_REGIME, symbols=SYMBOLS,
                 dynamics="the bound r_t (91)", observable="E ln r_t",
                 notes=["(91)'s second value carries a factor 2 that (92) drops."], checks=mu92_checks())


@claim("ziyin.eq92.corrected", "Eq. (92), corrected", "mu = (1/2) ln[16 lambda max(|1 - 2 lambda|, |1 - 10 lambda|)]",
       corrects="ziyin.eq92", about="algebra")
def eq92_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("mu_r"), sp.log(16 * lam * sp.Max(sp.Abs(1 - 2 * lam),
                                                                             sp.Abs(1 - 10 * lam))) / 2),
                 regime=LAM_REGIME, symbols=SYMBOLS, dynamics="the bound r_t (91)", observable="E ln r_t",
                 checks=mu92_checks())


# --- SGD on (10) -----------------------------------------------------------------------------------------------------
def sgd10(lam_v: float, a_v: float, b_v: float, T: int, n: int, rng, scale: float = 1.0):
    """SGD (2) on scale x (10), x = +-1, from w ~ U[-1, 1]^2 (Figure 3's start), on the one stepping loop; returns w at
    T - 100, T - 1 and T, and the diverged mask."""
    def step(w, rng):
        xs = np.where(rng.random(w.shape[0]) < 0.5, 1.0, -1.0)
        u, v = w[:, 0], w[:, 1]
        g1 = u * (-2 + 4 * u * u + 12 * v * v + xs * b_v)
        g2 = v * (-2 + 4 * v * v + 12 * u * u - 2 * a_v)
        return np.column_stack([u - lam_v * scale * g1, v - lam_v * scale * g2])

    marks = (T - 100, T - 1, T)
    traj = run(step, rng.uniform(-1, 1, (n, 2)), T, rng, save=marks)
    return [traj.saved[k] for k in marks], traj.diverged


def outcomes(point, n_paths, rng, T: int, scale: float = 1.0, conditional: bool = False) -> Sample:
    """Per run: 1 = converged to the sharper minimum (largest Hessian trace among the minima); 0 = w_1 does not
    converge to 0 (trapped on the invariant line w_2 = 0: |w_2| < 1e-100, |w_1| > 0.05) or, with ``conditional``,
    converged elsewhere; -1 = undecided (Prop. 4 conditions on convergence: runs still moving are excluded)."""
    lv, av = point["lambda"], point["a"]
    (early, prev, end), diverged = sgd10(lv, av, 1 / (lv * scale) - 6, T, n_paths, rng, scale)
    sharp = (np.abs(end[:, 0]) < 1e-8) & (np.abs(np.abs(end[:, 1]) - math.sqrt((1 + av) / 2)) < 1e-8)
    trapped = (np.abs(end[:, 1]) < 1e-100) & (np.abs(end[:, 0]) > 0.05)
    still = np.max(np.abs(end - early), axis=1) < 1e-10
    out = np.full(n_paths, UNDECIDED)
    out[sharp] = 1.0
    out[trapped | (conditional & still & ~sharp)] = 0.0
    # a run that leaves the box |w| <= 1 (diverges) is outside Prop. 4's premise and did not converge: excluded when
    # the claim conditions on convergence, a miss when it says every run converges
    out[diverged] = UNDECIDED if conditional else 0.0
    return Sample(out[:, None], ["at the sharper minimum"], float(diverged.mean()),
                  {"trapped_on_w2_0": int(trapped.sum()), "undecided": int((out == UNDECIDED).sum())})


class AtStatementRate(FractionCheck):
    """FractionCheck whose runs use a learning rate read from the statement: lambda = u x (the statement's value)."""

    def sample(self, claim, ctx, point, n_paths, rng):
        lam_max = float(sp.N(claim.rhs))
        return super().sample(claim, ctx, {**point, "lambda": point["u"] * lam_max}, n_paths, rng)


U = sp.Symbol("u", positive=True)


def rate_regime(low: float, high: float) -> Regime:
    return Regime((Param(U, low, high), Param(a, 0.1, 0.9)), (), "lambda = u x lambda_max, b = 1/lambda - 6, a <= 1 "
                  "so the minima lie in |w| <= 1")


def bound_threshold():
    return Threshold("E ln r_t (exact sups) < 0 just below lambda_max and not just above",
                     lambda p, lv: mu_bound(lv) < 0, what="prod r_i -> 0 (E ln r_t < 0, Lemma 1)", n_points=1)


def sgd_fraction(low: float):
    return AtStatementRate(f"SGD runs at lambda = u lambda_max (u from {low}), 2000 runs of 4000 steps: w_1 -> 0",
                           lambda p, n, rng: outcomes(p, n, rng, 4000), lambda p, f: [1.0], n_points=2, n_paths=2000,
                           perturb_claimed=True, allow_diverged=True)


def eq93_claim(statement, checks, low: float = 0.6, high: float = 0.95) -> Claim:
    return Claim(statement=statement, regime=rate_regime(low, high), symbols={**SYMBOLS, "u": "lambda / lambda_max"},
                 dynamics="SGD (86) on (10), b = 1/lambda - 6", observable="convergence of w_1 to 0", checks=checks,
                 notes=["b = 1/lambda - 6 > 0 needs lambda < 1/6 = 0.1667; (93)'s range reaches 0.1725.",
                        "Runs counted against 'w_1 -> 0': converged to (0, +-sqrt((1+a)/2)) (1), or on the "
                        "invariant line "
                        "w_2 = 0 with |w_2| < 1e-100 and |w_1| > 0.05 (0: there the rate of w_1 at 0 is "
                        "ln(16 lambda (1 - 2 lambda))/2 > 0 for lambda > 0.0732, so w_1 stays away)."])


@claim("ziyin.eq93", "Eq. (93), App. D.3", "prod r_i -> 0, so w_1 -> 0, for lambda <= (1 + sqrt 6)/20",
       uses=["ziyin.eq92"])
def eq93():
    return eq93_claim(sp.Eq(sp.Symbol(r"\lambda_{\max}"), LAM93), [ByReading("by reading of the conclusion", {
        "the proof's bound": bound_threshold(), "SGD itself": sgd_fraction(0.6)})])


@claim("ziyin.eq93.bound", "Eq. (93) (the bound)", "prod r_i -> 0 for lambda <= (1 + sqrt "
                                                   "6)/20", reading_of="ziyin.eq93",
       reading="the proof's bound: prod r_i -> 0 in probability (Lemma 1 applied to r_t, (90))", proof_reading=True)
def eq93_bound():
    return eq93_claim(sp.Eq(sp.Symbol(r"\lambda_{\max}"), LAM93), [bound_threshold()])


@claim("ziyin.eq93.sgd", "Eq. (93) (SGD)", "SGD's w_1 -> 0 for lambda <= (1 + sqrt 6)/20", reading_of="ziyin.eq93",
       reading="the conclusion drawn from it: w_1 -> 0 in probability for SGD on (10) with b = 1/lambda - 6")
def eq93_sgd():
    return eq93_claim(sp.Eq(sp.Symbol(r"\lambda_{\max}"), LAM93), [sgd_fraction(0.6)])


@claim("ziyin.eq93.corrected", "Eq. (93), corrected", "prod r_i -> 0 (and w_1 -> 0) for lambda < (2 - sqrt 2)/8",
       corrects="ziyin.eq93", uses=["ziyin.eq92.corrected"])
def eq93_corrected():
    return eq93_claim(sp.Eq(sp.Symbol(r"\lambda_{\max}"), LAM93_CORRECTED), [bound_threshold(), sgd_fraction(0.3)],
                      0.3, 0.98)



# --- Proposition 4, Theorem 3, Figure 3 -------------------------------------------------------------------------------
P_SHARP = sp.Symbol(r"P(\text{sharper minimum} \mid \text{converged})")
PROP4_REGIME = Regime((Param(lam, 0.01, 0.0717), Param(a, 0.1, 0.9)), (), "lambda below (2 - sqrt 2)/8 = 0.0732 "
                      "(ziyin.eq93.corrected), b = 1/lambda - 6, |w| <= 1 (a <= 1)")


@claim("ziyin.prop4", "Proposition 4, App. D.3", "For lambda < c = O(1) some b makes SGD, if it converges, converge to "
       "the sharper minima (0, +-sqrt((1+a)/2))", uses=["ziyin.eq12.corrected", "ziyin.eq93.corrected"])
def prop4():
    return Claim(
        statement=sp.Eq(P_SHARP, 1), regime=PROP4_REGIME, symbols=SYMBOLS, dynamics="SGD (2) on (10), x = +-1",
        observable="fraction of converged runs at the sharper minima",
        notes=["c = (2 - sqrt 2)/8 from the corrected bound (the proposition only needs some c = O(1)); b = "
               "1/lambda - 6. "
               "Runs from w ~ U[-1, 1]^2 (Figure 3's start); none left the box."],
        checks=[FractionCheck("2000 SGD runs of 5000 steps: converged runs at the minimum of largest trace",
                              lambda p, n, rng: outcomes(p, n, rng, 5000, conditional=True), lambda p, f: [f(**p)],
                              n_points=2, n_paths=2000, allow_diverged=True)])


@claim("ziyin.fig3", "Figure 3, Sec. 6.3", "lambda = 0.05, 2000 runs: all runs converge to the sharper minima",
       uses=["ziyin.prop4"])
def fig3():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"P(\text{sharper minimum})"), 1), regime=Regime((Param(a, 0.1, 0.9),), (),
                                                                                   "lambda = 0.05 (a not printed)"),
        symbols=SYMBOLS, dynamics="SGD (2) on (10), b = 1/lambda - 6 = 14", observable="fraction at the sharper minima",
        notes=["a is not printed for Figure 3: drawn in (0.1, 0.9); b = 1/lambda - 6 as in the proof; 10^4 steps as "
               "the "
               "figure's last panel."],
        checks=[FractionCheck("2000 runs, lambda = 0.05, 10^4 steps", lambda p, n, rng: outcomes(
            {"lambda": 0.05, "a": p["a"]}, n, rng, 10_000), lambda p, f: [f(**p)], n_points=1, n_paths=2000)])


@claim("ziyin.thm3", "Theorem 3 and Definition 3", "For any fixed lambda some loss makes SGD converge to a sharp "
                                                   "minimum "
       "in probability instead of a flat one", uses=["ziyin.prop4", "ziyin.eq12.corrected"])
def thm3():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"P(\text{sharper minimum})"), 1),
        regime=Regime((Param(lam, 0.01, 100, log=True), Param(a, 0.1, 0.9)), (), "any lambda > 0"),
        symbols=SYMBOLS, dynamics="SGD (2) at rate lambda on (0.05/lambda) x (10), b = 14",
        observable="fraction of runs at the sharper minima",
        notes=["Proposition 4 covers lambda below c; for any lambda the loss (10) scaled by 0.05/lambda (with b = 14) "
               "makes SGD at rate lambda take the steps of rate 0.05 on (10). The quantifiers ('for any lambda "
               "there is "
               "a loss') allow the loss to depend on lambda. 'Sharp' as Definition 3: the larger Hessian trace."],
        checks=[FractionCheck("2000 runs on the scaled loss, 5000 steps", lambda p, n, rng: outcomes(
            p, n, rng, 5000, scale=0.05 / p["lambda"]), lambda p, f: [f(**p)], n_points=2, n_paths=2000)])
