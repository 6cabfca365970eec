"""What the compiled kernels share: block sizes, the result records, argument normalisation."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import linear as _linear
from .. import rng as _rng
from ..escape import EscapeTimes  # noqa: F401  (the compiled kernels return the reference's record)

BLOCK = 256                    # paths per random stream (fixed: results do not depend on the thread count)
BLOWUP = 1e100                 # |x| beyond this (or a non-finite value) counts as divergence


@dataclass
class Paths(_linear.Paths):
    """linear.Paths with the work done (path-steps). A path that diverged stops there; its later records
    are nan, so nothing is averaged over it by accident."""

    path_steps: int = 0


def record_steps(record, T=None) -> np.ndarray:
    """Sorted distinct non-negative recording steps as int64 (T alone: just the last step)."""
    steps = (int(T),) if record is None else record
    out = np.array(sorted(set(int(s) for s in steps)), dtype=np.int64)
    if out.size == 0 or out[0] < 0:
        raise ValueError(f"record steps must be non-negative and not empty, got {record!r}")
    return out


def streams(seed, n_paths: int, block: int = BLOCK) -> np.ndarray:
    return _rng.block_states(seed, _rng.n_blocks(n_paths, block))


def start_positions(x0, n_paths: int, d: int) -> np.ndarray:
    x = np.zeros((n_paths, d)) if x0 is None else np.broadcast_to(np.asarray(x0, dtype=float), (n_paths, d))
    return np.ascontiguousarray(x, dtype=float)


def as_generator(seed) -> np.random.Generator:
    """A numpy Generator for the reference kernels (the fallback without numba)."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(_rng.as_seed_sequence(seed))


def one_minus_powers(beta: float, T: int) -> np.ndarray:
    """c[t] = 1 - beta**t for t = 0..L (Python's pow, as the reference optimizers compute it); L stops
    where c reaches 1.0 exactly (the kernels use 1.0 beyond), so long runs need no long tables."""
    out = [0.0]
    for t in range(1, int(T) + 1):
        c = 1 - beta ** t
        out.append(c)
        if c == 1.0:
            break
    return np.array(out)
