"""Extraction: one document in, its entities and evidenced relations out.

``base`` holds the seam (the ``Extractor`` protocol and the registry of extractors by
name); ``rules`` the default extractor, built from the other modules here. The rule
extractor's functions are imported lazily, so that importing the seam costs nothing.
"""

from __future__ import annotations

from typing import Any

from .base import (DEFAULT_EXTRACTOR, Extractor, available_extractors, check_extractor,
                   get_extractor)

__all__ = ["DEFAULT_EXTRACTOR", "Extractor", "available_extractors", "check_extractor",
           "extract", "get_extractor", "load_models"]


def __getattr__(name: str) -> Any:
    if name in ("extract", "load_models", "RuleExtractor"):
        from . import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
