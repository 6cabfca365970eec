"""Plot-ready tables of the `adai` Momentum, Adam and Adai claims: the printed formula, the corrected form, the
exact model and the simulation (with standard errors) along time, at one documented parameter point each.
Builders run only when a table is asked for (``theorycheck table ID``, the docs site)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks.curves import Curve
from checks.dynamics.momentum import heavy_ball_exact_variance, optimizer_on_saddle
from checks.dynamics.optimizers import Adai, Adam, HeavyBall, IdealizedAdam

from . import momentum_models as mo

N_PATHS = 20_000


def _msd(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sq = p ** 2
    return sq.mean(axis=0), sq.std(axis=0, ddof=1) / np.sqrt(len(sq))


def _lam(expr, symbols):
    return sp.lambdify(symbols, mo.drop_o(expr), modules=["numpy"])


def _steps(T_max: int, n: int = 16) -> list[int]:
    return sorted({int(round(v)) for v in np.geomspace(1, T_max, n)})


# --- Theorem 2 (SDE (7)) ------------------------------------------------------------------------------------------
THM2_POINT = {"H": -0.2, "D": 0.1, "M": 1.0, "gamma": 2.0}


def thm2_build(point, rng):
    ts = np.geomspace(0.05, 10.0, 14)
    args = [point[k] for k in ("H", "D", "M", "gamma")]
    syms = [mo.H, mo.D, mo.M, mo.gamma, mo.t]
    printed, eq_start, rest = (_lam(e, syms) for e in (mo.THM2_RHS, mo.EXACT_AT_EQUILIBRIUM, mo.EXACT_FROM_REST))
    r0 = point["D"] / (point["gamma"] * point["M"] ** 2)
    sim, se = [], []
    for tt in ts:
        s = mo.sde7_msd_sample([point["H"]], [point["D"]], point["M"], point["gamma"], float(tt), r0, N_PATHS, rng,
                               n_coarse=200)
        sim.append(float(s.values.mean()))
        se.append(float(s.values.std(ddof=1) / np.sqrt(len(s.values))))
    cols = {"t": ts, "printed (9)": printed(*args, ts), "exact, r(0) at equilibrium": eq_start(*args, ts),
            "exact, r(0) = 0": rest(*args, ts), "SDE (7) simulated": sim, "SDE (7) simulated_se": se}
    kinds = {"printed (9)": "formula", "exact, r(0) at equilibrium": "exact", "exact, r(0) = 0": "exact",
             "SDE (7) simulated": "simulated"}
    return cols, kinds


THM2_CURVES = [Curve("Momentum SDE (7): MSD against time", "t", THM2_POINT, thm2_build,
                     "(9) lies above the exact MSD from either initial velocity.")]

# --- Momentum notation (31)/(32) ----------------------------------------------------------------------------------
MOM_POINT = {"H": -0.5, "eta": 0.002, "B": 16.0, "beta_1": 0.9}
PRINTED = {"adam": ("(31)", mo.EQ31_PRINTED), "sgd": ("(32)", mo.EQ32_PRINTED)}


def _momentum_build(style):
    def build(point, rng):
        T_max = 200
        steps = _steps(T_max)
        b1 = point["beta_1"]
        b3 = {"sgd": 1.0, "adam": 1.0 - b1}[style]
        eig, c = point["H"], abs(point["H"]) / point["B"]
        paths, _ = optimizer_on_saddle(lambda C: HeavyBall(point["eta"], b1, b3), [eig], point["B"], T_max, N_PATHS,
                                       rng, record=tuple(steps), rotate=False)
        stats = [_msd(p[:, 0]) for p in paths]
        Ts = np.array(steps, dtype=float)
        syms = [mo.H, mo.eta, mo.B, mo.beta1, mo.T, mo.beta3]
        args = [eig, point["eta"], point["B"], b1, Ts, b3]
        label, printed = PRINTED[style]
        cols = {"T": Ts, f"printed {label}": _lam(printed, syms)(*args) + 0 * Ts,
                "corrected (force dropped)": _lam(mo.DISCRETE_FROM_REST, syms)(*args) + 0 * Ts,
                "exact recursion": [float(heavy_ball_exact_variance(eig, c, T, point["eta"], b1, b3)) for T in steps],
                "Momentum (4) simulated": [m for m, _ in stats], "Momentum (4) simulated_se": [s for _, s in stats]}
        kinds = {f"printed {label}": "formula", "corrected (force dropped)": "corrected", "exact recursion": "exact",
                 "Momentum (4) simulated": "simulated"}
        return cols, kinds
    return build


def momentum_curves(style) -> list:
    name = {"adam": "Adam-style Momentum (beta3 = 1 - beta1)", "sgd": "SGD-style Momentum (beta3 = 1)"}[style]
    return [Curve(f"{name}: MSD against iterations", "T", MOM_POINT, _momentum_build(style))]


# --- Proposition 1 in Adam notation ---------------------------------------------------------------------------
def adam_build(point, rng):
    T_max = 200
    steps = _steps(T_max)
    b1, eig = point["beta_1"], point["H"]
    c = abs(eig) / point["B"]
    Ts = np.array(steps, dtype=float)
    syms = [mo.H, mo.eta, mo.B, mo.beta1, mo.T]
    args = [eig, point["eta"], point["B"], b1, Ts]
    cols = {"T": Ts, "printed (Prop. 1)": _lam(mo.PROP1_ADAM_PRINTED, syms)(*args) + 0 * Ts,
            "corrected (force dropped)": _lam(mo.ADAM_FROM_REST, syms)(*args) + 0 * Ts,
            "exact recursion (121)": [float(heavy_ball_exact_variance(eig, c, T, point["eta"] / np.sqrt(c), b1, 1 - b1))
                                      for T in steps]}
    kinds = {"printed (Prop. 1)": "formula", "corrected (force dropped)": "corrected", "exact recursion (121)": "exact"}
    makers = {"idealized Adam (121) simulated": lambda C: IdealizedAdam(point["eta"], C, b1, bias_correction=False),
              "Algorithm 1, idealized C^-1/2, simulated": lambda C: IdealizedAdam(point["eta"], C, b1),
              "Algorithm 1 (diagonal v-hat) simulated": lambda C: Adam(point["eta"], b1, 0.999, 1e-8)}
    for name, make in makers.items():
        paths, _ = optimizer_on_saddle(make, [eig], point["B"], T_max, N_PATHS, rng, record=tuple(steps), rotate=False)
        stats = [_msd(p[:, 0]) for p in paths]
        cols[name] = [m for m, _ in stats]
        cols[name + "_se"] = [s for _, s in stats]
        kinds[name] = "simulated"
    return cols, kinds


ADAM_CURVES = [Curve("Adam near a saddle: MSD against iterations", "T", MOM_POINT, adam_build,
                     "Algorithm 1's bias correction and its diagonal v-hat both depart from (121).")]

# --- Proposition 3 (Adai) ---------------------------------------------------------------------------------------
ADAI_POINT = {"H": -0.5, "eta": 0.002, "B": 16.0, "beta_0": 0.1}


def adai_build(point, rng):
    T_max = 400
    steps = _steps(T_max)
    eigs = mo.eigs_of(point)
    c = np.abs(eigs) / point["B"]
    v_bar = c.mean()
    b1 = 1 - point["beta_0"] * c / v_bar
    paths, _ = optimizer_on_saddle(lambda C: Adai(point["eta"], beta0=point["beta_0"]), eigs, point["B"], T_max,
                                   N_PATHS, rng, record=tuple(steps), rotate=True)
    stats = [_msd(p[:, 0]) for p in paths]
    Ts = np.array(steps, dtype=float)
    diffusion = c[0] * point["eta"] ** 2 * Ts
    drift = float(_lam(mo.PROP3_RHS, [mo.vbar, mo.eta, mo.beta0])(v_bar, point["eta"], point["beta_0"]))
    cols = {"T": Ts, "printed: diffusion + (Prop. 3)": diffusion + drift, "diffusion term |H| eta^2 T/B": diffusion,
            "exact, ideal fixed beta1 (bias-corrected)": [
                float(heavy_ball_exact_variance(0.0, c[0], T, point["eta"], b1[0], 1 - b1[0], bias_correction=True))
                for T in steps],
            "Adai (Algorithm 2) simulated": [m for m, _ in stats],
            "Adai (Algorithm 2) simulated_se": [s for _, s in stats]}
    kinds = {"printed: diffusion + (Prop. 3)": "formula", "diffusion term |H| eta^2 T/B": "formula",
             "exact, ideal fixed beta1 (bias-corrected)": "exact", "Adai (Algorithm 2) simulated": "simulated"}
    return cols, kinds


ADAI_CURVES = [Curve("Adai near a saddle: MSD along the first eigenvector", "T", ADAI_POINT, adai_build)]
