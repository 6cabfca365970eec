"""SGD with multiplicative noise: the sampled loss L(w; x) = x w^2 / 2 with a random curvature x.

One SGD step is w_t = (1 - lambda x_t) w_{t-1}, so ln|w_t / w_0| = sum_i ln|1 - lambda x_i|. The kernel
runs the recursion in the log domain (w underflows to 0 or overflows long before the questions of
interest are settled) and keeps the sign; a factor that is exactly 0 sends the path to w = 0 for
good (log = -inf). Draws are made in blocks, vectorized over paths.
"""
from __future__ import annotations

import numpy as np

from .loop import run

BLOCK = 1 << 20


def two_point_curvatures(a: float, rng: np.random.Generator, shape) -> np.ndarray:
    """x = 1 or x = a - 1 with probability 1/2 each (mean a/2): the distribution of the `ziyin` paper."""
    return np.where(rng.random(shape) < 0.5, 1.0, a - 1.0)


def log_abs_w(lam: float, a: float, T: int, n_paths: int, rng: np.random.Generator,
              record: tuple[int, ...] | None = None, log_w0: np.ndarray | float = 0.0) -> dict[int, np.ndarray]:
    """ln|w_t| of n_paths SGD runs on x w^2/2 with two-point curvature, at the recorded steps."""
    record = (int(T),) if record is None else tuple(sorted(set(int(s) for s in record)))
    logw = np.array(np.broadcast_to(np.asarray(log_w0, dtype=float), (n_paths,)))
    out: dict[int, np.ndarray] = {}
    if 0 in record:
        out[0] = logw.copy()
    block = max(1, BLOCK // n_paths)
    step = 0
    with np.errstate(divide="ignore"):
        while step < record[-1]:
            todo = min(block, record[-1] - step)
            factors = np.log(np.abs(1.0 - lam * two_point_curvatures(a, rng, (todo, n_paths))))
            partial = np.cumsum(factors, axis=0)
            for s in record:
                if step < s <= step + todo:
                    out[s] = logw + partial[s - step - 1]
            logw = logw + partial[-1]
            step += todo
    return out


def exact_log_growth_distribution(lam: float, a: float, T: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact law of ln|w_T/w_0|: k ~ Binomial(T, 1/2) draws of x = 1 give
    k ln|1 - lambda| + (T - k) ln|1 - lambda (a - 1)|. Returns (values, probabilities) over k = 0..T."""
    from scipy import stats

    k = np.arange(T + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = k * np.log(abs(1 - lam)) + (T - k) * np.log(abs(1 - lam * (a - 1)))
    values = np.where(k == 0, T * np.log(abs(1 - lam * (a - 1))), values)   # 0 x (-inf) is 0 draws of x = 1
    return values, stats.binom.pmf(k, T, 0.5)


def exact_escape_fraction(lam: float, a: float, T: int) -> float:
    """P(|w_T| > |w_0|) exactly."""
    values, probs = exact_log_growth_distribution(lam, a, T)
    return float(probs[values > 0].sum())


def sharp_flat_sgd(lam: float, a: float, b: float, T: int, n_paths: int, rng: np.random.Generator,
                   w_init: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """SGD on the 2-D landscape of `ziyin` Eq. (10) with x = +-1 (probability 1/2 each), from w ~ U[-1, 1]^2.

    The sampled gradient is (-2w1 + 4w1^3 + 12 w2^2 w1 + x b w1, -2w2 + 4w2^3 + 12 w1^2 w2 - 2a w2), Eq. (86).
    Returns (w1, w2) after T steps; paths that overflow come back as nan (on the one stepping loop).
    """
    if w_init is None:
        w = np.column_stack([rng.uniform(-1, 1, n_paths), rng.uniform(-1, 1, n_paths)])
    else:
        w = np.column_stack([np.array(v, dtype=float) for v in w_init])

    def step(w, rng):
        x = np.where(rng.random(w.shape[0]) < 0.5, 1.0, -1.0)
        w1, w2 = w[:, 0], w[:, 1]
        g1 = w1 * (-2 + 4 * w1 * w1 + 12 * w2 * w2 + x * b)
        g2 = w2 * (-2 + 4 * w2 * w2 + 12 * w1 * w1 - 2 * a)
        return np.column_stack([w1 - lam * g1, w2 - lam * g2])

    traj = run(step, w, int(T), rng, save=(int(T),))
    end = traj.saved[int(T)]
    return end[:, 0], end[:, 1]
