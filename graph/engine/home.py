"""The engine's folder: where it is, kept private to its owner, its state file and lock.

Everything in the folder is its owner's alone: the folder is 0700 (tightened, with a
note, when found looser), and every file kg writes there is 0600; the server writes
its own files under a umask of 077 (``graph.engine.server``).
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import EngineError

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def default_home() -> Path:
    """Return the folder that holds the bundled engine's data and state.

    Returns:
        ``$KG_HOME`` if set, else ``$XDG_DATA_HOME/kg``, else ``~/.local/share/kg``.
    """
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"]).expanduser()
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]).expanduser() / "kg"
    return Path.home() / ".local" / "share" / "kg"


def resolve_home(home: str | os.PathLike | None) -> Path:
    """The engine folder ``home`` names (``default_home()`` when None), absolute and
    with symbolic links resolved: the one spelling the server is launched with."""
    return (Path(home).expanduser() if home is not None else default_home()).resolve()


def make_private(home: Path) -> None:
    """Create ``home`` readable by its owner only, or make an existing one so.

    A folder found open to others (an older kg made it 0755, its files 0644) is
    tightened, with everything in it, and a one-line note says so.

    Raises:
        EngineError: The folder cannot be created or its mode changed.
    """
    try:
        home.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        mode = stat.S_IMODE(home.stat().st_mode)
        if mode == FOLDER_MODE:
            return
        os.chmod(home, FOLDER_MODE)
    except OSError as exc:
        raise EngineError(f"cannot make the engine folder {home} private to you ({exc})") from None
    if mode & 0o077:
        _tighten_inside(home)
        note(f"{home} was open to other users (mode {mode:04o}); it and its files are now "
             f"readable by you only (folder {FOLDER_MODE:04o}, files {FILE_MODE:04o})")


def _tighten_inside(home: Path) -> None:
    """Take group's and others' rights from everything under ``home`` (links left alone)."""
    for folder, names, files in os.walk(home):
        for name in names + files:
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
                if stat.S_ISDIR(mode):
                    os.chmod(path, FOLDER_MODE)
                elif stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                    os.chmod(path, stat.S_IMODE(mode) & 0o700)
            except OSError:
                pass  # gone meanwhile, or not ours: the folder's 0700 still guards it


def open_private(path: Path, flags: int) -> int:
    """Open ``path`` (``os.open`` flags, ``O_CREAT`` added) as a file of mode 0600,
    tightening one an older kg left readable by others; a file descriptor."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, FILE_MODE)
    except PermissionError:
        pass  # another user's file: the folder's 0700 still guards it
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, text: str) -> None:
    """Write a file that only its owner can read, atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def read_state(home: Path) -> dict:
    """The contents of ``engine.json``: pid, its start time, ports, password ({} when
    there is none)."""
    try:
        return json.loads((home / "engine.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as exc:
        raise EngineError(f"{home / 'engine.json'} is unreadable ({exc}); "
                          "stop the engine by hand and remove the file") from None


def write_state(home: Path, state: dict) -> None:
    """Replace ``engine.json`` with ``state`` (mode 0600)."""
    write_private(home / "engine.json", json.dumps(state, indent=1))


@contextmanager
def locked(home: Path) -> Iterator[None]:
    """Serialise starts and stops of one engine folder across processes."""
    with os.fdopen(open_private(home / "engine.lock", os.O_RDWR), "r+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def note(text: str) -> None:
    """Tell the user something on one line of standard error."""
    print(f"kg: note: {text}", file=sys.stderr)
