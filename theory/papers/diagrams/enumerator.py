"""The paper's diagrams for 1-D weights and E = B = 1 SGD (Sec. 2, App. B), enumerated and evaluated.

A labeled diagram with n non-root nodes is a rooted tree (root 0, parent map on 1..n) with a partition of the
non-root nodes that obeys the path condition (no leaf-to-root path meets a part twice). Summing over labeled
diagrams with weight 1/n! is summing over diagrams with their embeddings up to automorphism (1/|Aut_f|), the
convention of Thm. 1's proof. A node of degree d carries the d-th derivative of l_x at theta0 (the root's is
averaged alone); a part carries the moment or the cumulant of its nodes' derivatives; the root sits at time T
and each part at a time 0 <= t < T, children strictly before parents. Edges carry eta (path integral, Thm. 3)
or K^(dt - 1) eta with K = 1 - eta H (re-summed values, Thm. 1).
"""
from __future__ import annotations

import itertools
import math
from functools import cache

import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from theory.series.laws import _Law

from .notation import eta


def _trees(n: int):
    for par in itertools.product(range(n + 1), repeat=n):
        parent = {i + 1: par[i] for i in range(n)}
        ok = True
        for v in parent:
            seen, w = set(), v
            while w != 0 and ok:
                if w in seen or parent[w] == w:
                    ok = False
                seen.add(w)
                w = parent[w]
        if ok:
            yield parent


@cache
def labeled_diagrams(n: int) -> tuple:
    out = []
    for parent in _trees(n):
        parts = multiset_partitions(list(range(1, n + 1))) if n else [[]]
        for part in parts:
            part = tuple(tuple(p) for p in part)
            where = {v: i for i, p in enumerate(part) for v in p}
            ok = True
            for v in parent:
                seen, w = set(), v
                while w != 0 and ok:
                    if where[w] in seen:
                        ok = False
                    seen.add(where[w])
                    w = parent[w]
            if ok:
                out.append((parent, part))
    return tuple(out)


def degree(parent: dict, v: int) -> int:
    """Edges at a node: its children, plus the edge to its parent (the root has none)."""
    return sum(1 for w in parent if parent[w] == v) + (1 if v != 0 else 0)


def irreducible(parent: dict, part: tuple, definition: str) -> bool:
    size = {v: len(p) for p in part for v in p}
    deg2 = [v for v in parent if degree(parent, v) == 2]
    if definition == "printed":            # "each of its degree-2 nodes is in a part of size one"
        return all(size[v] == 1 for v in deg2)
    return all(size[v] > 1 for v in deg2)  # no non-root degree-2 node alone in its part


class Landscape1D:
    """Random derivatives of l_x at theta0 and their moments and cumulants (exact)."""

    def __init__(self, loss, param, data: dict, theta0, max_degree: int = 5):
        self.law = _Law(data, "enumerator")
        self.d = [sp.diff(loss, param, k).subs(param, theta0) for k in range(max_degree + 1)]
        self.mean = [sp.simplify(self.law.expect(e)) for e in self.d]

    @cache  # noqa: B019 - one landscape per model, kept for the process
    def moment(self, degs: tuple) -> sp.Expr:
        return sp.simplify(self.law.expect(sp.Mul(*[self.d[k] for k in degs])))

    @cache  # noqa: B019
    def cumulant(self, degs: tuple) -> sp.Expr:
        total = 0
        for blocks in multiset_partitions(list(range(len(degs)))):
            m = len(blocks)
            total += (-1) ** (m - 1) * math.factorial(m - 1) * sp.Mul(
                *[self.moment(tuple(sorted(degs[i] for i in b))) for b in blocks])
        return sp.simplify(total)


def _times(parent, part, T, injective):
    where = {v: i for i, p in enumerate(part) for v in p}
    for times in itertools.product(range(T), repeat=len(part)):
        if injective and len(set(times)) < len(part):
            continue
        tt = (lambda v, times=times: T if v == 0 else times[where[v]])
        if all(tt(v) < tt(parent[v]) for v in parent):
            yield tt


def _value(land, parent, part, values):
    f = land.cumulant if values == "cumulant" else land.moment
    return land.mean[degree(parent, 0)] * sp.Mul(*[f(tuple(sorted(degree(parent, v) for v in p))) for p in part])


def path_integral(land: Landscape1D, T: int, order: int) -> sp.Expr:
    """Thm. 3 with B = 1: every diagram, moments, injective embeddings, (-eta)^n / n! per labeled diagram."""
    total = land.mean[0]
    for n in range(1, order + 1):
        for parent, part in labeled_diagrams(n):
            val = _value(land, parent, part, "moment")
            if val != 0:
                count = sum(1 for _ in _times(parent, part, T, True))
                total += (-eta) ** n / math.factorial(n) * count * val
    return sp.expand(total)


def resummed(land: Landscape1D, T: int, order: int, definition: str = "corrected", values: str = "cumulant",
             injective: bool = False) -> sp.Expr:
    """Thm. 1 truncated at `order` edges: irreducible diagrams (printed or corrected definition), each edge
    K^(dt - 1) eta, sign (-1)^edges, weight 1/n! per labeled diagram; embeddings injective or not."""
    K = 1 - eta * land.mean[2]
    total = land.mean[0]
    for n in range(1, order + 1):
        for parent, part in labeled_diagrams(n):
            if not irreducible(parent, part, definition):
                continue
            val = _value(land, parent, part, values)
            if val == 0:
                continue
            s = sum(sp.Mul(*[K ** (tt(parent[v]) - tt(v) - 1) * eta for v in parent])
                    for tt in _times(parent, part, T, injective))
            total += sp.Integer(-1) ** n / math.factorial(n) * val * s
    return sp.expand(total)


def truncation_values(land: Landscape1D, Ts, eta_value: float, order: int) -> list[float]:
    """The order-`order` truncation of Thm. 1 (corrected definition, collisions allowed, cumulants) at a
    numeric eta for each T in Ts: every embedding summed with numpy over the grid of part times."""
    import numpy as np

    K = 1 - eta_value * float(land.mean[2])
    out = []
    for T in Ts:
        total = float(land.mean[0])
        for n in range(1, order + 1):
            for parent, part in labeled_diagrams(n):
                if not irreducible(parent, part, "corrected"):
                    continue
                val = float(_value(land, parent, part, "cumulant"))
                if val == 0:
                    continue
                grids = np.meshgrid(*[np.arange(T)] * len(part), indexing="ij")
                where = {v: i for i, p in enumerate(part) for v in p}
                t = lambda v: T if v == 0 else grids[where[v]]
                ok = np.ones(grids[0].shape, dtype=bool)
                w = np.ones(grids[0].shape)
                for v in parent:
                    gap = t(parent[v]) - t(v)
                    ok &= gap > 0
                    w = w * np.where(gap > 0, K ** np.maximum(gap - 1, 0) * eta_value, 0.0)
                total += (-1) ** n / math.factorial(n) * val * float(w[ok].sum())
        out.append(total)
    return out


# --- diagrams named as the paper draws them: c(parts)(edges), nodes numbered left to right, root rightmost ---
def parse(name: str):
    """'c(01-2-3)(02-12-23)' -> (edges, parts, root) with edges as (child, parent) pairs."""
    body = name[1:] if name.startswith("c") else name
    groups = body.strip("()").split(")(")
    parts = [tuple(int(ch) for ch in p) for p in groups[0].split("-")]
    nodes = sorted(v for p in parts for v in p)
    root = nodes[-1]
    adj = {v: set() for v in nodes}
    for e in groups[1].split("-"):
        a, b = int(e[0]), int(e[1])
        adj[a].add(b)
        adj[b].add(a)
    parent, stack = {}, [root]
    seen = {root}
    while stack:
        w = stack.pop()
        for y in adj[w]:
            if y not in seen:
                parent[y] = w
                seen.add(y)
                stack.append(y)
    return parent, parts, root


def automorphisms_preserving_parts(name: str) -> int:
    """|Aut_f(D)|: tree automorphisms fixing the root that map every part to itself (an embedding sends
    distinct parts to distinct times, so an automorphism preserving f preserves each part)."""
    parent, parts, root = parse(name)
    nodes = [v for p in parts for v in p if v != root]
    count = 0
    for perm in itertools.permutations(nodes):
        mp = dict(zip(nodes, perm))
        mp[root] = root
        if all(mp[parent[v]] == parent[mp[v]] for v in parent) and \
                all(sorted(mp[v] for v in p) == sorted(p) for p in parts):
            count += 1
    return count


def is_irreducible_named(name: str, definition: str) -> bool:
    parent, parts, root = parse(name)
    size = {v: len(p) for p in parts for v in p}
    deg = {v: sum(1 for w in parent if parent[w] == v) + (1 if v != root else 0) for v in size}
    deg2 = [v for v in size if v != root and deg[v] == 2] if definition == "corrected" else \
        [v for v in size if deg[v] == 2]
    if definition == "printed":
        return all(size[v] == 1 for v in deg2)
    return all(size[v] > 1 for v in deg2)


# --- Prop. 1: diagrams up to isomorphism, their automorphisms and orderings -----------------------------------
def _relabel(parent, part, perm):
    mp = {0: 0, **{i + 1: perm[i] for i in range(len(perm))}}
    edges = tuple(sorted((mp[v], mp[parent[v]]) for v in parent))
    blocks = tuple(sorted(tuple(sorted(mp[v] for v in p)) for p in part))
    return edges, blocks


def canonical(parent, part) -> tuple:
    n = len(parent)
    return min(_relabel(parent, part, perm) for perm in itertools.permutations(range(1, n + 1)))


def automorphisms(parent, part) -> int:
    """Relabelings of the non-root nodes that keep the tree and the partition (|Aut(D)|)."""
    n = len(parent)
    here = _relabel(parent, part, tuple(range(1, n + 1)))
    return sum(_relabel(parent, part, perm) == here for perm in itertools.permutations(range(1, n + 1)))


def orderings(parent, part) -> int:
    """Total orderings of the non-root nodes with children before parents and every part contiguous, counted on
    this labeled representative."""
    count = 0
    for order in itertools.permutations(sorted(parent)):
        pos = {v: i for i, v in enumerate(order)}
        if not all(parent[v] == 0 or pos[v] < pos[parent[v]] for v in parent):
            continue
        if all(max(pos[v] for v in p) - min(pos[v] for v in p) == len(p) - 1 for p in part):
            count += 1
    return count


def prop1_sum(land: Landscape1D, d: int, N: int, up_to_automorphism: bool) -> sp.Expr:
    """sum over d-edged diagrams (up to isomorphism) of |ords(D)| binom(N, P-1) multinomial(d; part sizes)
    uvalue(D), with |ords| counted on a labeled representative or divided by |Aut(D)|."""
    classes = {}
    for parent, part in labeled_diagrams(d):
        classes.setdefault(canonical(parent, part), (parent, part))
    total = 0
    for parent, part in classes.values():
        ords = sp.Rational(orderings(parent, part), automorphisms(parent, part) if up_to_automorphism else 1)
        multinomial = sp.factorial(d) / sp.Mul(*[sp.factorial(len(p)) for p in part])
        total += ords * sp.binomial(N, len(part)) * multinomial * _value(land, parent, part, "moment")
    return sp.expand(total)
