"""`diagrams`, Sec. 3 and App. C.3/C.7 (experiments): Archimedes (Sec. 3.2, Fig. 3 (4), Fig. 4; the rebuttal row
`diagrams.remark.all-time`), the Gauss experiment of Fig. 5 (centre), and the image-classifier experiments
(not checkable here: no data, no trained networks; the rebuttal row `diagrams.fig3a`).

Archimedes: l_x = H(theta)/2 + x S(theta), x ~ N(0, 1); the valley u = v = 0 is a line of global minima. The
z-velocity of SGD is simulated directly (z_T - z_T0)/(T - T0) after the transverse (u, v) law has relaxed; the
frozen-z stationary expansion of the transverse law gives the velocity's series (eta^2/6 + eta^3/9).
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from checks import MonteCarloMean, NotCheckable, Sample
from checks.dynamics.sgd_data import run_sde, run_sgd
from theory import Claim, Param, Regime, claim
from theory.series import expected_after, expected_after_flow, stationary_expectation

from . import models as m
from .kinds import RelationHolds, series_check
from .notation import IN_WORDS, LittleO, eta, taylor
from .simulate import series_mc

V_Z = sp.Function(r"v_z")
REGIME = Regime((Param(eta, 0.01, 0.1, log=True, doc="learning rate"),), (),
                "E = B = 1 SGD on Archimedes started in the valley u = v = 0")
C4 = np.pi / 4


@cache
def frozen_velocity(z0=0, order=3):
    """-eta E[d l / d z] under the stationary (u, v) law at frozen z: the velocity's eta-series."""
    obs = sp.diff(m.HARCH / 2, m.z).subs(m.z, z0)
    out = stationary_expectation(m.ARCH.subs(m.z, z0), m.N01, order - 1, params=[m.u, m.v], minimum=[0, 0],
                                 observable=obs)
    return sp.expand(-eta * out)


def arch_grad(t, xx):
    u, v, z = t[..., 0], t[..., 1], t[..., 2]
    cz, sz, cs, ss = np.cos(z), np.sin(z), np.cos(z - C4), np.sin(z - C4)
    w = cz * u + sz * v
    x = xx[..., 0]
    return np.stack([u + w * cz + x * cs, v + w * sz + x * ss, w * (-sz * u + cz * v) + x * (-ss * u + cs * v)],
                    axis=-1)


T0, T1 = 400, 2000


def velocity_sim(etas, n_paths, rng):
    run = run_sgd(arch_grad, lambda r, s: r.standard_normal(s), [0.0, 0.0, 0.0], list(etas), T1, n_paths, rng,
                  record=[T0, T1])
    return ((run.records[T1][..., 2] - run.records[T0][..., 2]) / (T1 - T0)).T


def series_at(etas, order=3):
    f = sp.lambdify(eta, frozen_velocity(0, order), "math")
    return [f(e) for e in etas]


@claim("diagrams.sec32.velocity", "Sec. 3.2 (and Sec. 3)", "Archimedes: SGD's z-velocity is +eta^2/6 per timestep",
       uses=["diagrams.cor1.corrected"])
def velocity():
    return Claim(statement=sp.Eq(V_Z(eta), eta ** 2 / 6 + LittleO(eta ** 2), evaluate=False), regime=REGIME,
                 symbols={"v_z": "mean z-displacement per step in the valley"},
                 dynamics="E = B = 1 SGD on Archimedes from u = v = z = 0", observable="z-velocity per step",
                 notes=["'Corollary 1 predicts eta^2/6': only the corrected Cor. 1 does (its factor 1/(eta H_zz) "
                        "becomes T per step in the flat direction, giving -(eta^2/2) sum C J/(h_mu + h_nu) = eta^2/6); "
                        "the printed Cor. 1 (1/H_zz becomes eta T) gives eta^3/6 (diagrams.cor1).",
                        "The frozen-z transverse law gives eta^2/6 + eta^3/9 at every z (screw symmetry)."],
                 checks=[series_check("frozen-z stationary expansion of the transverse law, z = 0 and z = pi/2",
                                      lambda c: [c.formula, c.formula],
                                      lambda: [frozen_velocity(0, 3), frozen_velocity(sp.pi / 2, 3)],
                                      evidence="derivation"),
                         series_mc(f"SGD on Archimedes: (z_{T1} - z_{T0}) / {T1 - T0}, same data for both eta",
                                   velocity_sim, (0.05, 0.025), lambda c: c.formula, series_at,
                                   lambda: frozen_velocity(0, 3), n_paths=500)])


WINDOWS = ((400, 900), (900, 1400), (1400, 2000))


def windows_sim(point, n_paths, rng):
    run = run_sgd(arch_grad, lambda r, s: r.standard_normal(s), [0.0, 0.0, 0.0], [0.05], 2000, n_paths, rng,
                  record=sorted({t for w in WINDOWS for t in w}))
    z = {t: run.records[t][0, :, 2] for t in run.records}
    vals = np.stack([(z[b] - z[a]) / (b - a) for a, b in WINDOWS], axis=1)
    return Sample(vals, [f"steps {a}-{b}" for a, b in WINDOWS], info={"exact_series": np.array(series_at([0.05]) * 3)})


@claim("diagrams.remark.all-time", "Rebuttal ('the effect happens for all time'); Fig. 3 (4) caption",
       "Archimedes: the z-drift is the same in every time window (eta^2/6 per step, for all time)",
       uses=["diagrams.sec32.velocity"])
def all_time():
    def predict(point, f):
        tail = series_at([0.05])[0] - float(taylor(frozen_velocity(0, 3), 2).subs(eta, 0.05))
        return [float(f(**{**point, "eta": 0.05})) + tail] * len(WINDOWS)

    return Claim(statement=sp.Eq(V_Z(eta), eta ** 2 / 6 + LittleO(eta ** 2), evaluate=False), regime=REGIME,
                 symbols={"v_z": "mean z-displacement per step within a time window"},
                 dynamics="E = B = 1 SGD on Archimedes from u = v = z = 0, eta = 0.05",
                 observable="z-velocity in the windows 400-900, 900-1400, 1400-2000",
                 notes=["H and C are bounded and 2 pi-periodic along the valley (screw symmetry), so the velocity "
                        "cannot decay; at eta = 0.1 and T = 10^4 (App. C.3) the drift is about 17.8 > 2 pi "
                        "(diagrams.fig3.period). An ODE (gradient flow) started in the valley does not move (G = 0 "
                        "there), and no gradient flow can cycle: SGD's eternal motion around the quotient valley "
                        "is impossible for ODEs, as the introduction says."],
                 checks=[MonteCarloMean("SGD on Archimedes, eta = 0.05: velocity in three windows", windows_sim,
                                        predict, formula=lambda c: taylor(c.formula, 2), n_points=1, n_paths=800,
                                        fixed_setting=True)])


Z_T = sp.Symbol(r"z_{T}")


@claim("diagrams.fig3.period", "Fig. 3 (4) caption; App. C.3", "Archimedes: with eta up to 1e-1 and T = 1e4 the "
       "displacement exceeds the landscape's period 2 pi", uses=["diagrams.sec32.velocity"])
def period():
    return Claim(statement=sp.StrictGreaterThan(Z_T, 2 * sp.pi), regime=Regime(()),
                 symbols={"z_T": "expected z after T = 1e4 steps at eta = 0.1"},
                 notes=["z_T = T v_z with v_z = eta^2/6 + eta^3/9 from the frozen-z expansion (confirmed by "
                        "simulation in diagrams.sec32.velocity)."],
                 checks=[RelationHolds("T times the velocity's expansion at eta = 0.1, T = 1e4",
                                       lambda c: {Z_T: 10_000 * series_at([0.1])[0]}, evidence="derivation")])


# --- "[ch18]'s SDE-based analysis predicts a constant velocity of 0" ------------------------------------------
V_SDE = sp.Symbol(r"v_z^{SDE}")


def sde_velocity_exact(e=0.05):
    """Stationary covariance of the linear SDE at z = 0 (eta H Sigma + Sigma eta H = eta^2 C) -> -eta E[u v]."""
    s11, s12, s22 = sp.symbols("s11 s12 s22")
    Sg = sp.Matrix([[s11, s12], [s12, s22]])
    Hh, Cc = sp.diag(2, 1), sp.Matrix([[1, -1], [-1, 1]]) / 2
    sol = sp.solve(list(eta * Hh * Sg + Sg * eta * Hh - eta ** 2 * Cc), [s11, s12, s22])
    return float((-eta * sol[s12]).subs(eta, e))


def sde_sim(point, n_paths, rng):
    def noise_sqrt(t):
        u, v, z = t[..., 0], t[..., 1], t[..., 2]
        col = np.stack([np.cos(z - C4), np.sin(z - C4), -np.sin(z - C4) * u + np.cos(z - C4) * v], axis=-1)
        out = np.zeros(t.shape + (3,))
        out[..., 0] = col
        return out

    run = run_sde(lambda t: arch_grad(t, np.zeros(t.shape[:-1] + (1,))), noise_sqrt, [0.0, 0.0, 0.0], [0.05], 1200,
                  n_paths, rng, record=[200, 1200], substeps=4)
    v = (run.records[1200][0, :, 2] - run.records[200][0, :, 2]) / 1000
    return Sample(v, ["eta=0.05"], diverged_fraction=float(run.diverged_fraction[0]))


@claim("diagrams.sec32.sde-zero", "Sec. 3.2 and Sec. 3", "'[ch18]'s SDE-based analysis predicts a constant velocity "
       "of 0' on Archimedes")
def sde_zero():
    return Claim(statement=sp.Eq(V_SDE, 0, evaluate=False), regime=REGIME,
                 symbols={"v_z^SDE": "z-velocity an SDE analysis predicts"},
                 notes=["Read as the SDE with SGD's drift and gradient covariance (diagrams.sec32.sde-zero.matched) "
                        "and "
                        "as [ch18]'s particular analysis (diagrams.sec32.sde-zero.ch18)."],
                 checks=[NotCheckable("what the cited analysis computes", "the statement is about another paper's "
                                      "analysis; its readings are checked separately")])


@claim("diagrams.sec32.sde-zero.matched", "Sec. 3.2, reading: the SDE matched to SGD", "The SDE with SGD's drift and "
       "covariance has z-velocity 0 on Archimedes", reading_of="diagrams.sec32.sde-zero",
       reading="the SDE d theta = -eta G dt + eta C^(1/2) dW (App. C.4's SDE)")
def sde_zero_matched():
    return Claim(statement=sp.Eq(V_SDE, 0, evaluate=False), regime=REGIME,
                 symbols={"v_z^SDE": "z-velocity of the SDE with SGD's drift and covariance, eta = 0.05"},
                 dynamics="SDE with SGD's drift and gradient covariance on Archimedes", observable="z-velocity",
                 notes=["The Cor. 1 effect uses only C, H and J, which a Gaussian SDE has: the SDE drifts at eta^2/6 "
                        "too (it lacks only the eta^3/9 term)."],
                 checks=[RelationHolds("stationary covariance of the SDE's transverse law at z = 0 (Lyapunov "
                                       "equation), eta = 0.05", lambda c: {V_SDE: sde_velocity_exact()}),
                         MonteCarloMean("SDE on Archimedes (Euler-Maruyama, 4 substeps), eta = 0.05: velocity over "
                                        "steps 200-1200", sde_sim, lambda p, f: [f(**p)], n_points=1, n_paths=400,
                                        fixed_setting=True)])


@claim("diagrams.sec32.sde-zero.ch18", "Sec. 3.2, reading: [ch18]'s analysis", "[ch18]'s analysis predicts velocity "
       "0 on Archimedes", reading_of="diagrams.sec32.sde-zero", reading="the particular analysis of the cited paper")
def sde_zero_ch18():
    return Claim(statement=sp.Eq(V_SDE, 0, evaluate=False), regime=REGIME,
                 checks=[NotCheckable("the cited analysis", "the cited paper's analysis is not in this collection; "
                                      "what it predicts on Archimedes cannot be computed here")])


@claim("diagrams.sec32.footnote", "Sec. 3.2, footnote", "Archimedes' velocity is eta-perpendicular to the image of "
       "(eta C)^mu_nu: C has no z row or column on the valley", about="algebra")
def footnote():
    cz = sp.Symbol(r"\max|C_{z\cdot}|")

    def values(c):
        grad = sp.Matrix([sp.diff(m.SARCH, p) for p in (m.u, m.v, m.z)]).subs({m.u: 0, m.v: 0})
        row = (grad * grad.T)[2, :]
        zs = [sp.Rational(k, 7) for k in range(7)]
        return {cz: max(abs(float(e.subs(m.z, zz))) for e in row for zz in zs)}

    return Claim(statement=sp.Eq(cz, 0, evaluate=False), regime=Regime(()),
                 symbols={"max|C_z.|": "largest |entry| of the z row of C on the valley u = v = 0, z in [0, 6/7]"},
                 checks=[RelationHolds("C = grad S grad S^T on the valley", values, evidence="derivation",
                                       kind="symbolic")])


# --- Fig. 5 (centre): Gauss, SGD against SDE at eta^3 ----------------------------------------------------------
DISC, SKEW = sp.symbols(r"d_{disc} d_{skew}")


@cache
def gauss_parts():
    """eta^3 coefficient per step of SGD - SDE on Gauss at h = 0 (exact), its skewness part -(1/6) S J (Cor. 5,
    verified in diagrams.cor5.skew) and the rest, the time-discretization part."""
    t = sp.Symbol("T", integer=True, nonnegative=True)
    d = sp.expand(expected_after(m.GAUSS, m.N01, t, 3, params=[m.h], theta0=[0])
                  - expected_after_flow(m.GAUSS, m.N01, t, 3, params=[m.h], theta0=[0]))
    total = sp.expand(d.coeff(eta, 3) / t)
    st = m.stats_of("gauss")
    skew = -st["S"][0, 0, 0] * st["J"][0, 0, 0] / 6
    return total, skew, sp.expand(total - skew), st


@claim("diagrams.fig5.oppose", "App. C.7, Fig. 5 (centre) caption", "On Gauss, time discretization and non-Gaussian "
       "noise oppose (SGD minus SDE at eta^3)")
def fig5_oppose():
    return Claim(statement=sp.StrictLessThan(DISC * SKEW, 0), regime=Regime(()),
                 symbols={"d_disc": "time-discretization part of the eta^3 T coefficient of SGD - SDE (Gauss, h = 0)",
                          "d_skew": "skewness part, -(1/6) S J"},
                 notes=["Exact: SGD - SDE = -T eta^3/48 + O(eta^4) = (+1/16 - 1/12) T eta^3; the discretization part "
                        "is (T/2) C H^2 eta^3 = T eta^3/16."],
                 checks=[RelationHolds("exact series of SGD - SDE on Gauss at h = 0", lambda c: {
                     DISC: gauss_parts()[2], SKEW: gauss_parts()[1]})])


@claim("diagrams.fig5.cancel", "App. C.7, Fig. 5 (centre) caption", "On Gauss the two effects do not completely "
       "cancel: SGD minus SDE is nonzero at eta^3")
def fig5_cancel():
    # "oppose ... but do not completely cancel": a partial cancellation, nonzero and smaller than the larger part
    total = sp.Abs(DISC + SKEW)
    return Claim(statement=sp.And(sp.StrictGreaterThan(total, 0), sp.StrictLessThan(total, sp.Max(sp.Abs(DISC),
                                                                                                  sp.Abs(SKEW)))),
                 regime=Regime(()),
                 symbols={"d_disc": "time-discretization part", "d_skew": "skewness part"},
                 notes=["Read with the caption's 'oppose ... but do not completely cancel' as one phrase: the sum of "
                        "the two parts is nonzero and smaller in size than the larger part (a partial cancellation); "
                        "the sign of each part is diagrams.fig5.oppose."],
                 checks=[RelationHolds("exact series of SGD - SDE on Gauss at h = 0", lambda c: {
                     DISC: gauss_parts()[2], SKEW: gauss_parts()[1]})])


@claim("diagrams.fig3.natural", "Sec. 3.1, Fig. 3 (0)-(3), Fig. 5 (left), App. C.2", "Image-classifier experiments "
       "(Fashion-MNIST and CIFAR-10 convnets, logistic regression): theory agrees with experiment")
def natural():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("trained networks on image data", "needs CIFAR-10 / Fashion-MNIST training runs "
                                      "(5e4 trials per setting) and the paper's code; not reproducible here")])


@claim("diagrams.fig3a", "Rebuttal (answer to R2 Sect 3); Fig. 3 (0)-(1), App. C.2.1", "Fig. 3.a shows test losses "
       "after fixed-time SGD runs against the learning rate, one random initialization", about="text")
def fig3a():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("what the figure shows", "a description of a figure of image-classifier runs; "
                                      "the data and runs are not available")])


@claim("diagrams.fig5.stic", "App. C.7, Fig. 5 (right)", "Descending an l2 coefficient by STIC improves on plain GD "
       "for most Hessians (Mean Estimation away from the minimum)")
def fig5_stic():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("the STIC regularization runs", "the update rule for lambda, its learning rate "
                                      "and the initial distance are not given precisely enough to reproduce")])

