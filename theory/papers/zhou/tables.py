"""Plot-ready tables of `zhou`'s claims (checks.curves.Curve): the exit-time law of Theorem 1, the eps-ladder of the
mean exit time, and exit times against the basin size for SGD, ADAM and SDE (5). Computed on demand (site, CLI), each
with its recorded seed."""
from __future__ import annotations

import numpy as np

from checks import heavytail as ht
from checks.curves import Curve

from . import models as zm


def exit_law(point, rng):
    """Survival function of X = nu(W/eps) Gamma (reading R-m) from 2000 exits of (4), against exp(-x) (Theorem 1's
    limit law), with binomial standard errors."""
    ex = zm.exits_1d(point, 2000, rng)
    t, _ = ex.survival_data()
    x_ = t * point["varepsilon"] ** point["alpha"] * zm.nu_interval(point["alpha"], 1.0, 1.0)
    grid = np.linspace(0.0, 5.0, 26)
    surv = np.array([(x_ > g).mean() for g in grid])
    return ({"x": grid.tolist(), "simulated P(X > x)": surv.tolist(),
             "simulated P(X > x)_se": np.sqrt(surv * (1 - surv) / x_.size).tolist(),
             "Theorem 1: exp(-x)": np.exp(-grid).tolist()},
            {"simulated P(X > x)": "simulated", "Theorem 1: exp(-x)": "formula"})


EXIT_LAW = [Curve("exit-time law of (4): P(nu(W/eps) Gamma > x) against exp(-x)", "x",
                  {"alpha": 1.5, "varepsilon": 0.05, "h": 0.2}, exit_law, ylabel="survival probability", log=False,
                  notes="1-D, F = x^2/2, Omega = (-1, 1), 2000 paths; m(W) by reading R-m")]


def eps_ladder(point, rng):
    """MLE mean exit times along eps (1000 paths per rung), Theorem 1's 1/(m(W) Theta(eps^-1)) (R-m) and what Sec. 4.2's
    Theta = (2/alpha) eps^-alpha would give."""
    a = point["alpha"]
    nu = zm.nu_interval(a, 1.0, 1.0)
    cols = {"eps": [], "simulated mean exit time": [], "simulated mean exit time_se": [],
            "Theorem 1 (R-m)": [], "Sec. 4.2's Theta (printed)": []}
    for e in (0.2, 0.14, 0.1, 0.07, 0.05):
        t, c = zm.exits_1d({"alpha": a, "varepsilon": e, "h": 0.2}, 1000, rng).survival_data()
        r = int((~c).sum())
        mean = t.sum() / r
        cols["eps"].append(e)
        cols["simulated mean exit time"].append(mean)
        cols["simulated mean exit time_se"].append(mean * ht.log_se_exponential(r))
        cols["Theorem 1 (R-m)"].append(1 / (e ** a * nu))
        cols["Sec. 4.2's Theta (printed)"].append(1 / (a / 2 * nu * 2 / a * e ** -a))
    return cols, {"simulated mean exit time": "simulated", "Theorem 1 (R-m)": "formula",
                  "Sec. 4.2's Theta (printed)": "formula"}


EPS_LADDER = [Curve("eps-ladder: mean exit time of (4) against eps", "eps", {"alpha": 1.5}, eps_ladder,
                    ylabel="mean exit time (SDE time)", notes="1-D, F = x^2/2, Omega = (-1, 1), h = 0.2")]


def basin_sizes(point, rng):
    """Mean exit iterations from (-b, b) for SGD, ADAM (3) and SDE (5) (v fed the step's draw), eta = 0.01, SaS(1.5)
    noise, 300 paths each, with the small-noise Levy law b^alpha scaled to SGD at the smallest b."""
    cols = {"b": [], "SGD": [], "ADAM (3)": [], "SDE (5)": [], "b^alpha law": []}
    first = None
    for b in (0.1, 0.14, 0.2):
        sgd = zm.discrete_exits("sgd", 1.5, 0.01, b, 300, rng, 60_000)
        adam = zm.discrete_exits("adam", 1.5, 0.01, b, 300, rng, 60_000)
        sde = zm.adam_sde_exits(1.5, 0.01, b, 300, rng, 60_000)
        means = [float(e.steps.sum() / max(1, e.exited.sum())) for e in (sgd, adam, sde)]
        first = first or means[0] / b ** 1.5
        cols["b"].append(b)
        for k, m in zip(("SGD", "ADAM (3)", "SDE (5)"), means):
            cols[k].append(m)
        cols["b^alpha law"].append(first * b ** 1.5)
    return cols, {"SGD": "simulated", "ADAM (3)": "simulated", "SDE (5)": "simulated", "b^alpha law": "formula"}


BASIN_SIZES = [Curve("mean exit iterations against the basin half-width b", "b", {"alpha": 1.5}, basin_sizes,
                     ylabel="mean exit iterations", notes="F = x^2/2, eta = 0.01, defaults beta1 = 0.9, beta2 = 0.999")]
