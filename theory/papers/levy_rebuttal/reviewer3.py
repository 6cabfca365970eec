"""`levy-rebuttal`, answer to Reviewer #3 (ll. 12-30): SGD with momentum's SDE (9) and escaping set, its escape time,
the shared tail index of SGD-M and ADAM, "SGD-M escapes faster than ADAM", and the learning-rate remark.

SGD-M is the bias-corrected EMA momentum that (9) models (m_t = beta1 m_(t-1) + (1 - beta1) g_t, theta -= eta m_t /
(1 - beta1^t)); SDE (9) is run by Euler with h = eta and the rate (1 - beta1)/eta.
"""
from __future__ import annotations

import sympy as sp

from checks import NotCheckable, SymbolicEquality
from checks.tails import ByReading, ExitLadder, ExitLaw, RelationCheck, median_ratio_gap, sides
from theory import BigO, Claim, Param, Regime, claim
from theory.papers.zhou import models as zm
from theory.papers.zhou.models import SYMBOLS, alpha, eps, eta, m_W
from theory.papers.zhou.sec42_adam import RATIO_SA, sgd_adam_points
from theory.papers.zhou.thm1 import EG, THETA_THM1, fixed_q_exits, m_adam, nu_W

bw = sp.Symbol("b", positive=True)
mu_t, Q, m, gF, Sg, dL = sp.symbols(r"\mu_t Q_t m_t \nabla{F} \Sigma_t dL_t", real=True)
DTHETA = sp.Symbol(r"d\theta_t")
EQ5_DRIFT = -mu_t * m / Q + eps * Sg * dL / Q


# --- (9) --------------------------------------------------------------------------------------------------------
LOG_RATIO9 = sp.Symbol(r"|\ln(\mathrm{med}\,\Gamma_{(9)} / \mathrm{med}\,\Gamma_{SGD-M})|")


@claim("levy-rebuttal.eq9", "ll. 12-13, Eq. (9)", "SGD-M's Levy SDE (9): d theta_t = -mu_t Q_t^-1 m_t + eps Q_t^-1 "
                                                  "Sigma_t "
       "dL_t with Q_t = I (and the m_t, v_t equations of (5))", about="algebra")
def eq9():
    return Claim(
        statement=sp.Eq(DTHETA, EQ5_DRIFT.subs(Q, 1)), regime=Regime((Param(mu_t, 1, 2), Param(m, -1, 1), Param(eps,
                                                                                                                0.1, 1),
                                                                      Param(Sg, 0.1, 2), Param(dL, -1, 1))),
        symbols=SYMBOLS, printed=r"d\theta_t = -\mu_t Q_t^{-1} m_t + \varepsilon Q_t^{-1}\Sigma_t dL_t,\ Q_t = I",
        notes=["(9) is (5) with Q_t = I; the printed dv_t equation plays no role then, and dt is missing as in (5) "
               "(zhou.eq5.dt). Whether (9) models SGD-M's escape: levy-rebuttal.eq9.sgdm."],
        checks=[SymbolicEquality("(5)'s theta-equation with Q_t = 1", lambda c: c.formula, EQ5_DRIFT.subs(Q, 1))])


def sgdm_pair_points(claim, rng):
    """SDE (9) (Euler, h = eta = 0.01, rate (1 - beta1)/eta) and discrete SGD-M (bias-corrected EMA, beta1 = 0.9),
    SaS(1.5) gradient noise, F = x^2/2, exit from (-b, b) for b = 0.1, 0.2, 3000 paths each."""
    out = []
    for b in (0.1, 0.2):
        def run(r, b=b):
            return (zm.sgdm_sde_exits(1.5, 0.01, b, 3000, r, 40_000), zm.discrete_exits("sgdm", 1.5, 0.01, b, 3000, r,
                                                                                       40_000))
        out.append({"b": b, **median_ratio_gap(*zm.memo_by_rng(("eq9", b), run, rng))})
    return out


@claim("levy-rebuttal.eq9.sgdm", "ll. 12-13, Eq. (9)", "SGD with momentum has the Levy SDE (9) (its escape)")
def eq9_sgdm():
    return Claim(
        statement=sp.Le(LOG_RATIO9, sp.log(2)), regime=Regime(()), symbols=SYMBOLS,
        quantified="(9) models SGD-M's escape: the median exit times of (9) and of discrete SGD-M from (-b, b) agree "
                   "within "
        "a factor 2 (b = 0.1, 0.2; eta = 0.01, alpha = 1.5); a violation counts when the ratio's conservative interval "
        "lies outside [1/2, 2]",
        dynamics="SDE (9) and SGD with (bias-corrected EMA) momentum", observable="ratio of median exit iterations",
        notes=["In the algorithm each gradient noise reaches theta through m, spread over about 1/(1 - beta1) steps; "
               "in (9) "
               "it enters theta directly, so the exit times differ by a constant factor (about 1.3-1.5 here). "
               "PyTorch's "
               "momentum has no bias correction mu_t; the reading here follows (9)."],
        checks=[RelationCheck("SDE (9) against discrete SGD-M, median exit iterations",
                              lambda c, st, p: sides(st, {LOG_RATIO9: p["log_gap_interval"]}), sgdm_pair_points,
                              kind="montecarlo")])


QI = sp.MatrixSymbol("Q", 2, 2)
W_FORM = sp.Symbol(r"A_{\mathcal{W}_{SGD-M}}")


@claim("levy-rebuttal.remark.w-sgdm", "ll. 14-15, 18-20", "W_SGD-M = {y : Q^-1 Sigma y not in Omega^(-eps^gamma)} with "
       "Q = I is W_SGD of (6); ADAM's differs only through Q_theta* = lim Q_t", about="algebra")
def w_sgdm():
    s1, s2, sx, l1, l2 = sp.symbols(r"\sigma_1 \sigma_2 \sigma_x \lambda_1 \lambda_2", real=True)
    Sig, H = sp.Matrix([[s1, sx], [sx, s2]]), sp.diag(l1, l2)
    return Claim(
        statement=sp.Eq(W_FORM, (sp.eye(2) ** -1 * Sig).T * H * (sp.eye(2) ** -1 * Sig), evaluate=False),
        regime=Regime((Param(s1, 0.5, 2), Param(s2, 0.5, 2), Param(sx, -0.3, 0.3), Param(l1, 0.5, 2), Param(l2, 0.5,
                                                                                                            2))),
        symbols=SYMBOLS, notes=["For a quadratic basin both sets are {y : y^T A y >= h_f^*}; the check compares the "
                                "matrices A."],
        checks=[SymbolicEquality("the form of W_SGD in (7)", lambda c: c.formula, Sig * H * Sig)])


GAMMA9_REGIME = Regime((Param(alpha, 1.5, 1.5), Param(eps, 0.07, 0.07), Param(bw, 1.0, 1.0)), (),
                       "SDE (9) in 1-D, F = x^2/2, Omega = (-1, 1), rate beta1 = 1, Euler h = 0.2, theta_0 = 0")


def sde9_exits(p, n, rng):
    """(9) = (5) with Q = 1 (fixed_q_exits with Q = 1): rates 1, h = 0.2, exits from (-b, b) in SDE time."""
    basin = zm.Quadratic([[1.0]], p["b"] ** 2 / 2)
    sde = zm.AdaptiveLevySDE(basin.grad, zm.SasNoise(p["alpha"], 1), p["varepsilon"], 0.2, 1.0, 1.0, 0.0, "identity")
    cap = int(15 / (0.2 * p["varepsilon"] ** p["alpha"] * zm.nu_interval(p["alpha"], p["b"], p["b"])))
    return zm.exit_times(sde, [0.0], basin.inside, n, cap, rng, dt=0.2)


@claim("levy-rebuttal.remark.gamma-sgdm", "l. 16", "SGD-M's escaping time Gamma = O(1/(m(W) Theta(eps^-1))) with "
       "Theta(eps^-1) = (2/alpha) eps^alpha")
def gamma_sgdm():
    return Claim(
        statement=sp.Eq(EG, 1 / (m_W * THETA_THM1)), regime=GAMMA9_REGIME.extended(Param(m_W, 0.01, 10.0)),
        symbols=SYMBOLS, dynamics="SDE (9)", observable="mean exit time (censored exponential MLE) and its law",
        quantified="as Theorem 1 (zhou.thm1.mean): E Gamma m(W) Theta(eps^-1) -> 1, m(W) = (alpha/2) nu(W) (R-m)",
        checks=[SymbolicEquality("under R-m, m(W) Theta(eps^-1) = nu(W/eps)", lambda c: c.formula.subs(
                    m_W, alpha / 2 * nu_W), 1 / (eps ** alpha * nu_W), extra=[Param(nu_W, 0.1, 2.0)]),
                ExitLaw("(9): censored exponential MLE and law", sde9_exits, lambda p, f: f(
                    alpha=p["alpha"], varepsilon=p["varepsilon"], b=p["b"], **{"m(W)": m_adam(p)}),
                        at=[{"alpha": 1.5, "varepsilon": 0.07,
                             "b": 1.0}], n_paths=1000, law=True, extra_symbols=(m_W,))])


# --- the same tail index, the same Theta -----------------------------------------------------------------------
def discrete_exponent(kind):
    def simulate(p, n, rng):
        return zm.discrete_exits(kind, 1.5, 0.01, p["b"], n, rng, 60_000)
    return simulate


def _same_alpha(kind):
    ladder = lambda p: [{**p, "b": w} for w in (0.1, 0.14, 0.2)]
    pert = (("x b^(1/2)", lambda e: e * bw ** sp.Rational(1, 2)), ("x b^(-1/2)", lambda e: e / bw ** sp.Rational(1, 2)))
    if kind == "discrete":
        check = ExitLadder("discrete ADAM (3): exponent of the mean exit iteration in b", discrete_exponent("adam"),
                           lambda p, f: f(alpha=p["alpha"], varepsilon=p["varepsilon"], b=p["b"],
                                          **{"m(W)": m_adam(p)}),
                           bw, ladder, level=False, at=[{"alpha": 1.5, "varepsilon": 0.01 ** (1 / 3), "b": 0.1}],
                           n_paths=300, extra_symbols=(m_W,), perturbations=pert)
    else:
        check = ExitLaw("(5) with Q fixed: censored exponential MLE against 1/(m(W_ADAM) Theta)", fixed_q_exits,
                        lambda p, f: f(alpha=p["alpha"], varepsilon=p["varepsilon"], b=p["b"], **{"m(W)": m_adam(p,
                                                                                                                 1.5)}),
                        at=[{"alpha": 1.5, "varepsilon": 0.07, "b": 1.0}], n_paths=1000, extra_symbols=(m_W,))
    return check


def _same_alpha_claim(kind):
    return Claim(
        statement=sp.Eq(EG, 1 / (m_W * THETA_THM1)), regime=Regime((Param(alpha, 1.5, 1.5), Param(eps, 0.05, 0.3),
                                                                    Param(bw, 0.1, 1.0), Param(m_W, 0.01, 10.0))),
        symbols=SYMBOLS, dynamics="ADAM", observable="mean exit time",
        quantified="'the same factor Theta(eps^-1)' read as: ADAM's escape obeys E Gamma = 1/(m(W_ADAM) Theta(eps^-1)) "
        "with SGD-M's Theta, so only m(W) differs (E Gamma proportional to b^alpha for basins (-b, b))",
        notes=["m_t is the same linear average in both algorithms, so its noise has the same tail index (stability: "
               "zhou.remark.adamsplit.sas.corrected). But ADAM divides by sqrt(v_t): its steps are bounded "
               "(zhou.fig1.toy), "
               "and its exit time grows like b^4 rather than b^alpha."],
        checks=[SymbolicEquality("under R-m, m(W) Theta(eps^-1) = nu(W/eps)", lambda c: c.formula.subs(
                    m_W, alpha / 2 * nu_W), 1 / (eps ** alpha * nu_W), extra=[Param(nu_W, 0.1,
                                                                                    2.0)]), _same_alpha(kind)])


@claim("levy-rebuttal.remark.same-alpha", "ll. 17-18", "as SGD-M and Adam use the same m_t, their gradient noise has "
                                                       "the "
       "same tail index alpha and thus the same factor Theta(eps^-1)")
def same_alpha():
    c = _same_alpha_claim("fixed")
    c.checks = [c.checks[0], ByReading("ADAM read as", {"the discrete algorithm": _same_alpha("discrete"),
                                                         "(5) with Q fixed": _same_alpha("fixed")})]
    return c


@claim("levy-rebuttal.remark.same-alpha.discrete", "ll. 17-18", "the same Theta(eps^-1) for discrete ADAM",
       reading_of="levy-rebuttal.remark.same-alpha", reading="ADAM as the algorithm (3) runs it (steps divided by "
       "sqrt(v_t))")
def same_alpha_discrete():
    return _same_alpha_claim("discrete")


@claim("levy-rebuttal.remark.same-alpha.fixed-q", "ll. 17-18", "the same Theta(eps^-1) for (5) with Q fixed",
       reading_of="levy-rebuttal.remark.same-alpha", reading="ADAM as (5) with Q_t frozen at Q_theta* (the reading of "
       "the escaping set (6) the argument uses)", proof_reading=True)
def same_alpha_fixed():
    return _same_alpha_claim("fixed")


# --- SGD-M against ADAM --------------------------------------------------------------------------------------------
def _sgdm_adam(kind):
    if kind == "paper":
        return RelationCheck("lower confidence limit of the ratio, the paper's noise for SGD(-M) and ADAM (unit disc)",
                             lambda c, st, p: sides(st, {RATIO_SA: (p["lower"],
                                                                    p["upper"])}), sgd_adam_points, kind="montecarlo",
                             share="levy-rebuttal sgdm vs adam sets")
    return RelationCheck("confidence interval of the ratio at loss scales 1 and 0.01, discrete SGD-M against ADAM (3)",
                         lambda c, st, p: sides(st, {RATIO_SA: (p["lower"],
                                                                p["upper"])}), sgdm_discrete_points, kind="montecarlo",
                         share="levy-rebuttal sgdm vs adam discrete")


def scaled_exits(kind: str, scale: float, n: int, rng, max_steps: int):
    """Discrete SGD-M or ADAM (3) at eta = 0.01 on the loss scale x F = scale x^2/2 with gradient noise
    scale x SaS(1.5), exit from the same basin (-0.1, 0.1): ADAM is invariant to the scale, SGD-M is not."""
    basin = zm.Quadratic([[scale]], scale * 0.1 ** 2 / 2)
    step = zm.NoisyGradient(zm.discrete(kind, 0.01), basin.grad, zm.SasNoise(1.5, 1, scale))
    return zm.exit_times(step, [0.0], basin.inside, n, max_steps, rng, dt=1.0)


LOSS_SCALES = (1.0, 0.01)


def sgdm_discrete_points(claim, rng):
    """The ratio at the loss scales 1 and 0.01 (the claim is about any basin, so about any scale of the loss)."""
    def run(r):
        return [(scaled_exits("sgdm", s, 500, r, 40_000), scaled_exits("adam", s, 500, r, 40_000))
                for s in LOSS_SCALES]
    from checks import heavytail as ht
    rows = []
    for s, (sgdm, adam) in zip(LOSS_SCALES, zm.memo_by_rng("discrete sgdm vs adam by scale", run, rng)):
        (t1, c1), (t2, c2) = sgdm.survival_data(), adam.survival_data()
        test = ht.compare_exponential_means(t1, c1, t2, c2, 1.0)
        rows.append({"loss_scale": s, "ratio": test.estimate, "lower": test.interval[0], "upper": test.interval[1],
                     "censored": [int(c1.sum()), int(c2.sum())], "means": [float(t1.mean()), float(t2.mean())]})
    return rows


def _sgdm_adam_claim(kind):
    return Claim(statement=sp.Lt(RATIO_SA, 1), regime=Regime(()), symbols=SYMBOLS,
                 dynamics="(4)/(9) and (5) with the paper's noise approximations" if kind == "paper" else
                 "discrete SGD-M and ADAM (3), eta = 0.01, SaS(1.5) noise, basin (-0.1, 0.1) of F = s x^2/2 at "
                 "loss scales s = 1 and 0.01",
                 observable="ratio of mean exit times (SGD-M over ADAM)",
                 notes=["Under the paper's approximations the argument is zhou's (zhou.sec42.prod, "
                        "zhou.sec42.sgd-vs-adam): "
                        "the instance Sigma-bar = diag(0.9, 0.01) meets its premises and SGD(-M) escapes more slowly "
                        "(in "
                        "the small-noise limit momentum does not change the exit law: "
                        "levy-rebuttal.remark.gamma-sgdm). The "
                        "discrete algorithms at loss scale 1 order the other way, through ADAM's bounded steps; "
                        "ADAM is "
                        "invariant to the scale of the loss and SGD-M is not, so at scale 0.01 (same basin) ADAM "
                        "escapes sooner: which one is faster depends on the basin."],
                 checks=[_sgdm_adam(kind)])


@claim("levy-rebuttal.remark.sgdm-vs-adam", "ll. 18-22", "m(W_SGD-M) is much larger than m(W_Adam), so SGD-M has a "
                                                         "much "
       "smaller escaping time than Adam at the same basin")
def sgdm_vs_adam():
    c = _sgdm_adam_claim("paper")
    c.checks = [ByReading("SGD-M and ADAM read as", {"the paper's SDEs": _sgdm_adam("paper"),
                                                      "the discrete algorithms": _sgdm_adam("discrete")})]
    return c


@claim("levy-rebuttal.remark.sgdm-vs-adam.paper", "ll. 18-22", "SGD-M escapes faster, under the paper's approximations",
       reading_of="levy-rebuttal.remark.sgdm-vs-adam", reading="the SDEs with the paper's noise (Sigma-bar/S for "
                                                               "SGD-M, "
       "Q^-1 Sigma = I/S for ADAM), as the argument uses", proof_reading=True)
def sgdm_vs_adam_paper():
    return _sgdm_adam_claim("paper")


@claim("levy-rebuttal.remark.sgdm-vs-adam.discrete", "ll. 18-22", "SGD-M escapes faster, for the discrete algorithms",
       reading_of="levy-rebuttal.remark.sgdm-vs-adam",
       reading="the discrete algorithms with SaS gradient noise, in any basin (any scale of the loss)")
def sgdm_vs_adam_discrete():
    return _sgdm_adam_claim("discrete")


# --- the learning rate ----------------------------------------------------------------------------------------
def sgd_exits(unit):
    def simulate(p, n, rng):
        ex = zm.discrete_exits("sgd", p["alpha"], p["eta"], 1.0, n, rng, 400_000)
        ex.dt = p["eta"] if unit == "time" else 1.0
        return ex
    return simulate


def _lr(unit):
    exponent = 1 - alpha if unit == "time" else -alpha
    pert = (("x eta^(1/2)", lambda e: e * eta ** sp.Rational(1, 2)), ("x eta^(-1/2)",
                                                                      lambda e: e / eta ** sp.Rational(1, 2)))
    return Claim(
        statement=sp.Eq(EG, BigO(eta ** exponent)),
        regime=Regime((Param(alpha, 0.8, 1.3), Param(eta, 0.01, 0.04, log=True))), symbols=SYMBOLS,
        quantified=f"the mean exit time ({'SDE time eta x iterations' if unit == 'time' else 'iterations'}) scales "
                   f"like "
        f"eta^({sp.sstr(exponent)}) (Theorem 1, small noise): larger eta escapes sooner "
        + ("iff alpha > 1" if unit == "time" else "for every alpha"),
        dynamics="SGD (2) with SaS gradient noise, F = x^2/2, Omega = (-1, 1)", observable="mean exit time",
        notes=["Checked at alpha = 0.8 and 1.3 along eta = 0.04, 0.02, 0.01 (exponent of the MLEs; the prefactor "
               "1/nu(W) "
               "does not change the exponent)."],
        checks=[ExitLadder(f"eta-ladder at alpha = {a_}", sgd_exits(unit), lambda p, f: f(**p), eta,
                           lambda p: [{"alpha": p["alpha"], "eta": e} for e in (0.04, 0.02, 0.01)], level=False,
                           at=[{"alpha": a_, "eta": 0.04}], n_paths=1000, perturbations=pert,
                           formula=lambda c: c.remainder_bound) for a_ in (0.8, 1.3)])


@claim("levy-rebuttal.remark.lr", "ll. 23-29", "with the same basin and gradients, a larger learning rate escapes more "
       "easily, 'consistent with [20] and ours where alpha > 1 in most cases'")
def lr():
    c = _lr("time")
    c.checks = [ByReading("time measured in", {"SDE time": _lr("time").checks[1], "iterations": _lr("iter").checks[1]})]
    return c


@claim("levy-rebuttal.remark.lr.sde-time", "ll. 23-29", "larger learning rate escapes sooner in SDE time iff alpha > 1",
       reading_of="levy-rebuttal.remark.lr", reading="time as Theorem 1 measures it (SDE time t = eta x iterations): "
       "E Gamma ~ eta^(1 - alpha)", proof_reading=True)
def lr_time():
    return _lr("time")


@claim("levy-rebuttal.remark.lr.iterations", "ll. 23-29", "larger learning rate escapes in fewer iterations (every "
                                                          "alpha)",
       reading_of="levy-rebuttal.remark.lr", reading="time counted in iterations: E Gamma ~ eta^-alpha")
def lr_iterations():
    return _lr("iter")


@claim("levy-rebuttal.remark.alpha-trend", "ll. 29-30", "one should focus on the overall variation trend of alpha "
       "instead of its exact value")
def alpha_trend():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{advice}"), 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("methodological advice", "advice on reading tail-index estimates of networks; no "
                                      "statement about a process")])
