"""Monte Carlo of SGD on a loss with sampled data, with common random numbers across learning rates.

SGD as the `diagrams` paper defines it: theta <- theta - eta * mean over the batch of grad l_x(theta).
- online (N=None): every step draws a fresh batch of B points (one epoch over N = T B points: the
  paper body's E = B = 1 SGD when B = 1);
- training set (N given): each path draws N points once; epochs visit them in batches of B without
  replacement (shuffle='reshuffle': a new order each epoch, 'fixed': one order for all epochs,
  'cyclic': the order 0..N-1), or with replacement (B uniform draws per step). GD is B = N.
Every learning rate sees the same data and the same orders (common random numbers), so differences
between learning rates carry far less sampling noise than independent runs would.

`run_sde` runs the SDE with SGD's drift and per-step covariance (d theta = -eta G dt + eta (C/B)^(1/2)
dW, time in steps) by Euler-Maruyama with `substeps` per step, the same Wiener increments for every
learning rate. Paths that leave |theta| < blowup (or go non-finite) are frozen and reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BLOCK = 1 << 21            # random numbers drawn per block


class SimulationError(ValueError):
    """Bad arguments to the SGD kernels; the message names the argument."""


@dataclass
class SGDRun:
    etas: np.ndarray                              # (n_eta,)
    records: dict[int, np.ndarray]                # step -> observe(theta): (n_eta, n_paths, k)
    diverged: np.ndarray                          # (n_eta, n_paths) bool
    time_average: np.ndarray | None = None        # mean of observe(theta_t) over average_from <= t <= T
    train: np.ndarray | None = None               # (n_paths, N, data_dim): the training sets
    info: dict = field(default_factory=dict)

    @property
    def diverged_fraction(self) -> np.ndarray:
        return self.diverged.mean(axis=1)


def _validate(etas, T, n_paths, B, N, theta0):
    etas = np.atleast_1d(np.asarray(etas, dtype=float))
    if etas.ndim != 1 or not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise SimulationError(f"etas={etas!r} must be a list of positive learning rates")
    for name, value in (("T", T), ("n_paths", n_paths), ("B", B)):
        if not isinstance(value, (int, np.integer)) or value < (0 if name == "T" else 1):
            raise SimulationError(f"{name}={value!r} must be a {'nonnegative' if name == 'T' else 'positive'} integer")
    if N is not None and (not isinstance(N, (int, np.integer)) or N < 1):
        raise SimulationError(f"N={N!r} must be a positive integer or None (fresh data every step)")
    theta0 = np.atleast_1d(np.asarray(theta0, dtype=float))
    if theta0.ndim not in (1, 2) or not np.all(np.isfinite(theta0)):
        raise SimulationError("theta0 must be a finite vector (dim,) or an array (n_paths, dim)")
    return etas, theta0


def _as_data(x, shape):
    x = np.asarray(x, dtype=float)
    if x.shape == shape:
        x = x[..., None]
    if x.shape[:len(shape)] != shape:
        raise SimulationError(f"sample(rng, {shape}) returned shape {x.shape}")
    return x


def _record_steps(record, T):
    steps = (T,) if record is None else tuple(sorted({int(s) for s in record}))
    if any(s < 0 or s > T for s in steps):
        raise SimulationError(f"record={record!r}: steps must lie in [0, T={T}]")
    return steps


def run_sgd(grad, sample, theta0, etas, T, n_paths, rng, *, B=1, N=None, replacement=False, shuffle="reshuffle",
            record=None, observe=None, average_from=None, batch_grad=None, blowup=1e100) -> SGDRun:
    """SGD for every learning rate in `etas` on the same data.

    grad(theta, x): per-sample gradient, broadcasting theta (..., dim) against data x (..., data_dim);
    sample(rng, shape): data of shape shape + (data_dim,) (or just `shape` for scalar data);
    batch_grad(theta, xb), if given, replaces the batch mean of grad (xb: (..., B, data_dim));
    observe(theta) -> (..., k) is recorded at the steps in `record` (default: theta at T) and, with
    average_from, averaged over the steps average_from..T (for stationary expectations).
    """
    etas, theta0 = _validate(etas, T, n_paths, B, N, theta0)
    if shuffle not in ("reshuffle", "fixed", "cyclic"):
        raise SimulationError(f"shuffle={shuffle!r} must be 'reshuffle', 'fixed' or 'cyclic'")
    if N is not None and not replacement and N % B:
        raise SimulationError(f"B={B} must divide N={N} for batches without replacement")
    if average_from is not None and not 0 <= average_from <= T:
        raise SimulationError(f"average_from={average_from} must lie in [0, T={T}]")
    observe = observe or (lambda th: th)
    steps = _record_steps(record, T)
    n_eta = len(etas)
    theta = np.broadcast_to(theta0, (n_eta, n_paths, theta0.shape[-1])).copy()
    lr = etas[:, None, None]
    alive = np.ones((n_eta, n_paths), dtype=bool)
    train = None if N is None else _as_data(sample(rng, (n_paths, N)), (n_paths, N))
    order = np.tile(np.arange(N), (n_paths, 1)) if N is not None else None
    if N is not None and shuffle == "fixed":
        order = rng.permuted(order, axis=1)
    records, avg, n_avg = {}, None, 0

    def keep(t):
        nonlocal avg, n_avg
        obs = np.asarray(observe(theta), dtype=float)
        obs = obs[..., None] if obs.ndim == 2 else obs
        if t in steps:
            records[t] = np.where(alive[..., None], obs, np.nan)
        if average_from is not None and t >= average_from:
            avg = obs.copy() if avg is None else avg + obs
            n_avg += 1

    keep(0)
    block = max(1, BLOCK // (n_paths * B))
    fresh = None
    rows = np.arange(n_paths)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            if N is None:
                if fresh is None or t % block == 0:
                    k = min(block, T - t)
                    fresh = _as_data(sample(rng, (k, n_paths, B)), (k, n_paths, B))
                xb = fresh[t % block]
            else:
                if replacement:
                    idx = rng.integers(0, N, size=(n_paths, B))
                else:
                    start = (t * B) % N
                    if start == 0 and shuffle == "reshuffle":
                        order = rng.permuted(np.tile(np.arange(N), (n_paths, 1)), axis=1)
                    idx = order[:, start:start + B]  # type: ignore[index]
                xb = train[rows, idx]  # type: ignore[index]
            if batch_grad is not None:
                g = batch_grad(theta, np.broadcast_to(xb, (n_eta,) + xb.shape))
            else:
                g = grad(theta[:, :, None, :], xb[None]).mean(axis=2)
            new = theta - lr * g
            ok = np.all(np.isfinite(new), axis=-1) & (np.max(np.abs(new), axis=-1) < blowup)
            alive &= ok
            theta = np.where(alive[..., None], new, theta)
            keep(t + 1)
    average = None if avg is None else np.where(alive[..., None], avg / n_avg, np.nan)
    return SGDRun(etas, records, ~alive, average, train, {"T": T, "B": B, "N": N, "replacement": replacement,
                                                          "shuffle": shuffle})


def run_sde(mean_grad, noise_sqrt, theta0, etas, T, n_paths, rng, *, B=1, substeps=16, record=None,
            observe=None, blowup=1e100) -> SGDRun:
    """Euler-Maruyama for d theta = -eta G dt + eta (C/B)^(1/2) dW with time counted in SGD steps.

    mean_grad(theta) -> G (..., dim); noise_sqrt(theta) -> a matrix R (..., dim, dim) with R R^T = C.
    Each step is `substeps` sub-steps of length 1/substeps (the paper's App. C.4 refines by 16)."""
    etas, theta0 = _validate(etas, T, n_paths, B, None, theta0)
    if not isinstance(substeps, (int, np.integer)) or substeps < 1:
        raise SimulationError(f"substeps={substeps!r} must be a positive integer")
    observe = observe or (lambda th: th)
    steps = _record_steps(record, T)
    n_eta, dim = len(etas), theta0.shape[-1]
    theta = np.broadcast_to(theta0, (n_eta, n_paths, dim)).copy()
    lr = etas[:, None, None]
    h = 1.0 / substeps
    alive = np.ones((n_eta, n_paths), dtype=bool)
    records = {}
    if 0 in steps:
        records[0] = np.asarray(observe(theta), dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            for _ in range(substeps):
                dw = rng.standard_normal((n_paths, dim)) * np.sqrt(h)
                noise = np.einsum("...ij,...j->...i", noise_sqrt(theta), np.broadcast_to(dw, theta.shape))
                new = theta - lr * mean_grad(theta) * h + lr * noise / np.sqrt(B)
                ok = np.all(np.isfinite(new), axis=-1) & (np.max(np.abs(new), axis=-1) < blowup)
                alive &= ok
                theta = np.where(alive[..., None], new, theta)
            if t + 1 in steps:
                obs = np.asarray(observe(theta), dtype=float)
                obs = obs[..., None] if obs.ndim == 2 else obs
                records[t + 1] = np.where(alive[..., None], obs, np.nan)
    return SGDRun(etas, records, ~alive, None, None, {"T": T, "B": B, "substeps": substeps})


# ------------------------------------------------------------------ exact expectations by enumeration
MAX_ENUMERATED = 1 << 21     # paths (or training sets x orders) summed exactly


def _discrete_law(values, probs):
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values
    probs = np.asarray(probs, dtype=float)
    if values.ndim != 2 or probs.shape != (values.shape[0],):
        raise SimulationError("values must be (k,) or (k, data_dim) and probs (k,)")
    if np.any(probs < 0) or not np.isclose(probs.sum(), 1.0, rtol=0, atol=1e-12):
        raise SimulationError(f"probs={probs.tolist()} must be nonnegative and sum to 1")
    return values, probs


def enumerate_sgd(grad, values, probs, theta0, etas, T, observe=None, B=1):
    """Exact E[observe(theta_T)] of SGD with fresh batches of B i.i.d. draws from a finite law, for every
    learning rate: the sum over all k^(T B) data sequences weighted by their probabilities (no sampling
    error). Returns an array (n_eta, k_obs)."""
    etas, theta0 = _validate(etas, T, 1, B, None, theta0)
    values, probs = _discrete_law(values, probs)
    k = len(probs)
    if float(k) ** (T * B) > MAX_ENUMERATED:
        raise SimulationError(f"enumerating {k}^{T * B} data sequences exceeds {MAX_ENUMERATED}: use fewer steps")
    observe = observe or (lambda th: th)
    theta = np.broadcast_to(theta0, (len(etas), 1, theta0.shape[-1])).astype(float)
    weight = np.ones(1)
    lr = etas[:, None, None]
    batches = np.array(np.meshgrid(*[np.arange(k)] * B, indexing="ij")).reshape(B, -1).T     # (k^B, B)
    batch_p = np.prod(probs[batches], axis=1)
    xb = values[batches]                                                                      # (k^B, B, dim)
    for _ in range(T):
        n = theta.shape[1]
        th = np.repeat(theta, len(batch_p), axis=1)                                           # path-major
        x = np.tile(xb, (n, 1, 1))
        g = grad(th[:, :, None, :], x[None]).mean(axis=2)
        theta = th - lr * g
        weight = np.repeat(weight, len(batch_p)) * np.tile(batch_p, n)
    obs = np.asarray(observe(theta), dtype=float)
    obs = obs[..., None] if obs.ndim == 2 else obs
    return np.einsum("p,epk->ek", weight, obs)


def enumerate_training_sgd(grad, values, probs, theta0, etas, N, schedules, observe=None):
    """Exact E[observe(theta_T, training set)] of SGD on a training set of N i.i.d. points from a finite
    law, averaged over every training set and over `schedules`: a list of (batches, weight), each batch a
    tuple of point indices (GD: one batch of all N points per step). observe(theta, train) gets the
    training sets (n_sets, N, data_dim). Returns an array (n_eta, k_obs)."""
    etas, theta0 = _validate(etas, 0, 1, 1, N, theta0)
    values, probs = _discrete_law(values, probs)
    k = len(probs)
    if float(k) ** N * len(schedules) > MAX_ENUMERATED:
        raise SimulationError(f"enumerating {k}^{N} training sets x {len(schedules)} orders exceeds {MAX_ENUMERATED}")
    if not schedules or not np.isclose(sum(w for _, w in schedules), 1.0, atol=1e-12):
        raise SimulationError("schedules must be a non-empty list of (batches, weight) with weights summing to 1")
    observe = observe or (lambda th, train: th)
    sets = np.array(np.meshgrid(*[np.arange(k)] * N, indexing="ij")).reshape(N, -1).T           # (k^N, N)
    set_p = np.prod(probs[sets], axis=1)
    train = values[sets]                                                                       # (k^N, N, dim)
    lr = etas[:, None, None]
    total = 0.0
    for batches, w in schedules:
        theta = np.broadcast_to(theta0, (len(etas), len(set_p), theta0.shape[-1])).astype(float)
        for batch in batches:
            xb = train[:, list(batch), :]
            theta = theta - lr * grad(theta[:, :, None, :], xb[None]).mean(axis=2)
        obs = np.asarray(observe(theta, train), dtype=float)
        obs = obs[..., None] if obs.ndim == 2 else obs
        total = total + w * np.einsum("p,epk->ek", set_p, obs)
    return total


def epoch_schedules(N, B, epochs, shuffle="reshuffle"):
    """(batches, weight) lists for `epochs` passes over N points in batches of B: 'cyclic' (0..N-1 every
    epoch) or 'reshuffle' (the first epoch in order, then every order of each later epoch, equally
    weighted: by exchangeability of i.i.d. points this is the average over uniform reshuffling)."""
    import itertools
    import math

    if N % B:
        raise SimulationError(f"B={B} must divide N={N}")
    chunks = lambda perm: [tuple(perm[i:i + B]) for i in range(0, N, B)]
    first = chunks(list(range(N)))
    if shuffle == "cyclic":
        return [(first * epochs, 1.0)]
    if shuffle != "reshuffle":
        raise SimulationError(f"shuffle={shuffle!r} must be 'cyclic' or 'reshuffle'")
    count = math.factorial(N) ** (epochs - 1)
    later = itertools.product(itertools.permutations(range(N)), repeat=epochs - 1)
    return [(first + [b for perm in rest for b in chunks(list(perm))], 1.0 / count) for rest in later]
