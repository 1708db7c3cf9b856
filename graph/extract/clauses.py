"""Whether a stretch of text reads as a clause, not a name.

Used wherever a candidate name is checked (institutions, events, posts, places): a name
holds no clause word (了, 的, 推动, 某: ``institution_cues.tsv``, kind ``clause``) as a
whole word, no list end (等) and no title followed by a name or a verb (总统|卢卡申科会谈).
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from .gazetteer import load_places
from .words import cut

_CUES = "institution_cues.tsv"

# 等 ends a list (…企业等), but not in 高等, 平等, 同等
_LIST_END = re.compile(r"(?<![高平同])等")
# jieba's tags of nouns, names, adjectives and nominal verbs: a word of one of them that
# holds a clause letter is no clause word (华为, 首都, 协和, 对外); any other is (作为,
# 正在, 已经, 他们, 也是)
_NOUN_TAGS = ("n", "a", "b", "s", "j", "vn")


def reads_as_clause(text: str) -> bool:
    """Whether ``text`` holds a word that makes it a clause, not a name (了, 的, 推动, 某;
    as whole words: 为 makes a clause, 华为 does not),
    or a title followed by a name or a verb (以色列总统|里夫林呼吁议会, 中国代表|敦促…公司):
    someone acting, not a body's name (伊朗总统办公室 is one)."""
    if _LIST_END.search(text) or title_acts(text) or _adverbial(text):
        return True
    if not _any_clause_letter().search(text):
        return False  # no clause word anywhere, so none as a whole word
    clause, tags = lexicon.word_set(_CUES, "clause"), lexicon.word_tags()
    # whole words only: 为 makes a clause, 华为 does not; 都 does, 成都 and 首都 do not
    return any(word in clause or (any(c in word for c in clause)
                                  and not tags.get(word, "-").startswith(_NOUN_TAGS)
                                  and not load_places().canonical(word))  # 也门 (d)
               for word in cut(text))


def _adverbial(text: str) -> bool:
    """Whether ``text`` holds an adverb of two letters or more before a verb (…大力|推进…,
    …分别|建造…, …率先|成立…): a predicate, and a name holds none (共同|民主党 is one)."""
    tags, words = lexicon.word_tags(), cut(text)
    return any(len(word) > 1 and tags.get(word) == "d" and tags.get(after, "-")[:1] == "v"
               for word, after in zip(words, words[1:]))


@cache
def _any_clause_letter() -> re.Pattern:
    return re.compile(lexicon.any_of(_CUES, "clause"))


_ACTOR = ("nr", "nrt", "nrfg", "v")  # jieba tags of a name or a verb


def title_acts(text: str) -> bool:
    """Whether ``text`` holds a title followed by a name or a verb (总统|卢卡申科会谈)."""
    if len(text) < 5 or not lexicon.titles().pattern.search(text):
        return False
    tags, titles = lexicon.word_tags(), lexicon.titles().all
    words = cut(text)
    return any(word in titles and tags.get(after) in _ACTOR for word, after in zip(words, words[1:]))
