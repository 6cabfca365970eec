"""`adai`, Secs. 2.2, 4-6 and Apps. C, F: statements in the text around the theorems -- Sec. 2.2's remark after
Theorem 1, Sec. 4's motivation for adaptive learning rates and its Adam-vs-RMSprop remark, Sec. 5's drift comparison
of Adai and Adam -- and the deep-network experiments of Sec. 6 and Apps. C, F (not checkable here; each says why and
names the claims that check its mechanism on a small model).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import AsymptoticOrder, BoundCheck, ExactComparison, MonteCarloDensity, NotCheckable, SymbolicEquality
from checks.base import stretched_density
from checks.dynamics.momentum import heavy_ball_exact_variance
from theory import BigO, Claim, Condition, Param, Regime, Sampling, claim

from .sgd import (
    SGD_EXACT_VARIANCE,
    SIGMA2_EQ21,
    SIGMA2_THM1,
    B,
    D,
    H,
    T,
    eta,
    gaussian_density,
    sde_projection,
    t,
    theta,
)

sigma2 = sp.Function(r"\sigma_{i}^{2}")

# --- Sec. 2.2, remark 2 after Theorem 1
Hn = sp.Symbol("H", negative=True)
REMARK2_REGIME = Regime(
    (Param(Hn, -2.0, -0.05, doc="Hessian eigenvalue H_i < 0"), Param(D, 0.01, 1.0, log=True), Param(t, 0.05, 2.0)),
    (Sampling(-Hn * t <= 2, "|H_i| t <= 2: moderate growth"),),
    "SDE (1) near a saddle along a direction with H_i < 0, theta(0) = c",
)


def growth_rate(c):
    return sp.limit(sp.diff(sp.log(c.formula), t), t, sp.oo)


@claim(
    "adai.thm1.remark2",
    "Sec. 2.2, remark after Theorem 1",
    "If H_i < 0, the distribution is Gaussian with the variance exponentially increasing with time",
    uses=["adai.thm1"],
)
def thm1_remark2():
    return Claim(
        statement=sp.Eq(sigma2(t), D / sp.Abs(Hn) * (sp.exp(2 * sp.Abs(Hn) * t) - 1)),
        regime=REMARK2_REGIME,
        dynamics="SDE (1) with L = H_i theta^2 / 2, D constant",
        observable="density of theta_i(t) - c_i",
        quantified="'Gaussian with the variance exponentially increasing' read as: N(0, sigma_i^2(t)) with "
        "sigma_i^2(t) = D_i/|H_i| (e^{2|H_i| t} - 1), whose growth rate d log sigma^2 / dt tends to "
        "2|H_i|",
        checks=[
            SymbolicEquality("Theorem 1's variance at H_i < 0", lambda c: c.formula, SIGMA2_THM1.subs(H, Hn)),
            SymbolicEquality("growth rate of the variance as t -> oo", growth_rate, 2 * sp.Abs(Hn)),
            MonteCarloDensity(
                "N(0, statement) against samples of SDE (1) (Euler-Maruyama, Richardson)",
                sde_projection,
                x=theta,
                formula=lambda c: gaussian_density(theta, c.formula),
                n_points=2,
                n_paths=10_000,
                perturbations=(stretched_density(theta, 1.5**0.5), stretched_density(theta, 0.5**0.5)),
            ),
        ],
    )


h = sp.Symbol("|H_i|", positive=True)
SLOW_REGIME = Regime(
    (
        Param(h, 1e-3, 0.05, log=True),
        Param(eta, 1e-3, 0.1, log=True),
        Param(B, 1, 512, log=True),
        Param(T, 10, 1000, log=True),
    ),
    (Condition(h * eta * T <= sp.Rational(3, 10), "|H_i| eta T << 1 (encoded as <= 0.3)"),),
    "SGD near a saddle, escape direction H_i = -|H_i| close to 0, D = eta [H]^+ / (2B)",
)


@claim(
    "adai.thm1.remark2.slow",
    "Sec. 2.2, after Theorem 1",
    "SGD escapes saddle points very slowly: <Delta theta_i^2> = O(|H_i|) if H_i is close to zero",
    uses=["adai.eq21"],
)
def thm1_remark2_slow():
    return Claim(
        statement=sp.Eq(sigma2(T), BigO(h)),
        regime=SLOW_REGIME,
        dynamics="SGD and SDE (1) with D = eta [H]^+ / (2B), theta(0) = c",
        observable="<Delta theta_i^2> after T iterations",
        quantified="'escapes saddle points very slowly' read as the printed order: the mean squared displacement "
        "after T iterations is O(|H_i|) as |H_i| -> 0 (eta, B, T fixed), so it vanishes with the curvature",
        notes=["The order is in |H_i| -> 0 with eta, B, T fixed."],
        checks=[
            AsymptoticOrder(
                "Eq. (21) at H_i = -|H_i|", SIGMA2_EQ21.subs(H, -h), lambda c: c.formula, lambda c: c.remainder_bound, h
            ),
            AsymptoticOrder(
                "exact variance of discrete SGD at H_i = -|H_i|",
                SGD_EXACT_VARIANCE.subs(H, -h),
                lambda c: c.formula,
                lambda c: c.remainder_bound,
                h,
                kind="exact",
                use_limit=False,
            ),
        ],
    )


# --- Sec. 4: a motivation behind adaptive learning rates
kappa = sp.Symbol("kappa", positive=True)
LR_REGIME = Regime(
    (Param(H, -2.0, 2.0), Param(kappa, 1e-3, 0.05, log=True), Param(B, 1, 512, log=True), Param(T, 10, 200, log=True)),
    (
        Sampling(sp.Abs(H) >= sp.Rational(1, 20), "|H_i| >= 0.05"),
        Condition(
            kappa * sp.sqrt(sp.Abs(H)) * T <= sp.Rational(3, 10),
            "|H_i| eta_i T << 1 with eta_i = kappa |H_i|^(-1/2) (encoded as <= 0.3)",
        ),
    ),
    "SGD near a saddle with a learning rate eta_i = kappa |H_i|^(-1/2) per eigendirection",
)
PER_DIRECTION = {eta: kappa / sp.sqrt(sp.Abs(H))}


@claim(
    "adai.sec4.lr-motivation",
    "Sec. 4, 'A motivation behind Adaptive Learning Rate'",
    "Adjusting learning rates as eta_i proportional to |H_i|^(-1/2) helps escape saddle points",
    uses=["adai.thm1.sgd"],
)
def sec4_lr_motivation():
    return Claim(
        statement=sp.Eq(sigma2(T), kappa**2 * T / B + BigO(kappa**3 * sp.sqrt(sp.Abs(H)) * T**2 / B)),
        regime=LR_REGIME,
        dynamics="SGD with eta_i = kappa |H_i|^(-1/2), noise N(0, [H]^+/B)",
        observable="<Delta theta_i^2> along eigendirection i after T iterations",
        quantified="'helps escape saddle points' read on Theorem 1 (SGD notation): with eta_i = kappa "
        "|H_i|^(-1/2) the mean squared displacement is kappa^2 T / B along every direction, "
        "flat ones included, where fixed eta gives |H_i| eta^2 T / B = O(|H_i|)",
        checks=[
            AsymptoticOrder(
                "Eq. (21) with eta_i = kappa |H_i|^(-1/2), kappa -> 0",
                SIGMA2_EQ21.subs(PER_DIRECTION),
                lambda c: c.formula,
                lambda c: c.remainder_bound,
                kappa,
            ),
            AsymptoticOrder(
                "exact variance of discrete SGD with eta_i = kappa |H_i|^(-1/2)",
                SGD_EXACT_VARIANCE.subs(PER_DIRECTION),
                lambda c: c.formula,
                lambda c: c.remainder_bound,
                kappa,
                kind="exact",
                use_limit=False,
            ),
        ],
    )


# --- Sec. 4: Adam over RMSprop
beta1 = sp.Symbol("beta_1", positive=True)
MSD_ADAM = sp.Symbol(r"\langle \Delta\theta_i^2 \rangle_{\mathrm{Adam}}", nonnegative=True)
A_RMS = 1 - eta * sp.sign(H) * sp.sqrt(B * sp.Abs(H))
MSD_RMSPROP = eta**2 * (1 - A_RMS ** (2 * T)) / (1 - A_RMS**2)  # idealized RMSprop (Adam, beta_1 = 0), exact
RMS_REGIME = Regime(
    (
        Param(H, -2.0, 2.0),
        Param(eta, 1e-3, 0.1, log=True),
        Param(B, 1, 512, log=True),
        Param(beta1, 0.5, 0.99),
        Param(T, 2, 300, log=True),
    ),
    (
        Sampling(sp.Abs(H) >= sp.Rational(1, 20), "|H_i| >= 0.05"),
        Condition(
            eta * sp.sqrt(B * sp.Abs(H)) * T <= sp.Rational(3, 10),
            "|H_i| eta-hat T << 1 with eta-hat = eta (|H_i|/B)^(-1/2) (encoded as <= 0.3)",
        ),
    ),
    "idealized Adam and RMSprop (preconditioner C^(-1/2), C = [H]^+/B) from the saddle, noise N(0, C)",
)
SYMS = {MSD_ADAM.name: "mean squared displacement of Adam after T steps", "beta_1": "Adam's beta_1"}


def adam_msd(start: str):
    if start not in ("rest", "equilibrium"):
        raise ValueError(f"start={start!r}")

    def exact(p) -> float:
        hh, c = p["H"], abs(p["H"]) / p["B"]
        lr = p["eta"] * math.sqrt(p["B"] / abs(p["H"]))
        b = p["beta_1"]
        if start == "rest":  # Algorithm 1: m_0 = 0, bias-corrected
            return float(heavy_ball_exact_variance(hh, c, int(p["T"]), lr, b, 1 - b, bias_correction=True))
        # Theorem 2's start: the momentum at its equilibrium (force dropped), App. H's rule (121)
        return float(heavy_ball_exact_variance(hh, c, int(p["T"]), lr, b, 1 - b, m0_var=(1 - b) * c / (1 + b)))

    return exact


def rms_claim(statement, start, notes=()):
    return Claim(
        statement=statement,
        regime=RMS_REGIME,
        symbols=SYMS,
        dynamics="idealized Adam vs RMSprop",
        observable="<Delta theta_i^2> after T steps",
        notes=list(notes),
        quantified="'one advantage of Adam over RMSprop comes from the additional momentum drift' read as: "
        "from the saddle, Adam's mean squared displacement exceeds RMSprop's (Adam with beta_1 = 0)",
        checks=[
            BoundCheck(
                f"worst case over the regime (exact moment recursions, from {start})",
                exact=adam_msd(start),
                maxiter=4,
                popsize=5,
                hypothesis_examples=10,
                polish=20,
                self_test="replay",
            )
        ],
    )


@claim(
    "adai.sec4.rmsprop",
    "Sec. 4 after Proposition 1; App. H",
    "One advantage of Adam over RMSprop comes from the additional momentum drift effect on saddle-point escaping",
    uses=["adai.prop1"],
)
def sec4_rmsprop():
    return rms_claim(
        sp.Gt(MSD_ADAM, MSD_RMSPROP),
        "rest",
        [
            "Two readings of Adam's start: adai.sec4.rmsprop.rest (Algorithm 1 as run, m_0 = 0) and "
            "adai.sec4.rmsprop.equilibrium (Theorem 2's: the momentum at its equilibrium).",
            "The printed statement carries the check of Algorithm 1 as run (adai.sec4.rmsprop.rest), so that a "
            "change of the printed formula is seen; its verdict is the readings'.",
        ],
    )


@claim(
    "adai.sec4.rmsprop.rest",
    "Sec. 4 after Proposition 1",
    "Adam's MSD exceeds RMSprop's, Algorithm 1 from m_0 = 0",
    reading_of="adai.sec4.rmsprop",
    reading="Algorithm 1 as run: m_0 = 0, bias-corrected m-hat",
)
def sec4_rmsprop_rest():
    return rms_claim(
        sp.Gt(MSD_ADAM, MSD_RMSPROP),
        "rest",
        [
            "The gain comes from the bias correction, which divides the first steps' m by 1 - beta_1^t (the first "
            "gradients count more than once); the same momentum without it is below RMSprop "
            "(adai.sec4.rmsprop.equilibrium "
            "and its corrected form)."
        ],
    )


@claim(
    "adai.sec4.rmsprop.equilibrium",
    "Sec. 4 after Proposition 1",
    "Adam's MSD exceeds RMSprop's, from Theorem 2's equilibrium momentum",
    reading_of="adai.sec4.rmsprop",
    reading="Theorem 2's start (the momentum drift's): m at its equilibrium, the update (121)",
    proof_reading=True,
)
def sec4_rmsprop_equilibrium():
    return rms_claim(sp.Gt(MSD_ADAM, MSD_RMSPROP), "equilibrium")


@claim(
    "adai.sec4.rmsprop.equilibrium.corrected",
    "Sec. 4, corrected",
    "From Theorem 2's equilibrium momentum, Adam's MSD is at most RMSprop's",
    corrects="adai.sec4.rmsprop.equilibrium",
)
def sec4_rmsprop_equilibrium_corrected():
    return rms_claim(
        sp.Le(MSD_ADAM, MSD_RMSPROP, evaluate=False),
        "equilibrium",
        [
            "An exponential moving average of white noise started at its equilibrium has a positively correlated, "
            "less-than-white sum: its partial sums grow more slowly than the noise's own."
        ],
    )


# --- Sec. 5: Adai's momentum drift against Adam's
eps = sp.Symbol("epsilon", positive=True)
R_DRIFT = sp.Symbol(r"\mathrm{drift}_{\mathrm{Adai},\max} / \mathrm{drift}_{\mathrm{Adam}}", positive=True)
DRIFT_REGIME = Regime(
    (
        Param(beta1, 0.5, 0.99),
        Param(eps, 1e-4, 0.1, log=True),
        Param(eta, 1e-3, 1.0, log=True),
        Param(D, 1e-4, 1.0, log=True),
    ),
    (),
    "SDE (7) at equal eta and D",
)


def coasting(mass, damping, diff) -> float:
    """SDE (7)'s momentum drift (the coasting reading, as adai.eq10.coasting): the equilibrium velocity variance from
    the 1-D Lyapunov equation, times (int_0^oo e^(-gamma s) ds)^2, both computed numerically."""
    from scipy import integrate, linalg

    var = float(linalg.solve_continuous_lyapunov(np.array([[-damping]]), np.array([[-2 * diff / mass**2]]))[0, 0])
    reach = integrate.quad(lambda s: math.exp(-damping * s), 0, np.inf)[0]
    return var * reach**2


def drift_ratio(p) -> float:
    e, lr, b, d = p["epsilon"], p["eta"], p["beta_1"], p["D"]
    adai = coasting(lr / e, e / lr, d)  # beta_{1,i} = 1 - eps: M = eta / eps, gamma = eps / eta
    adam = coasting(lr / (1 - b), (1 - b) / lr, d)  # Adam-style: M = eta / (1 - beta_1), gamma = (1 - beta_1)/eta
    return adai / adam


@claim(
    "adai.sec5.drift-vs-adam",
    "Sec. 5, after Proposition 3",
    "The momentum drift effect of Adai can be significantly larger than Adam's by allowing larger inertia",
    uses=["adai.eq10.coasting", "adai.sec5.defaults"],
)
def sec5_drift_vs_adam():
    gam, mass = sp.symbols("gamma M", positive=True)
    drift = D / (gam**3 * mass**2)  # the coasting term of Theorem 2, t -> oo
    ratio = drift.subs({mass: eta / eps, gam: eps / eta}) / drift.subs(
        {mass: eta / (1 - beta1), gam: (1 - beta1) / eta}
    )
    return Claim(
        statement=sp.Eq(R_DRIFT, (1 - beta1) / eps),
        regime=DRIFT_REGIME,
        symbols=SYMS,
        dynamics="SDE (7) with Adai's largest inertia (beta_{1,i} = 1 - eps) and Adam's (beta_1)",
        observable="ratio of the momentum drifts",
        quantified="read on Theorem 2's model: Adai's largest momentum drift over Adam's, at equal eta and D, "
        "is the ratio of their inertias M_max / M_Adam = (1 - beta_1) / eps: 100 at the defaults "
        "(beta_1 = 0.9, eps = 0.001), 'significantly larger'",
        checks=[
            SymbolicEquality("Theorem 2's drift D / (gamma^3 M^2) under the two mappings", ratio, lambda c: c.formula),
            ExactComparison(
                "SDE (7): equilibrium velocity (Lyapunov) and coasting integral, numerically",
                drift_ratio,
                lambda p, f: f(**p),
                n_points=4,
                rtol=1e-7,
            ),
        ],
    )


# --- the deep-network experiments
DEEP = (
    "the claim is about training deep networks on CIFAR/ImageNet/Penn TreeBank (weeks of GPU time and the "
    "paper's exact training pipelines); theorycheck simulates optimizers on analytic models only"
)
MECHANISM = (
    "The mechanism the paper gives for it, flat-minima selection by Hessian-dependent escape (Props. 2 and 4), "
    "is checked on its own small model by adai.prop2, adai.prop4 and adai.fig5 (App. E's Styblinski-Tang escape)."
)
NOISE = "The Gaussian-noise model it supports is checked on its own terms by adai.eq3 (Eq. (3), App. C)."


def not_checkable(what, mechanism=MECHANISM):
    return Claim(
        statement=sp.Eq(sp.Symbol(what), 0),
        regime=Regime(()),
        about="text",
        dynamics="deep-network training",
        observable=what,
        notes=[mechanism],
        checks=[NotCheckable("deep-network experiment", DEEP)],
    )


@claim("adai.table1", "Table 1", "Test errors on CIFAR-10/100: AdaiW, Adai < SGD M < Adam variants (three runs)")
def table1():
    return not_checkable("best test errors of Table 1")


@claim(
    "adai.fig1-2", "Figs. 1-2, Sec. 6", "Adai generalizes better than SGD M and Adam at similar or faster convergence"
)
def fig1_2():
    return not_checkable("learning curves of Figs. 1-2")


@claim(
    "adai.fig3",
    "Fig. 3, Sec. 6",
    "ResNet50 on ImageNet: top-1/top-5 errors Adai 23.20/6.62, SGD M 23.51/6.82, Adam 27.13/9.18",
)
def fig3():
    return not_checkable("ImageNet errors of Fig. 3")


@claim("adai.fig4", "Fig. 4, Sec. 6", "Adai has a deeper and wider low-error region over learning rate x weight decay")
def fig4():
    return not_checkable("test-error grid of Fig. 4")


@claim("adai.fig7", "Fig. 7, App. C", "Minibatch gradient noise of ResNet18 is closer to Gaussian than Levy for B > 16")
def fig7():
    return not_checkable("gradient-noise histograms of Fig. 7", NOISE)


@claim("adai.table2", "Table 2, App. F", "Test errors with weight decay 1e-4: Adai and SGD with tuned decay ahead")
def table2():
    return not_checkable("best test errors of Table 2")


@claim(
    "adai.figs9-13",
    "Figs. 9-13, App. F",
    "Weight-decay sweep, learning curves, long runs, LSTM perplexities "
    "(Adai 74.3, SGD 74.9, Adam 74.3), expected minima sharpness",
)
def figs9_13():
    return not_checkable("results of Figs. 9-13")
