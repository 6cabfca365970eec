"""`zhou`, Theorem 1 and what the paper derives from it: the exit-time law, the readings of the Radon measure m(W),
the range of u, the condition on eps, the factor Theta(eps^-1) as Sec. 4.2 and Sec. 1 print it, and Theorem 1 for
ADAM's SDE (5).

The dynamics: SDE (4) on F = x^2/2 with Omega = (-1, 1), Sigma = 1, started at theta* = 0, Euler step h = 0.2, exit
times in SDE time (models.exits_1d). One sample per (alpha, eps) is shared by the readings (the same dynamics read
several ways), simulated once per run with a recorded seed.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import AsymptoticOrder, SymbolicEquality
from checks.base import Undecidable
from checks.stats import Z_CRIT
from checks.tails import ByReading, ExitLadder, ExitLaw, RelationCheck, _Simulated, _verdict, sides, survival
from theory import BigO, Claim, Condition, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, THETA_THM1, Gamma_, alpha, eps, m_W, rho, u

E = sp.Function(r"\mathbb{E}")
LAPLACE = E(sp.exp(-u * m_W * THETA_THM1 * Gamma_))
THM1_PRINTED = r"\frac{1-\rho}{1+u+\rho} \le \mathbb{E}[\exp(-u\, m(\mathcal{W})\Theta(\varepsilon^{-1})\Gamma)] \le " \
               r"\frac{1+\rho}{1+u-\rho}"
UPPER, LOWER = (1 + rho) / (1 + u - rho), (1 - rho) / (1 + u + rho)
THM1_REGIME = Regime((Param(alpha, 1.3, 1.7), Param(eps, 0.05, 0.05), Param(u, 0.3, 3.0), Param(rho, 0.001, 0.1)),
                     (), "SDE (4) in 1-D, F = x^2/2, Omega = (-1, 1), Sigma = 1, theta_0 = theta* = 0, Euler h = 0.2")
U_AT = (0.5, 1.0, 3.0)
POINTS = [{"alpha": 1.5, "varepsilon": 0.05, "h": 0.2}]
SHARE = "zhou 1-D exits of (4), F = x^2/2 on (-1, 1)"

# m(W) under each reading, for the 1-D basin (-1, 1) with Sigma = 1: W = {|y| >= 1}
M_READINGS = {
    "levy": lambda a: a / 2 * zm.nu_interval(a, 1.0, 1.0),                        # (alpha/2) nu(W), R-m
    "nu": lambda a: zm.nu_interval(a, 1.0, 1.0),                                  # nu(W) itself
    "unit": lambda a: a / 2 * zm.nu_interval(a, 1.0, 1.0) / zm.c_alpha(a),        # L with the unit-constant measure
    "lebesgue": lambda a: math.inf,                                                # Lebesgue measure of W
}


class LaplaceTransform(_Simulated):
    """E[exp(-u m(W) Theta(eps^-1) Gamma)] at u = 0.5, 1, 3 from simulated exit times (the variable is bounded in
    [0, 1], so its sample mean is normal to good accuracy: z-test at ALPHA), against the statement's right side.
    The exponent is read from the statement's left side, m(W) from the reading."""

    form = "z-test"

    def __init__(self, name, m_of, **kw):
        super().__init__(name, zm.exits_1d, None, at=POINTS, share=SHARE, **kw)
        self.m_of = m_of

    def _run(self, claim, ctx):
        points, rng, n_paths, expr, details = self._setup(claim, ctx)
        inner = claim.lhs.args[0]                      # exp(-u m(W) Theta(eps^-1) Gamma), as the statement prints it
        rows, failure, cases = [], None, []
        for point in points:
            times, censored, diverged, _ = survival(self._simulate(claim, ctx, point, n_paths, rng))
            if diverged > 0 or censored.any():
                raise Undecidable(f"{censored.mean():.2%} censored, {diverged:.2%} diverged at {point}", "exit",
                                  details)
            m_val = self.m_of(point["alpha"])
            for uu in U_AT:
                g = sp.lambdify((u, m_W, alpha, eps, Gamma_), inner, "numpy")
                with np.errstate(invalid="ignore", over="ignore"):
                    vals = np.asarray(g(uu, m_val, point["alpha"], point["varepsilon"], times), dtype=float)
                vals = np.nan_to_num(vals, nan=0.0)
                mean, se = float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(vals.size))
                cases.append((point, uu, mean, se))
                claimed = float(sp.lambdify((u, rho), expr)(uu, 0.0))
                z = (mean - claimed) / se if se > 0 else (0.0 if mean == claimed else math.inf)
                ctx.counter.add(1)
                rows.append({"params": point, "u": uu, "m(W)": m_val, "observed": mean, "se": se, "claimed": claimed,
                             "z": z})
                if abs(z) > Z_CRIT and failure is None:
                    failure = dict(rows[-1])
        details["rows"] = rows
        details["self_test"] = []
        for label, perturb in self.perturbations:
            wrong = sp.lambdify((u, rho), perturb(expr))
            zs = [abs((mn - float(wrong(uu, 0.0))) / se) if se > 0 else math.inf for _, uu, mn, se in cases]
            details["self_test"].append({"perturbation": label, "min_abs_z": min(zs), "rejected": min(zs) > Z_CRIT})
        method = f"z-test of the bounded variable exp(-u X) at u = {U_AT} (rho -> 0), |z| <= {Z_CRIT:.2f}"
        return _verdict(self.kind, self.name, method, details, failure)


def bounds_checks():
    return [AsymptoticOrder("the printed upper bound (1 + rho)/(1 + u - rho) = the statement + O(rho)", UPPER,
                            lambda c: c.formula, lambda c: c.remainder_bound, rho),
            AsymptoticOrder("the printed lower bound (1 - rho)/(1 + u + rho) = the statement + O(rho)", LOWER,
                            lambda c: c.formula, lambda c: c.remainder_bound, rho)]


def _thm1(reading: str | None):
    checks = bounds_checks()
    if reading is None:
        checks.append(ByReading("m(W) read as", {k: LaplaceTransform(f"Laplace transform, m(W) = {k}", f)
                                                 for k, f in M_READINGS.items()}))
    else:
        checks.append(LaplaceTransform(f"Laplace transform of the exit time, m(W) read as {reading}",
                                       M_READINGS[reading]))
    return Claim(statement=sp.Eq(LAPLACE, 1 / (1 + u) + BigO(rho)), regime=THM1_REGIME, printed=THM1_PRINTED,
                 symbols={**SYMBOLS, "u": "Laplace variable", "rho": "the theorem's rho, -> 0 as eps -> 0"},
                 dynamics=zm.DYN4, observable="Laplace transform of m(W) Theta(eps^-1) Gamma",
                 notes=["Encoded as the limit the two printed bounds share: E[exp(-u X)] = 1/(1 + u) + O(rho), i.e. "
                        "X = m(W) Theta(eps^-1) Gamma is asymptotically Exp(1). Theta(eps^-1) = (2/alpha) eps^alpha is "
                        "read from the statement. Simulated at alpha = 1.5, eps = 0.05 (2000 paths)."],
                 checks=checks)


@claim("zhou.thm1", "Sec. 4, Theorem 1", "E[exp(-u m(W) Theta(eps^-1) Gamma)] between (1 - rho)/(1 + u + rho) and "
       "(1 + rho)/(1 + u - rho): the exit time is asymptotically exponential with mean 1/(m(W) Theta(eps^-1))")
def thm1():
    from .tables import EXIT_LAW
    c = _thm1(None)
    c.curves = list(EXIT_LAW)
    c.notes.append("m(W) is 'a non-zero Radon measure on W' (Definition 1), which does not fix it (and no strictly "
                   "monotone locally finite measure exists: zhou.def1.nonzero): the readings say which measure.")
    return c


@claim("zhou.thm1.m-levy", "Sec. 4, Theorem 1", "Theorem 1 with m(W) = (alpha/2) nu(W), nu the Levy measure of L",
       reading_of="zhou.thm1", reading="m(W) = (alpha/2) nu(W) with nu the Levy measure of L (SaS(1) coordinates), so "
       "that m(W) Theta(eps^-1) = nu(W/eps) is the rate of the jumps of eps L that leave the basin (R-m)",
       proof_reading=True)
def thm1_levy():
    from .tables import EXIT_LAW
    c = _thm1("levy")
    c.curves = list(EXIT_LAW)
    c.checks.append(ExitLaw("exponential law with mean 1/nu(W/eps) (censored MLE, chi-square fit on the step lattice)",
                            zm.exits_1d, lambda p, f: 1 / (zm.nu_interval(p["alpha"], 1.0, 1.0) * p["varepsilon"] **
                                                           p["alpha"]), at=POINTS, share=SHARE, law=True,
                            perturbations=()))
    return c


@claim("zhou.thm1.m-nu", "Sec. 4, Theorem 1", "Theorem 1 with m(W) = nu(W)", reading_of="zhou.thm1",
       reading="m(W) = nu(W), the Levy measure of W itself")
def thm1_nu():
    return _thm1("nu")


@claim("zhou.thm1.m-unit", "Sec. 4, Theorem 1", "Theorem 1 with m(W) = (alpha/2) nu_1(W), nu_1 = |y|^(-1-alpha) dy",
       reading_of="zhou.thm1", reading="L read as the motion with the unit-constant Levy measure |y|^(-1-alpha) dy "
                                       "(the "
       "convention of Sec. 4.2's intensity integral), m(W) = (alpha/2) nu_1(W), while the simulated L is SaS(1)")
def thm1_unit():
    return _thm1("unit")


@claim("zhou.thm1.m-lebesgue", "Sec. 4, Theorem 1", "Theorem 1 with m(W) the Lebesgue measure (volume) of W",
       reading_of="zhou.thm1", reading="m(W) = the Lebesgue measure of W (Sec. 4.1 ties m to volume); W = {|y| >= 1} "
       "has infinite volume, so X = infinity and the transform is 0")
def thm1_lebesgue():
    return _thm1("lebesgue")


# --- the mean exit time ------------------------------------------------------------------------------------------
EG = sp.Symbol(r"\mathbb{E}\Gamma")                       # left sides: plain symbols (never swapped into a formula)
THETA = sp.Symbol(r"\Theta(\varepsilon^{-1})")
nu_W = sp.Symbol(r"\nu(\mathcal{W})", positive=True)
MEAN_REGIME = Regime((Param(alpha, 1.5, 1.5), Param(eps, 0.05, 0.1, log=True)), (),
                     "SDE (4) in 1-D, F = x^2/2, Omega = (-1, 1), Sigma = 1, theta_0 = 0, Euler h = 0.2; m(W) by R-m")
LADDER = (0.1, 0.0707, 0.05)


def eps_ladder(point):
    return [{"alpha": point["alpha"], "varepsilon": e, "h": 0.2} for e in LADDER]


def r_m(p):
    return M_READINGS["levy"](p["alpha"])


def mean_ladder(name="eps-ladder of the exit-time MLEs (shared sample at eps = 0.05)", level=True):
    return ExitLadder(name, zm.exits_1d, lambda p, f: f(alpha=p["alpha"], varepsilon=p["varepsilon"],
                                                         **{"m(W)": r_m(p)}),
                      eps, eps_ladder, level=level, at=[{"alpha": 1.5, "varepsilon": 0.1}], share=SHARE,
                      extra_symbols=(m_W,), n_paths=2000)


@claim("zhou.thm1.mean", "Sec. 4, the paragraph after Theorem 1",
       "The expected escaping time is of order 1/(m(W) Theta(eps^-1)), Theta(eps^-1) = (2/alpha) eps^alpha",
       uses=["zhou.thm1.m-levy"])
def thm1_mean():
    from .tables import EPS_LADDER
    return Claim(curves=list(EPS_LADDER),
        statement=sp.Eq(EG, 1 / (m_W * THETA_THM1)), regime=MEAN_REGIME.extended(Param(m_W, 0.1, 1.0)),
        symbols=SYMBOLS, dynamics=zm.DYN4, observable="mean exit time (censored exponential MLE)",
        quantified="'of order' read as: E Gamma m(W) Theta(eps^-1) -> 1 as eps -> 0 (the limit both Laplace bounds "
        "share), with m(W) = (alpha/2) nu(W) (R-m, the reading under which Theorem 1 holds)",
        checks=[SymbolicEquality("under R-m, m(W) Theta(eps^-1) = eps^alpha nu(W) = nu(W/eps)",
                                 lambda c: c.formula.subs(m_W, alpha / 2 * nu_W), 1 / (eps ** alpha * nu_W),
                                 extra=[Param(nu_W, 0.1, 2.0)]),
                mean_ladder()])


@claim("zhou.thm1.theta", "Sec. 4.2, second paragraph", "the gradient-noise factor Theta(eps^-1) = (2/alpha) "
                                                        "eps^-alpha "
       "of the escaping time", uses=["zhou.thm1"])
def thm1_theta():
    from .tables import EPS_LADDER
    c = _theta_claim(2 / alpha * eps ** -alpha)
    c.curves = list(EPS_LADDER)
    return c


@claim("zhou.thm1.theta.corrected", "Sec. 4.2, corrected as in Theorem 1", "Theta(eps^-1) = (2/alpha) eps^alpha",
       corrects="zhou.thm1.theta")
def thm1_theta_corrected():
    return _theta_claim(THETA_THM1)


def _theta_claim(rhs):
    def predict(p, f):
        return 1 / (r_m(p) * f(alpha=p["alpha"], varepsilon=p["varepsilon"]))
    return Claim(
        statement=sp.Eq(THETA, rhs), regime=MEAN_REGIME, symbols=SYMBOLS, dynamics=zm.DYN4,
        observable="mean exit time E Gamma = 1/(m(W) Theta(eps^-1)) along an eps-ladder (m(W) by R-m)",
        notes=["With Theta = (2/alpha) eps^-alpha, E Gamma would shrink like eps^alpha as eps -> 0, contradicting Sec. "
               "1 "
               "(O(eps^-alpha / m(W))) and Theorem 1; the simulated exit time grows like eps^-alpha."],
        checks=[SymbolicEquality("Theorem 1's Theta(eps^-1)", lambda c: c.formula, THETA_THM1),
                ExitLadder("eps-ladder: exit-time MLEs against 1/(m(W) Theta)", zm.exits_1d, predict, eps, eps_ladder,
                           at=[{"alpha": 1.5, "varepsilon": 0.1}], share=SHARE, n_paths=2000)])


@claim("zhou.sec1.order", "Sec. 1, contributions", "the escaping time Gamma is of order O(eps^-alpha / m(W)), "
       "eps in (0, 1)")
def sec1_order():
    return Claim(
        statement=sp.Eq(EG, BigO(eps ** -alpha / m_W)), regime=MEAN_REGIME.extended(Param(m_W, 0.1, 1.0)),
        symbols=SYMBOLS, dynamics=zm.DYN4, observable="mean exit time along an eps-ladder",
        quantified="read as: E Gamma grows like eps^-alpha as eps -> 0 (the exponent of the order; the constant is "
        "Theorem 1's, zhou.thm1.mean)",
        notes=["eps = eta^((alpha-1)/alpha) lies in (0, 1) for eta < 1 only when alpha > 1 (for alpha < 1, eps > 1)."],
        checks=[ExitLadder("eps-ladder: exponent of the exit-time MLEs", zm.exits_1d,
                           lambda p, f: float(f(alpha=p["alpha"], varepsilon=p["varepsilon"], **{"m(W)": r_m(p)})),
                           eps, eps_ladder, level=False, at=[{"alpha": 1.5, "varepsilon": 0.1}], share=SHARE,
                           extra_symbols=(m_W,), n_paths=2000, formula=lambda c: c.remainder_bound,
                           perturbations=(("x eps^(1/2)", lambda e: e * eps ** sp.Rational(1, 2)),
                                          ("x eps^(-1/2)", lambda e: e / eps ** sp.Rational(1, 2))))],
        about="process")


# --- the admissible u, and the condition on eps ------------------------------------------------------------
URANGE_REGIME = Regime((Param(u, -0.999, -0.8), Param(rho, 0.01, 0.2, log=True)),
                       (Condition(u > -1, "u > -1 (Theorem 1)"),), "Theorem 1's Laplace bound at u near -1")


def scaled_exits(rng, e, n):
    """X = nu(W/eps) Gamma (R-m) for n exits of the 1-D model at alpha = 1.5, memoised by the generator's state."""
    def run(r):
        times, _ = zm.exits_1d({"alpha": 1.5, "varepsilon": e, "h": 0.2}, n, r).survival_data()
        return times * zm.nu_interval(1.5, 1.0, 1.0) * e ** 1.5
    return zm.memo_by_rng(("scaled exits", e, n), run, rng)


def urange_points(claim, rng):
    x_ = scaled_exits(rng, 0.1, 400)
    out = []
    for uu, rr in ((-0.99, 0.05), (-0.95, 0.1), (-0.999, 0.01)):
        with np.errstate(over="ignore"):
            out.append({"u": uu, "rho": rr, "transform_sample_mean": float(np.mean(np.exp(-uu * x_)))})
    return out


def urange_values(claim, statement, point):
    """The transform E[exp(-u X)] is an expectation of a positive variable: its sample mean (X = nu(W/eps) Gamma,
    R-m) is positive; the printed bound evaluated at the point."""
    bound = float(statement.rhs.subs({u: point["u"], rho: point["rho"]}))
    return point["transform_sample_mean"], bound, {}


LT = sp.Symbol(r"\mathbb{E}[\exp(-u m(\mathcal{W})\Theta(\varepsilon^{-1})\Gamma)]")


@claim("zhou.thm1.urange", "Sec. 4, Theorem 1", "the upper bound E[exp(-u X)] <= (1 + rho)/(1 + u - rho) holds for any "
       "u > -1")
def thm1_urange():
    return Claim(
        statement=sp.Le(LT, UPPER), regime=URANGE_REGIME, symbols=SYMBOLS, dynamics=zm.DYN4,
        notes=["For -1 < u <= -1 + rho the bound (1 + rho)/(1 + u - rho) is negative or infinite, while the transform "
               "is "
               "positive: the statement needs u > -1 + rho (zhou.thm1.urange.corrected)."],
        checks=[RelationCheck("the transform (positive) against the bound near u = -1", urange_values, urange_points,
                              kind="montecarlo")])


@claim("zhou.thm1.urange.corrected", "Sec. 4, Theorem 1, corrected", "the upper bound holds for u > -1 + rho",
       corrects="zhou.thm1.urange")
def thm1_urange_corrected():
    def points(claim, rng):
        x_ = scaled_exits(rng, 0.05, 2000)
        out = []
        for uu in (-0.3, 0.5, 1.0):
            vals = np.exp(-uu * x_)
            half = Z_CRIT * vals.std(ddof=1) / math.sqrt(vals.size)
            out.append({"u": uu, "rho": 0.1, "mean": float(vals.mean()), "interval": (float(vals.mean() - half),
                                                                                    float(vals.mean() + half))})
        return out

    def values(claim, statement, point):
        return sides(statement, {LT: tuple(point["interval"]), u: point["u"], rho: point["rho"]})

    return Claim(
        statement=sp.Le(LT, UPPER), regime=Regime((Param(u, -0.3, 1.0), Param(rho, 0.1, 0.1)),
                                                  (Condition(u > -1 + rho, "u > -1 + rho"),)), symbols=SYMBOLS,
        dynamics=zm.DYN4, notes=["The left side is the simulated transform's confidence interval (mean +- 5.45 se; "
                                 "exp(-u X) has a variance for u > -1/2), m(W) by R-m, eps = 0.05, 2000 paths, rho = "
                                 "0.1."],
        checks=[RelationCheck("the transform's confidence interval against the bound", values, points,
                              kind="montecarlo")])


Dl, k2 = sp.Symbol("Delta", positive=True), sp.Symbol(r"\kappa_2", positive=True)
COND_RATIO = sp.log(2 * Dl / (zm.mu * eps ** sp.Rational(1, 3))) / (k2 * eps ** sp.Rational(-1, 3))


@claim("zhou.thm1.cond", "Sec. 4, Theorem 1 (its condition)", "ln(2 Delta/(mu eps^(1/3))) <= kappa_2 eps^(-1/3) holds "
       "for eps small enough", about="algebra")
def thm1_cond():
    return Claim(
        statement=sp.Eq(sp.Limit(COND_RATIO, eps, 0, "+"), 0),
        regime=Regime((Param(Dl, 0.01, 10, log=True), Param(zm.mu, 0.01, 10, log=True), Param(k2, 0.01, 10, log=True),
                       Param(eps, 1e-3, 0.5, log=True))), symbols=SYMBOLS,
        quantified="read as: the ratio of the two sides tends to 0 as eps -> 0, so the condition holds below some "
                   "eps_1",
        checks=[SymbolicEquality("the limit of the ratio", lambda c: sp.limit(COND_RATIO, eps, 0, "+"),
                                 lambda c: c.rhs)])


# --- Theorem 1 for ADAM's SDE (5) ----------------------------------------------------------------------------------
bw = sp.Symbol("b", positive=True)
ADAM_REGIME = Regime((Param(alpha, 1.5, 1.5), Param(eps, 0.07, 0.07), Param(bw, 0.1, 1.0)), (),
                     "SDE (5) in 1-D, F = x^2/2, Omega = (-b, b), Sigma = 1, theta_0 = 0")
Q_FIXED = 1.5


def fixed_q_exits(p, n, rng):
    """(5) with Q_t = Q_theta* = 1.5 fixed, rates beta1 = beta2 = 1, Euler h = 0.2, exit from (-b, b), SDE time."""
    basin = zm.Quadratic([[1.0]], p["b"] ** 2 / 2)
    sde = zm.AdaptiveLevySDE(basin.grad, zm.SasNoise(p["alpha"], 1), p["varepsilon"], 0.2, 1.0, 1.0, 0.0, "adam",
                             Q=[Q_FIXED])
    cap = int(15 / (0.2 * p["varepsilon"] ** p["alpha"] * zm.nu_interval(p["alpha"], p["b"] * Q_FIXED,
                                                                         p["b"] * Q_FIXED)))
    return zm.exit_times(sde, [0.0], basin.inside, n, cap, rng, dt=0.2)


def adaptive_exits(p, n, rng):
    """(5) with v fed the step's own draw: Euler h = eta = 0.01, rates (1 - beta)/eta of ADAM's defaults, eps =
    eta^((alpha-1)/alpha), exits from (-b, b) counted in SDE time."""
    ex = zm.adam_sde_exits(p["alpha"], 0.01, p["b"], n, rng, 60_000)
    ex.dt = 0.01
    return ex


def m_adam(p, q=1.0):
    """m(W_ADAM) by R-m: W = {y : Q^-1 y not in (-b, b)}, i.e. |y| >= b Q."""
    return p["alpha"] / 2 * zm.nu_interval(p["alpha"], p["b"] * q, p["b"] * q)


def _thm1_adam(reading):
    if reading == "fixed":
        check = ExitLaw("(5) with Q fixed: censored exponential MLE and law", fixed_q_exits,
                        lambda p, f: f(alpha=p["alpha"], varepsilon=p["varepsilon"], b=p["b"],
                                       **{"m(W)": m_adam(p, Q_FIXED)}),
                        at=[{"alpha": 1.5, "varepsilon": 0.07, "b": 1.0}], n_paths=1000, law=True,
                        extra_symbols=(m_W,))
    else:
        check = ExitLadder("(5), v fed the step's draw: exponent of the mean exit time in the basin half-width b",
                           adaptive_exits, lambda p, f: f(alpha=p["alpha"], varepsilon=p["varepsilon"], b=p["b"],
                                                          **{"m(W)": m_adam(p)}),
                           bw, lambda p: [{**p, "b": w} for w in (0.1, 0.14, 0.2)], level=False,
                           at=[{"alpha": 1.5, "varepsilon": 0.01 ** (1 / 3), "b": 0.1}], n_paths=300,
                           extra_symbols=(m_W,), perturbations=(("x b^(1/2)", lambda e: e * bw ** sp.Rational(1, 2)),
                                                               ("x b^(-1/2)", lambda e: e / bw ** sp.Rational(1, 2))))
    return Claim(
        statement=sp.Eq(EG, 1 / (m_W * THETA_THM1)), regime=ADAM_REGIME.extended(Param(m_W, 0.01, 10.0)),
        symbols=SYMBOLS, dynamics="SDE (5) of ADAM", observable="mean exit time from (-b, b)",
        checks=[SymbolicEquality("m(W_ADAM) Theta(eps^-1) = nu(W_ADAM / eps) under R-m", lambda c: c.formula.subs(
            m_W, alpha / 2 * nu_W), 1 / (eps ** alpha * nu_W), extra=[Param(nu_W, 0.1, 2.0)]), check])


@claim("zhou.thm1.adam", "Sec. 4, Theorem 1 (for ADAM (5))", "ADAM's SDE (5) has E Gamma of order 1/(m(W_ADAM) "
       "Theta(eps^-1)) with Q_theta* = lim Q_t in W")
def thm1_adam():
    c = _thm1_adam("fixed")
    c.notes = ["Q_theta* = lim Q_t need not exist: with heavy-tailed noise in v, Q_t keeps fluctuating. The readings: "
               "Q "
               "frozen at a constant (what (6) and Sec. 4.2 use), or (5) as printed with v fed the step's draw."]
    c.checks = [ByReading("Q_t in (5)", {"fixed": _thm1_adam("fixed").checks[1],
                                         "adaptive": _thm1_adam("adaptive").checks[1]})]
    return c


@claim("zhou.thm1.adam.fixed-q", "Sec. 4, Theorem 1 (ADAM)", "Theorem 1 for (5) with Q_t frozen at Q_theta*",
       reading_of="zhou.thm1.adam", reading="Q_t = Q_theta* constant (as in (6), Sec. 4.2 and the boundedness of "
       "Assumption 2 (v)): (5) is then SGD-like with noise eps Q^-1 Sigma dL", proof_reading=True)
def thm1_adam_fixed():
    return _thm1_adam("fixed")


@claim("zhou.thm1.adam.adaptive", "Sec. 4, Theorem 1 (ADAM)", "Theorem 1 for (5) as printed, v fed the step's draw",
       reading_of="zhou.thm1.adam", reading="(5) as printed, v fed the stochastic gradient of the step (Q_t adaptive); "
       "any constant Q_theta* in W gives E Gamma proportional to b^alpha")
def thm1_adam_adaptive():
    from .tables import BASIN_SIZES
    c = _thm1_adam("adaptive")
    c.curves = list(BASIN_SIZES)
    return c
