"""Frozen records that cross module boundaries.

The pipeline is ``read_documents -> extract -> build_graph``; each stage hands the
next one of these records. Ids are deterministic (from a type and a canonical
name, or from a file name), so rebuilding or reloading lands on the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_LABELS = ("Person", "Institution", "Place", "Concept", "Event")
NODE_LABELS = ENTITY_LABELS + ("Document",)
RELATION_TYPES = ("AFFILIATED_WITH", "LOCATED_IN", "PART_OF", "DISCUSSES", "MENTIONS")


def entity_id(label: str, name: str) -> str:
    """Return the stable node id of an entity.

    Args:
        label: One of ``NODE_LABELS``.
        name: The canonical name (for a Document, its document id).

    Returns:
        ``"<label>:<name>"``, e.g. ``"Place:常州"``.
    """
    return f"{label}:{name}"


@dataclass(frozen=True)
class Document:
    """One input document.

    Attributes:
        id: Stable id derived from the file name (or the record id of a JSONL line).
        text: The decoded text exactly as read; evidence offsets index into it.
        title: Headline or first line.
        path: Where it was read from.
        date: ISO date when known, else "".
        url: Source address when known, else "".
    """

    id: str
    text: str
    title: str = ""
    path: str = ""
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Evidence:
    """A sentence of a document that supports a relation.

    Attributes:
        doc: Document id.
        sentence: The sentence, an exact substring ``text[start:end]`` of the document.
        start: Offset of the sentence in the document text.
        end: End offset (exclusive).
    """

    doc: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """A canonical entity found in one document.

    Attributes:
        label: One of ``ENTITY_LABELS``.
        name: Canonical name.
        aliases: Other written forms, sorted.
        count: How many times the document mentions it.
        tier: For concepts, "core" or "passing"; else "".
        score: For concepts, an importance score in [0, 1]; else 0.
    """

    label: str
    name: str
    aliases: tuple[str, ...] = ()
    count: int = 1
    tier: str = ""
    score: float = 0.0

    @property
    def id(self) -> str:
        """The stable node id."""
        return entity_id(self.label, self.name)


@dataclass(frozen=True)
class Relation:
    """A typed, evidenced link between two entities.

    Attributes:
        type: One of ``RELATION_TYPES``.
        source: Node id of the source.
        target: Node id of the target.
        evidence: The sentence it came from.
        role: For AFFILIATED_WITH, the title as written (several joined by "、").
        confidence: How sure the rule is, in [0, 1].
        rule: Which rule or model produced it.
    """

    type: str
    source: str
    target: str
    evidence: Evidence
    role: str = ""
    confidence: float = 1.0
    rule: str = ""


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = field(default=())


@dataclass(frozen=True)
class Mention:
    """A name found in a paragraph, before names are resolved across the document.

    Attributes:
        label: One of ``ENTITY_LABELS``.
        text: The form as written.
        canonical: The canonical form known at this point (from a lexicon), else ``text``.
        para: Index of the paragraph.
        start: Offset in the paragraph text.
        end: End offset in the paragraph text.
        rule: What found it.
    """

    label: str
    text: str
    canonical: str
    para: int
    start: int
    end: int
    rule: str = ""
