"""Named policy: which quoted words are concepts, and titles of laws and rules.

A term in Chinese quotation marks (“新质生产力”) is a concept when it ends in a head word
or, quoted again, reads as policy shorthand (``is_shorthand``); quoted once, when it
names an idea or plan (“弱鸟先飞”理念; ``named_quote``) or is marked as shorthand:
numbered, after a building verb or a stance word, or beside such a term
(``marked_quote``). Titles of laws and policy documents in 《》 and numbered rules
(二十条措施 → 二十条) are named policy too (``titled``), but not the tail of such a title
(《优化|营商环境条例》; ``ends_a_title``); quoted names of an activity, honour or hall (“…”主题活动, “…”等荣誉) name things
(``names_a_thing``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache


from .. import lexicon
from .terms import CUES, WORD_CACHE, building_verbs
from .words import cut as word_cut


QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,12})”")


@cache
def named_quote() -> re.Pattern[str]:
    """A quoted name of an idea, plan or policy: “弱鸟先飞”理念, “东数西算”工程."""
    ideas = lexicon.any_of(CUES, "idea")
    return re.compile(rf"“([\u4e00-\u9fff]{{2,12}})”(?:{ideas})")


def is_a_name(term: str) -> bool:
    """Whether a quoted word is a name jieba knows (“摩萨德”目标 is a body's target)."""
    return lexicon.word_tags().get(term, "") in ("nrt", "nrfg", "ns", "nt")


def marked_quote(text: str, term: str) -> bool:
    """Whether a term quoted once is marked as policy shorthand: numbered (“六税两费”,
    “三个务必”), right after a building or committing verb or a word that names a stance
    (实现“社会面清零”, 搞所谓“小院高墙”), or written beside such a quoted term (“两个中国”或
    “一中一台”)."""
    words, tags = _term_words(term), lexicon.word_tags()
    if (is_a_name(term) or "的" in term.replace("党的", "")
            or any(tags.get(w, "n").startswith(("u", "p", "c")) for w in words)):
        return False  # “摩萨德”, “零的突破”: a name or a phrase
    if len(term) >= 3 and "第" not in term and any(
            _NUMBERED.search(w) and (tags.get(w, "") in ("m", "mq") or len(w) == 1) for w in words):
        return True  # numbered: “三个务必”, “六税两费”; not 百姓 in “百姓论坛”
    if (tags.get(words[0], "n").startswith(("d", "r")) or tags.get(words[-1], "n") == "v"
            or (len(words) == 1 and lexicon.is_everyday(term))):
        return False  # “更团结”, “关心”: words of everyday speech
    return any(_marked_at(text, m.start()) for m in re.finditer(f"“{re.escape(term)}”", text))


@lru_cache(maxsize=WORD_CACHE)
def _term_words(term: str) -> tuple[str, ...]:
    return tuple(list(word_cut(term)))


def _marked_at(text: str, at: int) -> bool:
    before = text[max(0, at - 4):at]
    if before.endswith(_quote_markers()):
        return True
    clause = re.split(r"[，。；：！？、“”\n]", text[max(0, at - 9):at])[-1]
    if clause.endswith("的") and any(v in clause for v in building_verbs()
                                    if v not in ("发展", "建设")):
        return True  # 打造更高水平的“天府粮仓”; not 推动实现高水平科技自立自强的“领跑者”
    for m in QUOTED_RUN.finditer(text, max(0, at - 40), at + 40):
        if m.start() <= at < m.end():
            return any(_NUMBERED.search(t) or text[max(0, s - 4):s].endswith(_quote_markers())
                       for t, s in _run_items(m))
    return False


QUOTED_RUN = re.compile(r"(?:“[\u4e00-\u9fff]{2,12}”(?:[、或和与及]|(?=“))){1,5}“[\u4e00-\u9fff]{2,12}”")


def _run_items(match: re.Match) -> list[tuple[str, int]]:
    return [(m.group(1), match.start() + m.start()) for m in QUOTED.finditer(match.group())]


@cache
def _quote_markers() -> tuple[str, ...]:
    """Words before a quoted term that mark it as a term: building and committing verbs
    and words that name a stance (所谓, 搞, 反对)."""
    return building_verbs() + lexicon.holding_verbs() + lexicon.words(CUES, "quote-marker")


def is_shorthand(term: str, quoted: int) -> bool:
    """A quoted term is a concept when it ends in a head word (“新质生产力”) or, quoted
    again, reads as policy shorthand: numbered (“双碳”, “四链”, “新三样”) or new (“新基建”).
    Other quoted words are mostly figures of speech (“领头羊”, “压舱石”)."""
    if term.endswith(lexicon.concept_heads() + lexicon.words(CUES, "idea")) and len(term) >= 3:
        return True  # “新质生产力”, “诺曼底模式”
    return quoted >= 2 and (bool(_NUMBERED.search(term)) or term.startswith("新"))


_NUMBERED = re.compile(r"[一二三四五六七八九十两双百千万]")


@cache
def _document_pattern() -> re.Pattern[str]:
    """《…》 titles of laws, plans and policy documents (《通胀削减法案》, 《…的决定》)."""
    heads = lexicon.any_of(CUES, "document-head")
    return re.compile(rf"《([\u4e00-\u9fff（）()0-9]{{2,40}}(?:{heads}))》")


_NUMBERED_RULES = re.compile(r"(?<![第一二三四五六七八九十])((?:新|国)?[一二三四五六七八九十]{1,3}条)"
                             r"(?=措施|举措|意见|政策|优化)")


def titled(text: str) -> set[str]:
    """Titles of laws and policy documents in 《》, and numbered rules written as such
    (二十条措施 → 二十条): named policy."""
    return set(_document_pattern().findall(text)) | set(_NUMBERED_RULES.findall(text))


def ends_a_title(text: str, term: str) -> bool:
    """Whether ``term`` is only ever written as the tail of a title in 《》 that is longer
    (《优化|营商环境条例》): a piece of the law's name, not a term of its own."""
    if term + "》" not in text:
        return False
    at = text.find(term)
    ends = []
    while at >= 0:
        ends.append(text.startswith("》", at + len(term)) and text[at - 1:at] != "《")
        at = text.find(term, at + 1)
    return bool(ends) and all(ends)


_TITLE = re.compile(r"《([^《》]{1,80}?)(?:[（(][^（(）)《》]{1,20}[）)])?》")  # with its years (2021-2025年)


def inside_titles(text: str, term: str) -> bool:
    """Whether ``term`` is only ever written inside a longer title in 《》 (《“十四五”|生物
    经济发展|规划》, 《关于做好…就地|过年服务|保障工作的通知》): a piece of the title."""
    if "《" not in text:
        return False
    titles = [(m.start(), m.end(1), m.end()) for m in _TITLE.finditer(text)]
    at = text.find(term)
    while at >= 0:
        end = at + len(term)
        if not any(a < at and end < c and (at, end) != (a + 1, b) for a, b, c in titles):
            return False
        at = text.find(term, at + 1)
    return True


@cache
def _thing_names() -> re.Pattern[str]:
    """A quoted run of names followed by what they name: an activity, an honour, a hall
    or a claim (“五好战士”“节约标兵”等荣誉, “…”主题活动, “…”等5大展区, “…”言论)."""
    things = lexicon.any_of(CUES, "thing")
    return re.compile(rf"((?:“[^“”]{{2,16}}”[、和及与或]?){{1,6}})(?:以及[^，。；]{{0,20}})?"
                      rf"(?:等[一二三四五六七八九十0-9]*[个项大类场]?)?(?:{things})")


def names_a_thing(text: str) -> set[str]:
    """Quoted words that name an activity, honour, hall or claim (``_thing_names``)."""
    if "“" not in text:
        return set()
    return {m.group(1) for run in _thing_names().finditer(text)
            for m in QUOTED_ANY.finditer(run.group(1))}


QUOTED_ANY = re.compile(r"“([^“”]{2,16})”")
