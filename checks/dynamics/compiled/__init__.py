"""Compiled (numba) kernels, one module per family of dynamics, each the fused twin of a plain-numpy kernel:

- ``linear``: x <- A x + F z (SGD on a quadratic, Langevin by Euler-Maruyama) and the coupled Euler pair;
- ``saddle``: SGD, Momentum, Adam (eps inside or outside the root), idealized Adam, Adai and AMSGrad on a
  d-dimensional quadratic saddle with Gaussian gradient noise;
- ``escape``: first-exit times on 1-D potentials, Gaussian or symmetric alpha-stable gradient noise;
- ``multiplicative``: SGD with multiplicative noise (`ziyin`): ln|w_t|, and the 2-D landscape.

Every kernel draws from one xoshiro256++ stream per fixed block of paths (``checks.dynamics.rng``), seeded
from the caller's SeedSequence (or Generator), and runs the blocks in parallel: the result is the same for
any number of threads. Without numba each public function answers with its plain-numpy reference and a
warning.
"""
from ..jit import enabled, threads
from ._common import BLOCK, EscapeTimes, Paths
from .escape import Potential, cosine_valley, double_well, escape_times, min_quadratics, quadratic
from .linear import euler_maruyama_pair, simulate
from .multiplicative import log_abs_w, sharp_flat_sgd
from .optimizers import OptimizerSpec, adai, adam, amsgrad, heavy_ball, idealized_adam, sgd, spec_of
from .saddle import optimizer_on_saddle, saddle_paths

__all__ = ["BLOCK", "EscapeTimes", "OptimizerSpec", "Paths", "Potential", "adai", "adam", "amsgrad", "cosine_valley",
           "double_well", "enabled", "escape_times", "euler_maruyama_pair", "heavy_ball", "idealized_adam",
           "log_abs_w", "min_quadratics", "optimizer_on_saddle", "quadratic", "saddle_paths", "sgd",
           "sharp_flat_sgd", "simulate", "spec_of", "threads"]
