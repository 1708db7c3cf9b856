"""What the speech rules share: the ``Speech`` record and ``data/speech_cues.tsv``."""

from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon


CUES = "speech_cues.tsv"  # the cue-word lists the speech rules share


def cue(kind: str) -> str:
    """The words of one list of ``speech_cues.tsv`` as a regex alternation."""
    return lexicon.any_of(CUES, kind)


@dataclass(frozen=True)
class Speech:
    """A stretch of a paragraph spoken or written by one person.

    Attributes:
        speaker: Canonical name of the person.
        para: Paragraph index.
        start: Start offset in the paragraph text.
        end: End offset in the paragraph text.
        rule: Which rule attributed it.
    """

    speaker: str
    para: int
    start: int
    end: int
    rule: str
