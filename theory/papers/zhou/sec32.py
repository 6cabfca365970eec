"""`zhou`, Sec. 3.2 (SGD part): the gradient-noise covariance, the SaS law and its remarks, the Levy-driven SDE (4)
of SGD, and the remark contrasting Gaussian and Levy noise.

Conventions: models.py (SaS(sigma) by its characteristic function; L_t with independent SaS(1) coordinates; the
Euler scheme of (4) with step h).
"""
from __future__ import annotations

import math
from itertools import combinations, product

import numpy as np
import sympy as sp
from sympy.stats import Normal, characteristic_function

from checks import (
    ExactComparison,
    MonteCarloFraction,
    MonteCarloMean,
    Sample,
    SymbolicEquality,
)
from checks.dynamics.levy import LevySDE, NoisyGradient, Quadratic, SasNoise, discrete, exit_times
from checks.tails import ByReading, ExitRatio
from theory import BigO, Claim, Condition, Param, Regime, Sampling, claim

from . import models as zm
from .models import C_ALPHA, SYMBOLS, alpha, eps, eta, omega, sigma, x

# --- the noise covariance ------------------------------------------------------------------------------------------
Sigma_t = sp.Symbol(r"\Sigma_t")
M2 = sp.Symbol(r"\frac{1}{n}\sum_i \nabla f_i^2", positive=True)     # (1/n) sum_i grad f_i grad f_i^T (one coordinate)
gbar = sp.Symbol(r"\nabla F", real=True)                              # full gradient (one coordinate)
NOISECOV = (M2 - gbar ** 2) / zm.S
COV_REGIME = Regime((Param(zm.S, 1, 4, doc="batch size"), Param(zm.n_data, 5, 8, doc="samples"),
                     Param(M2, 0.2, 3.0), Param(gbar, -1.0, 1.0)),
                    (Condition(gbar ** 2 < M2, "a second moment exceeds the squared mean"),),
                    "finite sum of n samples, one coordinate of the gradient, minibatch of size S")
PATTERN = np.array([-1.7, -0.6, 0.1, 0.4, 1.2, 2.0, -0.9, 0.5])


def finite_sum_gradients(p) -> np.ndarray:
    """n per-sample gradients with mean grad F and mean square the point's second moment."""
    z = PATTERN[: int(p["n"])]
    z = (z - z.mean()) / np.sqrt(np.mean((z - z.mean()) ** 2))
    return p[r"\nabla F"] + math.sqrt(p[r"\frac{1}{n}\sum_i \nabla f_i^2"] - p[r"\nabla F"] ** 2) * z


def minibatch_noise_variance(p, replacement: bool) -> float:
    """Exact variance of u = grad F - grad f_S over every equally likely minibatch (enumerated)."""
    g, s_ = finite_sum_gradients(p), int(p["S"])
    batches = product(range(g.size), repeat=s_) if replacement else combinations(range(g.size), s_)
    means = np.array([g[list(bt)].mean() for bt in batches])
    return float(np.mean((g.mean() - means) ** 2))


def _cov_check(replacement: bool):
    label = "with" if replacement else "without"
    return ExactComparison(f"every minibatch enumerated ({label} replacement)",
                           lambda p: minibatch_noise_variance(p, replacement), lambda p, f: f(**p), n_points=8,
                           rtol=1e-10)


def _noisecov(replacement: bool):
    label = "with" if replacement else "without"
    return Claim(statement=sp.Eq(Sigma_t, NOISECOV), regime=COV_REGIME, symbols=SYMBOLS,
                 dynamics=f"minibatch gradient of a finite sum, S indices drawn {label} replacement",
                 observable="variance of the gradient noise u_t = grad F - grad f_S (one coordinate)",
                 checks=[_cov_check(replacement)])


@claim("zhou.remark.noisecov", "Sec. 3.2, display after 'with covariance matrix'",
       "Gradient-noise covariance Sigma_t = (1/S)[(1/n) sum grad f_i grad f_i^T - grad F grad F^T]")
def noisecov():
    return Claim(statement=sp.Eq(Sigma_t, NOISECOV), regime=COV_REGIME, symbols=SYMBOLS,
                 observable="covariance of u_t (one coordinate shown; the matrix identity holds entrywise)",
                 notes=["The paper does not say whether the S samples are drawn with or without replacement: see the "
                        "readings."],
                 checks=[ByReading("how the minibatch is drawn", {"with replacement": _cov_check(True),
                                                                  "without replacement": _cov_check(False)})])


@claim("zhou.remark.noisecov.with-replacement", "Sec. 3.2", "Sigma_t with S samples drawn with replacement",
       reading_of="zhou.remark.noisecov", reading="the S samples of a minibatch are drawn independently (with "
       "replacement)", proof_reading=True)
def noisecov_with():
    return _noisecov(True)


@claim("zhou.remark.noisecov.without-replacement", "Sec. 3.2", "Sigma_t with S distinct samples",
       reading_of="zhou.remark.noisecov", reading="the S samples of a minibatch are distinct (drawn without "
       "replacement); the exact covariance then carries the factor (n - S)/(n - 1)")
def noisecov_without():
    return _noisecov(False)


# --- the SaS law -------------------------------------------------------------------------------------------------
phi = sp.Function(r"\mathbb{E} e^{i \omega x}")
SAS_CF = sp.exp(-sigma ** alpha * sp.Abs(omega) ** alpha)
CF_REGIME = Regime((Param(alpha, 0.6, 2.0), Param(sigma, 1.5, 3.0), Param(omega, 0.2, 2.0)), (),
                   "x ~ SaS(sigma), 0 < alpha <= 2")


def sas_cos(point, n, rng):
    """cos(w X) for X ~ SaS(sigma) from the sampler at w sigma = 0.5, 0.8, 1.1 (where the transform is resolvable)."""
    xs = zm.sas_sample(point["alpha"], n, rng, point["sigma"])
    return Sample(np.cos(np.outer(xs, np.array(CF_AT) / point["sigma"])), [f"w sigma = {k}" for k in CF_AT])


CF_AT = (0.5, 0.8, 1.1)


def cf_claimed(p, f):
    return [f(**{**p, "omega": k / p["sigma"]}) for k in CF_AT]


@claim("zhou.sec32.sas", "Sec. 3.2, after Eq. (4)", "SaS(sigma) is defined by E exp(i w x) = exp(-sigma^alpha "
                                                    "|w|^alpha)")
def sas_cf():
    return Claim(
        statement=sp.Eq(phi(omega), SAS_CF), regime=CF_REGIME, symbols=SYMBOLS,
        dynamics="the SaS sampler of checks.dynamics.stable (Chambers-Mallows-Stuck)",
        observable="E cos(w X) (the characteristic function of a symmetric law)",
        notes=["A definition: the check shows that the sampler every simulation uses draws this law. cos(w X) is "
               "bounded, so the z-test of its mean is valid although X has no variance."],
        checks=[MonteCarloMean("empirical characteristic function of the sampler", sas_cos, cf_claimed,
                               n_points=3, n_paths=40_000, perturbations=(("x0.8", lambda e: e * sp.Rational(4, 5)),
                                                                          ("power of sigma + 1", lambda e: e.subs(
                                                                              sigma ** alpha, sigma ** (alpha + 1)))))])


f_x = sp.Function("f")
TAIL_REGIME = Regime((Param(alpha, 1.05, 1.8), Param(x, 1e4, 1e5, log=True, doc="far in the tail")), (),
                     "density of SaS(1) far in the tail, 1 < alpha < 2 (the range of the paper's SDEs; scipy's "
                     "levy_stable density is inaccurate far in the tail for alpha < 1)")


def tail_threshold(a: float) -> float:
    """r with P(X > r) about 1e-3 for X ~ SaS(1): far enough out that the O(x^-alpha) correction is a few percent."""
    return (zm.c_alpha(a) / (a * 1e-3)) ** (1 / a)


def tail_fraction(point, n, rng):
    """Indicator X > r for X ~ SaS(1) (the exceedance whose probability the density's tail gives)."""
    r = tail_threshold(point["alpha"])
    return Sample((zm.sas_sample(point["alpha"], n, rng) > r)[:, None].astype(float), ["P(X > r)"])


def tail_mass(point, f_num):
    from scipy.integrate import quad
    r = tail_threshold(point["alpha"])
    return [quad(lambda y: f_num(alpha=point["alpha"], x=y), r, np.inf)[0]]


@claim("zhou.remark.sas", "Sec. 3.2, paragraph after Eq. (4)",
       "SaS is heavy-tailed with a density decaying like 1/|x|^(1+alpha)")
def sas_tail():
    from scipy.stats import levy_stable
    return Claim(
        statement=sp.Eq(f_x(x), C_ALPHA * x ** (-1 - alpha) + BigO(x ** (-1 - 2 * alpha))), regime=TAIL_REGIME,
        symbols={**SYMBOLS, "f": "density of SaS(1)"}, quantified="'a decay density like 1/|x|^(1+alpha)' read as: "
        "x^(1+alpha) f(x) tends to a finite non-zero constant, c_alpha = Gamma(1+alpha) sin(pi alpha/2)/pi for SaS(1) "
        "(the constant of its Levy measure), with a relative correction O(x^-alpha)",
        dynamics="SaS(1) law (scipy.stats.levy_stable and the sampler)", observable="density and tail mass",
        checks=[ExactComparison("scipy.stats.levy_stable density far in the tail", lambda p: levy_stable.pdf(
                    p["x"], p["alpha"], 0.0), lambda p, f: f(**p), n_points=6, rtol=5e-3),
                MonteCarloFraction("tail mass beyond 40 of sampled SaS(1) against the integrated density",
                                   tail_fraction,
                                   tail_mass, n_points=2, n_paths=500_000)])


GAUSS_REGIME = Regime((Param(sigma, 0.3, 2.0), Param(omega, 0.2, 2.0)), (), "alpha = 2")


def gauss_cos(point, n, rng):
    return sas_cos({**point, "alpha": 2.0}, n, rng)


@claim("zhou.remark.sas.gauss", "Sec. 3.2, paragraph after Eq. (4)",
       "When the tail index alpha is 2, SaS(1) becomes a Gaussian distribution")
def sas_gauss():
    return Claim(
        statement=sp.Eq(phi(omega), sp.exp(-sigma ** 2 * omega ** 2)), regime=GAUSS_REGIME, symbols=SYMBOLS,
        quantified="'becomes a Gaussian' read as: at alpha = 2 the characteristic function exp(-sigma^alpha |w|^alpha) "
        "is exp(-sigma^2 w^2), that of N(0, 2 sigma^2) (variance 2 sigma^2, not sigma^2)",
        dynamics="SaS(sigma) at alpha = 2", observable="characteristic function",
        checks=[SymbolicEquality("the definition exp(-sigma^alpha |w|^alpha) at alpha = 2", lambda c: c.formula,
                                 SAS_CF.subs(alpha, 2)),
                SymbolicEquality("the characteristic function of N(0, 2 sigma^2)", lambda c: c.formula,
                                 characteristic_function(Normal("G", 0, sp.sqrt(2) * sigma))(omega), evidence="model"),
                MonteCarloMean("empirical characteristic function of the sampler at alpha = 2", gauss_cos, cf_claimed,
                               n_points=2, n_paths=40_000, perturbations=(("x0.8", lambda e: e * sp.Rational(4, 5)),
                                                                          ("variance sigma^2", lambda e: e.subs(
                                                                              sigma, sigma / sp.sqrt(2)))))])


# --- the Gaussian SDE as a special case of (4) ------------------------------------------------------------------
SigC = sp.Symbol(r"\Sigma", positive=True)        # the gradient-noise covariance (one coordinate)
Hh = sp.Symbol("H", positive=True)                 # curvature of the quadratic F = H theta^2 / 2
D4 = sp.Symbol(r"D_{(4), \alpha = 2}")            # noise covariance per unit time of (4) at alpha = 2
SPECIAL_REGIME = Regime((Param(eta, 0.02, 0.1, log=True), Param(SigC, 0.1, 4.0, log=True), Param(Hh, 0.5, 2.0)),
                        (Sampling(sp.Abs(SigC - sp.Rational(1, 2)) > sp.Rational(1, 10),
                                  "Sigma away from 1/2, where the two readings coincide"),),
                        "F = H theta^2 / 2, alpha = 2 (eps = eta^(1/2)), Euler step h = eta")


def euler4_alpha2_variance(p, scale_of) -> float:
    """Exact stationary variance of the Euler scheme of (4) at alpha = 2: theta <- (1 - h H) theta + eps h^(1/2) s xi
    with xi ~ SaS(1) = N(0, 2), h = eta, eps = eta^(1/2), s = the reading's Sigma of (4)."""
    e_, s_ = p["eta"], scale_of(p[r"\Sigma"])
    kick2 = (math.sqrt(e_) * math.sqrt(e_) * s_) ** 2 * 2.0
    return kick2 / (1 - (1 - e_ * p["H"]) ** 2)


def gaussian_sde_variance(p, f) -> float:
    """Stationary variance of the Euler scheme (step eta) of the Gaussian SDE with noise covariance rate = formula."""
    return p["eta"] * f(**p) / (1 - (1 - p["eta"] * p["H"]) ** 2)


def euler4_alpha2_runs(scale_of):
    def simulate(p, n, rng):
        s_, e_ = scale_of(p[r"\Sigma"]), p["eta"]
        th = np.zeros(n)
        steps = int(3 / (e_ * p["H"]))
        for _ in range(steps):
            th = (1 - e_ * p["H"]) * th + e_ * s_ * zm.sas_sample(2.0, n, rng)
        return Sample(th[:, None] ** 2, ["theta^2"])
    return simulate


def _special(scale_of, label):
    return Claim(
        statement=sp.Eq(D4, eta * SigC), regime=SPECIAL_REGIME, symbols={**SYMBOLS, r"\Sigma": "covariance of the "
        "gradient noise (Sec. 3.2's Sigma_t)", "H": "curvature", D4.name: "noise covariance rate of (4) at alpha = 2"},
        dynamics=f"SDE (4) at alpha = 2 with {label}", observable="stationary variance on F = H theta^2/2",
        notes=["The right side eta Sigma is the noise covariance rate of the Gaussian SDE of SGD [37], "
               "d theta = -grad F dt + (eta Sigma)^(1/2) dW; (4) at alpha = 2 has eps^2 Sigma_(4)^2 x 2 (L_1 ~ N(0, "
               "2))."],
        checks=[ExactComparison("stationary variance of Euler (4) at alpha = 2 against the Gaussian SDE's",
                                lambda p: euler4_alpha2_variance(p, scale_of), lambda p, f: gaussian_sde_variance(p, f),
                                n_points=6, rtol=1e-9),
                MonteCarloMean("simulated Euler (4) at alpha = 2 (SaS sampler), second moment", euler4_alpha2_runs(
                    scale_of), lambda p, f: [gaussian_sde_variance(p, f) * (1 - (1 - p["eta"] * p["H"]) ** (
                        2 * int(3 / (p["eta"] * p["H"]))))], n_points=2, n_paths=4000)])


@claim("zhou.remark.sas.special", "Sec. 3.2, paragraph after Eq. (4)",
       "The Gaussian SDE of SGD [25-27, 34, 37] is a special case (alpha = 2) of the Levy-driven SDE (4)")
def sas_special():
    return Claim(statement=sp.Eq(D4, eta * SigC), regime=SPECIAL_REGIME, symbols=SYMBOLS,
                 notes=["(4) multiplies dL_t by Sigma_t, defined as a covariance (units gradient^2) but used as a "
                        "scale "
                        "(units gradient): see the readings."],
                 checks=[ByReading("what Sigma_t in (4) is", {
                     "covariance": _special(lambda s_: s_, "").checks[0],
                     "scale": _special(lambda s_: math.sqrt(s_ / 2), "").checks[0]})])


@claim("zhou.remark.sas.special.covariance", "Sec. 3.2", "Special case, Sigma_t of (4) = the noise covariance",
       reading_of="zhou.remark.sas.special", reading="Sigma_t in (4) is the covariance Sigma_t of Sec. 3.2, as the "
       "paper defines it", proof_reading=True)
def sas_special_cov():
    return _special(lambda s_: s_, "Sigma_(4) = Sigma (the covariance)")


@claim("zhou.remark.sas.special.scale", "Sec. 3.2", "Special case, Sigma_t of (4) = (covariance/2)^(1/2)",
       reading_of="zhou.remark.sas.special", reading="Sigma_t in (4) is a scale matrix, (Sigma_cov / 2)^(1/2), so "
       "that eps Sigma dL has the covariance rate eta Sigma_cov at alpha = 2")
def sas_special_scale():
    return _special(lambda s_: math.sqrt(s_ / 2), "Sigma_(4) = (Sigma / 2)^(1/2)")


# --- Eq. (4) -----------------------------------------------------------------------------------------------------
EPS4 = eta ** ((alpha - 1) / alpha)
EPS_LHS = sp.Symbol("varepsilon")          # the left side only: the symbol the statement defines
EQ4_REGIME = Regime((Param(alpha, 1.1, 1.9), Param(eta, 0.01, 0.1, log=True)), (),
                    "SGD with SaS gradient noise, alpha > 1 (so that eps = eta^((alpha-1)/alpha) -> 0 as eta -> 0)")


def euler_vs_sgd(p, f):
    """One Euler step of (4) with h = eta and eps = the formula, on the same draws as one SGD step (2) with gradient
    noise Sigma xi: the largest relative difference over 256 paths in 2-D (0 when they are the same algorithm)."""
    a, e_ = p["alpha"], p["eta"]
    basin = Quadratic(np.diag([1.0, 3.0]), 1.0)
    noise_sde, noise_sgd = SasNoise(a, 2, [0.7, 1.3]), SasNoise(a, 2, [0.7, 1.3])
    x0 = np.random.default_rng(5).normal(size=(256, 2))
    x1 = LevySDE(basin.grad, noise_sde, f(**p), e_)(x0, np.random.default_rng(6))
    x2 = NoisyGradient(discrete("sgd", e_), basin.grad, noise_sgd)(x0, np.random.default_rng(6))
    return [float(np.max(np.abs(x1 - x2) / np.maximum(np.abs(x2), 1e-12))) + 1.0]


def sgd_and_sde_exits(p, n, rng, f):
    """Discrete SGD (step eta) and SDE (4) by Euler with h = eta/4 and eps = the statement's, F = x^2/2, exit from
    (-1, 1): exit times in SDE time (iterations x eta)."""
    a, e_ = p["alpha"], p["eta"]
    q = Quadratic([[1.0]], 0.5)
    cap = int(40 / e_ / (e_ ** (a - 1) * zm.nu_interval(a, 1.0, 1.0)))
    sgd = exit_times(NoisyGradient(discrete("sgd", e_), q.grad, SasNoise(a, 1)), [0.0], q.inside, n, cap, rng, dt=e_)
    sde = exit_times(LevySDE(q.grad, SasNoise(a, 1), f(**p), e_ / 4), [0.0], q.inside, n, 4 * cap, rng, dt=e_ / 4)
    return sgd, sde


@claim("zhou.eq4", "Sec. 3.2, Eq. (4)", "SGD with SaS gradient noise is the Levy-driven SDE (4) with "
       "eps = eta^((alpha-1)/alpha)")
def eq4():
    return Claim(
        statement=sp.Eq(EPS_LHS, EPS4), regime=EQ4_REGIME, symbols=SYMBOLS, dynamics=zm.DYN4,
        observable="one step; the exit time from (-1, 1) of F = x^2/2 in SDE time",
        notes=["With h = eta, eps h^(1/alpha) = eta: the Euler scheme of (4) with step eta is SGD (2) with gradient "
               "noise "
               "Sigma xi exactly (the first two checks). As eta -> 0 the SDE solved more finely (h = eta/4) has the "
               "same "
               "exit law as SGD (the third check; exit times are compared by the conditional binomial test of two "
               "exponential exposures). The drift of (4) is printed without dt: zhou.eq4.dt."],
        checks=[SymbolicEquality("one Euler step of length eta of eps Sigma dL is SGD's eta u_t",
                                 lambda c: c.formula * eta ** (1 / alpha), eta),
                ExactComparison("Euler step of (4), h = eta, against the SGD step on the same draws (1 + max rel. "
                                "diff.)",
                                lambda p: [1.0], euler_vs_sgd, n_points=4, rtol=1e-9),
                ExitRatio("exit law: SGD (step eta) against SDE (4) with h = eta/4 and the statement's eps",
                          sgd_and_sde_exits, lambda p, f: 1.0, drives=True, at=[{"alpha": 1.5, "eta": 0.1}],
                          n_paths=2000)])


# --- the missing dt in (4) ---------------------------------------------------------------------------------------
gradF, dL, dt_ = sp.symbols(r"\nabla{F} dL_t dt", real=True)
d_theta = sp.Symbol(r"d\theta_t")             # the left side only
xi = sp.Symbol(r"\xi", real=True)
Sig4 = sp.Symbol(r"\Sigma_t", positive=True)
DT_REGIME = Regime((Param(alpha, 1.1, 1.9), Param(eta, 0.01, 0.5, log=True), Param(gradF, -2.0, 2.0),
                    Param(Sig4, 0.2, 2.0), Param(xi, -3.0, 3.0)), (), "one step of length eta")


def increment_over_a_step(c):
    """The statement's increment over [t, t + eta]: dt -> eta, dL_t -> eta^(1/alpha) xi, eps = eta^((alpha-1)/alpha)."""
    return c.formula.subs({dt_: eta, dL: eta ** (1 / alpha) * xi}).subs(eps, EPS4)


def _dt_claim(rhs):
    return Claim(statement=sp.Eq(d_theta, rhs), regime=DT_REGIME, about="text",
                 symbols={**SYMBOLS, r"\xi": "a SaS(1) draw", r"\Sigma_t": "noise matrix (one coordinate)"},
                 dynamics=zm.DYN4, observable="the increment of theta over one step of length eta",
                 checks=[SymbolicEquality("the increment over one step of length eta is SGD's -eta grad F + eta Sigma "
                                          "xi",
                                          increment_over_a_step, -eta * gradF + eta * Sig4 * xi)])


@claim("zhou.eq4.dt", "Sec. 3.2, Eq. (4) as printed", "(4) printed as d theta_t = -grad F(theta_t) + eps Sigma_t dL_t "
       "(no dt on the drift)", about="text")
def eq4_dt():
    return _dt_claim(-gradF + eps * Sig4 * dL)


@claim("zhou.eq4.dt.corrected", "Sec. 3.2, Eq. (4), corrected", "d theta_t = -grad F(theta_t) dt + eps Sigma_t dL_t",
       corrects="zhou.eq4.dt", about="text")
def eq4_dt_corrected():
    c = _dt_claim(-gradF * dt_ + eps * Sig4 * dL)
    c.regime = DT_REGIME
    c.notes = ["The dynamics behind this form (its Euler scheme with step eta is SGD (2) exactly, and SGD's exit law "
               "matches the SDE solved more finely) are checked in zhou.eq4."]
    return c


# --- Sec. 3.2: Gaussian vs Levy noise ------------------------------------------------------------------------
depth = sp.Symbol("k", positive=True)                 # the deeper basin is k times deeper, same width
RATIO = sp.Symbol(r"\mathbb{E}\Gamma_{deep} / \mathbb{E}\Gamma_{shallow}")
WIDTH_REGIME = Regime((Param(alpha, 1.2, 1.6), Param(depth, 2.0, 4.0)), (),
                      "basins (-1, 1) of F = k_j x^2 / 2 (depths 1/2 and k/2, same width), small eps")


def depth_pair(p, n, rng):
    """Exit times from (-1, 1) of F = k x^2/2 (k times deeper) and of F = x^2/2, eps = 0.1, Euler steps h = 0.3 /
    curvature (the same number of steps per relaxation time)."""
    a, k = p["alpha"], p["k"]
    return [zm.quadratic_exits(a, 0.1, 0.3 / curv, [[curv]], curv, 1.0, n, rng) for curv in (k, 1.0)]


@claim("zhou.sec32.levy-vs-gauss", "Sec. 3.2, paragraph 'However, both recent work [23] ...'",
       "For the Levy-driven SDE the escaping time depends on the width of a basin, not on its depth")
def levy_vs_gauss():
    return Claim(
        statement=sp.Eq(RATIO, 1), regime=WIDTH_REGIME, symbols={**SYMBOLS, "k": "depth ratio"}, dynamics=zm.DYN4,
        quantified="'SGD tends to converge to flat minima instead of deep minima' read as: two basins of the same "
                   "width, "
        "one k times deeper, have the same mean exit time under (4) as eps -> 0 (under Gaussian noise the deeper one "
        "takes exp((k - 1) h / eps^2) times longer, [36])",
        observable="ratio of the mean exit times (the deep over the shallow basin)",
        notes=["In the small-noise limit Gamma is the waiting time for one jump of eps L that leaves the basin from "
               "its "
               "centre, at rate nu(W / eps): W depends on the basin's edges only, so the ratio is 1 for any depth."],
        checks=[ExactComparison("ratio of the Levy measures of the two escaping sets", lambda p: [1.0],
                                lambda p, f: [f(**p) * zm.nu_interval(p["alpha"], 1.0, 1.0)
                                              / zm.nu_interval(p["alpha"], 1.0, 1.0)], n_points=4, rtol=1e-12),
                ExitRatio("simulated exit times, eps = 0.1", depth_pair, lambda p, f: f(**p), n_points=1,
                          n_paths=1000, perturbations=(("x1.6", lambda e: e * sp.Rational(8, 5)),
                                                       ("x0.6", lambda e: e * sp.Rational(3, 5))))])
