"""Fault injection for the tests of ``graph.store``: end or stop the process at a named point.

Only the tests and ``bench/bench_soak.py`` set these variables; unset, every hook
does nothing.

``KG_FAULT=NAME[#N]:ACTION[,…]``
    The N-th time (default: the first) the process passes point NAME, ``exit`` ends
    it at once with ``os._exit(137)``, as a ``kill -9`` would (no cleanup, no lock
    given back), and ``stop`` stops it with SIGSTOP until a SIGCONT. The named points
    come just before each step of a load (``load:nodes``, ``load:relationships``,
    ``load:deletions``, ``load:clean-up``, ``load:documents``, then ``load:done``
    before its record is deleted), of a removal (``remove:relationships``,
    ``remove:deletions``, ``remove:clean-up``, ``remove:documents``, ``remove:done``)
    and of the finishing of an interrupted one (``recover:deletions``,
    ``recover:clean-up``, ``recover:done``); ``write`` comes after every committed
    write transaction, and ``fenced`` inside every write transaction made under the
    load lock, just after the check that the lock is still held.
``KG_LOCK_LEASE=SECONDS``
    The lease of the load lock, instead of 120 s.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

FAULT = "KG_FAULT"
LEASE = "KG_LOCK_LEASE"

_passed: Counter[str] = Counter()


def point(name: str) -> None:
    """Pass point ``name``: end or stop the process if ``KG_FAULT`` asks for it here."""
    spec = os.environ.get(FAULT)
    if not spec:
        return
    _passed[name] += 1
    for item in spec.split(","):
        where, _, action = item.strip().rpartition(":")
        at, _, nth = where.partition("#")
        if at != name or _passed[name] != (int(nth) if nth.isdigit() else 1):
            continue
        if action == "exit":
            os._exit(137)
        if action == "stop":
            os.kill(os.getpid(), signal.SIGSTOP)


def lease(default: float) -> float:
    """The lease of the load lock in seconds: ``KG_LOCK_LEASE`` when set, else ``default``."""
    try:
        value = float(os.environ.get(LEASE, ""))
    except ValueError:
        return default
    return value if value > 0 else default
