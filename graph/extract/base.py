"""The extractor seam: what an extractor is, and how one is found by name.

An extractor turns one ``Document`` into one ``Extraction`` (entities with canonical
names and counts, relations each with its evidence sentence). ``kg build`` takes any
object with the two methods of ``Extractor``; ``--extractor NAME`` finds one among
the registered extractors: the built-in ``rules`` and whatever installed packages
declare in the entry-point group ``kg.extractors`` (as networkx finds its backends)::

    [project.entry-points."kg.extractors"]
    lac = "my_package.lac_extractor:LacExtractor"

The entry point names a class (or any callable) that makes the extractor with no
arguments. Extraction runs in worker processes: an extractor must pickle, and should
load its models in ``prepare``, which runs once per process before the first
document (in the parent before workers fork, so that they share what it loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from ..errors import InputError
from ..types import Document, Extraction

ENTRY_POINT_GROUP = "kg.extractors"
DEFAULT_EXTRACTOR = "rules"


@runtime_checkable
class Extractor(Protocol):
    """Turns one document into its entities and evidenced relations."""

    def prepare(self) -> None:
        """Load models and tables before the first ``extract`` of a process.

        Called at least once per process, perhaps more: calls after the first
        should return at once.
        """

    def extract(self, document: Document) -> Extraction:
        """Extract one document.

        Args:
            document: The document; evidence offsets index into its ``text``.

        Returns:
            Its entities and relations. Relation ``source``/``target`` are entity ids
            (``types.entity_id``) of entities in the extraction.
        """


def _builtin() -> dict[str, Callable[[], Extractor]]:
    from .rules import RuleExtractor

    return {"rules": RuleExtractor}


def available_extractors() -> dict[str, Callable[[], Extractor]]:
    """The registered extractors by name: the built-in ones, then entry points.

    Returns:
        A factory (called with no arguments) per name.
    """
    found: dict[str, Callable[[], Extractor]] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, point.load)
    factories: dict[str, Callable[[], Extractor]] = {}
    for name, load in found.items():
        factories[name] = _lazy(load)
    factories.update(_builtin())  # an installed copy of this package declares "rules" too
    return dict(sorted(factories.items()))


def get_extractor(name: str = DEFAULT_EXTRACTOR) -> Extractor:
    """Make the registered extractor called ``name``.

    Args:
        name: A name from ``available_extractors``.

    Returns:
        A new extractor (not yet prepared).

    Raises:
        InputError: No extractor has that name, or it cannot be made.
    """
    factories = available_extractors()
    if name not in factories:
        raise InputError(f"no extractor called {name!r} (registered: {', '.join(factories)})")
    try:
        extractor = factories[name]()
    except (ImportError, AttributeError) as exc:
        raise InputError(f"extractor {name!r} cannot be loaded: {exc}") from None
    check_extractor(extractor)
    return extractor


def check_extractor(extractor: object) -> Extractor:
    """Return ``extractor`` if it has the methods of ``Extractor``.

    Raises:
        InputError: It lacks ``prepare`` or ``extract``.
    """
    if not isinstance(extractor, Extractor):
        raise InputError(f"{extractor!r} is not an extractor: it needs the methods "
                         "prepare() and extract(document)")
    return extractor


def _lazy(load: Callable[[], Callable[[], Extractor]]) -> Callable[[], Extractor]:
    def make() -> Extractor:
        return load()()

    return make
