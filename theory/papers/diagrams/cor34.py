"""`diagrams`, Sec. 2.4: "the drift is in the direction of -grad C" (the rebuttal's row
`diagrams.remark.small-c`, read two ways), Corollary 3 (`cor:batch`, SGD vs GD; GDC) and Corollary 4 (`cor:epochs`).

SGD is one epoch of singleton batches on N training points (T = N); GD is T = B = N (N full-batch steps); the
many-epoch run of Cor. 4 reshuffles every epoch. Every comparison of two runs uses the same training sets.
"""
from __future__ import annotations

import re
from functools import cache

import numpy as np
import sympy as sp

from checks.dynamics.sgd_data import enumerate_training_sgd, epoch_schedules, run_sgd
from theory import Claim, Param, Regime, claim
from theory.series import expected_after, expected_after_epochs

from . import models as m
from .kinds import RelationHolds, RemainderOrder, series_check
from .notation import DC, HG, M0, TRC, LittleO, N, T, contract, eta
from .plots import attach
from .simulate import series_mc, two_point_sampler

SYMBOLS = {"eta": "learning rate (eta_0 in Cor. 4)", "N": "training points", "M_0": "epochs of the many-epoch run",
           r"\nabla^{\mu}C^{\nu}_{\nu}": "gradient of tr(eta C), index raised by eta",
           r"H^{\mu}_{\nu}G^{\nu}": "H applied to G, indices raised by eta"}
DISP = sp.Function(r"\mathbb{E}[\theta_{GD} - \theta_{SGD}]")
DISP4 = sp.Function(r"\mathbb{E}[\theta_{M=M_0} - \theta_{M=1}]")
REGIME = Regime((Param(eta, 0.005, 0.2, log=True, doc="learning rate"), Param(N, 2, 4, doc="training points")), (),
                "SGD (E = B = 1, T = N) and GD (T = B = N) on the same N training points")
REGIME4 = Regime((Param(eta, 0.005, 0.2, log=True, doc="eta_0"), Param(N, 2, 3), Param(M0, 2, 3)), (),
                 "B = 1 SGD: one epoch at eta_0 and M_0 reshuffled epochs at eta_0 / M_0 on the same training set")
GEN_STATS = {DC: 2 * m.kap * m.sig, HG: m.H * m.A, TRC: m.sig ** 2}
GEN_EXTRA = [p for p in m.GEN_PARAMS if p.name not in ("Q", "s_4", "s_3")]


# --- "the drift is in the direction of -grad C" --------------------------------------------------------------
D_ABS, D_REL = sp.Symbol(r"d_{abs}"), sp.Symbol(r"d_{rel}")
MARTINGALE = m.x * (m.th + m.th ** 2 / 2)          # G = 0 everywhere, C(theta) = (1 + theta)^2


def leading(expr):
    e = sp.expand(expr)
    for k in range(1, 6):
        if e.coeff(eta, k) != 0:
            return e.coeff(eta, k)
    return sp.S.Zero


@claim("diagrams.remark.small-c", "Rebuttal ('how and why SGD tends toward small C regions'); Sec. 2.4",
       "'The drift is in the direction of -grad C'")
def small_c():
    return Claim(statement=sp.StrictLessThan(D_REL, 0), regime=Regime(()),
                 symbols={"d_rel": "leading eta-coefficient of E[theta_SGD - theta_GD] . grad C"},
                 notes=["Read two ways: the absolute drift of SGD (diagrams.remark.small-c.absolute) and SGD relative "
                        "to GD (diagrams.remark.small-c.relative, what Cor. 3 makes precise)."],
                 checks=[RelationHolds("SGD minus GD on LINEAR_NOISE (G = 0, grad C = 2), N = 2, 3, 4",
                                       lambda c: {D_REL: relative_drift()})])


@cache
def relative_drift():
    vals = [leading(m.epochs_series(0, n_, 2) - m.epochs_series(0, n_, 2, epochs=n_, B=n_)) * 2 for n_ in (2, 3, 4)]
    return max(vals)


@cache
def absolute_drift():
    series = expected_after(MARTINGALE, m.N01, T, 4, params=[m.th], theta0=[0], observable="displacement")[0]
    grad_c = 2
    return sp.expand(series * grad_c)


@claim("diagrams.remark.small-c.absolute", "Sec. 2.4, reading: SGD's own drift", "SGD's expected displacement has a "
       "component along -grad C", reading_of="diagrams.remark.small-c",
       reading="absolute: SGD alone drifts toward small C (the Chladni picture of the paragraph)")
def small_c_absolute():
    return Claim(statement=sp.StrictLessThan(D_ABS, 0), regime=Regime(()),
                 symbols={"d_abs": "E[theta_T - theta_0] . grad C through eta^4 (T symbolic)"},
                 dynamics="E = B = 1 SGD on l_x = x (theta + theta^2/2), x ~ N(0, 1): G = 0, C = (1 + theta)^2",
                 observable="expected displacement along grad C",
                 notes=["With G = 0 everywhere SGD's mean is a martingale: E theta_{t+1} = E theta_t - eta E[x (1 + "
                        "theta_t)] = E theta_t, to every order. GD on N points moves toward larger C, by ((N-1)/4) "
                        "eta^2 grad C; the effect is relative (diagrams.remark.small-c.relative)."],
                 checks=[RelationHolds("exact series of E[theta_T - theta_0] . grad C through eta^4 (T symbolic)",
                                       lambda c: {D_ABS: absolute_drift()})])


@claim("diagrams.remark.small-c.relative", "Sec. 2.4, reading: relative to GD (Cor. 3)", "SGD's displacement "
       "relative to GD's has a component along -grad C", reading_of="diagrams.remark.small-c", proof_reading=True,
       reading="relative: SGD minus GD (the text continues 'Our theory makes this intuition precise' with Cor. 3)")
def small_c_relative():
    return Claim(statement=sp.StrictLessThan(D_REL, 0), regime=Regime(()),
                 symbols={"d_rel": "leading eta-coefficient of E[theta_SGD - theta_GD] . grad C"},
                 dynamics="SGD and GD on the same N points of LINEAR_NOISE (a = 0: G = 0, grad C = 2)",
                 checks=[RelationHolds("SGD minus GD on LINEAR_NOISE (G = 0, grad C = 2), N = 2, 3, 4",
                                       lambda c: {D_REL: relative_drift()})])


# --- Corollary 3 --------------------------------------------------------------------------------------------
def gen_difference(n_):
    return m.gen_epochs(n_, 2, epochs=n_, B=n_) - m.gen_epochs(n_, 2)


def on_gen(c, n_):
    return contract(c.formula, GEN_STATS).subs(N, n_)


LN_N = 4


@cache
def linear_exact_gd_sgd(etas, a=1):
    grad = m.linear_noise_grad(a)
    vals, probs = m.PM1_NP
    gd = enumerate_training_sgd(grad, vals, probs, [0.0], list(etas), LN_N, epoch_schedules(LN_N, LN_N, LN_N))
    sgd = enumerate_training_sgd(grad, vals, probs, [0.0], list(etas), LN_N, epoch_schedules(LN_N, 1, 1))
    return (gd - sgd)[:, 0]


def on_linear(c, a=1):
    return contract(c.formula, {DC: 2, HG: a, TRC: 1}).subs(N, LN_N)


def gd_sgd_sim(etas, n_paths, rng):
    seed = int(rng.integers(2 ** 63))
    sample = two_point_sampler(*m.PM1_NP)
    gd = run_sgd(m.linear_noise_grad(1), sample, [0.0], list(etas), LN_N, n_paths, np.random.default_rng(seed),
                 N=LN_N, B=LN_N)
    sgd = run_sgd(m.linear_noise_grad(1), sample, [0.0], list(etas), LN_N, n_paths, np.random.default_rng(seed),
                  N=LN_N, B=1)
    assert np.array_equal(gd.train, sgd.train)              # the same training sets
    return (gd.records[LN_N][..., 0] - sgd.records[LN_N][..., 0]).T


def cor3_checks():
    return [
        series_check("generic model (Q = 0), x = +-1, N = 2, 3, 4: exact series of E[theta_GD - theta_SGD]",
                     lambda c: [on_gen(c, n_) for n_ in (2, 3, 4)], lambda: [gen_difference(n_) for n_ in (2, 3, 4)],
                     extra=GEN_EXTRA),
        RemainderOrder(f"LINEAR_NOISE (G = 1, grad C = 2), N = {LN_N}: every training set enumerated",
                       lambda etas: linear_exact_gd_sgd(etas), on_linear, eta0=0.1),
        series_mc(f"GD and SGD on the same training sets (LINEAR_NOISE, G = 1, N = {LN_N})", gd_sgd_sim, (0.2, 0.1),
                  on_linear, lambda etas: linear_exact_gd_sgd(tuple(etas)),
                  lambda: m.epochs_series(1, LN_N, 2, epochs=LN_N, B=LN_N) - m.epochs_series(1, LN_N, 2),
                  n_paths=20_000)]


def curve3_args(label):
    return (f"E[theta_GD - theta_SGD] on LINEAR_NOISE (G = 1, grad C = 2), N = {LN_N}", label, on_linear,
            lambda: m.epochs_series(1, LN_N, 3, epochs=LN_N, B=LN_N) - m.epochs_series(1, LN_N, 3),
            lambda etas: linear_exact_gd_sgd(tuple(etas)), 3, 0.1)


COR3_TEX = (r"l_C \triangleq \frac{N-1}{4N}\nabla^{\mu}C^{\nu}_{\nu} = \mathbb{E}[\theta_{GD}-\theta_{SGD}]^{\mu}"
            r" - o(\eta^2)")


@claim("diagrams.cor3", "Corollary 3 (cor:batch), first part, Sec. 2.4", "SGD avoids high-C regions more than GD: "
       "E[theta_GD - theta_SGD] = ((N-1)/(4N)) grad^mu C^nu_nu + o(eta^2)")
def cor3():
    return attach(Claim(statement=sp.Eq(DISP(eta), (N - 1) / (4 * N) * DC + LittleO(eta ** 2), evaluate=False),
                 printed=COR3_TEX, regime=REGIME, symbols=SYMBOLS, dynamics="GD (T = B = N) and SGD (E = B = 1)",
                 observable="E[theta_GD - theta_SGD]",
                 notes=["Exact: E[theta_GD - theta_SGD] = ((N-1)/4) grad^mu C^nu_nu + O(eta^3), N times the printed "
                        "value; equivalently N grad^mu l_C with the scalar l_C = ((N-1)/(4N)) C^nu_nu "
                        "(diagrams.cor3.gdc)."], checks=cor3_checks()), *curve3_args("Cor. 3 (printed)"))


@claim("diagrams.cor3.corrected", "Corollary 3, first part, corrected", "E[theta_GD - theta_SGD] = ((N-1)/4) "
       "grad^mu C^nu_nu + o(eta^2)", corrects="diagrams.cor3")
def cor3_corrected():
    return attach(Claim(statement=sp.Eq(DISP(eta), (N - 1) / 4 * DC + LittleO(eta ** 2), evaluate=False),
                        regime=REGIME,
                 symbols=SYMBOLS, dynamics="GD (T = B = N) and SGD (E = B = 1)", observable="E[theta_GD - theta_SGD]",
                 notes=["Derivation: to second order E delta = -eta T G + eta^2 [T(T-1)/2 H G + (N E(E-1)/(2 B^2)) Q], "
                        "Q = E[(h - H)(g - G)] = grad C / 2; SGD (E = 1) has no Q term, GD (E = B = N) has (N-1) Q/2."],
                 checks=cor3_checks()), *curve3_args("corrected"))


LC = sp.Symbol("l_c")


def gdc_difference(c, n_):
    """Test loss of GD on l + l_c minus SGD's, exact series on the generic model (l_c read from the statement)."""
    reg = c.formula.subs({TRC: eta * (m.sig + m.kap * m.th) ** 2, N: n_})
    test = m.A * m.th + m.H * m.th ** 2 / 2 + m.J * m.th ** 3 / 6
    loss = m.GEN.subs(m.Q, 0) + reg
    gdc = expected_after_epochs(loss, {m.x: m.PM1}, n_, 2, params=[m.th], theta0=[0], epochs=n_, B=n_, observable=test)
    return gdc - expected_after_epochs(m.GEN.subs(m.Q, 0), {m.x: m.PM1}, n_, 2, params=[m.th], theta0=[0],
                                       observable=test)


@claim("diagrams.cor3.gdc", "Corollary 3, second part (GDC), Sec. 2.4", "GD on l + l_c, l_c = ((N-1)/(4N)) C^nu_nu, "
       "has SGD's expected test loss to order eta^2", uses=["diagrams.cor3.corrected"],
       quantified="l_c read as the scalar ((N-1)/(4N)) C^nu_nu: GD adds a scalar to the loss, and the printed l_C "
                  "is the gradient of this scalar")
def cor3_gdc():
    return Claim(statement=sp.Eq(LC, (N - 1) / (4 * N) * TRC, evaluate=False), regime=REGIME,
                 symbols={"l_c": "the regularizer GD adds to l", **SYMBOLS},
                 dynamics="GD (T = B = N) on l + l_c and SGD (E = B = 1) on the same training set",
                 observable="expected test loss (of l)",
                 notes=["The paper's proof of this part reads 'FILL IN' (diagrams.proof.cor3-gdc).",
                        "With l_c the unbiased estimator built from the training set at every step, see "
                        "diagrams.remark.gdc; with App. C.4's estimator as printed, diagrams.appc4.gdc."],
                 checks=[series_check("generic model (Q = 0), x = +-1, N = 2, 3: GDC minus SGD test loss through eta^2",
                                      lambda c: [gdc_difference(c, n_) for n_ in (2, 3)], lambda: [0, 0],
                                      extra=GEN_EXTRA, order=2)])


LC_RANK = sp.Symbol("r_{l_c}")


def free_indices(tensor: sp.Symbol) -> int:
    """Index letters that appear once in a tensor written as one LaTeX symbol (a repeated letter is contracted)."""
    letters = re.findall(r"\\(mu|nu|lambda|rho|sigma)\b", tensor.name)
    return sum(1 for x in set(letters) if letters.count(x) == 1)


@claim("diagrams.cor3.lc-type", "Corollary 3 (cor:batch), Sec. 2.4: l_C is defined, l-hat_c is added to l",
       "GD runs on l + l-hat_c, so l_c must be a scalar; the one the corollary defines, l_C = ((N-1)/(4N)) "
       "grad^mu C^nu_nu, is a vector", about="text")
def cor3_lc_type():
    return Claim(statement=sp.Eq(LC_RANK, 0, evaluate=False), regime=Regime(()),
                 symbols={"r_{l_c}": "free indices of the l_c the corollary defines (0: a scalar, addable to l)"},
                 notes=["The corollary defines l_C (upper case) with a free index mu and then adds an estimator of "
                        "l_c (lower case) to the loss. Read as the scalar whose gradient is l_C, GDC holds "
                        "(diagrams.cor3.gdc, verified on the exact series)."],
                 checks=[RelationHolds("free indices of the printed l_C = ((N-1)/(4N)) grad^mu C^nu_nu",
                                       lambda c: {LC_RANK: free_indices(DC)}, evidence="derivation",
                                       kind="symbolic")])


@claim("diagrams.cor3.lc-type.corrected", "Corollary 3, l_c corrected", "l_c = ((N-1)/(4N)) C^nu_nu, whose "
       "gradient is l_C, is a scalar that GD can add to l", corrects="diagrams.cor3.lc-type", about="text",
       uses=["diagrams.cor3.gdc"])
def cor3_lc_type_corrected():
    return Claim(statement=sp.Eq(LC_RANK, 0, evaluate=False), regime=Regime(()),
                 symbols={"r_{l_c}": "free indices of l_c = ((N-1)/(4N)) C^nu_nu"},
                 checks=[RelationHolds("free indices of ((N-1)/(4N)) C^nu_nu", lambda c: {LC_RANK: free_indices(TRC)},
                                       evidence="derivation", kind="symbolic")])


# --- Corollary 4 --------------------------------------------------------------------------------------------
COMBOS = ((2, 2), (2, 3), (3, 2))


@cache
def gen_epochs_diff(n_, m0):
    many = m.gen_epochs(n_, 2, epochs=m0, schedule="reshuffle").subs(eta, eta / m0)
    return sp.expand(many - m.gen_epochs(n_, 2))


def on_gen4(c, n_, m0):
    return contract(c.formula, GEN_STATS).subs({N: n_, M0: m0})


N4, MM = 3, 2


@cache
def linear_exact_epochs(etas, a=1):
    grad = m.linear_noise_grad(a)
    vals, probs = m.PM1_NP
    many = enumerate_training_sgd(grad, vals, probs, [0.0], [e / MM for e in etas], N4, epoch_schedules(N4, 1, MM))
    one = enumerate_training_sgd(grad, vals, probs, [0.0], list(etas), N4, epoch_schedules(N4, 1, 1))
    return (many - one)[:, 0]


def linear_epochs_series():
    many = m.epochs_series(1, N4, 2, epochs=MM, schedule="reshuffle").subs(eta, eta / MM)
    return sp.expand(many - m.epochs_series(1, N4, 2))


def on_linear4(c):
    return contract(c.formula, {DC: 2, HG: 1}).subs({N: N4, M0: MM})


def epochs_sim(etas, n_paths, rng):
    seed = int(rng.integers(2 ** 63))
    sample = two_point_sampler(*m.PM1_NP)
    one = run_sgd(m.linear_noise_grad(1), sample, [0.0], list(etas), N4, n_paths, np.random.default_rng(seed), N=N4)
    many = run_sgd(m.linear_noise_grad(1), sample, [0.0], [e / MM for e in etas], N4 * MM, n_paths,
                   np.random.default_rng(seed), N=N4)
    assert np.array_equal(one.train, many.train)
    return (many.records[N4 * MM][..., 0] - one.records[N4][..., 0]).T


def curve4_args(label):
    return (f"one epoch at eta_0 against {MM} at eta_0/{MM}, LINEAR_NOISE (G = 1), N = {N4}", label, on_linear4,
            linear_epochs_series, lambda etas: linear_exact_epochs(tuple(etas)), 2, 0.1)


def cor4_checks():
    return [
        series_check("generic model (Q = 0), x = +-1, (N, M_0) = (2, 2), (2, 3), (3, 2): exact series",
                     lambda c: [on_gen4(c, n_, m0) for n_, m0 in COMBOS],
                     lambda: [gen_epochs_diff(n_, m0) for n_, m0 in COMBOS], extra=GEN_EXTRA),
        RemainderOrder(f"LINEAR_NOISE (G = 1, grad C = 2), N = {N4}, M_0 = {MM}: every training set and order",
                       lambda etas: linear_exact_epochs(etas), on_linear4, eta0=0.1),
        series_mc(f"one epoch at eta_0 and {MM} reshuffled epochs at eta_0/{MM} on the same training sets "
                  f"(LINEAR_NOISE, G = 1, N = {N4})", epochs_sim, (0.2, 0.1), on_linear4,
                  lambda etas: linear_exact_epochs(tuple(etas)), linear_epochs_series, n_paths=20_000)]


@claim("diagrams.cor4", "Corollary 4 (cor:epochs), Sec. 2.4", "E[theta_{M=M0} - theta_{M=1}] = ((M0-1)/M0) N "
       "grad^mu C^nu_nu + o(eta^2)")
def cor4():
    return attach(Claim(statement=sp.Eq(DISP4(eta), (M0 - 1) / M0 * N * DC + LittleO(eta ** 2), evaluate=False),
                 regime=REGIME4, symbols=SYMBOLS, dynamics="B = 1 SGD: M = 1 at eta_0, M = M_0 at eta_0/M_0",
                 observable="E[theta_{M=M0} - theta_{M=1}]",
                 notes=["Exact: ((M0-1)/M0) N (H^mu_nu G^nu / 2 + grad^mu C^nu_nu / 4) + O(eta^3): the grad C "
                        "coefficient is 4 times smaller and a time-discretization term H G/2 is missing (noise-free "
                        "GD already has it: (1 - eta0 H/M0)^(M0 N) against (1 - eta0 H)^N). 'M epochs' and 'M = T/N' "
                        "coincide here (B = 1)."], checks=cor4_checks()), *curve4_args("Cor. 4 (printed)"))


@claim("diagrams.cor4.corrected", "Corollary 4, corrected", "E[theta_{M=M0} - theta_{M=1}] = ((M0-1)/M0) N "
       "(H^mu_nu G^nu/2 + grad^mu C^nu_nu/4) + o(eta^2)", corrects="diagrams.cor4")
def cor4_corrected():
    return attach(Claim(statement=sp.Eq(DISP4(eta), (M0 - 1) / M0 * N * (HG / 2 + DC / 4) + LittleO(eta ** 2),
                                 evaluate=False),
                 regime=REGIME4, symbols=SYMBOLS, dynamics="B = 1 SGD: M = 1 at eta_0, M = M_0 at eta_0/M_0",
                 observable="E[theta_{M=M0} - theta_{M=1}]",
                 notes=["The part sensitive to grad C ('few and many-epoch SGD differ, to leading order, in their "
                        "sensitivity to grad C') is ((M0-1)/M0) N grad C/4, not ((M0-1)/M0) N grad C."],
                 checks=cor4_checks()), *curve4_args("corrected"))
