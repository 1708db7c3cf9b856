"""The ``kg`` command line: thin verbs over the library, formatting only.

The group and its error handling live here; the verbs, by what they work on, in
``outputs`` (build, merge, export, render, evaluate), ``database`` (load, remove, docs,
db) and ``query``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import click

from ..errors import GraphError



class _Group(click.Group):
    """Turns library errors into one-line messages and a non-zero exit code."""

    def invoke(self, ctx):
        global _pid
        in_main = threading.current_thread() is threading.main_thread()
        _pid = os.getpid()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
        try:
            return super().invoke(ctx)
        except GraphError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt as exc:
            click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
            sys.exit(143 if isinstance(exc, _Terminated) else 130)
        finally:
            if in_main:
                signal.signal(signal.SIGTERM, previous)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that temporary files are cleaned up."""


_pid = 0


def _on_sigterm(signum, frame):
    if os.getpid() != _pid:  # a forked worker: die as it would have
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise _Terminated()


@click.group(cls=_Group)
@click.version_option(package_name="kg-zh")
@click.option("--workspace", metavar="NAME",
              help="The workspace, a database of its own [default: $KG_WORKSPACE, else the "
                   "name in a .kg-workspace file here or in a folder above, else default].")
@click.pass_context
def main(ctx, workspace):
    """Build a knowledge graph from Chinese text, load it into Neo4j, explore it.

    Exit codes: 0 done; 2 an error, reported in one line (for kg build: nothing
    written); 3 kg build wrote the graph but skipped some inputs (listed); 1 kg db
    status: not running, kg db reset: not confirmed; 130 interrupted (143 on
    SIGTERM), earlier outputs kept.
    """
    from ..workspace import choose_workspace, unchoose

    # The driver logs its retries and dropped connections; the CLI reports one line.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    token = choose_workspace(workspace)
    ctx.call_on_close(lambda: unchoose(token))


from .database import db, docs, load, remove  # noqa: E402 (the verbs register on main)
from .outputs import build, evaluate, export, extractors, merge, render  # noqa: E402
from .query import query  # noqa: E402
from ..trends import command as trends  # noqa: E402 (kg trends lives beside its library)

for _command in (build, extractors, merge, load, remove, query, docs, db, export, render,
                 evaluate):
    main.add_command(_command)
main.add_command(trends, "trends")

if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
