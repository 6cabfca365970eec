"""`ziyin`, experiments and the continuous-time comparison that had no claim of their own: Figure 5's phase diagram
of the fourth-order loss (App. A.1), Figure 6's escape-rate estimate (App. A.2), and App. C.4's comparison of the
line (71) with the lower branch of Figure 2. Checked on SGD (2) with the two-point x (x = 1 or a - 1, mean a/2):
simulated runs, or the exact law of the log-steps.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import optimize

from checks import MonteCarloMean, Sample
from checks.stats import ALPHA
from checks.tails import ByReading
from theory import Claim, Param, Regime, Sampling, claim

from . import models as zm
from .experiment_checks import BinomialTest, ExactLimit
from .models import LOWER8, MU77, SYMBOLS, TwoPoint, a, lam

# --- App. A.1, Figure 5: "some region such that for all lambda, SGD converges to the local maximum" ---------------
P_ESC = sp.Symbol(r"\lim_{T\to\infty} P(|w_T| > |w_0|)")
START5, RUNS5, T5 = 1e-6, 2000, 3000


def fig5_lambda(point) -> float:
    """Half the lower branch a/(a - 1): there mu = E ln|1 - lambda x| > 0, the linearised escape."""
    return float((LOWER8 / 2).subs(a, point["a"]))


def fig5_runs(point, n, rng):
    """SGD on x w^2/2 + w^4/4 (the loss of Sec. 6.1 and App. A.1) from w_0 = 1e-6: escaped if |w_T| > |w_0|."""
    w, escaped, _ = zm.quartic_runs(fig5_lambda(point), point["a"], T5, n, rng, w_start=START5)
    return Sample((escaped | (np.abs(np.nan_to_num(w, nan=np.inf)) > START5))[:, None].astype(float),
                  ["|w_T| > |w_0|"])


def fig5_tolerance(point) -> float:
    """How far P(escape) at T may lie from its limit 1: the linearised exact law's P(ln|w_T/w_0| <= 0)."""
    return TwoPoint(fig5_lambda(point), point["a"]).cdf(T5, 0.0)[0] + ALPHA / (10 * RUNS5)


def fig5_claim(value) -> Claim:
    return Claim(
        statement=sp.Eq(P_ESC, value), regime=Regime((Param(a, -0.6, -0.4),), (), "lambda = a/(2(a - 1))"),
        symbols=SYMBOLS, dynamics="SGD (2) on x w^2/2 + w^4/4, x = 1 or a - 1", observable="escape probability",
        notes=["Near w = 0 the loss is Eq. (4): mu(lambda) = E ln|1 - lambda x| has slope -a/2 > 0 at lambda = 0, so "
               "for every a < 0 the small learning rates 0 < lambda < a/(a - 1) escape; runs at a in [-0.6, -0.4] "
               "show it for the fourth-order loss. A phase diagram at a finite horizon shows no escape where a/(a - 1) "
               "is below its smallest lambda or the escape is slower than the horizon."],
        checks=[BinomialTest(f"{RUNS5} SGD runs on the fourth-order loss at lambda = a/(2(a - 1)), T = {T5}",
                             fig5_runs, lambda c, e, p: [float(e)], tolerance=fig5_tolerance, n_points=2,
                             n_paths=RUNS5)])


@claim("ziyin.fig5", "App. A.1, Figure 5", "On the fourth-order loss there is a region of a where SGD converges to "
       "the local maximum for all lambda", uses=["ziyin.appa1"],
       quantified="'a region such that for all lambda SGD converges to the local maximum' read as: for some a < 0 and "
                  "every lambda > 0, lim P(|w_T| > |w_0|) = 0 from w_0 = 1e-6")
def fig5():
    return fig5_claim(sp.S.Zero)


@claim("ziyin.fig5.corrected", "App. A.1, Figure 5, corrected", "For every a < 0 SGD on the fourth-order loss "
       "escapes w = 0 at the learning rates below a/(a - 1)", corrects="ziyin.fig5")
def fig5_corrected():
    return fig5_claim(sp.S.One)


# --- App. A.2, Figure 6: the estimate (9) "converges within about 20 steps", "stable after roughly 40 steps" -------
tau = sp.Symbol("tau", positive=True, integer=True)
GAMMA_HAT = sp.Symbol(r"\mathbb{E}\hat{\gamma}_\tau")


def estimator9(point, n, rng):
    """Per run, (1/tau) sum_i ln|w_i/w_(i-1)| of SGD (2) on Eq. (4), a = -1 (it telescopes to ln|w_tau/w_0|/tau)."""
    T = int(point["tau"])
    return Sample((zm.sgd_log(point["lambda"], point["a"], T, n, rng)[T] / T)[:, None], ["estimate (9)"])


@claim("ziyin.fig6", "App. A.2, Figure 6 and its caption", "The escape-rate estimate (9) has converged to gamma "
       "(77), (82) after about 20 (text) or 40 (caption) steps", uses=["ziyin.eq9"],
       quantified="'converges within about 20 steps' and 'stable after roughly 40 steps' read as: at every "
                  "tau >= 20 the mean over runs of the estimate (9) equals gamma = mu of (77) (a = -1) within sampling "
                  "error (z-test at ALPHA, 50000 runs)")
def fig6():
    return Claim(
        statement=sp.Eq(GAMMA_HAT, MU77),
        regime=Regime((Param(lam, 0.05, 0.95), Param(a, -1.0, -1.0, doc="Figure 6: a = -1"), Param(tau, 20, 100)),
                      (Sampling(sp.Abs((1 - lam) * (1 - lam * (a - 1)) - 1) >= sp.Rational(1, 5),
                                "|gamma| resolvable: lambda away from the root of (1 - lambda)(1 + 2 lambda) = 1"),),
                      "a = -1, lambda < 1, tau >= 20"),
        symbols={**SYMBOLS, "tau": "number of steps of the estimate"}, dynamics="SGD (2) on Eq. (4), a = -1",
        observable="mean of the estimate (9) over runs",
        notes=["The caption's gamma of (82) is mu = ln((1 - lambda)(1 - lambda (a - 1)))/2 for lambda < 1, which is "
               "(77) = ln|(1 - lambda)(1 - lambda (a - 1))|/2 there; (77) is encoded.",
               "On this model the log-steps ln|w_i/w_(i-1)| = ln|1 - lambda x_i| are i.i.d., so the estimate (9) is "
               "unbiased at every tau; only its spread shrinks (like 1/sqrt(tau runs)). Both the text's 20 and the "
               "caption's 40 steps hold under this reading."],
        checks=[MonteCarloMean("SGD runs: the estimate (9) per run", estimator9, lambda p, f: [f(**p)], n_points=3,
                               n_paths=50_000)])


# --- App. C.4 after (71): "this line agrees with the boundary of the lower branch of Figure 2 when a -> 0" --------
A71, S71 = sp.symbols("A S", real=True)
BRANCH = sp.Symbol(r"\lambda_{b}(a)")                 # Figure 2's lower branch, from the dynamics


def line71(threshold, mean):
    """The lambda at which (71) (-S A/lambda > threshold) turns, with S = 1 (Figure 2) and A the mean read."""
    return sp.solve(sp.Eq(-S71 * A71 / lam, threshold), lam)[0].subs({S71: 1, A71: mean})


def sgd_branch(av: float) -> float:
    """The lower branch of Figure 2 from SGD's exact law: the lambda < 1 where E ln|1 - lambda x| changes sign."""
    return optimize.brentq(lambda lv: TwoPoint(lv, av).mu, 1e-12, 1 - 1e-12, xtol=1e-15)


def branch_check(ratio=None) -> ExactLimit:
    """(71)'s line over SGD's lower branch along a = -1/T -> 0 against the statement's limit; the ratio is the
    statement's (or a reading's)."""
    def cases(c, e, rng):
        r = c.lhs.args[0] if ratio is None else ratio
        return [{"point": {"a": "-> 0"}, "ladder": [10, 100, 1000, 10000],
                 "exact": lambda T: float(r.subs({a: -1 / T, BRANCH: sgd_branch(-1 / T)})),
                 "claimed": lambda T: float(e)}]
    return ExactLimit("(71)'s line over SGD's exact lower branch along a = -1/T", cases, order=1.0)


def branch_claim(threshold, mean) -> Claim:
    return Claim(
        statement=sp.Eq(sp.Limit(line71(threshold, mean) / BRANCH, a, 0), 1), regime=Regime((), (), "a -> 0-"),
        symbols={**SYMBOLS, r"\lambda_b(a)": "lower branch of Figure 2 (SGD's phase boundary)"},
        dynamics="SGD (2) on Eq. (4) with Figure 2's two-point x; (71) for SDE (68)",
        observable="ratio of (71)'s line to the lower branch as a -> 0",
        notes=["Figure 2's x has mean a/2 and variance ((2 - a)/2)^2 -> 1, the unit noise of (68), with S = 1."],
        checks=[branch_check()])


@claim("ziyin.appc4.fig2-branch", "App. C.4, after Eq. (71)", "(71)'s line agrees with Figure 2's lower branch as "
       "a -> 0", uses=["ziyin.eq71", "ziyin.fig2.left"])
def appc4_fig2_branch():
    c = branch_claim(1, a / 2)
    c.checks = [ByReading("the ratio under each reading of a in (71)",
                          {"a = E[x]": branch_check(), "a = Figure 2's a": branch_check(line71(1, a) / BRANCH)})]
    return c


@claim("ziyin.appc4.fig2-branch.mean", "App. C.4, after Eq. (71)", "(71) with a = E[x] = a/2 of Figure 2's law agrees "
       "with the lower branch", reading_of="ziyin.appc4.fig2-branch", proof_reading=True,
       reading="a in (71) is E[x], as (64)-(65) define it (E[g] = a w); Figure 2's law has E[x] = a/2")
def appc4_fig2_branch_mean():
    return branch_claim(1, a / 2)


@claim("ziyin.appc4.fig2-branch.same-symbol", "App. C.4, after Eq. (71)", "(71) with Figure 2's a agrees with the "
       "lower branch", reading_of="ziyin.appc4.fig2-branch",
       reading="the symbol a of (71) is Figure 2's a (the law's parameter, mean a/2)")
def appc4_fig2_branch_same():
    return branch_claim(1, a)


@claim("ziyin.appc4.fig2-branch.corrected", "App. C.4, after Eq. (71), corrected", "The corrected (71), -S E[x]/lambda "
       "> 1/2, agrees with the lower branch as a -> 0", corrects="ziyin.appc4.fig2-branch.mean")
def appc4_fig2_branch_corrected():
    return branch_claim(sp.Rational(1, 2), a / 2)
