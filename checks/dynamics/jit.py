"""numba, when it is installed: the decorators and thread controls the compiled kernels use.

Compiled code is cached on disk (cache=True). numba keys a kernel's cache on its own file only, so a change
in a function it calls from another file (the samplers in rng.py) would leave a stale kernel in the cache;
the cache directory is therefore keyed on a hash of every file the kernels are built from.

Without numba the decorators return the plain Python function (so every module still imports), and the
public kernels in ``checks.dynamics.compiled`` answer with the plain-numpy reference kernels and a
warning. ``THEORYCHECK_NO_NUMBA=1`` in the environment forces that fallback.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

try:
    if os.environ.get("THEORYCHECK_NO_NUMBA"):
        raise ImportError("disabled by THEORYCHECK_NO_NUMBA")
    import numba
    HAVE_NUMBA = True
except ImportError:                                     # pragma: no cover - exercised by monkeypatching
    numba = None                                        # type: ignore[assignment]
    HAVE_NUMBA = False


_HERE = Path(__file__).resolve().parent


def _source_hash() -> str:
    files = [_HERE / "jit.py", _HERE / "rng.py", *sorted((_HERE / "compiled").glob("*.py"))]
    h = hashlib.sha1()
    for f in files:
        h.update(f.name.encode() + b"\0" + (f.read_bytes() if f.exists() else b""))
    return h.hexdigest()[:16]


def _prune(base: Path, keep: Path, age_s: float = 86_400.0) -> None:
    """Remove this cache's directories for other versions of the sources, once unused for a day."""
    for old in base.glob("numba-*"):
        try:
            if old != keep and old.is_dir() and time.time() - old.stat().st_mtime > age_s:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


def _cache_dir() -> str:
    for base in (_HERE / "__pycache__", Path(tempfile.gettempdir()) / "theorycheck-numba"):
        path = base / f"numba-{_source_hash()}"
        try:
            path.mkdir(parents=True, exist_ok=True)
            if os.access(path, os.W_OK):
                os.utime(path)
                _prune(base, path)
                return str(path)
        except OSError:
            continue
    return ""


CACHE_DIR = _cache_dir() if HAVE_NUMBA else ""


def njit(*args, **kwargs):
    """numba.njit(cache=True, ...) when numba is there (cached under CACHE_DIR); the identity otherwise."""
    if not HAVE_NUMBA:
        return args[0] if args and callable(args[0]) else (lambda f: f)
    kwargs.setdefault("cache", True)
    kwargs.setdefault("error_model", "numpy")         # IEEE division (inf, nan) as numpy does, no zero checks

    def decorate(f):
        old = numba.config.CACHE_DIR
        numba.config.CACHE_DIR = CACHE_DIR or old          # read when the dispatcher sets up its cache
        try:
            return numba.njit(**kwargs)(f)
        finally:
            numba.config.CACHE_DIR = old
    return decorate(args[0]) if args and callable(args[0]) else decorate


prange = numba.prange if HAVE_NUMBA else range


def enabled() -> bool:
    """Whether compiled kernels run (read at call time, so tests can switch the fallback on)."""
    return HAVE_NUMBA and numba is not None


def fallback(name: str) -> None:
    warnings.warn(f"{name}: numba is not available, so the plain-numpy reference kernel runs instead "
                  "(same law, other random stream, slower); pip install numba for the compiled kernels",
                  RuntimeWarning, stacklevel=3)


def max_threads() -> int:
    return int(getattr(numba.config, "NUMBA_NUM_THREADS", 1)) if HAVE_NUMBA and numba is not None else 1


@contextlib.contextmanager
def threads(n: int | None):
    """Run the enclosed kernels on n threads (None: leave as is). Results do not depend on n."""
    if not HAVE_NUMBA or n is None:
        yield
        return
    old = numba.get_num_threads()
    numba.set_num_threads(max(1, min(int(n), max_threads())))
    try:
        yield
    finally:
        numba.set_num_threads(old)


@contextlib.contextmanager
def dynamic_schedule():
    """Hand out blocks of paths one at a time (first-exit kernels: blocks finish at very different times)."""
    if not HAVE_NUMBA:
        yield
        return
    old = numba.get_parallel_chunksize()
    numba.set_parallel_chunksize(1)
    try:
        yield
    finally:
        numba.set_parallel_chunksize(old)
