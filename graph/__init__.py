"""Knowledge graphs from Chinese policy and news text.

The library behind the ``kg`` command. The main job is one call::

    from graph import build_outputs
    report = build_outputs(["seeds"], "out")   # graph.json, graph.graphml, graph.html

and each stage is a function of its own: ``read_documents`` → an ``Extractor``'s
``extract(document)`` → ``build_graph`` → ``save_graph`` / ``write_graphml`` /
``render_html`` / ``write_neo4j_csv``, or ``Store(driver).load(graph)``. Another
extractor plugs in through ``build_outputs(..., extractor=…)`` (see ``Extractor``).

Names are imported on first use, so ``import graph`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    # records that cross stages
    "Document": "types", "Entity": "types", "Evidence": "types", "Extraction": "types",
    "Relation": "types", "entity_id": "types",
    "GraphError": "errors", "InputError": "errors", "StoreError": "errors",
    # stages
    "read_documents": "documents",
    "Extractor": "extract.base", "get_extractor": "extract.base",
    "available_extractors": "extract.base",
    "build_graph": "build", "merge_graphs": "build",
    "build_outputs": "pipeline", "merge_outputs": "pipeline", "BuildReport": "pipeline",
    "save_graph": "files", "load_graph": "files",
    "render_html": "render",
    "write_graphml": "export.graphml", "write_neo4j_csv": "export.neo4j_csv",
    "Store": "store", "connect": "store", "settings_from_env": "store",
    "evaluate_graph": "evaluate", "read_gold": "evaluate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
