"""Monte Carlo of SGD for the claims about the process, with common random numbers across learning rates.

A claim "value = formula + o(eta^d)" is compared with simulation through ``series_mc``: the claimed mean at
each simulated eta is the statement's Taylor polynomial through eta^d plus the exact tail beyond eta^d
(exact value minus the exact series through eta^d). If the statement's coefficients are right, that is the
exact mean of the process; a wrong coefficient shifts it by the error at that eta, which the z-test sees.
Where no exact value exists (stationary laws), the tail is the exact series to a higher order K, and the
truncation beyond K is reported beside it.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from checks import MonteCarloMean, Sample
from checks.dynamics.sgd_data import run_sgd

from .kinds import claimed_order
from .notation import eta, taylor


def series_mc(name: str, simulate: Callable, etas: tuple, instantiate: Callable, exact: Callable,
              exact_series: Callable, n_paths: int, order: int | None = None) -> MonteCarloMean:
    """simulate(etas, n_paths, rng) -> per-path observables (n_paths, len(etas)); exact(etas) -> exact means;
    exact_series() -> the exact eta-series (its truncation through the claimed order is subtracted)."""
    state: dict = {}

    def formula(c):
        state["d"] = claimed_order(c) if order is None else order
        return taylor(instantiate(c), state["d"])

    def tail():
        d = state["d"]
        if ("tail", d) not in state:
            low = sp.lambdify(eta, taylor(exact_series(), d), "math")
            state["tail", d] = np.asarray(exact(tuple(etas)), dtype=float) - np.array([low(e) for e in etas])
        return state["tail", d]

    def predict(point, f):
        return np.array([float(f(**{**point, "eta": e})) for e in etas]) + tail()

    def sim(point, n, rng):
        values = np.asarray(simulate(tuple(etas), n, rng), dtype=float)
        bad = np.isnan(values).any(axis=1)               # diverged paths: reported, never averaged
        info = {"exact_mean": np.asarray(exact(tuple(etas)), dtype=float), "eta": np.asarray(etas, dtype=float)}
        return Sample(values[~bad], [f"eta={e:g}" for e in etas], diverged_fraction=float(bad.mean()), info=info)

    return MonteCarloMean(name, sim, predict, formula=formula, n_points=1, n_paths=n_paths, fixed_setting=True)


def two_point_sampler(values, probs):
    values = np.asarray(values, dtype=float)
    cut = float(probs[0])
    return lambda rng, shape: np.where(rng.random(shape) < cut, values[0], values[1])


def paired_sampler(law_a, law_b):
    """Two laws driven by the same uniforms (common random numbers): data (..., 2)."""
    (va, pa), (vb, pb) = law_a, law_b

    def sample(rng, shape):
        w = rng.random(shape)
        return np.stack([np.where(w < pa[0], va[0], va[1]), np.where(w < pb[0], vb[0], vb[1])], axis=-1)

    return sample


def stationary_average(grad, sample, dim, etas, n_paths, rng, steps, burn, observe):
    """Per-path time averages of observe(theta) over steps burn..steps (runs are independent, so the spread of
    the per-path averages gives a valid standard error); diverged paths are reported, never averaged."""
    run = run_sgd(grad, sample, np.zeros(dim), list(etas), steps, n_paths, rng, average_from=burn, observe=observe,
                  blowup=1e6)
    return run.time_average                        # (n_eta, n_paths, k), NaN on diverged paths
