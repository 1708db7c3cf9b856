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
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import jieba
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "graph" / "data" / "places.tsv"
COUNTRY_NAMES = Path(__file__).resolve().parent / "country_names.tsv"
STATE_NAMES = Path(__file__).resolve().parent / "state_names.tsv"
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
    words = set()
    with (files("jieba") / "dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, tag = line.split()
            if int(freq) >= COMMON_WORD_FREQ and tag not in NAME_TAGS:
                words.add(word)
    return words


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
    write_places(places, args.out)
    counts = Counter(p.level for p in places)
    ambiguous = defaultdict(int)
    for p in places:
        ambiguous[p.level] += p.ambiguous
    for level in ("country", "province", "city", "county", "state"):
        print(f"{level}: {counts[level]} ({ambiguous[level]} ambiguous)")


if __name__ == "__main__":
    main()
