"""Run the commands the README shows and check (or rewrite) the output printed under them.

Every ```console block of README.md is a session: lines starting with ``$ `` are run
in order with ``sh`` from the repository root, with the bundled engine in a fresh
temporary ``KG_HOME`` (so loads start from an empty database and your own is left
alone) and ``.venv/bin`` first on ``PATH``; the lines after a command are what it
printed. A block preceded by ``<!-- readme: not run -->`` is left as it is (it needs
Docker, a Neo4j server or a whole terminal session); a command line ending in
``# abridged`` is run but its shown output is not compared.

    python tools/readme_run.py --check   # exit 1 and a diff when the README has drifted
    python tools/readme_run.py --write   # put what the commands print now into README.md

Figures that differ on every run (seconds, rates, ports, pids, the temporary home)
are compared as placeholders, so ``--check`` flags real drift only.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP = "<!-- readme: not run -->"
ABRIDGED = "# abridged"
_BLOCK = re.compile(r"(?P<head>^```console\n)(?P<body>.*?)(?P<tail>^```$)", re.M | re.S)
_VOLATILE = [
    (re.compile(r"\b\d[\d,]*(\.\d+)? s\b"), "N s"),
    (re.compile(r"\b\d[\d,]*(\.\d+)? (documents|characters)/s\b"), r"N \2/s"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"\bpid \d+"), "pid N"),
    (re.compile(r"data in \S+"), "data in HOME"),
]


@dataclass
class Command:
    line: str       # as written after "$ "
    shown: list[str]


def parse(body: str) -> list[Command]:
    """The commands of one console block with the output shown under each."""
    commands: list[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append(Command(line[2:], []))
        elif commands:
            commands[-1].shown.append(line)
    return commands


def normalise(lines: list[str]) -> list[str]:
    """Lines with the figures that change on every run replaced by placeholders, and
    without the set-up a fresh machine does first (make's venv and pip lines)."""
    if "touch .venv/.installed" in lines:
        lines = lines[lines.index("touch .venv/.installed") + 1:]
    out = []
    for line in lines:
        for pattern, placeholder in _VOLATILE:
            line = pattern.sub(placeholder, line)
        out.append(line.rstrip())
    return out


def run(command: str, env: dict[str, str]) -> list[str]:
    """Run one README command line from the repository root; stdout and stderr as shown."""
    line = command.split(ABRIDGED)[0].rstrip()
    done = subprocess.run(["sh", "-c", line + " 2>&1"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    return done.stdout.rstrip("\n").splitlines()


def sessions(text: str) -> list[tuple[re.Match, bool]]:
    """Each console block, and whether it is run."""
    return [(m, not text[:m.start()].rstrip().endswith(SKIP)) for m in _BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report drift, exit 1 if any")
    mode.add_argument("--write", action="store_true", help="rewrite the outputs in README.md")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    home = Path(tempfile.mkdtemp(prefix="kg-readme-"))
    env = {**os.environ, "KG_HOME": str(home), "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}",
           "COLUMNS": "200"}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "KG_WORKSPACE"):
        env.pop(name, None)
    pieces, drift, at = [], [], 0
    try:
        for match, live in sessions(text):
            pieces.append(text[at:match.start("body")])
            at = match.end("body")
            if not live:
                pieces.append(match.group("body"))
                continue
            body = []
            for command in parse(match.group("body")):
                printed = run(command.line, env)
                abridged = command.line.endswith(ABRIDGED)
                if not abridged and normalise(printed) != normalise(command.shown):
                    drift += list(difflib.unified_diff(
                        command.shown, printed, f"README: $ {command.line}", "printed now",
                        lineterm=""))
                body += [f"$ {command.line}"] + (command.shown if abridged else printed)
            pieces.append("\n".join(body) + "\n")
        pieces.append(text[at:])
    finally:
        subprocess.run([str(ROOT / ".venv/bin/kg"), "db", "stop"], env=env,
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    if args.write:
        README.write_text("".join(pieces), encoding="utf-8")
        print(f"README.md: {'rewrote the outputs' if drift else 'already up to date'}")
        return 0
    if drift:
        print("\n".join(drift))
        return 1
    print("README.md: every command prints what it shows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
