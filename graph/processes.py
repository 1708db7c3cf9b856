"""Whether a process is alive, and which one it is, for the engine's pid file and stale
temporary outputs."""

from __future__ import annotations

import os
from pathlib import Path


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_arguments(pid: int) -> list[str] | None:
    """The command line of process ``pid``, one string an argument, from /proc.

    Returns:
        The arguments, or None when /proc does not tell (no such process, no /proc, or
        not allowed to read it).
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    arguments = raw.decode(errors="surrogateescape").split("\0")
    if arguments[-1] == "":  # each argument ends with a NUL, the last one too
        arguments.pop()
    return arguments


def process_start_time(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks after boot (field 22 of
    /proc/PID/stat): with the pid, it names one process, as a pid alone does not once
    the pid is reused.

    Returns:
        The start time, or None when /proc does not tell.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # Field 2, the command name in parentheses, may hold spaces and parentheses itself.
    fields = stat[stat.rfind(b")") + 2:].split()
    try:
        return int(fields[22 - 3])
    except (IndexError, ValueError):
        return None
