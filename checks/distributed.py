"""Verification on a Dask cluster: the same seeds and the same verdicts as a local run.

Each claim is one task, run by the worker function of local parallel runs (``checks.parallel._run_one``):
every check's random stream is keyed by (root seed, claim id, check name), never by where or in which order
claims run, so a cluster gives the evidence one process gives. Workers need theorycheck (and the same
versions of it, SymPy, mpmath, numpy and numba as here: they decide the numbers) and any claim files at the
same paths; both are checked before anything runs. dask.distributed is an optional extra
(``pip install 'theorycheck[cluster]'``), imported only here.

    from checks.distributed import run_claims_dask
    reports = run_claims_dask(claims, RunContext(deep=True), registry, "tcp://scheduler:8786")
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import Any

from theory.errors import TheoryCheckError

from .base import RunContext
from .parallel import _run_one, worker_fields
from .result import CheckResult, Verdict

CONNECT_TIMEOUT = "30s"
INSTALL_HINT = "pip install 'theorycheck[cluster]' (or: pip install 'dask[distributed]>=2024.1')"


def require_distributed():
    """The dask.distributed module, or an error naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise TheoryCheckError("running claims on a Dask cluster needs dask.distributed, which is not installed: "
                               + INSTALL_HINT) from None
    return distributed


_distributed = require_distributed


def worker_environment(files: tuple[str, ...] = ()) -> dict[str, Any]:
    """What decides a worker's numbers: package versions, and which of the run's claim files it can read."""
    import mpmath
    import numpy
    import sympy

    from theory.version import __version__

    try:
        import numba
        numba_version = numba.__version__
    except ImportError:
        numba_version = None
    return {"theorycheck": __version__, "sympy": sympy.__version__, "mpmath": mpmath.__version__,
            "numpy": numpy.__version__, "numba": numba_version,
            "missing_files": [f for f in files if not os.path.exists(f)]}


def _check_workers(client, files: tuple[str, ...]) -> None:
    """Refuse a cluster whose workers would not reproduce this machine's evidence, naming what differs."""
    here = worker_environment()
    found = client.run(worker_environment, files)
    if not found:
        raise TheoryCheckError(f"the Dask cluster at {client.scheduler.address} has no workers")
    problems = []
    for worker, env in sorted(found.items()):
        diff = [f"{k} {env[k]} (here {here[k]})" for k in here if k != "missing_files" and env[k] != here[k]]
        if diff:
            problems.append(f"{worker}: " + ", ".join(diff))
        if env["missing_files"]:
            problems.append(f"{worker}: cannot read the claim file(s) {', '.join(env['missing_files'])} (workers "
                            "load claim files at the same paths: use a shared file system)")
    if problems:
        raise TheoryCheckError("the Dask workers cannot reproduce this run: " + "; ".join(problems))


def _client(scheduler: Any):
    """(client, whether we opened it): an address ("tcp://host:8786"), a Client, or a cluster object."""
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False), True
    except OSError as e:
        raise TheoryCheckError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def run_dask(claims: list, ctx: RunContext, registry, scheduler: Any, mutants: bool = False,
             on_report: Callable | None = None) -> dict[str, Any]:
    """Run claims as tasks on a Dask cluster; returns {claim id: ClaimReport} (readings not combined), adding
    each claim's comparisons to the run's count. The engine's ``run_claims(..., scheduler=...)`` calls this."""
    from .engine import ClaimReport

    distributed = _distributed()
    files = tuple(getattr(registry, "files", ()))
    fields = worker_fields(ctx)
    by_id = {c.id: c for c in claims}
    client, opened = _client(scheduler)
    reports: dict[str, Any] = {}
    token = uuid.uuid4().hex[:8]
    futures = []
    try:
        _check_workers(client, files)
        futures = [client.submit(_run_one, c.id, files, fields, mutants, key=f"theorycheck-{token}-{c.id}",
                                 pure=False) for c in claims]
        for future in distributed.as_completed(futures, loop=client.loop):
            try:
                data = future.result()
            except Exception as e:
                raise TheoryCheckError(f"claim {future.key.split('-', 2)[-1]} could not run on the Dask cluster: "
                                       f"{type(e).__name__}: {e}") from e
            ctx.counter.add(data["comparisons"])
            status, reason, ce = data["verdict"]
            report = ClaimReport(by_id[data["id"]], [CheckResult.from_dict(r) for r in data["results"]],
                                 Verdict(status, reason, ce), data["seconds"], mutants=data["mutants"])
            reports[data["id"]] = report
            if on_report is not None:
                on_report(report)
    finally:
        unfinished = [f for f in futures if not f.done()]
        if unfinished:                    # interrupted or failed: leave nothing running on the cluster
            client.cancel(unfinished)
        if opened:
            client.close()
    return reports


def run_claims_dask(claims, ctx: RunContext, registry, scheduler_address: Any, mutants: bool = False,
                    on_report: Callable | None = None) -> list:
    """``run_claims`` on a Dask cluster: the reports in order, readings combined, the same verdicts as a
    local run with the same seed. ``scheduler_address`` is "tcp://HOST:8786", a ``Client`` or a cluster."""
    from .engine import run_claims

    return run_claims(claims, ctx, registry, on_report=on_report, mutants=mutants, scheduler=scheduler_address)
