"""Claims of `adai` about Momentum, Adam and Adai near saddle points: Eq. (3) as the noise model,
the Momentum mapping (4)-(8), Theorem 2 with its proof (22)-(32), Proposition 1 with App. H
(121)-(123), Eq. (10) and Proposition 3.

Exact reference: along one eigen-direction the SDE (7) near a critical point is linear,
    d theta = r dt,   dr = -(gamma r + H theta / M) dt + (2D)^(1/2) / M dW   (Ito; additive noise),
so theta(t) = r(0) G(t) + int_0^t G(t-u) (2D)^(1/2)/M dW(u) with the impulse response
G(t) = (e^{l1 t} - e^{l2 t}) / (l1 - l2), l1,2 = (-gamma +- (gamma^2 - 4H/M)^(1/2)) / 2, and
    <Delta theta^2(t)> = Var r(0) G(t)^2 + (2D/M^2) int_0^t G(u)^2 du   (closed form below).
The discrete optimizers are linear recursions on the same quadratic; their exact moments come
from iterating the covariance (checks.dynamics.momentum.heavy_ball_exact_variance).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks.exact import ExactComparison
from checks import AsymptoticOrder, MonteCarloMean, MonteCarloOrder, NotCheckable, Sample, SymbolicEquality
from checks.dynamics.linear import abs_matrix, psd_sqrt, rotated_hessian
from checks.dynamics.momentum import (heavy_ball_exact_variance, optimizer_on_saddle, optimizer_second_moments,
                                      phase_space_msd)
from checks.dynamics.optimizers import Adai, HeavyBall, IdealizedAdam
from theory.claim import BigO, Claim, Condition, Param, Regime
from theory.symbolic import fokker_planck_rhs

from .sgd import (B, EIG_FACTORS, D_FACTORS, NONZERO_H, P_B, P_D, P_H, SYMBOLS, D, H, L, P, T, eta, src, t, theta)

# --- symbols -----------------------------------------------------------------------------------------
r = sp.Symbol("r", real=True)                            # velocity r = d theta / dt = -m
M = sp.Symbol("M", positive=True)                        # mass
gamma = sp.Symbol("gamma", positive=True)                # damping coefficient
beta1 = sp.Symbol("beta_1", positive=True)               # momentum hyperparameter, 0 < beta1 < 1
beta3 = sp.Symbol("beta_3", positive=True)               # 1 (SGD-style) or 1 - beta1 (Adam-style)
beta0 = sp.Symbol("beta_0", positive=True)               # Adai's beta0
vbar = sp.Symbol(r"\bar{v}", positive=True)              # Adai's mean of v-hat over parameters
eta_hat = sp.Symbol(r"\hat{\eta}", positive=True)        # Adam's adaptive learning rate
t_hat = sp.Symbol(r"\hat{t}", positive=True)             # Adam's adaptive time
dt = sp.Symbol("dt", positive=True)
g = sp.Symbol("g", real=True)                            # one stochastic gradient
m_prev, r_prev = sp.Symbol("m_{t-1}", real=True), sp.Symbol("r_{t-1}", real=True)
F = sp.Symbol("F", real=True)
C_i = sp.Symbol("C", positive=True)                      # gradient-noise variance along the direction
u = sp.Symbol("u", positive=True)
MSD = sp.Function(r"\langle\Delta\theta_{i}^{2}\rangle")
DRIFT = sp.Symbol(r"\langle\Delta\theta_{i}\rangle^{2}", positive=True)

MSYMBOLS = {**SYMBOLS, "r": "velocity d theta/dt (r = -m)", "M": "mass", "gamma": "damping coefficient",
            "beta_1": "momentum hyperparameter beta1 (0 < beta1 < 1)",
            "beta_3": "gradient weight beta3: 1 (SGD-style) or 1 - beta1 (Adam-style)",
            "beta_0": "Adai's beta0", r"\bar{v}": "mean of v-hat over all parameters",
            r"\hat{\eta}": "Adam's adaptive learning rate eta C^(-1/2)", r"\hat{t}": "Adam's adaptive time",
            "C": "gradient-noise variance along the eigen-direction"}

# --- ranges and regimes --------------------------------------------------------------------------------
P_M = Param(M, 0.2, 5.0, log=True, doc="mass")
P_gamma = Param(gamma, 0.5, 5.0, log=True, doc="damping coefficient")
P_tlong = Param(t, 0.1, 10.0, log=True, doc="time")
P_beta1 = Param(beta1, 0.5, 0.95, doc="momentum beta1")
P_beta3 = Param(beta3, 0.05, 1.0, doc="gradient weight beta3")
P_eta = Param(eta, 1e-3, 0.05, log=True, doc="learning rate")
P_Tmom = Param(T, 5, 100, log=True, doc="iterations (of the order of 1/(1-beta1), where momentum matters)")
BETA1_BELOW_1 = Condition(beta1 < 1, "0 < beta1 < 1")
OVERDAMPED = Condition(4 * sp.Abs(H) / (gamma ** 2 * M) <= sp.Rational(1, 2),
                       "4|H_i|/(gamma^2 M) << 1 (the SGD-like limit of Theorem 3; encoded as <= 1/2)")
NEAR_SADDLE = Condition(sp.Abs(H) * t / (gamma * M) <= 1,
                        "|H_i| t/(gamma M) small near an ill-conditioned saddle (encoded as <= 1)")
MOM_SMALL = Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 10), "|H_i| eta T << 1 (encoded as <= 0.3)")
SDE7_REGIME = Regime((P_H, P_D, P_M, P_gamma, P_tlong), (NONZERO_H, OVERDAMPED, NEAR_SADDLE),
                     "SDE (7) on L = H theta^2/2 along one eigenvector, D constant (Eq. (3)), theta(0) = c")
MOM_REGIME = Regime((P_H, P_eta, P_B, P_beta1, P_beta3, P_Tmom), (NONZERO_H, BETA1_BELOW_1, MOM_SMALL),
                    "Momentum (4) near a saddle with gradient noise N(0, [H]^+/B), theta_1 = c, m_0 = 0")
STYLE_REGIME = Regime((P_H, P_eta, P_B, P_beta1, P_Tmom), (NONZERO_H, BETA1_BELOW_1, MOM_SMALL),
                      MOM_REGIME.description)


# --- the exact solution of the model -------------------------------------------------------------------
def exact_msd_sde7(r0_var: sp.Expr, Hs=H, Ms=M, gs=gamma, Ds=D, ts=t) -> sp.Expr:
    """<Delta theta^2(t)> of SDE (7) from theta(0) = c, r(0) ~ N(0, r0_var) (closed form, see module doc)."""
    root = sp.sqrt(gs ** 2 - 4 * Hs / Ms)
    l1, l2 = (-gs + root) / 2, (-gs - root) / 2
    G = (sp.exp(l1 * ts) - sp.exp(l2 * ts)) / (l1 - l2)
    integral = ((sp.exp(2 * l1 * ts) - 1) / (2 * l1) + (sp.exp(2 * l2 * ts) - 1) / (2 * l2)
                - 2 * (sp.exp((l1 + l2) * ts) - 1) / (l1 + l2)) / (l1 - l2) ** 2
    return r0_var * G ** 2 + 2 * Ds / Ms ** 2 * integral


def impulse_response(Hs=H, Ms=M, gs=gamma, ts=t) -> sp.Expr:
    root = sp.sqrt(gs ** 2 - 4 * Hs / Ms)
    l1, l2 = (-gs + root) / 2, (-gs - root) / 2
    return (sp.exp(l1 * ts) - sp.exp(l2 * ts)) / (l1 - l2)


R_EQ2 = D / (gamma * M ** 2)                             # r_eq^2 of Step I
thm2_rhs = D / (gamma ** 3 * M ** 2) * (1 - sp.exp(-gamma * t)) ** 2 \
    + D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M)))
exact_eq_start = exact_msd_sde7(R_EQ2)                    # velocity at equilibrium (the proof's Step I)
exact_rest_start = exact_msd_sde7(sp.S.Zero)              # velocity 0 (the algorithms start with m_0 = 0)

# The Momentum mapping: dt = eta, M = eta/beta3, gamma = (1-beta1)/eta, D = eta [H]^+/(2B), t = eta T.
MOMENTUM_MAP = {D: eta * sp.Abs(H) / (2 * B), gamma: (1 - beta1) / eta, M: eta / beta3, t: eta * T}
# Adam (App. H): eta-hat = eta C^{-1/2}, C = |H|/B, M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat,
# D = eta-hat C / 2 (Eq. (3) with eta-hat), t-hat = eta-hat T.
ETA_HAT = eta * sp.sqrt(B / sp.Abs(H))
ADAM_MAP = {D: ETA_HAT * sp.Abs(H) / (2 * B), gamma: (1 - beta1) / ETA_HAT, M: ETA_HAT / (1 - beta1),
            t: ETA_HAT * T}


def momentum_sum(b: sp.Expr, n: sp.Expr) -> sp.Expr:
    """sum over j = 1..n of (1 - b^j)^2 in closed form: the H-free variance factor of the discrete recursion."""
    return n - 2 * b * (1 - b ** n) / (1 - b) + b ** 2 * (1 - b ** (2 * n)) / (1 - b ** 2)


def induction_checks(expr: sp.Expr, scale: sp.Expr) -> list:
    """expr = scale * sum over j = 1..T of (1 - beta1^j)^2, by induction on T: one step and the first term."""
    S = sp.simplify(expr / scale)
    return [SymbolicEquality("T -> T+1 adds scale (1 - beta1^(T+1))^2 (induction step)",
                             S.subs(T, T + 1) - S, (1 - beta1 ** (T + 1)) ** 2),
            SymbolicEquality("T = 1 gives scale (1 - beta1)^2 (base case)", S.subs(T, 1), (1 - beta1) ** 2)]


# --- simulations -----------------------------------------------------------------------------------------
def eigs_of(point) -> list[float]:
    return [f(point["H"]) for f in EIG_FACTORS]


def sde7_simulate(r0: str):
    """SDE (7) on a 3-D saddle, eigenvalues (H, -0.6H, 1.3|H|), D_i = D (1, 0.5, 2); r(0) at equilibrium
    or at rest. M and gamma are scalars, so the eigen-directions decouple and no rotation is needed."""
    def run(point, n_paths, rng):
        d_eigs = [point["D"] * k for k in D_FACTORS]
        var = [dd / (point["gamma"] * point["M"] ** 2) for dd in d_eigs] if r0 == "eq" else 0.0
        return phase_space_msd(eigs_of(point), d_eigs, point["M"], point["gamma"], point["t"], n_paths, rng,
                               r0_var=var)
    return run


def sde7_predict(point, f):
    return np.array([f(H=h, D=point["D"] * k, M=point["M"], gamma=point["gamma"], t=point["t"])
                     for h, k in zip(eigs_of(point), D_FACTORS)])


def _beta3(point, style):
    return {"sgd": 1.0, "adam": 1.0 - point["beta_1"], None: point.get("beta_3")}[style]


def heavy_ball_simulate(style=None, dims: int = 3):
    """Discrete Momentum (4) on a rotated saddle (dims = 3) or along one eigenvector (dims = 1)."""
    def run(point, n_paths, rng):
        b3 = _beta3(point, style)
        eigs = np.array(eigs_of(point)[:dims])
        exact = heavy_ball_exact_variance(eigs, np.abs(eigs) / point["B"], int(point["T"]), point["eta"],
                                          point["beta_1"], b3)
        make = lambda C: HeavyBall(point["eta"], point["beta_1"], b3)
        return optimizer_second_moments(make, eigs, point["B"], int(point["T"]), n_paths, rng, exact=exact,
                                        rotate=dims > 1)
    return run


def heavy_ball_exact(style=None):
    def exact(point):
        return float(heavy_ball_exact_variance(point["H"], abs(point["H"]) / point["B"], int(point["T"]), point["eta"],
                                               point["beta_1"], _beta3(point, style)))
    return exact


def momentum_predict(style=None):
    def predict(point, f):
        kw = {"eta": point["eta"], "B": point["B"], "beta_1": point["beta_1"], "T": point["T"]}
        if style is None:
            kw["beta_3"] = point["beta_3"]
        return np.array([f(H=h, **kw) for h in eigs_of(point)] + [0.0, 0.0, 0.0])
    return predict


def ladder_start(style=None):
    """First rung of the eta ladder: effective step |H| eta T beta3/(1-beta1) = 0.3 (the recursion's own
    small parameter), inside the claim's regime |H| eta T <= 0.3."""
    def start(point):
        b3 = _beta3(point, style)
        return {**point, "eta": 0.3 * (1 - point["beta_1"]) / (abs(point["H"]) * point["T"] * b3)}
    return start


def idealized_adam_simulate(dims: int = 3, bias_correction: bool = False):
    """Idealized Adam (full-matrix preconditioner C^(-1/2)); bias_correction=False is the rule (121)."""
    def run(point, n_paths, rng):
        eigs = np.array(eigs_of(point)[:dims])
        c = np.abs(eigs) / point["B"]
        exact = heavy_ball_exact_variance(eigs, c, int(point["T"]), point["eta"] / np.sqrt(c), point["beta_1"],
                                          1 - point["beta_1"], bias_correction=bias_correction)
        make = lambda C: IdealizedAdam(point["eta"], C, point["beta_1"], bias_correction=bias_correction)
        return optimizer_second_moments(make, eigs, point["B"], int(point["T"]), n_paths, rng, exact=exact,
                                        rotate=dims > 1)
    return run


def idealized_adam_exact(point):
    c = abs(point["H"]) / point["B"]
    return float(heavy_ball_exact_variance(point["H"], c, int(point["T"]), point["eta"] / np.sqrt(c),
                                           point["beta_1"], 1 - point["beta_1"]))


def adam_ladder_start(point):
    """eta-hat |H| T = eta sqrt(B |H|) T = 0.3 at the first rung."""
    return {**point, "eta": 0.3 / (np.sqrt(point["B"] * abs(point["H"])) * point["T"])}


# --- claims: the noise model and the Momentum mapping -----------------------------------------------------
phi = sp.Symbol("phi", real=True)
h1, h2 = sp.symbols("h_1 h_2", real=True, nonzero=True)
U2 = sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])
H2 = U2 * sp.diag(h1, h2) * U2.T
Hplus2 = U2 * sp.diag(sp.Abs(h1), sp.Abs(h2)) * U2.T
Hplus = sp.Symbol("[H]^{+}")


ROTATION_SEED = 20211123          # one fixed rotation, shared by simulation and prediction


def fixed_saddle(point) -> np.ndarray:
    Hm, _ = rotated_hessian(np.array(eigs_of(point)), np.random.default_rng(ROTATION_SEED))
    return Hm


def noise_covariance_simulate(point, n_paths, rng):
    """Draw the gradient noise the kernels use on a rotated 3-D saddle; observables: entries of
    xi xi^T (upper triangle), whose means must be ([H]^+/B)_jk."""
    F = psd_sqrt(abs_matrix(fixed_saddle(point)) / point["B"]).T
    xi = rng.standard_normal((n_paths, 3)) @ F
    iu = np.triu_indices(3)
    return Sample(xi[:, iu[0]] * xi[:, iu[1]], [f"xi{a + 1} xi{b + 1}" for a, b in zip(*iu)])


def noise_covariance_predict(point, f):
    """C = 2D/eta with D from the claim: ([H]^+)_jk times 2 f / eta."""
    return abs_matrix(fixed_saddle(point))[np.triu_indices(3)] * 2 * float(f(**point)) / point["eta"]


eq3 = Claim(
    id="adai.eq3", source=src("Eq. (3)"),
    title="Noise model near a critical point: D = eta C / 2 = eta [H]^+ / (2B)",
    statement=sp.Eq(D, eta / (2 * B) * Hplus),
    regime=Regime((P_H, Param(eta, 1e-3, 0.1, log=True), P_B), (NONZERO_H,), "near a critical point c"),
    symbols={**MSYMBOLS, "[H]^{+}": "U diag(|H_1|, ..., |H_n|) U^T for H = U diag(H_i) U^T"},
    dynamics="every kernel of this package: gradient noise xi ~ N(0, [H]^+/B)",
    observable="covariance of the gradient noise",
    notes=["As a model assumption, the kernels take C = [H]^+/B; the checks verify the construction and that "
           "the kernels' noise has this covariance. FIM ~ H near critical points of a network is an empirical "
           "statement (Fig. 6) that needs a trained network: recorded as not checkable.",
           "In the statement [H]^+ stands for the matrix; the Monte Carlo check compares 2D/eta entry by entry."],
    checks=[SymbolicEquality("([H]^+)^2 = H^2 (2-D, any rotation, both signs)", Hplus2 * Hplus2 - H2 * H2,
                             sp.zeros(2, 2), extra=[Param(phi, -3.14, 3.14), Param(h1, -2, 2), Param(h2, -2, 2)]),
            SymbolicEquality("[H]^+ commutes with H", Hplus2 * H2 - H2 * Hplus2, sp.zeros(2, 2),
                             extra=[Param(phi, -3.14, 3.14), Param(h1, -2, 2), Param(h2, -2, 2)]),
            SymbolicEquality("trace [H]^+ = |h1| + |h2| and det [H]^+ = |h1 h2| (eigenvalues |H_i|)",
                             sp.Matrix([Hplus2.trace(), Hplus2.det()]),
                             sp.Matrix([sp.Abs(h1) + sp.Abs(h2), sp.Abs(h1 * h2)]),
                             extra=[Param(phi, -3.14, 3.14), Param(h1, -2, 2), Param(h2, -2, 2)]),
            MonteCarloMean("the kernels' gradient noise has covariance 2D/eta = [H]^+/B (3-D, rotated)",
                           noise_covariance_simulate, noise_covariance_predict,
                           formula=lambda c: c.formula.subs(Hplus, 1), n_points=2, n_paths=50_000),
            NotCheckable("FIM ~ [H]^+ near critical points of a neural network",
                         "an empirical statement about trained networks (Fig. 6); no model in the paper to check")],
)

recursion4_r = -(beta1 * m_prev + beta3 * g)             # r_t = -m_t from (4)


def eq5_claim(force: sp.Expr, cid: str, where: str, corrected=None, notes=()) -> Claim:
    rhs5 = (1 - gamma * dt) * r_prev + force / M * dt
    subs = {dt: eta, gamma: (1 - beta1) / eta, M: eta / beta3, r_prev: -m_prev}
    return Claim(
        id=cid, source=src(where), title=f"Eq. (5) is Eq. (4) with r_t = -m_t, F = {sp.sstr(force)}, dt = eta",
        statement=sp.Eq(sp.Symbol("r_t"), rhs5),
        regime=Regime((Param(beta1, 0.05, 0.99), Param(beta3, 0.05, 1.0), Param(eta, 1e-3, 1.0, log=True),
                       Param(g, -3, 3), Param(m_prev, -3, 3)), (BETA1_BELOW_1,), "one step of Eq. (4)"),
        symbols={**MSYMBOLS, "g": "stochastic gradient g_t", "m_{t-1}": "momentum buffer", "F": "force"},
        dynamics="Momentum (4)", observable="r_t = -m_t after one step", notes=list(notes),
        checks=[SymbolicEquality("(5)'s velocity update, with the stated identifications, equals -m_t of (4)",
                                 rhs5.subs(subs).subs(F, force), recursion4_r)],
        corrected=corrected, uses=["adai.eq6"])


eq5_corrected = eq5_claim(-g, "adai.eq5.corrected", "Eq. (5), corrected",
                          notes=["Derived: with r_t = -m_t, (4) gives r_t = beta1 r_(t-1) - beta3 g_t, so the force "
                                 "is F = -g_t (minus the gradient), as Eq. (7) writes it (-dL/dtheta)."])
eq5 = eq5_claim(g, "adai.eq5", "Eq. (5) and the text after it", corrected=eq5_corrected,
                notes=["Encoded as printed: r_t = -m_t, F = g_t, dt = eta, 1 - gamma dt = beta1, dt/M = beta3. "
                       "F enters (5) as F dt/M; the check substitutes F = g_t."])

eq6 = Claim(
    id="adai.eq6", source=src("Eq. (6) and the text after it"),
    title="Mass and damping of Momentum: M = eta/beta3, gamma = (1-beta1)/eta",
    statement=sp.Eq(sp.Matrix([M, gamma]), sp.Matrix([eta / beta3, (1 - beta1) / eta])),
    regime=Regime((Param(beta1, 0.05, 0.99), Param(beta3, 0.05, 1.0), Param(eta, 1e-3, 1.0, log=True)),
                  (BETA1_BELOW_1,), "Momentum (4)"),
    symbols=MSYMBOLS, dynamics="Momentum (4) as the motion equation (5)/(6)", observable="M and gamma",
    checks=[SymbolicEquality("solve dt = eta, 1 - gamma dt = beta1, dt/M = beta3",
                             sp.Matrix([sp.solve([dt - eta, 1 - gamma * dt - beta1, dt / M - beta3],
                                                 [dt, gamma, M], dict=True)[0][s] for s in (M, gamma)]),
                             sp.Matrix([eta / beta3, (1 - beta1) / eta]))])

Lp = sp.Symbol("Lp", real=True)                                      # dL/dtheta at theta
step_mean = (-(1 - beta1) * r - beta3 * Lp) / eta                      # E[Delta r]/dt, g = L' + noise
step_var = beta3 ** 2 * C_i / eta                                      # Var[Delta r]/dt
eq7 = Claim(
    id="adai.eq7", source=src("Eq. (7)"),
    title="The Momentum SDE M d(theta-dot) = -gamma M d theta - dL/dtheta dt + (2D)^(1/2) dW",
    statement=sp.Eq(M * sp.Symbol(r"d\dot{\theta}"),
                    -gamma * M * sp.Symbol(r"d\theta") - Lp * sp.Symbol("dt") + sp.sqrt(2 * D) * sp.Symbol("dW_t")),
    regime=Regime((Param(beta1, 0.05, 0.99), Param(beta3, 0.05, 1.0), Param(eta, 1e-3, 1.0, log=True),
                   Param(r, -3, 3), Param(Lp, -3, 3), Param(C_i, 0.01, 3, log=True)), (BETA1_BELOW_1,),
                  "one step of (4) with g = L' + xi, Var xi = C, as dt = eta -> 0"),
    symbols={**MSYMBOLS, "Lp": "dL/dtheta"}, dynamics="Momentum (4)", observable="drift and diffusion of r",
    notes=["Checked as the diffusion limit of (4): one step of length dt = eta changes r by "
           "-(1-beta1) r - beta3 g; its mean per unit time must be -gamma r - L'/M and its variance per unit "
           "time 2D/M^2, with M, gamma from Eq. (6) and D = eta C/2 (Eq. (3))."],
    checks=[SymbolicEquality("drift: E[Delta r]/dt = -gamma r - L'/M", step_mean,
                             (-gamma * r - Lp / M).subs({gamma: (1 - beta1) / eta, M: eta / beta3})),
            SymbolicEquality("diffusion: Var[Delta r]/dt = 2D/M^2 with D = eta C/2", step_var,
                             (2 * D / M ** 2).subs({D: eta * C_i / 2, M: eta / beta3}))],
    uses=["adai.eq6", "adai.eq3"])

Pf = sp.Function("P")(theta, r, t)
Lf = sp.Function("L")(theta)
fp8_printed = (-sp.diff(r * Pf, theta) + sp.diff((gamma * r + sp.diff(Lf, theta) / M) * Pf, r)
               + sp.diff(D / M ** 2 * sp.diff(Pf, r), r))
fp7_forward = (-sp.diff(r * Pf, theta) - sp.diff((-gamma * r - sp.diff(Lf, theta) / M) * Pf, r)
               + sp.diff(D / M ** 2 * Pf, r, 2))          # Ito forward equation of (7): noise (2D)^(1/2)/M on r
eq8 = Claim(
    id="adai.eq8", source=src("Eq. (8)"), title="Phase-space Fokker-Planck equation of (7)",
    statement=sp.Eq(sp.Derivative(Pf, t), fp8_printed),
    regime=Regime((P_M, P_gamma, P_D), (), "any L; 1-D phase space (theta, r), D constant"),
    symbols=MSYMBOLS, dynamics="SDE (7) in phase space: d theta = r dt, dr = -(gamma r + L'/M) dt + (2D)^(1/2)/M dW",
    observable="density P(theta, r, t)",
    notes=["Checked in one dimension (the n-D case is the same term by term with D a matrix)."],
    checks=[SymbolicEquality("(8) is the Ito forward equation of (7)", fp8_printed, fp7_forward)],
    uses=["adai.eq7"])

beta_inv_temp = gamma * M / D
Peq = sp.exp(-beta_inv_temp * (H * theta ** 2 / 2 + M * r ** 2 / 2))
Peq_general = sp.exp(-beta_inv_temp * (Lf + M * r ** 2 / 2))
fp8_of = lambda dens, Lx: (-sp.diff(r * dens, theta) + sp.diff((gamma * r + sp.diff(Lx, theta) / M) * dens, r)
                           + sp.diff(D / M ** 2 * sp.diff(dens, r), r))
eq22 = Claim(
    id="adai.eq22", source=src("Eq. (22), App. A.2"),
    title="Canonical ensemble P_eq = exp(-beta (L + M r^2/2)) / Z with beta = gamma M / D is stationary for (8)",
    statement=sp.Eq(sp.Symbol("P_{eq}"), Peq_general / sp.Symbol("Z")),
    regime=Regime((P_M, P_gamma, P_D, Param(sp.Symbol("H", positive=True), 0.05, 2.0)), (),
                  "near a critical point; quadratic L for the numeric safety net"),
    symbols={**MSYMBOLS, "Z": "partition function"}, dynamics="Fokker-Planck (8)",
    observable="stationary density in phase space",
    checks=[SymbolicEquality("the right side of (8) vanishes at P_eq (any L)", fp8_of(Peq_general, Lf), sp.S.Zero,
                             divide_by=Peq_general, extra=[Param(theta, -3, 3), Param(r, -3, 3)])],
    uses=["adai.eq8"])

rho = sp.Symbol("rho", positive=True)   # beta M
eq25 = Claim(
    id="adai.eq25", source=src("Eq. (25) and Step I, App. A.2"),
    title="Equilibrium velocity density and r_eq^2 = D/(gamma M^2)",
    statement=sp.Eq(sp.Symbol("r_{eq}^{2}"), R_EQ2),
    regime=Regime((P_M, P_gamma, P_D), (), "velocity space at equilibrium, n = 1"),
    symbols=MSYMBOLS, dynamics="Fokker-Planck (8), velocity marginal", observable="E[r^2] at equilibrium",
    notes=["r_eq^2 is read as the mean squared velocity under (25)."],
    checks=[SymbolicEquality("(25) has total mass 1", sp.integrate(
                (2 * sp.pi) ** sp.Rational(-1, 2) * sp.sqrt(rho) * sp.exp(-rho * r ** 2 / 2), (r, -sp.oo, sp.oo)),
                sp.S.One),
            SymbolicEquality("E[r^2] under (25) with beta = gamma M/D is D/(gamma M^2)", sp.integrate(
                r ** 2 * (2 * sp.pi) ** sp.Rational(-1, 2) * sp.sqrt(rho) * sp.exp(-rho * r ** 2 / 2),
                (r, -sp.oo, sp.oo)).subs(rho, gamma * M / D * M), lambda c: c.formula),
            SymbolicEquality("the velocity Gaussian with this variance solves the velocity part of (8) "
                             "(free diffusion, no force)", fp8_of(sp.exp(-r ** 2 / (2 * R_EQ2)), sp.S.Zero),
                             sp.S.Zero, divide_by=sp.exp(-r ** 2 / (2 * R_EQ2)), extra=[Param(r, -3, 3)])],
    uses=["adai.eq22"])

c0 = sp.Symbol("c_i", real=True)
r_eq = sp.sqrt(R_EQ2)
c_t = c0 + r_eq / gamma * (1 - sp.exp(-gamma * t))
eq27 = Claim(
    id="adai.eq27", source=src("Eqs. (26)-(27), App. A.2"), title="Momentum drift c(t) solving M c'' = -gamma M c'",
    statement=sp.Eq(sp.Function("c_i")(t), c_t),
    regime=Regime((P_M, P_gamma, P_D, P_tlong, Param(c0, -1, 1)), (), "Step II (a) of the proof of Theorem 2"),
    symbols=MSYMBOLS, dynamics="ODE (26) with c(0) = c, c'(0) = r_eq", observable="c_i(t)",
    notes=["Verified as the solution of (26) with the stated initial conditions. In the model (7) itself the "
           "velocity has mean 0, so E[theta(t)] = c for all t; the 'drift' is a device of the proof, which "
           "adai.thm2 and adai.eq30 check through the mean squared displacement."],
    checks=[SymbolicEquality("solves (26)", M * sp.diff(c_t, t, 2), -gamma * M * sp.diff(c_t, t)),
            SymbolicEquality("c(0) = c, c'(0) = r_eq, c''(0) = -gamma r_eq",
                             sp.Matrix([c_t.subs(t, 0), sp.diff(c_t, t).subs(t, 0), sp.diff(c_t, t, 2).subs(t, 0)]),
                             sp.Matrix([c0, r_eq, -gamma * r_eq]))],
    uses=["adai.eq25"])

sigma2_29 = D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M)))
eq29 = Claim(
    id="adai.eq29", source=src("Eqs. (28)-(29), App. A.2"), title="Diffusion part: overdamped variance of (28)",
    statement=sp.Eq(sp.Function(r"\sigma_{i}^{2}")(t), sigma2_29), regime=SDE7_REGIME, symbols=MSYMBOLS,
    dynamics="SDE (28): gamma M d theta = -H theta dt + (2D)^(1/2) dW", observable="Var theta(t)",
    checks=[SymbolicEquality("solves d sigma^2/dt = -2H sigma^2/(gamma M) + 2D/(gamma M)^2",
                             sp.diff(sigma2_29, t), -2 * H / (gamma * M) * sigma2_29 + 2 * D / (gamma * M) ** 2),
            SymbolicEquality("sigma^2(0) = 0", sigma2_29.subs(t, 0), sp.S.Zero)],
    uses=["adai.thm1"])


# --- Theorem 2 --------------------------------------------------------------------------------------------
def thm2_exact_checks(expr_label: str) -> list:
    return [SymbolicEquality(f"{expr_label} equals the exact MSD of SDE (7), r(0) ~ N(0, r_eq^2) (Step I)",
                             lambda c: c.formula, exact_eq_start, try_simplify=False),
            SymbolicEquality(f"{expr_label} equals the exact MSD of SDE (7), r(0) = 0 (m_0 = 0)",
                             lambda c: c.formula, exact_rest_start, try_simplify=False)]


G_t = impulse_response()
thm2_corrected = Claim(
    id="adai.thm2.corrected", source=src("Theorem 2, corrected"),
    title="Exact MSD of the Momentum SDE (7) near a critical point, velocity at equilibrium",
    statement=sp.Eq(MSD(t), exact_eq_start), regime=SDE7_REGIME, symbols=MSYMBOLS,
    dynamics="SDE (7) on L = H theta^2/2, theta(0) = c, r(0) ~ N(0, D/(gamma M^2)) (the proof's Step I)",
    observable="<Delta theta_i^2(t)>",
    notes=["Derived: theta(t) = r(0) G(t) + (2D)^(1/2)/M int_0^t G(t-u) dW(u), with G the impulse response "
           "of theta'' + gamma theta' + (H/M) theta = 0; so MSD = r_eq^2 G(t)^2 + (2D/M^2) int_0^t G^2.",
           "For H -> 0 it is 2D/(gamma^2 M^2) [t - (1 - exp(-gamma t))/gamma]: the velocity memory lowers the "
           "MSD below the overdamped 2Dt/(gamma M)^2 by 2D/(gamma^3 M^2) at long times, where (9) adds "
           "D/(gamma^3 M^2). From rest (r(0) = 0) the deficit is 3D/(gamma^3 M^2)."],
    checks=[SymbolicEquality("G solves G'' + gamma G' + (H/M) G = 0",
                             sp.diff(G_t, t, 2) + gamma * sp.diff(G_t, t) + H / M * G_t, sp.S.Zero),
            SymbolicEquality("G(0) = 0 and G'(0) = 1", sp.Matrix([G_t.subs(t, 0), sp.diff(G_t, t).subs(t, 0)]),
                             sp.Matrix([0, 1])),
            SymbolicEquality("d/dt of the noise part is (2D/M^2) G(t)^2, and it is 0 at t = 0",
                             sp.Matrix([sp.diff(exact_rest_start, t), exact_rest_start.subs(t, 0)]),
                             sp.Matrix([2 * D / M ** 2 * G_t ** 2, 0]), try_simplify=False),
            MonteCarloMean("SDE (7) on a 3-D saddle, r(0) at equilibrium, coupled Euler-Maruyama + Richardson",
                           sde7_simulate("eq"), sde7_predict, n_points=2, n_paths=20_000)],
    uses=["adai.eq7", "adai.eq25"])

thm2 = Claim(
    id="adai.thm2", source=src("Theorem 2, Eq. (9)"), title="Momentum escapes saddle points: MSD = drift + diffusion",
    statement=sp.Eq(MSD(t), thm2_rhs), regime=SDE7_REGIME, symbols=MSYMBOLS,
    dynamics="SDE (7) on L = H theta^2/2 along an eigenvector, theta(0) = c",
    observable="<Delta theta_i^2(t)>",
    notes=["The theorem fixes theta(0) = c but not r(0); both readings are checked: the proof's equilibrium "
           "velocity (Step I) and rest (Momentum starts with m_0 = 0).",
           "Regime: 4|H|/(gamma^2 M) <= 1/2 and |H| t/(gamma M) <= 1, where the proof drops the force -H theta "
           "from the drift."],
    checks=thm2_exact_checks("(9)") + [
        MonteCarloMean("SDE (7) on a 3-D saddle, r(0) at equilibrium, coupled Euler-Maruyama + Richardson",
                       sde7_simulate("eq"), sde7_predict, n_points=2, n_paths=20_000)],
    corrected=thm2_corrected, uses=["adai.eq27", "adai.eq29", "adai.eq30"])

eq30 = Claim(
    id="adai.eq30", source=src("Eq. (30), App. A.2"), title="MSD = (c(t) - c)^2 + sigma^2(t)",
    statement=sp.Eq(MSD(t), thm2_rhs), regime=SDE7_REGIME, symbols=MSYMBOLS,
    dynamics="SDE (7) on L = H theta^2/2, theta(0) = c", observable="<Delta theta_i^2(t)>",
    notes=["The algebra from (27) and (29) is right; the step that fails is treating the equilibrium velocity "
           "as a deterministic drift on top of the overdamped diffusion (28): the velocity's memory is already "
           "part of the motion and it lowers the MSD."],
    checks=[SymbolicEquality("(c(t) - c)^2 from (27) plus sigma^2 from (29) gives (30)",
                             (c_t - c0) ** 2 + sigma2_29, lambda c: c.formula)] + thm2_exact_checks("(30)"),
    corrected=None, uses=["adai.eq27", "adai.eq29"])


# --- Theorem 2 in Momentum notation, (31) and (32) -------------------------------------------------------
def printed_momentum(b3: sp.Expr) -> sp.Expr:
    return (sp.Abs(H) * b3 ** 2 * eta ** 2 / (2 * (1 - beta1) ** 3 * B) * (1 - sp.exp(-(1 - beta1) * T)) ** 2
            + sp.Abs(H) * b3 ** 2 * eta ** 2 * T / (B * (1 - beta1) ** 2))


def corrected_momentum(b3: sp.Expr) -> sp.Expr:
    return sp.Abs(H) * b3 ** 2 * eta ** 2 / (B * (1 - beta1) ** 2) * momentum_sum(beta1, T)


REMAINDER = BigO(H ** 2 * eta ** 3 * T ** 2 / B)


def discrete_checks(style, label: str) -> list:
    return [MonteCarloOrder(f"discrete Momentum (4), {label}: relative error shrinks like eta (|H| eta T -> 0)",
                            heavy_ball_simulate(style, dims=1), small=eta, order=1.0, rungs=5,
                            exact=heavy_ball_exact(style), start=ladder_start(style), n_points=2, n_paths=100_000)]


def corrected_momentum_claim(style, b3, cid, where, title) -> Claim:
    regime = MOM_REGIME if style is None else STYLE_REGIME
    return Claim(
        id=cid, source=src(where), title=title,
        statement=sp.Eq(MSD(T), corrected_momentum(b3) + REMAINDER), regime=regime, symbols=MSYMBOLS,
        dynamics="Momentum (4) with gradient noise N(0, [H]^+/B), theta_1 = c, m_0 = 0",
        observable="<Delta theta_i^2> after T iterations",
        notes=["Derived: with the force H theta dropped, theta_(T+1) - theta_1 = -eta beta3 sum_k xi_k "
               "(1 - beta1^(T-k+1))/(1 - beta1), so the variance is |H| beta3^2 eta^2 / (B (1-beta1)^2) "
               "sum over j = 1..T of (1 - beta1^j)^2; the force adds the O term."],
        checks=induction_checks(corrected_momentum(b3), sp.Abs(H) * b3 ** 2 * eta ** 2 / (B * (1 - beta1) ** 2))
        + discrete_checks(style, "from rest"),
        uses=["adai.eq3"])


def printed_momentum_claim(style, b3, cid, where, title, corrected, uses, derivation) -> Claim:
    regime = MOM_REGIME if style is None else STYLE_REGIME
    checks = list(derivation) + discrete_checks(style, "from rest")
    checks.append(MonteCarloMean(f"discrete Momentum (4) on a 3-D rotated saddle (H, -0.6H, 1.3|H|)",
                                 heavy_ball_simulate(style, dims=3), momentum_predict(style), n_points=2,
                                 n_paths=20_000))
    return Claim(
        id=cid, source=src(where), title=title,
        statement=sp.Eq(MSD(T), printed_momentum(b3) + REMAINDER), regime=regime, symbols=MSYMBOLS,
        dynamics="Momentum (4) with gradient noise N(0, [H]^+/B), theta_1 = c, m_0 = 0",
        observable="<Delta theta_i^2> after T iterations",
        notes=["The O term is read with eta -> 0 (B, H, T, beta fixed), so relative to the leading term it is "
               "O(|H| eta T); the Monte Carlo ladder starts where |H| eta T beta3/(1-beta1) = 0.3.",
               "The recursion's own small parameter is |H| eta T beta3/(1-beta1): for SGD-style Momentum "
               "(beta3 = 1) the printed condition |H| eta T << 1 is not enough, and the force H theta the proof "
               "drops can dominate inside it (see the plot table of adai.eq32)."],
        checks=checks, corrected=corrected, uses=uses)


thm2_momentum = printed_momentum_claim(
    None, beta3, "adai.thm2.momentum", "Theorem 2 (Momentum notation)",
    "Theorem 2 in Momentum notation (beta3 general)",
    corrected_momentum_claim(None, beta3, "adai.thm2.momentum.corrected", "Theorem 2 (Momentum notation), corrected",
                             "Momentum from rest near a saddle: the exact H-free variance"),
    ["adai.thm2", "adai.eq6", "adai.eq3"],
    [AsymptoticOrder("(9) with the Momentum mapping = printed form + O(bound) as eta -> 0",
                     thm2_rhs.subs(MOMENTUM_MAP, simultaneous=True), lambda c: c.formula, lambda c: c.remainder_bound,
                     eta)])
eq31 = printed_momentum_claim(
    "adam", 1 - beta1, "adai.eq31", "Eq. (31), App. A.2", "Theorem 2 for Adam-style Momentum (beta3 = 1 - beta1)",
    corrected_momentum_claim("adam", 1 - beta1, "adai.eq31.corrected", "Eq. (31), corrected",
                             "Adam-style Momentum from rest near a saddle: the exact H-free variance"),
    ["adai.thm2.momentum"],
    [SymbolicEquality("the Momentum-notation form with beta3 = 1 - beta1", printed_momentum(beta3).subs(beta3, 1 - beta1),
                      lambda c: c.formula)])
eq32 = printed_momentum_claim(
    "sgd", sp.S.One, "adai.eq32", "Eq. (32), App. A.2", "Theorem 2 for SGD-style Momentum (beta3 = 1)",
    corrected_momentum_claim("sgd", sp.S.One, "adai.eq32.corrected", "Eq. (32), corrected",
                             "SGD-style Momentum from rest near a saddle: the exact H-free variance"),
    ["adai.thm2.momentum"],
    [SymbolicEquality("the Momentum-notation form with beta3 = 1", printed_momentum(beta3).subs(beta3, 1),
                      lambda c: c.formula)])

# --- Eq. (10) and Proposition 3 (Adai) --------------------------------------------------------------------
eq10_rhs = sp.Abs(H) * eta ** 2 / (2 * (1 - beta1) * B)


def eq10_exact_excess(point, bias_correction=False):
    b = point["beta_1"]
    T_long = int(60 / (1 - b))
    c = abs(point["H"]) / point["B"]
    var = heavy_ball_exact_variance(0.0, c, T_long, point["eta"], b, 1 - b, bias_correction=bias_correction)
    return var - c * point["eta"] ** 2 * T_long

eq10 = Claim(
    id="adai.eq10", source=src("Eq. (10)"), title="Total momentum drift while passing a saddle point",
    statement=sp.Eq(DRIFT, eq10_rhs),
    regime=Regime((P_H, P_eta, P_B, P_beta1), (NONZERO_H, BETA1_BELOW_1), "Adam-style Momentum near a saddle"),
    symbols=MSYMBOLS, dynamics="Momentum (4), beta3 = 1 - beta1, m_0 = 0",
    observable="lim(T->oo) (MSD(T) - |H| eta^2 T / B): what momentum adds to the diffusion",
    notes=["The paper defines the total drift as the T -> oo limit of the first term of (31); as an observable "
           "it is what momentum adds to the MSD beyond the diffusion term |H| eta^2 T/B. The exact recursion "
           "(force dropped, as in the proof) gives the limit |H| eta^2/B (-2 beta1/(1-beta1) + "
           "beta1^2/(1-beta1^2)) < 0."],
    checks=[SymbolicEquality("the T -> oo limit of the first term of (31) (beta1 < 1, so exp(-(1-beta1)T) -> 0)",
                             (printed_momentum(1 - beta1) - sp.Abs(H) * eta ** 2 * T / B).subs(
                                 sp.exp(-(1 - beta1) * T), 0), lambda c: c.formula),
            SymbolicEquality("lim(T->oo) (exact MSD(T) - |H| eta^2 T/B) of Adam-style Momentum from rest "
                             "(beta1^T -> 0)", sp.expand(corrected_momentum(1 - beta1) - sp.Abs(H) * eta ** 2 * T / B)
                             .subs({beta1 ** T: 0, beta1 ** (2 * T): 0}), lambda c: c.formula, try_simplify=False),
            ExactComparison("the exact recursion (force dropped) iterated to T = 60/(1-beta1): MSD(T) - |H| eta^2 T/B",
                            eq10_exact_excess, lambda point, f: f(**point))],
    uses=["adai.eq31"])

PROP3_REGIME = Regime((Param(vbar, 1e-3, 1.0, log=True), P_eta, Param(beta0, 0.05, 0.2, doc="Adai beta0"), P_B,
                       P_H), (NONZERO_H,), "Adai near a saddle point, v-hat_i = E g_i^2 = |H_i|/B")
prop3_rhs = vbar * eta ** 2 / beta0
vhat_i = sp.Abs(H) / B
ADAI_RATIOS = np.array([abs(f(1.0)) for f in EIG_FACTORS]) / np.mean([abs(f(1.0)) for f in EIG_FACTORS])


def ideal_adai_excess(point):
    """Adai with its ideal inertia beta1_i = 1 - beta0 v-hat_i / vbar held fixed, bias correction as in
    Algorithm 2, force dropped (as the proof does): lim (MSD_i(T) - |H_i| eta^2 T/B) along the three
    directions of the saddle (H, -0.6H, 1.3|H|), with vbar = mean |H_i|/B."""
    c = np.abs(eigs_of(point)) / point["B"]
    b1 = 1 - point["beta_0"] * ADAI_RATIOS
    T_long = int(60 / (1 - b1.max()))
    var = heavy_ball_exact_variance(0.0, c, T_long, point["eta"], b1, 1 - b1, bias_correction=True)
    return var - c * point["eta"] ** 2 * T_long


def prop3_predict(point, f):
    v_bar = float(np.mean(np.abs(eigs_of(point)) / point["B"]))
    return np.full(3, float(f(**{**point, r"\bar{v}": v_bar})))


prop3 = Claim(
    id="adai.prop3", source=src("Proposition 3"),
    title="Adai's total momentum drift: vbar eta^2 / beta0 = sum |H_i| eta^2 / (beta0 n B)",
    statement=sp.Eq(DRIFT, prop3_rhs), regime=PROP3_REGIME, symbols=MSYMBOLS,
    dynamics="Adai (Algorithm 2) near a saddle with its ideal inertia, gradient noise N(0, [H]^+/B)",
    observable="the drift part of the MSD: lim(T->oo) (MSD_i(T) - |H_i| eta^2 T / B)",
    notes=["Derivation from (10): Adai's ideal beta1_i = 1 - beta0 v-hat_i / vbar, and v-hat_i = |H_i|/B near "
           "the critical point, so (10) gives |H_i| eta^2 vbar / (2 beta0 v-hat_i B) = vbar eta^2 / (2 beta0), "
           "half the printed value. The second equality, vbar = sum |H_i| / (n B), holds.",
           "The exact model keeps Adai's bias correction m / (1 - prod beta1), which (4) and (10) leave out; with "
           "it the drift is positive but not isotropic: it depends on beta1_i (about 1.2 to 1.6 times "
           "vbar eta^2/beta0 for beta1_i from 0.87 to 0.99). Without it the drift is negative (adai.eq10).",
           "No corrected closed form is given: the exact drift is a sum without a short form; the plot table "
           "shows Algorithm 2 itself."],
    checks=[SymbolicEquality("(10) with 1 - beta1_i = beta0 v-hat_i / vbar and v-hat_i = |H_i|/B",
                             eq10_rhs.subs(beta1, 1 - beta0 * vhat_i / vbar), lambda c: c.formula),
            SymbolicEquality("vbar = mean of v-hat_i = sum |H_i| / (n B) (n = 3)",
                             sum(sp.Abs(x) / B for x in (h1, h2, H)) / 3,
                             (sp.Abs(h1) + sp.Abs(h2) + sp.Abs(H)) / (3 * B),
                             extra=[Param(h1, -2, 2), Param(h2, -2, 2)]),
            ExactComparison("ideal Adai (fixed beta1_i, bias-corrected) on the saddle (H, -0.6H, 1.3|H|): exact "
                            "drift along each direction", ideal_adai_excess, prop3_predict)],
    uses=["adai.eq10"])

# --- Proposition 1 (Adam) and App. H -------------------------------------------------------------------
prop1_rhs = D / (gamma ** 2 * M) * (1 - sp.exp(-gamma * t)) ** 2 \
    + D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M)))
ADAM_SDE_REGIME = Regime((P_H, P_D, P_M, P_gamma, P_tlong),
                         (NONZERO_H, Condition(4 * sp.Abs(H) / gamma <= sp.Rational(1, 2),
                                               "4|H_i|/(gamma^2 M) << 1 with gamma M = 1 (encoded as <= 1/2)"),
                          Condition(sp.Abs(H) * t <= 1, "|H_i| t-hat/(gamma M) small (encoded as <= 1)")),
                         "SDE (7) with Adam's M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat (gamma M = 1), "
                         "in adaptive time t-hat")
ADAM_M = {M: 1 / gamma}
prop1 = Claim(
    id="adai.prop1", source=src("Proposition 1"), title="Adam escapes saddle points: MSD in adaptive time t-hat",
    statement=sp.Eq(MSD(t), prop1_rhs), regime=ADAM_SDE_REGIME, symbols=MSYMBOLS,
    dynamics="SDE (7) with M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat (App. H), theta(0) = c",
    observable="<Delta theta_i^2(t-hat)>",
    notes=["t stands for the adaptive time t-hat. The first term reads D/(gamma^2 M) where (9) has "
           "D/(gamma^3 M^2); with Adam's gamma M = 1 they agree, which the first check confirms.",
           "Checks set M = 1/gamma, as Adam's mass and damping imply."],
    checks=[SymbolicEquality("equals (9) when gamma M = 1", prop1_rhs.subs(ADAM_M), thm2_rhs.subs(ADAM_M)),
            SymbolicEquality("equals the exact MSD of (7) with gamma M = 1, r(0) at equilibrium",
                             prop1_rhs.subs(ADAM_M), exact_eq_start.subs(ADAM_M), try_simplify=False),
            SymbolicEquality("equals the exact MSD of (7) with gamma M = 1, r(0) = 0",
                             prop1_rhs.subs(ADAM_M), exact_rest_start.subs(ADAM_M), try_simplify=False)],
    uses=["adai.thm2", "adai.eq123"])

prop1_adam_rhs = eta ** 2 / (2 * (1 - beta1)) * (1 - sp.exp(-(1 - beta1) * T)) ** 2 + eta ** 2 * T
ADAM_REGIME = Regime((P_H, P_eta, P_B, P_beta1, P_Tmom),
                     (NONZERO_H, BETA1_BELOW_1, MOM_SMALL),
                     "idealized Adam (121) near a saddle, eta-hat = eta C^(-1/2), C = [H]^+/B, m_0 = 0")


def adam_predict(point, f):
    kw = {"eta": point["eta"], "B": point["B"], "beta_1": point["beta_1"], "T": point["T"]}
    return np.array([f(H=h, **kw) for h in eigs_of(point)] + [0.0, 0.0, 0.0])


def adam_order(label):
    return MonteCarloOrder(f"idealized Adam (121) along one eigenvector: {label}", idealized_adam_simulate(dims=1),
                           small=eta, order=1.0, rungs=5, exact=idealized_adam_exact, start=adam_ladder_start,
                           n_points=2, n_paths=100_000)


prop1_adam_corrected = Claim(
    id="adai.prop1.adam.corrected", source=src("Proposition 1 (Adam notation), corrected"),
    title="Idealized Adam from rest near a saddle: the exact H-free variance",
    statement=sp.Eq(MSD(T), eta ** 2 * momentum_sum(beta1, T) + BigO(sp.sqrt(B * sp.Abs(H)) * eta ** 3 * T ** 2)),
    regime=ADAM_REGIME, symbols=MSYMBOLS, dynamics="idealized Adam (121): m EMA, theta -= eta C^(-1/2) m, m_0 = 0",
    observable="<Delta theta_i^2> after T iterations",
    notes=["Derived as for Momentum with beta3 = 1 - beta1 and eta-hat^2 C = eta^2: "
           "eta^2 sum over j = 1..T of (1 - beta1^j)^2."],
    checks=induction_checks(eta ** 2 * momentum_sum(beta1, T), eta ** 2) + [adam_order("relative error ~ eta")])

prop1_adam = Claim(
    id="adai.prop1.adam", source=src("Proposition 1 (Adam notation)"),
    title="Adam's MSD in Adam notation: Hessian-independent drift + eta^2 T",
    statement=sp.Eq(MSD(T), prop1_adam_rhs + BigO(sp.sqrt(B * sp.Abs(H)) * eta ** 3 * T ** 2)),
    regime=ADAM_REGIME, symbols=MSYMBOLS,
    dynamics="idealized Adam (121) with eta-hat = eta C^(-1/2), gradient noise N(0, [H]^+/B), m_0 = 0",
    observable="<Delta theta_i^2> after T iterations",
    notes=["The printed O(sqrt(|B| H_i) eta^3 T^2) is read as O(sqrt(B |H_i|) eta^3 T^2).",
           "The simulated Adam is the paper's idealized one (full-matrix C^(-1/2), rule (121) without bias "
           "correction); Algorithm 1 itself is in the plot table."],
    checks=[AsymptoticOrder("Proposition 1 with eta-hat = eta C^(-1/2), D = eta-hat C/2, t-hat = eta-hat T "
                            "= printed form + O(bound) as eta -> 0",
                            prop1_rhs.subs(ADAM_MAP, simultaneous=True), lambda c: c.formula,
                            lambda c: c.remainder_bound, eta),
            adam_order("relative error ~ eta"),
            MonteCarloMean("idealized Adam (121) on a 3-D rotated saddle (H, -0.6H, 1.3|H|)",
                           idealized_adam_simulate(dims=3), adam_predict, n_points=2, n_paths=20_000)],
    corrected=prop1_adam_corrected, uses=["adai.prop1", "adai.eq121"])

eq121 = Claim(
    id="adai.eq121", source=src("Eq. (121), App. H"),
    title="Adam's update as Momentum with eta-hat: m_t = beta1 m_(t-1) + (1-beta1) g_t, theta -= eta-hat m_t",
    statement=sp.Eq(sp.Symbol(r"\theta_{t+1} - \theta_t"), -eta_hat * (beta1 * m_prev + (1 - beta1) * g)),
    regime=Regime((P_beta1, Param(eta_hat, 1e-3, 1, log=True), Param(g, -3, 3), Param(m_prev, -3, 3),
                   Param(T, 1, 200, log=True)), (BETA1_BELOW_1,), "one step of Algorithm 1 at step t = T"),
    symbols={**MSYMBOLS, "g": "stochastic gradient", "m_{t-1}": "first-moment buffer"},
    dynamics="Algorithm 1", observable="the parameter update at step t",
    notes=["Algorithm 1 divides m_t by 1 - beta1^t (bias correction), which (121) omits; with eta-hat = "
           "eta / sqrt(v-hat + eps) the two agree up to that factor, which tends to 1 as t grows. The checks "
           "confirm the factor and its limit."],
    checks=[SymbolicEquality("Algorithm 1's update = (121)'s update / (1 - beta1^t)",
                             -eta_hat * (beta1 * m_prev + (1 - beta1) * g) / (1 - beta1 ** T),
                             lambda c: c.formula / (1 - beta1 ** T)),
            SymbolicEquality("the bias-correction factor tends to 1", sp.limit(1 / (1 - sp.Rational(9, 10) ** T), T,
                                                                             sp.oo), sp.S.One)])

eq122_corrected = eq5_claim(-g, "adai.eq122.corrected", "Eq. (122), corrected",
                            notes=["With eta-hat for eta and beta3 = 1 - beta1: the force is F = -g_t."])
eq122 = eq5_claim(g, "adai.eq122", "Eq. (122), App. H", corrected=eq122_corrected,
                  notes=["The same identification as (5) with dt = eta-hat and dt/M = beta3 = 1 - beta1; "
                         "checked with eta standing for eta-hat and beta3 free (it covers beta3 = 1 - beta1)."])

eq123 = Claim(
    id="adai.eq123", source=src("Eq. (123), App. H"),
    title="Adam's mass and damping: M = eta-hat/(1-beta1), gamma = (1-beta1)/eta-hat",
    statement=sp.Eq(sp.Matrix([M, gamma]), sp.Matrix([eta_hat / (1 - beta1), (1 - beta1) / eta_hat])),
    regime=Regime((Param(beta1, 0.05, 0.99), Param(eta_hat, 1e-3, 1.0, log=True)), (BETA1_BELOW_1,), "Adam (121)"),
    symbols=MSYMBOLS, dynamics="Adam (121) as the motion equation (122)/(123)", observable="M and gamma",
    checks=[SymbolicEquality("solve dt = eta-hat, 1 - gamma dt = beta1, dt/M = 1 - beta1",
                             sp.Matrix([sp.solve([dt - eta_hat, 1 - gamma * dt - beta1, dt / M - (1 - beta1)],
                                                 [dt, gamma, M], dict=True)[0][s] for s in (M, gamma)]),
                             sp.Matrix([eta_hat / (1 - beta1), (1 - beta1) / eta_hat])),
            SymbolicEquality("gamma M = 1 (used by Proposition 1)", sp.S.One, (eta_hat / (1 - beta1)) * ((1 - beta1) / eta_hat))])

CLAIMS = [eq3, eq5, eq6, eq7, eq8, eq22, eq25, eq27, eq29, eq30, thm2, thm2_momentum, eq31, eq32, eq10, prop3,
          prop1, prop1_adam, eq121, eq122, eq123]
