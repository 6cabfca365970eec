"""What a long command shows while it runs.

One line per claim as it finishes (verdict, id, location, check kinds, seconds) on stdout, flushed at once
so a pipe or a log file sees each line when it happens; on a terminal, a progress bar with the elapsed
time and an estimate of the time left on stderr (tqdm: one small pure-Python package with no
dependencies of its own, which writes its bar to stderr, redraws it under printed lines, and switches
itself off when stderr is not a terminal). ``-q`` prints nothing but errors; ``-v`` every check.
"""
from __future__ import annotations

import sys
from typing import Any, TextIO


class Progress:
    def __init__(self, total: int, *, quiet: bool = False, lines: bool = True, unit: str = "claim",
                 out: TextIO | None = None):
        self.quiet, self.lines, self.out = quiet, lines and not quiet, out or sys.stdout
        self.bar: Any = None
        if not quiet and total > 1 and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:           # the bar is a convenience; lines still stream
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False,
                                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} {unit}s [{elapsed}<{remaining}]{postfix}")

    def line(self, text: str) -> None:
        """A line of the log (stdout), printed above the bar."""
        if not self.lines:
            return
        if self.bar is not None and self.out in (sys.stdout, sys.stderr):
            from tqdm import tqdm

            tqdm.write(text, file=self.out)
            self.out.flush()
        else:
            print(text, file=self.out, flush=True)

    def note(self, text: str) -> None:
        """A status message (stderr), shown unless quiet."""
        if self.quiet:
            return
        if self.bar is not None:
            from tqdm import tqdm

            tqdm.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def advance(self, next_label: str = "") -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(next_label[:40], refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
