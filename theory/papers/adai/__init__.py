"""Claims of `adai`: Xie et al., "Adaptive Inertia: Disentangling the Effects of Adaptive Learning Rate
and Momentum" (shared/papers/001_37ca20cd32812da7.txt), one module per part of the paper:

- sgd: Theorem 1 (SGD diffusion near a critical point), Eqs. (2), (11)-(21);
- momentum: Eq. (3), the Momentum mapping (4)-(8), Theorem 2 and its proof (22)-(32), Eq. (10),
  Propositions 1 and 3, App. H (121)-(123);
- escape: Theorem 3 and its proof (33)-(66), Propositions 2 and 4, App. B, App. E ((119), (120), the
  Styblinski-Tang problem) and Figure 5;
- tables: plot-ready curves attached to the saddle-point claims.
"""
from . import escape, momentum, sgd, tables  # noqa: F401  (tables attaches plot-ready curves to claims)

CLAIMS = sgd.CLAIMS + momentum.CLAIMS + escape.CLAIMS
