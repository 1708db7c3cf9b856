"""Statistical recogniser of person, organisation and place names.

A small convolutional character tagger (:mod:`graph.extract.tagger`, weights in
``data/ner.npz``, trained by ``tools/train_ner.py`` on the public NER corpora of
``shared/data/ner`` with their test splits left out, and on news paragraphs labelled
where two taggers agree) gives each character a BIOES tag of PER, ORG or LOC. Small
rules sit on top of the model:

* an organisation the model stopped at the owner of a nested name grows to the unit
  (清华大学 + 网络科学与网络空间研究院);
* a place span that is a chain of gazetteer names (江苏省常州市) is cut into its parts,
  as the training corpora annotate them;
* names from ``data/people.txt`` (current national leaders, whom a model trained on
  1990s text does not know) are always people;
* in a list of 2–3 character names separated by 、 that follows a title or already
  holds a recognised person, every item that starts with a surname is a person (a
  surname the model took alone grows to its item);
* an organisation suffix alone (公司, 政府) is a common noun, not an organisation;
* a person written wholly in transliteration letters grows over the letters of the name
  it was cut from (莫斯卡|利科娃, 博|索纳罗), and is a place when the gazetteer knows
  the whole (卢甘斯克);
* a person span that is a title (王储) or one letter twice (龙龙) is none; one that ends
  with a letter of a site (薛家洼, 杨家岭畔) or follows 首都 is a place, and so is a
  transliterated one listed next to a place (哈尔科夫、顿涅茨克).

Text is normalised the same way in training and tagging (full-width ASCII folded to
half-width, letters lower-cased, digits to ``0``); the mapping is one character to one
character, so offsets into the normalised text are offsets into the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon
from . import tagger
from .gazetteer import load_places
from .names import foreign_end, foreign_start, is_foreign, verb_after
from .bioes import LABELS
from .tagger import normalise

__all__ = ["LABELS", "Span", "normalise", "recognise", "recognise_many"]


_CJK = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_LIST_RUN = re.compile(f"[{_CJK}]{{2,3}}(?:、[{_CJK}]{{2,3}})+")


@dataclass(frozen=True)
class Span:
    """A recognised name.

    Attributes:
        start: Offset of the first character in the text.
        end: Offset after the last character.
        label: ``"PER"``, ``"ORG"`` or ``"LOC"``.
        text: ``text[start:end]`` of the input.
    """

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class _Cues:
    """The cue words of the rules on top of the model."""

    surnames: frozenset[str]
    suffixes: frozenset[str]  # organisation suffixes (公司, 政府): alone, a common noun
    suffix_at_end: re.Pattern[str]  # an organisation suffix ends the span
    # Up to 12 word characters (no digit, punctuation or function word), then a suffix
    # of two letters or more: what an organisation cut short grows over.
    org_tail: re.Pattern[str]
    title_before: re.Pattern[str]  # a title (or 有, 是) right before a list of names
    titles: frozenset[str]
    place_end: frozenset[str]  # letters that end a site (洼, 陵): a person span is a place
    place_end_weak: frozenset[str]  # 桥, 岭: a place when a letter that opens no verb follows
    place_before: re.Pattern[str]  # 首都 right before a person span: it is a place
    place_after: re.Pattern[str]  # 省, 地区 after a transliterated name: it is a place
    after_list: frozenset[str]  # letters that follow the last name of a list (…、韩正等)
    not_last: frozenset[str]  # letters that end no name (刘国强|案)


@cache
def _cues() -> _Cues:
    """Load the cue words, once per process, on first use."""
    words = tagger.cues()
    long_suffix = lexicon.alternation(w for w in words.suffixes if len(w) > 1)
    stop = "".join(lexicon.words("institution_cues.tsv", "tail-stop"))
    before = lexicon.alternation(words.titles + tuple(lexicon.words("name_cues.tsv", "list-before")))
    return _Cues(
        surnames=words.surnames,
        suffixes=frozenset(words.suffixes),
        suffix_at_end=re.compile(f"(?:{lexicon.alternation(words.suffixes)})$"),
        org_tail=re.compile(f"[^\\W\\d{stop}、]{{0,12}}?(?:{long_suffix})"),
        title_before=re.compile(f"(?:{before})$"),
        titles=lexicon.titles().all,
        place_end=lexicon.word_set("name_cues.tsv", "place-end"),
        place_end_weak=lexicon.word_set("name_cues.tsv", "place-end-weak"),
        place_after=re.compile(lexicon.any_of("name_cues.tsv", "place-after")),
        place_before=re.compile(f"(?:{lexicon.any_of('name_cues.tsv', 'place-before')})$"),
        after_list=lexicon.word_set("name_cues.tsv", "list-after"),
        not_last=lexicon.word_set("name_cues.tsv", "not-last"),
    )


# The longest place form that _split_places tries (克孜勒苏柯尔克孜自治州 has 11).
_LONGEST_PLACE = 12
_Found = tagger.Found


@cache
def _people_pattern() -> re.Pattern[str]:
    return re.compile(lexicon.alternation(lexicon.known_people()))


def _overlaps(a: _Found, b: _Found) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(inner: _Found, outer: _Found) -> bool:
    """Whether ``inner`` lies within ``outer`` and is shorter."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[1] - outer[0] > inner[1] - inner[0]


def _add_people(found: list[_Found], text: str) -> list[_Found]:
    """Put lexicon people over the model's guesses, unless inside a longer ORG or LOC."""
    for m in _people_pattern().finditer(text):
        person = (m.start(), m.end(), "PER")
        clash = [s for s in found if _overlaps(s, person)]
        if any(s[2] != "PER" and _inside(person, s) for s in clash):
            continue
        found = [s for s in found if s not in clash] + [person]
    return found


def _extend_organisations(found: list[_Found], norm: str) -> list[_Found]:
    """Join an organisation to the unit named after it (清华大学 + …研究院).

    The model tends to stop at the owner of a nested name, or to cut the name in two.
    An ORG that ends with an organisation suffix grows over up to 12 more characters
    when they end with a multi-character suffix and hold no punctuation or function
    word; other ORG spans inside the grown part are absorbed, any other span stops it.
    """
    found, cues = sorted(found), _cues()
    result = []
    absorbed = 0
    for index, (start, end, label) in enumerate(found):
        if index < absorbed:
            continue
        while label == "ORG" and cues.suffix_at_end.search(norm, start, end):
            tail = cues.org_tail.match(norm, end)
            inside = [s for s in found[index + 1:] if s[0] < (tail.end() if tail else end)]
            if not tail or any(s[2] != "ORG" or s[1] > tail.end() for s in inside):
                break
            end = tail.end()
            absorbed = max(absorbed, index + 1 + len(inside))
        result.append((start, end, label))
    return result


def _split_places(found: list[_Found], text: str) -> list[_Found]:
    """Cut a place span that is a chain of gazetteer names (江苏省常州市) into its parts,
    whatever the model labelled it (an organisation span that is only places is places)."""
    result = []
    for span in found:
        pieces = (_place_chain(text, span[0], span[1])
                  if span[2] in ("LOC", "ORG") and span[1] - span[0] >= 4 else None)
        result.extend(pieces or [span])
    return result


def _joined_places(found: list[_Found], text: str) -> list[_Found]:
    """Join a place span to the place before it when it cannot stand alone: a kind of
    site only (常州|创新园 → 常州创新园), or a one-letter name of a town or village after a
    letter no span took (三元区|岩|前镇 → 岩前镇)."""
    kinds = site_kinds()
    result: list[_Found] = []
    for start, end, label in sorted(found):
        last = result[-1] if result else None
        if label == "LOC" and last is not None and last[2] == "LOC":
            if last[1] == start and text[start:end] in kinds:
                result[-1] = (last[0], end, "LOC")
                continue
            if (end - start == 2 and text[end - 1] in "镇乡村" and last[1] == start - 1
                    and "\u4e00" <= text[start - 1] <= "\u9fff"):
                result.append((start - 1, end, label))
                continue
        result.append((start, end, label))
    return result


@cache
def site_kinds() -> frozenset[str]:
    """Kinds of site (创新园, 开发区) that name no place alone."""
    return frozenset(w for kind in ("feature", "zone", "park")
                     for w in lexicon.words("place_cues.tsv", kind) if len(w) >= 2)


def _place_chain(text: str, start: int, end: int) -> list[_Found] | None:
    forms = load_places().names()
    pieces = []
    while start < end:
        for stop in range(min(end, start + _LONGEST_PLACE), start + 1, -1):
            if text[start:stop] in forms:
                pieces.append((start, stop, "LOC"))
                start = stop
                break
        else:
            return None
    return pieces if len(pieces) > 1 else None


def _check_people(found: list[_Found], text: str) -> list[_Found]:
    """Grow, relabel or drop the model's person spans by their letters (see the module)."""
    cues, places = _cues(), load_places()
    edges = sorted({e for s in found if s[2] != "PER" for e in (s[0], s[1])})
    result = []
    for start, end, label in found:
        if label == "PER":
            # grow only up to the nearest other span on either side
            left = max([e for e in edges if e <= start], default=0)
            right = min([e for e in edges if e >= end], default=len(text))
            start = max(left, foreign_start(text, start, end, left))
            end = min(right, foreign_end(text, start, end))
            if end - start > 2 and text[end - 1] in cues.not_last:
                end -= 1  # 刘国强|案
            if text[start] == "·" or text[end - 1] == "·":
                continue  # 赛典赤|·赡思丁: the part of a name after or before its dot
            name = text[start:end]
            if len(name) < 2 or (len(name) == 2 and name[0] == name[1]) or _a_title(text, start, end):
                continue
            if (name[-1] in cues.place_end or places.lookup(name) or _site_before(text, end)
                    or cues.place_before.search(text, max(0, start - 3), start)
                    or (is_foreign(name) and cues.place_after.match(text, end)
                        and not any(text[end:end + n] in cues.titles for n in (2, 3)))):
                label = "LOC"
        result.append((start, end, label))
    return _listed_places(sorted(result), text)


def _a_title(text: str, start: int, end: int) -> bool:
    """Whether a person span is a title (王储), or a surname with a title that addresses
    someone unnamed (蒋|委员, 欧阳|主任), or holds the start of a title that runs past its
    end (王委|员)."""
    cues, name = _cues(), text[start:end]
    return (name in cues.titles or name[1:] in cues.titles
            or (name[2:] in cues.titles and name[:2] in cues.surnames)
            or any(text[k:k + n] in cues.titles for k in range(start + 1, end)
                   for n in (2, 3) if k + n > end))


def _site_before(text: str, end: int) -> bool:
    """Whether a span ending at ``end`` with 桥 or 岭 names a site: a letter follows that
    opens no verb (卢沟桥|畔, not 宋忠桥|说 or 宋忠桥：)."""
    if end < 1 or text[end - 1] not in _cues().place_end_weak or end >= len(text):
        return False
    tags = lexicon.word_tags()
    return ("\u4e00" <= text[end] <= "\u9fff" and tags.get(text[end], "v")[:1] != "v"
            and tags.get(text[end:end + 2], "")[:1] != "v")


def _listed_places(found: list[_Found], text: str) -> list[_Found]:
    """A transliterated person listed (、 or 和) next to a place is a place too
    (哈尔科夫、顿涅茨克和…地区)."""
    for _ in range(2):
        for i, (start, end, label) in enumerate(found):
            near = [found[j] for j in (i - 1, i + 1) if 0 <= j < len(found)]
            if label == "PER" and is_foreign(text[start:end]) and any(
                    n[2] == "LOC" and (n[1] == start - 1 or n[0] == end + 1)
                    and text[min(n[1], end)] in "、和" for n in near):
                found[i] = (start, end, "LOC")
    return found


def _add_listed_people(found: list[_Found], norm: str) -> list[_Found]:
    """Mark every surname-led item of a 、-list of names as a person.

    A run ``X、Y、Z`` qualifies when a title (or 有/是) ends right before it or one of its
    items is already a person, and no item is already an organisation or place.
    """
    starts = {s[0]: s for s in found}
    ends = {s[1]: s for s in found}
    added = []
    cues = _cues()
    for run in _LIST_RUN.finditer(norm):
        items = _list_items(run, starts, ends)
        if not items or any(norm[s] not in cues.surnames and norm[s:s + 2] not in cues.surnames
                            for s, _ in items):
            continue
        known = [starts.get(s) for s, _ in items]
        if any(k is not None and k[2] != "PER" for k in known):
            continue
        if not any(known) and not cues.title_before.search(norm, max(0, items[0][0] - 8), items[0][0]):
            continue
        added.extend((s, e, "PER") for (s, e), k in zip(items, known) if k is None)
        # A surname the model took alone (陈|立新) or a name it cut short grows to its item.
        grown = {k: (s, e, "PER") for (s, e), k in zip(items, known) if k is not None and k[1] < e}
        found = [grown.get(f, f) for f in found]
    return found + [s for s in added if not any(_overlaps(s, f) for f in found)]


def _list_items(run: re.Match[str], starts: dict, ends: dict) -> list[tuple[int, int]]:
    """Split a 、-run into item offsets, choosing where the first item starts.

    The regex run may begin one character too early ("有韩正、…"): prefer a recognised
    span ending at the first 、, else the 3-character item when it starts with a surname,
    else the last 2 characters.
    """
    items, cues = [], _cues()
    pos = run.start()
    for piece in run.group().split("、"):
        items.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    first_start, first_end = items[0]
    if first_end in ends and ends[first_end][0] >= first_start:
        items[0] = (ends[first_end][0], first_end)
    elif first_end - first_start == 3 and run.string[first_start] not in cues.surnames:
        items[0] = (first_start + 1, first_end)
    last_start, last_end = items[-1]
    if (last_end - last_start == 3 and starts.get(last_start, (0, 0))[1] == last_end - 1
            and verb_after(run.string, last_end)):
        pass  # …、陈立新|出席: the verb after the item closes the name, not the model's cut
    elif last_start in starts and last_start + 1 < starts[last_start][1] <= last_end:
        items[-1] = (last_start, starts[last_start][1])
    elif last_end - last_start == 3 and run.string[last_end - 1] in cues.after_list:
        items[-1] = (last_start, last_end - 1)
    return items


def recognise(text: str) -> list[Span]:
    """Find the people, organisations and places named in a text.

    Args:
        text: Any text.

    Returns:
        Non-overlapping spans in text order, never starting or ending with a space.
    """
    return recognise_many([text])[0]


def recognise_many(texts: list[str]) -> list[list[Span]]:
    """``recognise`` of each text, the model run once over all of them (the same spans,
    faster for the paragraphs of a document)."""
    norms = [normalise(text) for text in texts]
    return [_finished(text, norm, found) for text, norm, found
            in zip(texts, norms, tagger.tag_many(list(zip(norms, texts))))]


def _finished(text: str, norm: str, found: list) -> list[Span]:
    """The rules on top of the model's spans ``found``, as ``Span`` records."""
    cues = _cues()
    # An organisation suffix alone (公司, 政府) is a common noun, not a name.
    found = [s for s in found if s[2] != "ORG" or norm[s[0]:s[1]] not in cues.suffixes]
    found = _extend_organisations(found, norm)
    found = _split_places(found, text)
    found = _joined_places(found, text)
    found = _check_people(found, text)
    found = _add_people(found, text)
    found = _add_listed_people(found, norm)
    spans = []
    for start, end, label in sorted(found):
        name = text[start:end]
        start, end = start + len(name) - len(name.lstrip()), end - len(name) + len(name.rstrip())
        if end > start:
            spans.append(Span(start, end, label, text[start:end]))
    return spans
