"""Progress on a terminal, drawn by rich: a rate meter for builds, a bar for loads.

Both stay silent unless enabled and their stream is a terminal, and both leave no
trace when closed (the summary printed afterwards says what was done).
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Meter:
    """Documents and characters read, and their rates, for input of unknown length.

    Redrawn at most every ``interval`` seconds.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True,
                 interval: float = 0.5):
        stream = stream if stream is not None else sys.stderr
        self.documents = 0
        self.characters = 0
        self.interval = interval
        self._started = time.perf_counter()
        self._shown = 0.0
        self._live = _progress(stream, TextColumn("{task.description}"),
                               enabled=enabled)
        if self._live is not None:
            self._task = self._live.add_task("reading", total=None)
            self._live.start()

    def advance(self, characters: int) -> None:
        """Count one document of ``characters`` characters."""
        self.documents += 1
        self.characters += characters
        now = time.perf_counter()
        if self._live is not None and now - self._shown >= self.interval:
            self._shown = now
            elapsed = max(now - self._started, 1e-9)
            plural = "" if self.documents == 1 else "s"
            self.show(f"{self.documents:,} document{plural}, {self.characters:,} characters, "
                      f"{self.documents / elapsed:,.0f} documents/s, "
                      f"{self.characters / elapsed:,.0f} characters/s, {elapsed:.0f} s")

    def show(self, line: str) -> None:
        """Replace the progress line with ``line``."""
        if self._live is not None:
            self._live.update(self._task, description=line, refresh=True)

    def close(self) -> None:
        """Clear the progress line."""
        if self._live is not None:
            self._live.stop()
            self._live = None


class Bar:
    """A progress bar for work whose total is known (and may be corrected as it goes).

    Called as ``bar(done, total)``; use it as a context manager.
    """

    def __init__(self, label: str, stream: TextIO | None = None, *, enabled: bool = True):
        self._label = label
        self._live = _progress(stream if stream is not None else sys.stderr,
                               TextColumn("{task.description}"), BarColumn(),
                               MofNCompleteColumn(), TimeElapsedColumn(), enabled=enabled)
        self._task = None

    def __enter__(self) -> Bar | None:
        return self if self._live is not None else None

    def __call__(self, done: int, total: int) -> None:
        if self._task is None:
            self._task = self._live.add_task(self._label, total=total)
            self._live.start()
        self._live.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: Any) -> bool:
        if self._live is not None and self._task is not None:
            self._live.stop()
        return False


def _progress(stream: TextIO, *columns: Any, enabled: bool) -> Progress | None:
    if not (enabled and _isatty(stream)):
        return None
    console = Console(file=stream, force_terminal=True, highlight=False)
    return Progress(*columns, console=console, transient=True, auto_refresh=False,
                    redirect_stdout=False, redirect_stderr=False)


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
