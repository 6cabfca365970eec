"""The paper's notation, typed once: the learning rate, landscape tensors, index contractions, Landau symbols.

Conventions (paper Sec. 1.2): the learning rate is an inverse metric eta^{mu nu} that raises indices. In the
scalar reading eta^{mu nu} = eta delta^{mu nu} each raised index brings one factor eta, so for instance
C_{mu nu} H^{mu nu} = eta^2 tr(C H). Contractions are symbols here (as printed); a check substitutes what
they mean on a concrete landscape (`CONTRACTIONS` gives the power of eta each one carries). Expressions
written in an eigenbasis (Example 1, Cor. 1, Cor. 2) are sums over eigen-indices of tensor functions
H(mu, mu), C(mu, nu), J(mu, nu, lambda), S(mu, nu, lambda); `in_eigenbasis` evaluates them on arrays.
"""
from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from theory import BigO
from theory.series import ETA

eta = ETA                                                   # the scalar learning rate, eta > 0
T = sp.Symbol("T", integer=True, nonnegative=True)          # number of SGD updates
N = sp.Symbol("N", integer=True, positive=True)             # training points
Bs = sp.Symbol("B", positive=True)                          # batch size (a real symbol where it is continued)
M = sp.Symbol("M", positive=True)                           # "M = T/N updates per point" (Sec. 1.2)
M0 = sp.Symbol("M_0", positive=True)                        # epochs of the many-epoch run (Cor. 4)
n_dim = sp.Symbol("n", integer=True, positive=True)         # dimension of weight space
mu, nu = sp.symbols("mu nu", integer=True, nonnegative=True)
lam = sp.Symbol("lambda", integer=True, nonnegative=True)   # the free index of a vector statement

# tensors at the initial point (Def. 1), as functions of eigen-indices 1..n
Hf, Cf = sp.Function("H"), sp.Function("C")
Jf, Sf = sp.Function("J"), sp.Function("S")
NORM_ETA_H = sp.Symbol(r"\|\eta H\|_2", positive=True)     # spectral norm of eta H (Remark 1, isotropic case)


# the statement of a claim made in words only (a figure, an aim): nothing to mutate, its checks say why
IN_WORDS = sp.Symbol(r"\text{stated in words}")


class TensorSum(sp.Expr):
    """A sum over eigen-indices 1..n with n symbolic, printed as SymPy's Sum but opaque to doit and simplify
    (SymPy's closed-form search on sums of undefined tensor functions takes minutes and finds nothing):
    `in_eigenbasis` writes it out term by term on a concrete model."""
    is_commutative = True

    def __new__(cls, function, *limits):
        return sp.Expr.__new__(cls, sp.sympify(function), *[sp.Tuple(*lim) for lim in limits])

    @property
    def function(self):
        return self.args[0]

    @property
    def limits(self):
        return self.args[1:]

    def as_sum(self) -> sp.Sum:
        return sp.Sum(self.args[0], *self.args[1:])

    @property
    def free_symbols(self):               # the summation indices are bound
        return self.as_sum().free_symbols

    def _latex(self, printer):
        return printer._print(self.as_sum())

    def _sympystr(self, printer):
        return printer._print(self.as_sum())

    def _pretty(self, printer):
        return printer._print(self.as_sum())


class LittleO(BigO):
    """o(...): numeric checks drop it like O(...); `remainder_spec` tells the two apart."""


LittleO.__name__ = "o"

# index contractions of the paper, with the power of eta their raised indices carry (scalar reading)
GG = sp.Symbol(r"G_{\mu}G^{\mu}")
GHG = sp.Symbol(r"G_{\mu}H^{\mu}_{\nu}G^{\nu}")
CH = sp.Symbol(r"C_{\mu\nu}H^{\mu\nu}")
DCG = sp.Symbol(r"(\nabla_{\mu}C^{\nu}_{\nu})G^{\mu}")
DC = sp.Symbol(r"\nabla^{\mu}C^{\nu}_{\nu}")
TRC = sp.Symbol(r"C^{\nu}_{\nu}")
HG = sp.Symbol(r"H^{\mu}_{\nu}G^{\nu}")
SJ = sp.Symbol(r"S_{\mu\nu\lambda}J^{\mu\nu\lambda}")
CHH = sp.Symbol(r"C_{\mu\nu}H^{\mu\lambda}H_{\lambda}^{\nu}")
GHG_T = sp.Symbol(r"G_{\mu}H^{\mu\nu}G_{\nu}")              # Cor. 5 corrected (all indices raised by eta)
CONTRACTIONS = {GG: 1, GHG: 2, CH: 2, DCG: 2, DC: 2, TRC: 1, HG: 2, SJ: 3, CHH: 3, GHG_T: 2}


def contract(expr, values: dict, eta_symbol=eta):
    """The statement on a concrete 1-D (or already contracted) landscape: every contraction symbol replaced by
    eta^k times its value (`values` maps contraction symbols to plain numbers or expressions)."""
    missing = [s for s in sp.sympify(expr).free_symbols if s in CONTRACTIONS and s not in values]
    if missing:
        raise KeyError(f"no value given for the contraction(s) {missing}")
    return sp.sympify(expr).xreplace({s: eta_symbol ** CONTRACTIONS[s] * v for s, v in values.items()})


def in_eigenbasis(expr, tensors: dict, dim: int, extra: dict | None = None):
    """Evaluate sums over eigen-indices 1..dim: ``tensors`` maps H, C, J, S (functions) to numpy arrays (0-based)
    or SymPy matrices/arrays; the remaining symbols stay (eta, T, ...). ``extra`` substitutes further symbols."""
    e = _unroll(sp.sympify(expr).subs(n_dim, dim))

    def value(a):
        arr = tensors[type(a)]
        idx = tuple(int(i) - 1 for i in a.args)
        if any(i < 0 or i >= dim for i in idx):
            raise IndexError(f"{a} is outside the {dim}-dimensional eigenbasis")
        v = arr[idx] if not isinstance(arr, sp.MatrixBase) else arr[idx[0], idx[1]]
        return sp.nsimplify(v) if isinstance(v, (float, np.floating)) else sp.sympify(v)

    e = e.replace(lambda a: isinstance(a, AppliedUndef) and type(a) in tensors, value)
    return e.xreplace(extra) if extra else e


def _unroll(e):
    """Finite sums written out term by term (SymPy's Sum.doit tries closed forms first, which is slow)."""
    if isinstance(e, (sp.Sum, TensorSum)):
        body = _unroll(e.function)
        for i, lo, hi in reversed(e.limits):
            lo, hi = int(lo), int(hi)
            body = sp.Add(*[body.xreplace({i: sp.Integer(k)}) for k in range(lo, hi + 1)])
        return body
    if not e.args or not e.has(sp.Sum, TensorSum):
        return e
    return e.func(*[_unroll(a) for a in e.args])


def remainder_spec(statement) -> tuple[int, bool] | None:
    """(d, little) for a statement ending in o(eta^d) (little) or O(eta^d); None without a Landau term."""
    terms = [a for a in sp.sympify(statement).atoms(BigO)]
    if not terms:
        return None
    arg = terms[0].args[0]
    d = sp.degree(arg, eta) if arg.has(eta) else 0
    return int(d), isinstance(terms[0], LittleO)


def taylor(expr, order: int, symbol=eta):
    """Taylor polynomial of expr in eta through eta^order (expr may hold exp(-eta T H) and the like: each
    exponential of a multiple of eta is replaced by its own truncated series first, which is exact through
    eta^order as long as it is divided by at most two powers of eta, as in the paper's formulas)."""
    expr = sp.sympify(expr)
    if not expr.is_polynomial(symbol):
        k = order + 3
        expr = expr.replace(lambda a: isinstance(a, sp.exp) and a.args[0].has(symbol) and
                            sp.expand(a.args[0]).subs(symbol, 0) == 0,
                            lambda a: sum(a.args[0] ** j / sp.factorial(j) for j in range(k + 1)))
        expr = sp.expand(expr)
        if not expr.is_polynomial(symbol):
            return sp.expand(sp.series(expr, symbol, 0, order + 1).removeO())
    e = sp.expand(expr)
    return sp.expand(sum(e.coeff(symbol, j) * symbol ** j for j in range(order + 1)))


def coefficients(expr, order: int, symbol=eta) -> list:
    e = sp.expand(taylor(expr, order, symbol))
    return [sp.simplify(e.coeff(symbol, k)) for k in range(order + 1)]


def full_contraction(a, b, P=None):
    """sum a_{ijk} b_{lmn} P^{il} P^{jm} P^{kn} (P the identity by default), for two 3-tensors."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    P = np.eye(a.shape[0]) if P is None else np.asarray(P, dtype=float)
    return float(np.einsum("ijk,lmn,il,jm,kn->", a, b, P, P, P))


def sym3(values, dim):
    """A 3-tensor (numpy) from a dict of index triples, symmetrized."""
    out = np.zeros((dim,) * 3)
    for (i, j, k), v in values.items():
        for p in set(itertools.permutations((i, j, k))):
            out[p] = v
    return out
