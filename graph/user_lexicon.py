"""A user's own corrections to extraction: names to add, forms to merge, words to drop.

A lexicon is a UTF-8 text file, one entry a line, fields separated by tabs (or runs of
two or more spaces); ``#`` starts a comment::

    # kind        name            more
    person        尹锡悦
    institution   腾讯            腾讯公司      # a name and its other written forms
    concept       新质生产力
    alias         上海交通大学    交大          # 交大 is 上海交通大学 wherever it is found
    stop          这件事                        # never an entity, of any type
    stop          摩萨德          Concept       # never a Concept (still an Institution)

``kg build --lexicon FILE`` applies it to every document, whatever the extractor:
``WithLexicon`` wraps the extractor, so the corrections reach the graph, the page and
the database alike. A name added is found wherever its text (or a form given after it)
occurs, counted, and given the type said, which wins over the type the extractor chose;
an alias folds one written form into a canonical name (the relations follow); a
stop-word removes an entity and its relations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .extract.base import Extractor
from .model import merged_tier, united_aliases
from .types import ENTITY_LABELS, Document, Entity, Extraction, entity_id

_KINDS = {label.lower(): label for label in ENTITY_LABELS}
_FIELDS = re.compile(r"\t+| {2,}")


@dataclass(frozen=True)
class UserLexicon:
    """Parsed entries of a lexicon file.

    Attributes:
        names: Per added name, its type and the written forms to find (itself first).
        aliases: Written form → canonical name.
        stop: Names never to be entities, each with the types it is refused for
            (empty: every type).
    """

    names: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    stop: dict[str, frozenset[str]] = field(default_factory=dict)


def read_lexicon(path: str | Path) -> UserLexicon:
    """Read a lexicon file.

    Raises:
        InputError: The file cannot be read, or a line is not an entry; the message
            gives the line number.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the lexicon ({exc})") from None
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    aliases: dict[str, str] = {}
    stop: dict[str, set[str]] = defaultdict(set)
    for number, line in enumerate(lines, 1):
        fields = [f.strip() for f in _FIELDS.split(line.split("#", 1)[0].strip()) if f.strip()]
        if not fields:
            continue
        kind, rest = fields[0].lower(), fields[1:]
        where = f"{path}:{number}"
        if not rest:
            raise InputError(f"{where}: {fields[0]!r} needs a name after it")
        if kind in _KINDS:
            names[rest[0]] = (_KINDS[kind], tuple(dict.fromkeys(rest)))
        elif kind == "alias":
            if len(rest) < 2:
                raise InputError(f"{where}: alias needs a canonical name and a form, e.g. "
                                 "'alias<TAB>上海交通大学<TAB>交大'")
            aliases.update({form: rest[0] for form in rest[1:] if form != rest[0]})
        elif kind == "stop":
            types = {_type(t, where) for t in rest[1:]}
            stop[rest[0]] |= types
            if not types:
                stop[rest[0]] = set()
        else:
            raise InputError(f"{where}: unknown kind {fields[0]!r}; use one of "
                             f"{', '.join(sorted(_KINDS) + ['alias', 'stop'])}")
    return UserLexicon(names, aliases, {name: frozenset(t) for name, t in stop.items()})


def _type(text: str, where: str) -> str:
    label = _KINDS.get(text.lower())
    if label is None:
        raise InputError(f"{where}: {text!r} is not a type ({', '.join(ENTITY_LABELS)})")
    return label


@dataclass(frozen=True)
class WithLexicon:
    """An extractor whose every extraction is corrected by a user lexicon."""

    inner: Extractor
    lexicon: UserLexicon

    def prepare(self) -> None:
        """Prepare the wrapped extractor."""
        self.inner.prepare()

    def extract(self, document: Document) -> Extraction:
        """The wrapped extractor's extraction, with the lexicon applied."""
        return apply_lexicon(self.inner.extract(document), self.lexicon)


def apply_lexicon(extraction: Extraction, lexicon: UserLexicon) -> Extraction:
    """``extraction`` with added names, aliases folded and stop-words removed."""
    text = extraction.document.text
    entities: dict[tuple[str, str], Entity] = {}
    renamed: dict[str, str] = {}  # old node id → new node id (None: dropped)
    for entity in extraction.entities:
        label, name = entity.label, lexicon.aliases.get(entity.name, entity.name)
        if name in lexicon.names:
            label = lexicon.names[name][0]
        forms = set(entity.aliases) | ({entity.name} - {name})
        _add(entities, Entity(label, name, tuple(sorted(forms)), entity.count, entity.tier,
                              entity.score))
        renamed[entity.id] = entity_id(label, name)
    for name, (label, forms) in lexicon.names.items():
        count = _occurrences(text, forms)
        if count and not any(key[1] == name for key in entities):
            tier = "core" if label == "Concept" else ""
            _add(entities, Entity(label, name, tuple(sorted(set(forms) - {name})), count, tier,
                                  1.0 if tier else 0.0))
    dropped = {entity_id(label, name) for label, name in entities
               if name in lexicon.stop and (not lexicon.stop[name] or label in lexicon.stop[name])}
    kept = tuple(e for key, e in sorted(entities.items()) if e.id not in dropped)
    relations = []
    for relation in extraction.relations:
        source = renamed.get(relation.source, relation.source)
        target = renamed.get(relation.target, relation.target)
        if source in dropped or target in dropped or source == target:
            continue
        relations.append(replace(relation, source=source, target=target)
                         if (source, target) != (relation.source, relation.target)
                         else relation)
    return Extraction(extraction.document, kept, tuple(relations))


def _add(entities: dict[tuple[str, str], Entity], entity: Entity) -> None:
    key = (entity.label, entity.name)
    old = entities.get(key)
    if old is None:
        entities[key] = entity
        return
    forms = set(united_aliases(old.aliases, entity.aliases)) - {entity.name}
    entities[key] = Entity(entity.label, entity.name, tuple(sorted(forms)),
                           old.count + entity.count, merged_tier(old.tier, entity.tier),
                           max(old.score, entity.score))


def _occurrences(text: str, forms: tuple[str, ...]) -> int:
    """Mentions of any of ``forms``, longest first, none inside another."""
    pattern = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
    return sum(1 for _ in re.finditer(pattern, text))


__all__ = ["UserLexicon", "WithLexicon", "apply_lexicon", "read_lexicon"]
