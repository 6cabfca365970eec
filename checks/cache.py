"""Symbolic work once: an on-disk cache of the results of symbolic checks.

A symbolic check (kind ``symbolic``: an mpmath comparison, then a rewrite or ``simplify``) gives the same
result every time it runs on the same inputs, so its result is stored and replayed. An entry is keyed by
everything the result depends on:

- the source of the claim: the file that declares it (a section module of a paper, or a user's claim file)
  and every file of claim code it imports (the paper's notation and helper modules, modules beside a claim
  file), by content;
- the statement itself (``srepr``: a mutant never meets the original's entry), the claim id and the check's
  name and class (together they fix the check's random stream);
- the run's root seed, depth, point (``--at``) and optimizer convention;
- the versions of theorycheck, Python, SymPy, mpmath and numpy, and the content of the core files that
  decide equality and run checks (``CORE_FILES``) and of the file defining the check's class.

A hit returns the stored result and replays the comparisons the check counted. Results of checks that broke
(``error``) are never stored. The cache lives in ``$XDG_CACHE_HOME/theorycheck`` (default
``~/.cache/theorycheck``); ``THEORYCHECK_CACHE=0`` or ``RunContext(cache_symbolic=False)`` turns it off. A
corrupt entry or an unwritable folder never fails a run: the cache is skipped with one warning.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import os
import pickle
import platform
import site
import sys
import sysconfig
import tempfile
import warnings
from dataclasses import fields
from pathlib import Path
from typing import Any

from theory.version import __version__ as VERSION

from .result import ERROR, CheckResult

FORMAT = 1
ROOT = Path(__file__).resolve().parent.parent           # the folder holding checks/, theory/, theorycheck/
CORE_FILES = tuple(ROOT / f for f in ("checks/equality.py", "checks/symbolic.py", "checks/base.py",
                                      "checks/result.py", "checks/cache.py", "theory/model.py"))
TOOL_DIRS = tuple(ROOT / d for d in ("checks", "theorycheck"))      # code of the tool: covered by CORE_FILES
CLAIM_DIRS = (ROOT / "theory",)                                      # claim code of the package
LIBRARY_DIRS = tuple(Path(p).resolve() for p in {*(sysconfig.get_paths()[k] for k in
                                                   ("stdlib", "platstdlib", "purelib", "platlib")),
                                                 *site.getsitepackages(), site.getusersitepackages()})
MAX_SOURCES = 500          # a claim importing more claim code than this is not cached
OFF = ("0", "false", "no", "off")


class CacheWarning(UserWarning):
    """The cache of symbolic results was skipped (corrupt entry, unwritable folder); the run goes on."""


_warned = False


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(message + " (the cache is skipped; THEORYCHECK_CACHE=0 turns it off)", CacheWarning,
                      stacklevel=3)


def enabled(ctx) -> bool:
    return bool(getattr(ctx, "cache_symbolic", True)) and os.environ.get("THEORYCHECK_CACHE", "1").lower() not in OFF


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/theorycheck, or ~/.cache/theorycheck (a relative XDG_CACHE_HOME is ignored, as the
    XDG specification says)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "theorycheck"


# --- what a result depends on -----------------------------------------------------------------------------------
_FILE_HASHES: dict[tuple[str, int, int], str] = {}
_IMPORTS: dict[tuple[str, int, int], tuple[str, ...]] = {}


def _stat_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


def file_hash(path: Path) -> str:
    key = _stat_key(path)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _FILE_HASHES[key]


def _module_name(path: Path) -> str:
    """The dotted name of a file of the package (theory/papers/adai/notation.py -> theory.papers.adai.notation);
    a file outside it is a top-level module beside its folder."""
    try:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
    except ValueError:
        parts = [path.stem]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported_names(path: Path) -> tuple[str, ...]:
    """Every module a file imports (at module level or inside functions), as absolute dotted names."""
    key = _stat_key(path)
    if key in _IMPORTS:
        return _IMPORTS[key]
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            try:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
                    if node.level else (node.module or "")
            except (ImportError, ValueError):
                continue
            out.append(base)
            out += [f"{base}.{a.name}" for a in node.names if a.name != "*"]      # names may be submodules
    _IMPORTS[key] = tuple(dict.fromkeys(out))
    return _IMPORTS[key]


def _module_file(name: str, beside: Path) -> Path | None:
    """The source file of a module, without importing anything."""
    module = sys.modules.get(name)
    found = getattr(module, "__file__", None) if module is not None else None
    if found:
        return Path(found).resolve()
    rel = Path(*name.split("."))
    for root in (ROOT, beside):
        for candidate in (root / rel.with_suffix(".py"), root / rel / "__init__.py"):
            if candidate.is_file():
                return candidate.resolve()
    return None


def _inside(path: Path, dirs: tuple[Path, ...]) -> bool:
    return any(d == path or d in path.parents for d in dirs)


def _is_claim_code(path: Path) -> bool:
    if path.suffix != ".py":
        return False
    if _inside(path, CLAIM_DIRS):
        return True
    return not _inside(path, TOOL_DIRS) and not _inside(path, LIBRARY_DIRS)


def claim_sources(defined_in: str) -> list[Path] | None:
    """The defining file and every file of claim code it imports, transitively (None: not cacheable)."""
    if not defined_in:
        return None
    start = Path(defined_in).resolve()
    if not start.is_file() or start.suffix != ".py":
        return None
    seen, todo = {start}, [start]
    while todo:
        path = todo.pop()
        for name in _imported_names(path):
            f = _module_file(name, start.parent)
            if f is not None and f not in seen and _is_claim_code(f):
                seen.add(f)
                todo.append(f)
                if len(seen) > MAX_SOURCES:
                    return None
    return sorted(seen)


def _class_files(check) -> list[Path]:
    out = []
    for cls in type(check).__mro__:
        f = getattr(sys.modules.get(cls.__module__), "__file__", None)
        if f and not _inside(Path(f).resolve(), LIBRARY_DIRS):
            out.append(Path(f).resolve())
    return out


def _versions() -> list[str]:
    import mpmath
    import numpy
    import sympy

    return [VERSION, platform.python_version(), sympy.__version__, mpmath.__version__, numpy.__version__]


def cache_key(check, claim, ctx) -> str | None:
    """The key of a check's result on a claim in a run, or None when it cannot be cached."""
    import sympy as sp

    sources = claim_sources(getattr(claim, "defined_in", ""))
    if sources is None:
        return None
    statement = claim.statement
    shown = sp.srepr(statement) if isinstance(statement, sp.Basic) else repr(statement)
    cls = type(check)
    parts = [f"format {FORMAT}", *_versions(),
             *(f"{p}:{file_hash(p)}" for p in sorted(set(CORE_FILES) | set(_class_files(check)))),
             *(f"{p}:{file_hash(p)}" for p in sources),
             claim.id, str(check.name), f"{cls.__module__}.{cls.__qualname__}", shown,
             repr((ctx.seed, ctx.deep, ctx.convention, sorted((ctx.at or {}).items())))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- entries ---------------------------------------------------------------------------------------------------
class Entry:
    """One check's result on one claim in one kind of run: load it, or save it after running the check."""

    def __init__(self, key: str, folder: Path):
        self.key = key
        self.path = folder / "symbolic" / key[:2] / f"{key[2:]}.pickle"

    def load(self, ctx) -> CheckResult | None:
        """The stored result (its comparisons added to the run's count), or None."""
        try:
            with open(self.path, "rb") as f:
                data = pickle.load(f)
            if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key):
                raise ValueError("not an entry of this cache")
            result = CheckResult(**data["result"])
            comparisons = int(data["comparisons"])
        except (FileNotFoundError, NotADirectoryError):     # not stored yet (a bad folder warns on saving)
            return None
        except Exception as e:           # a truncated or foreign file: run the check instead
            _warn_once(f"theorycheck: ignoring an unreadable entry of the symbolic cache {self.path} "
                       f"({type(e).__name__}: {e})")
            return None
        if comparisons:
            ctx.counter.add(comparisons)
        return result

    def save(self, result: CheckResult, comparisons: int) -> None:
        if result.status == ERROR:       # a broken check is reported, never replayed
            return
        data = {"format": FORMAT, "key": self.key, "comparisons": int(comparisons),
                "result": {f.name: getattr(result, f.name) for f in fields(CheckResult)}}
        try:
            payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:                # evidence that cannot be stored exactly is simply not cached
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            os.replace(tmp, self.path)   # atomic: concurrent workers never see half an entry
            tmp = None
        except OSError as e:
            _warn_once(f"theorycheck: cannot write the symbolic cache in {self.path.parent.parent.parent} "
                       f"({type(e).__name__}: {e})")
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def symbolic_entry(check, claim, ctx) -> Entry | None:
    """The cache entry of a symbolic check's result, or None (another kind, cache off, source unknown)."""
    if getattr(check, "kind", "") != "symbolic" or not enabled(ctx):
        return None
    try:
        key = cache_key(check, claim, ctx)
    except Exception:                    # an unreadable source file, a statement srepr cannot print
        return None
    return Entry(key, cache_dir()) if key is not None else None


def clear() -> dict[str, Any]:
    """Remove every entry of the cache of symbolic results (only files it wrote: ``symbolic/XX/*.pickle`` and
    its leftover temporary files), then the folders it left empty. Returns what was removed."""
    folder = cache_dir() / "symbolic"
    removed, size = 0, 0
    if folder.is_dir():
        for sub in folder.iterdir():
            if not (sub.is_dir() and len(sub.name) == 2):
                continue
            for f in list(sub.glob("*.pickle")):
                try:
                    n = f.stat().st_size
                    f.unlink()
                except FileNotFoundError:            # removed by a concurrent run meanwhile
                    continue
                removed, size = removed + 1, size + n
            try:
                sub.rmdir()                          # only when empty: nothing we did not write goes
            except OSError:
                pass
        try:
            folder.rmdir()
        except OSError:
            pass
    return {"folder": str(folder), "removed": removed, "bytes": size}


def describe() -> dict[str, Any]:
    """Where the cache is and how much it holds (for diagnostics)."""
    folder = cache_dir() / "symbolic"
    files = list(folder.rglob("*.pickle")) if folder.is_dir() else []
    return {"folder": str(folder), "entries": len(files), "bytes": sum(f.stat().st_size for f in files),
            "enabled": os.environ.get("THEORYCHECK_CACHE", "1").lower() not in OFF}
