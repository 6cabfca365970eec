"""`ziyin`, App. D.5 statements that had no claim of their own: Figure 8 (Example 2's density reached from
w_0 ~ U[-1, 1]) and the remark that non-smooth targets are approximated arbitrarily well (after Proposition 10).
Both are decided on the law of SDE (43) computed from its forward equation (the noise C ~ e^(w^2) of these examples
makes Euler-Maruyama unusable in the tails).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks.base import FormulaCheck, RunContext
from theory import Claim, Param, Regime, claim

from .experiment_checks import ExactLimit, _passed

# --- App. D.5, Figure 8: Example 2's p is reached from w_0 ~ U[-1, 1], w truncated at +-4 -------------------------
wf, w0f, kap = sp.Symbol("w", real=True), sp.Symbol("w_0", real=True), sp.Symbol("kappa", positive=True)
P_EX2 = sp.exp(-(wf - w0f) ** 2) / sp.sqrt(sp.pi)                  # Example 2's (and Figure 8's) p
TAUS8, EDGE8 = (0.0, 0.1, 0.5, 2.0, 8.0), 4.0


def half_diffusion(w_: np.ndarray, centre: float, kappa: float) -> np.ndarray:
    """D = (lambda/S) C / 2 of Example 2's C in tau = lambda t, with c_0 = (2S/lambda)(max(0, sqrt(pi) w_0) + kappa)
    (C > 0 everywhere: ziyin.eq114.corrected): D = e^((w - w_0)^2) [max(0, sqrt(pi) w_0) + kappa - F(w)],
    F(w) = int_-oo^w v e^(-(v - w_0)^2) dv in closed form."""
    from scipy.special import erf

    u_ = w_ - centre
    F = -0.5 * np.exp(-u_ ** 2) + centre * math.sqrt(math.pi) / 2 * (1 + erf(u_))
    return np.exp(u_ ** 2) * (max(0.0, math.sqrt(math.pi) * centre) + kappa - F)


def forward_solution(centre: float, kappa: float, n_cells: int):
    """The law of SDE (43) with L = w^2/2 and Example 2's C, reflected at +-4, from U[-1, 1]: its forward equation
    dp/dtau = d/dw [w p + d(D p)/dw] on n_cells cells, in the flux form that keeps the equation's own zero-flux
    solution (q = D p with q'/q = -w/D, integrated numerically from D alone) exactly stationary; the generator is
    reversible, so its exponential is taken through the eigenvectors of its symmetrised (tridiagonal) form.
    Returns the cell centres and p at each tau of TAUS8."""
    from scipy.integrate import cumulative_trapezoid
    from scipy.linalg import eigh_tridiagonal

    h = 2 * EDGE8 / n_cells
    xc = -EDGE8 + h * (np.arange(n_cells) + 0.5)
    fine = np.linspace(-EDGE8, EDGE8, 8 * n_cells + 1)
    logq = cumulative_trapezoid(-fine / half_diffusion(fine, centre, kappa), fine, initial=0.0)
    logp = np.interp(xc, fine, logq) - np.log(half_diffusion(xc, centre, kappa))     # stationary cell values
    logq_f = np.interp(xc[:-1] + h / 2, fine, logq)
    up = np.exp(logq_f - logp[:-1]) / h ** 2                       # rate k -> k + 1
    down = np.exp(logq_f - logp[1:]) / h ** 2                      # rate k + 1 -> k
    diag = -np.concatenate([up, [0.0]]) - np.concatenate([[0.0], down])
    off = np.exp(logq_f - (logp[:-1] + logp[1:]) / 2) / h ** 2      # symmetrised by the stationary p (reversible)
    vals, vecs = eigh_tridiagonal(diag, off)
    half = np.exp((logp - logp.max()) / 2)
    start = np.where(np.abs(xc) <= 1, 0.5, 0.0)
    coef = vecs.T @ (start / half)
    return xc, [half * (vecs @ (np.exp(vals * tau_) * coef)) for tau_ in TAUS8]


class ReachesDensity(FormulaCheck):
    """The statement's density against the law of the process at tau = 0, 0.1, 0.5, 2, 8, from the forward equation on
    400 and 800 cells: the largest gap must fall with tau and at tau = 8 lie within 1e-3 on both grids (far from the
    start, whose gap is O(1)). Self-test: the density x1.05 and shifted by 0.05 must be rejected."""

    kind, evidence, form = "exact", "model", "limit"
    TOL = 1e-3

    def __init__(self, name: str, n_points: int = 2):
        self.name, self.n_points = name, n_points

    def _judge(self, expr, point, sols):
        f = sp.lambdify(wf, expr.subs({w0f: point["w_0"]}), "numpy")
        row = {"params": point}
        ok = True
        for n_cells, (xc, ps) in sols.items():
            gaps = [float(np.max(np.abs(p - f(xc)))) for p in ps]
            row[f"max gap, {n_cells} cells, tau = {list(TAUS8)}"] = gaps
            ok = ok and gaps[-1] <= self.TOL and gaps[-1] < gaps[0]
        return ok, row

    def _run(self, claim, ctx: RunContext):
        rows, failure, rejected = [], None, {"x1.05": True, "shifted by 0.05": True}
        for point in claim.regime.sample(self.rng(claim, ctx), self.n_points):
            sols = {n: forward_solution(point["w_0"], point["kappa"], n) for n in (400, 800)}
            ok, row = self._judge(claim.formula, point, sols)
            rows.append(row)
            if not ok and failure is None:
                failure = dict(row)
            rejected["x1.05"] &= not self._judge(1.05 * claim.formula, point, sols)[0]
            rejected["shifted by 0.05"] &= not self._judge(claim.formula.subs(wf, wf - 0.05), point, sols)[0]
        return _passed(self.kind, self.name, "forward equation of the reflected SDE from U[-1, 1], two grids",
                       {"rows": rows}, failure, [], [{"perturbation": k, "rejected": v} for k, v in rejected.items()])


@claim("ziyin.fig8", "App. D.5, Figure 8 and the sentence before it", "From w_0 ~ U[-1, 1], truncated at +-4, SDE "
       "(19) with Example 2's C and L = w^2/2 converges to p = exp(-(w - w_0)^2)/sqrt(pi)", uses=["ziyin.example2"])
def fig8():
    return Claim(
        statement=sp.Eq(sp.Function("p")(wf), P_EX2),
        regime=Regime((Param(w0f, -0.5, 0.5, doc="centre of Example 2's p"),
                       Param(kap, 0.2, 2.0, doc="c_0 = (2S/lambda)(max(0, sqrt(pi) w_0) + kappa)")), (),
                      "Example 2 in tau = lambda t (lambda and S only rescale time and c_0)"),
        symbols={"w": "parameter", "w_0": "centre of p", "kappa": "margin of c_0 above its least value"},
        dynamics="SDE (43) (the Ito form of (19), ziyin.eq19.corrected) with L = w^2/2 and Example 2's C, reflected at "
                 "+-4", observable="the law of w at tau = 0 ... 8",
        notes=["'Truncated at -4 and 4' is read as reflection there; the mass of p beyond +-4 is below 1e-7.",
               "The law is computed, not sampled: near |w| = 4 the noise C ~ e^16 makes Euler-Maruyama useless, while "
               "the forward equation is solved by the exponential of its generator."],
        checks=[ReachesDensity("law of the process from U[-1, 1] against the statement")])


# --- App. D.5, after the remark on Prop. 10: a non-smooth target is approximated arbitrarily well -------------------
n_s = sp.Symbol("n", positive=True, integer=True)
D_K = sp.Function("d_K")


def smooth_box(v: np.ndarray, order: int) -> np.ndarray:
    """p_n = exp(-w^(2n)) / (2 Gamma(1 + 1/(2n))): smooth, positive, -> U[-1, 1] as n -> oo."""
    return np.exp(-v ** (2 * order)) / (2 * math.gamma(1 + 1 / (2 * order)))


def stationary_law(order: int, kappa: float, n_grid: int = 40001) -> tuple[np.ndarray, np.ndarray]:
    """The stationary law of SDE (43) with L = w^2/2 and the C that (110) gives for p_n (c_0 = (2S/lambda) kappa), in
    tau = lambda t: D = (lambda/S) C/2 = (kappa - int_-oo^w v p_n dv)/p_n. Computed from D alone as the zero-flux
    solution p ∝ exp(-int w/D)/D on [-3, 3] (p_n < 1e-300 beyond), normalised. Returns the grid and the c.d.f."""
    from scipy.integrate import cumulative_trapezoid

    v = np.linspace(-3.0, 3.0, n_grid)
    pn = smooth_box(v, order)
    F = cumulative_trapezoid(v * pn, v, initial=0.0)
    with np.errstate(over="ignore", divide="ignore"):
        D = (kappa - F) / pn
        logp = cumulative_trapezoid(-v / D, v, initial=0.0) - np.log(D)
    dens = np.exp(logp - logp.max())
    cdf = cumulative_trapezoid(dens, v, initial=0.0)
    return v, cdf / cdf[-1]


def kolmogorov_cases(c, e, rng):
    """d_K(stationary law of SDE (43) with C_n, U[-1, 1]) along n = 2, ..., 32, for two margins kappa."""
    cases = []
    for kappa in (0.2, 1.0):
        def exact(order, kappa=kappa):
            v, cdf = stationary_law(int(order), kappa)
            return float(np.max(np.abs(cdf - np.clip((v + 1) / 2, 0, 1))))
        cases.append({"point": {"kappa": kappa}, "ladder": [2, 4, 8, 16, 32], "exact": exact,
                      "claimed": lambda order: float(e)})
    return cases


@claim("ziyin.prop10.remark-nonsmooth", "App. D.5, paragraph after the remark following Proposition 10",
       "A non-smooth target (e.g. a uniform distribution) that is the limit of smooth ones can be approximated "
       "arbitrarily well by stationary distributions of SGD", uses=["ziyin.prop10"],
       quantified="'approximated arbitrarily well' read as: for the uniform law on [-1, 1] and its smooth "
                  "approximants p_n = exp(-w^(2n))/norm, the stationary law of SDE (43) with the C that (110) gives "
                  "for p_n (L = w^2/2) tends to the uniform law in Kolmogorov distance as n -> oo (shrinking at least "
                  "like n^-0.3 along n = 2 ... 32)")
def prop10_remark_nonsmooth():
    return Claim(
        statement=sp.Eq(sp.Limit(D_K(n_s), n_s, sp.oo), 0), regime=Regime((), (), "L = w^2/2, target U[-1, 1]"),
        symbols={"n": "index of the smooth approximant p_n", "d_K": "Kolmogorov distance of the stationary law of "
                 "SDE (43) with C_n to U[-1, 1]"},
        dynamics="SDE (43) with L = w^2/2 and C_n from (110)", observable="Kolmogorov distance to U[-1, 1]",
        notes=["The stationary law is computed from the noise alone (zero flux of the SDE's forward equation), so it "
               "tests that (110) makes p_n stationary and that p_n -> U[-1, 1]."],
        checks=[ExactLimit("Kolmogorov distance along n = 2, 4, 8, 16, 32", kolmogorov_cases, order=0.5,
                           perturbations=(("limit 0.05 instead", lambda e: e + sp.Rational(1, 20)),),
                           evidence="model")])
