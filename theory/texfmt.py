"""Statements as printed: valid LaTeX for every symbol name, and the printed LaTeX checked against the statement.

SymPy's own printer splits a name such as ``E[w^2]_t`` at every ``^`` and ``_`` and writes the invalid
``E[w^{2]}_{t}``; ``tex_name`` splits only outside brackets (``E[w^{2}]_{t}``). A claim may carry
``printed=`` -- the LaTeX as the paper typesets it -- which is what readers see; ``printed_agreement``
parses it (SymPy's LaTeX parser) and compares it numerically with the SymPy statement the checks use,
so the two can never drift apart silently.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
         "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
         "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "varepsilon", "varphi", "vartheta"}


def _split_scripts(name: str) -> tuple[str, list[tuple[str, str]]]:
    """base, [(op, text), ...] with ``_``/``^`` taken only at bracket depth 0."""
    depth, cuts = 0, []
    for i, ch in enumerate(name):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch in "_^" and depth == 0:
            cuts.append(i)
    if not cuts:
        return name, []
    base, scripts = name[:cuts[0]], []
    for a, b in zip(cuts, cuts[1:] + [len(name)]):
        scripts.append((name[a], name[a + 1:b]))
    return base, scripts


def _word(text: str) -> str:
    return "\\" + text if text in GREEK else text


def tex_name(name: str) -> str:
    """A symbol name as valid LaTeX. Names written in TeX (a backslash or braces) are kept as written."""
    if "\\" in name or "{" in name:
        return name
    base, scripts = _split_scripts(name)
    inner = re.sub(r"\[(.*)\]", lambda m: "[" + tex_name(m.group(1)) + "]", base)
    out = _word(inner)
    for op, text in scripts:
        t = tex_name(text) if text else ""
        out += f"{op}{{{t}}}"
    return out


class _Printer(LatexPrinter):
    def _deal_with_super_sub(self, string: str, style: str = "plain") -> str:
        if "\\" in string or "{" in string:        # written in TeX by the claim's author: keep it
            return string
        if "[" in string or "(" in string:          # brackets: SymPy's split would break them
            return tex_name(string)
        return super()._deal_with_super_sub(string, style)

    def _hprint_Function(self, func: str) -> str:
        if "[" in func:
            return tex_name(func)
        return super()._hprint_Function(func)


def latex(expr: Any) -> str:
    """LaTeX of a SymPy expression with every symbol and function name valid."""
    return _Printer().doprint(expr)


def statement_tex(claim) -> str:
    """What a reader sees: the printed LaTeX when the claim carries it, else the statement's LaTeX."""
    return getattr(claim, "printed", "") or latex(claim.statement)


# --- the printed LaTeX against the statement ------------------------------------------------------------
@dataclass
class Agreement:
    status: str                 # "agrees", "disagrees", "not compared", "no printed form"
    detail: str = ""
    point: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "detail": self.detail, "point": self.point}


def _norm(name: str) -> str:
    return re.sub(r"[\\{}\s]", "", name)


def _map_symbols(parsed: sp.Basic, statement: sp.Basic) -> tuple[dict, list[str]]:
    """Parsed symbols -> the statement's symbols, by name (D_{i} may stand for D when D is unique)."""
    from theory.model import ascii_name

    mine = {_norm(s.name): s for s in statement.free_symbols}
    mine.update({ascii_name(s.name): s for s in statement.free_symbols if ascii_name(s.name) not in mine})
    bases: dict[str, list] = {}
    for key, s in mine.items():
        bases.setdefault(key.split("_")[0], []).append(s)
    mapping, unknown = {}, []
    for s in parsed.free_symbols:
        key = _norm(s.name)
        if key in mine:
            mapping[s] = mine[key]
        elif key.split("_")[0] in mine and len(bases.get(key.split("_")[0], [])) == 1:
            mapping[s] = mine[key.split("_")[0]]
        elif key == "e":
            mapping[s] = sp.E
        elif key == "pi":
            mapping[s] = sp.pi
        else:
            unknown.append(s.name)
    return mapping, unknown


RELATION = re.compile(r"\\leq?(?![a-z])|\\geq?(?![a-z])|\\approx|\\neq|<|>|=")


def _right_side(printed: str) -> tuple[str | None, str]:
    """(relation, right-hand side) of printed LaTeX, split at its relation outside any braces or brackets."""
    depth = 0
    for i, ch in enumerate(printed):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            m = RELATION.match(printed, i)
            if m:
                return m.group(0), printed[m.end():]
    return None, printed


def printed_agreement(claim, n_points: int = 6, rtol: float = 1e-8) -> Agreement:
    """Parse the right-hand side of ``claim.printed`` and compare it with the statement's right-hand side
    (its O(...) term dropped) at points drawn from the claim's regime."""
    printed = getattr(claim, "printed", "")
    if not printed:
        return Agreement("no printed form")
    relation, rhs_text = _right_side(printed)
    statement = claim.statement
    relational = isinstance(statement, sp.core.relational.Relational)
    if relational != (relation is not None):
        return Agreement("disagrees", "one of the printed form and the statement is a relation, the other not")
    kinds = {"=": (sp.Eq,), "<": (sp.StrictLessThan,), ">": (sp.StrictGreaterThan,), "\\le": (sp.LessThan,),
             "\\leq": (sp.LessThan,), "\\ge": (sp.GreaterThan,), "\\geq": (sp.GreaterThan,)}
    if relation in kinds and not isinstance(statement, kinds[relation]):
        words = {"=": "=", "<": "<", ">": ">", "\\le": "≤", "\\leq": "≤", "\\ge": "≥", "\\geq": "≥"}
        ours = {"Equality": "=", "StrictLessThan": "<", "StrictGreaterThan": ">", "LessThan": "≤",
                "GreaterThan": "≥"}.get(type(statement).__name__, type(statement).__name__)
        return Agreement("disagrees", f"the printed relation is {words.get(relation, relation)}, "
                                      f"the statement's {ours}")
    try:
        from sympy.parsing.latex import parse_latex
        # accents the parser reads as products (\bar{v} -> bar*v) become one name, as typed on the command line
        rhs_text = re.sub(r"\\(bar|hat|tilde|ddot|dot|vec)\{\\?([A-Za-z]+)\}",
                          lambda m: r"\mathit{" + m.group(2) + m.group(1) + "}", rhs_text)
        parsed = parse_latex(rhs_text)
    except ImportError:
        return Agreement("not compared", "SymPy's LaTeX parser needs antlr4-python3-runtime==4.11")
    except Exception as e:
        return Agreement("not compared", f"the printed LaTeX does not parse ({type(e).__name__})")
    from theory.model import drop_big_o

    mine, theirs = [drop_big_o(statement.rhs if relational else statement)], [parsed]
    mapping, unknown = _map_symbols(parsed, statement)
    if unknown:
        shown = ", ".join(sorted(readable_name(u) for u in unknown))
        return Agreement("not compared", f"printed symbol(s) {shown} have no counterpart in the statement")
    import numpy as np

    rng = np.random.default_rng(0)
    try:
        points = claim.regime.sample(rng, n_points)
    except Exception:
        return Agreement("not compared", "no points could be drawn from the regime")
    by_name = {p.symbol: p.name for p in claim.regime.params}
    for a, b in zip(mine, theirs):
        b = b.xreplace(mapping)
        free = (a.free_symbols | b.free_symbols) - set(by_name)
        if free:
            shown = ", ".join(sorted(readable_name(str(x)) for x in free))
            return Agreement("not compared", f"symbols outside the regime: {shown}")
        for point in points:
            subs = {s: point[n] for s, n in by_name.items()}
            try:
                x, y = complex(sp.N(a.subs(subs), 20)), complex(sp.N(b.subs(subs), 20))
            except (TypeError, ValueError):
                return Agreement("not compared", "a side does not evaluate to a number")
            if not all(map(math.isfinite, (x.real, x.imag, y.real, y.imag))):
                continue
            if abs(x - y) > rtol * max(abs(x), abs(y), 1e-300):
                return Agreement("disagrees", f"statement {x.real:.10g}, printed {y.real:.10g}", point)
    return Agreement("agrees", f"equal at {len(points)} regime points")


# --- names a terminal can show (for sympy.pretty) ---------------------------------------------------------
_UNICODE = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
            "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
            "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
            "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
            "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "top": "ᵀ", "nabla": "∇", "partial": "∂",
            "cdot": "·", "det": "det ", "infty": "∞", "ell": "ℓ", "ln": "ln ", "log": "log ", "exp": "exp "}
_ACCENT = {"bar": "\u0304", "hat": "\u0302", "tilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}


_SUP = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))


def _unicode_scripts(name: str) -> str:
    """E[w^2]_t -> E[w²]ₜ: scripts as characters, so a terminal printer does not split the name at them."""
    def script(m):
        table = _SUP if m.group(1) == "^" else _SUB
        text = m.group(2) or m.group(3)
        return "".join(table[ch] for ch in text) if all(ch in table for ch in text) else m.group(0)
    return re.sub(r"([_^])(?:\{([^{}]*)\}|([A-Za-z0-9]))", script, name)


def readable_name(name: str) -> str:
    r"""A TeX name for a terminal: \bar{v} -> v̄, \sigma_{i}^{2} -> σ_i^2, \det \Sigma(t) -> det Σ(t)."""
    if "[" in name and "\\" not in name:
        return _unicode_scripts(name)
    if "\\" not in name and "{" not in name:
        return name
    out = re.sub(r"\\(" + "|".join(_ACCENT) + r")\{([^{}]*)\}", lambda m: m.group(2) + _ACCENT[m.group(1)], name)
    out = re.sub(r"\\([A-Za-z]+)", lambda m: _UNICODE.get(m.group(1), m.group(1)), out)
    out = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", out).replace("^ᵀ", "ᵀ")
    return re.sub(r"\s+", " ", out.replace("{", "").replace("}", "")).strip()


def readable(expr: Any) -> Any:
    """The expression with TeX symbol and function names replaced by names sympy.pretty shows well."""
    if not isinstance(expr, sp.Basic):
        return expr
    subs = {s: sp.Symbol(readable_name(s.name), **s.assumptions0) for s in expr.free_symbols
            if isinstance(s, sp.Symbol) and readable_name(s.name) != s.name}
    out = expr.xreplace(subs)
    funcs = {f: sp.Function(readable_name(f.func.__name__))(*f.args) for f in out.atoms(sp.core.function.AppliedUndef)
             if readable_name(f.func.__name__) != f.func.__name__}
    return out.xreplace(funcs) if funcs else out
