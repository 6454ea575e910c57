"""Parse the numbers of English text into the same quantities as the Chinese ones (framing/source/numbers.py).

An English quantity is written:

* with a qualifier before it, or none: ``more than``/``over``/``above`` (more-than),
  ``nearly``/``almost`` (nearly), ``about``/``around``/``roughly``/``approximately``/``some``
  (about), ``up to``/``as many as`` (up-to);
* with a currency before it (``$``, ``US$``, ``HK$``, ``€``, ``¥``) or after it (``dollars``,
  ``yuan``, ``euros``, ``Hong Kong dollars``);
* as Arabic digits with thousands separators and a decimal point (``1,200``, ``6.5``), and a scale
  after them (``thousand``, ``million``, ``billion``, ``trillion``; ``bn``, ``m``/``mn`` straight
  after a currency: ``$6.5bn``);
* with what is counted after it: ``%``/``percent``/``per cent``, a unit of time (``12 months`` is
  the Chinese ``12个月``: units are given the canonical Chinese forms of framing/source/numbers.py, so the
  statistics table compares an English figure with a Chinese one), or a counted noun that has one
  (``countries`` 国, ``companies`` 家, ``downloads`` 次, ``times`` 倍, ``people`` 人).

A number counts as a quantity only with a currency, a percentage, a scale or a known unit: a bare
``2025``, a date (``Nov. 1``, ``14 November``), a clock time, an ordinal (``1st``) and digits inside
names (``GPT-5``, ``Qwen3``, ``H100``) are not quantities. ``value`` is fully expanded, as in the
Chinese parser: ``600 million`` is 600000000, ``$6.5 million`` 6500000 USD, ``17%`` 17 with percent.
Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal

from framing.source.languages import is_chinese
from framing.source.numbers import Quantity, describe, parse_quantity, quantities_in

_QUALIFIERS = {
    "more than": "more-than", "over": "more-than", "above": "more-than", "in excess of": "more-than",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "up to": "up-to", "as many as": "up-to",
}
_PREFIX_CURRENCIES = {"US$": "USD", "HK$": "HKD", "$": "USD", "€": "EUR", "¥": "CNY", "£": "GBP"}
_SUFFIX_CURRENCIES = {"hong kong dollars": "HKD", "us dollars": "USD", "dollars": "USD", "yuan": "CNY",
                      "renminbi": "CNY", "euros": "EUR", "pounds": "GBP"}
_SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "bn": 9, "mn": 6, "m": 6}
_UNITS = {
    "years": "年", "year": "年", "months": "个月", "month": "个月", "weeks": "周", "week": "周",
    "days": "天", "day": "天", "hours": "小时", "hour": "小时", "minutes": "分钟", "minute": "分钟",
    "countries": "国", "country": "国", "companies": "家", "company": "家", "firms": "家",
    "downloads": "次", "times": "倍", "people": "人", "percentage points": "百分点", "percentage point": "百分点",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "january", "february", "march", "april", "june", "july", "august", "september", "october",
           "november", "december")


def _words(table: dict[str, object]) -> str:
    return "|".join(re.escape(word) for word in sorted(table, key=len, reverse=True))


_PATTERN = re.compile(
    rf"(?:(?P<qualifier>{_words(_QUALIFIERS)})\s+)?"
    rf"(?P<prefix>{_words(_PREFIX_CURRENCIES)})?"
    r"(?<![\w.\-/:])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!(?!(?:bn|mn|m)\b)[\w/:]|\.\d|,\d{3})"
    rf"(?:(?:\s*-?\s*|\s+)(?P<scale>thousand|million|billion|trillion)\b|(?P<short>bn|mn|m)\b)?"
    rf"(?:\s*(?P<percent>%|percent\b|per cent\b)"
    rf"|\s+(?P<currency>{_words(_SUFFIX_CURRENCIES)})\b"
    rf"|\s+(?P<unit>{_words(_UNITS)})\b)?",
    re.I,
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\.?\s*$", re.I)
_MONTH_AFTER = re.compile(rf"\s*(?:{'|'.join(_MONTHS)})\b", re.I)


def _build(text: str, match: re.Match[str]) -> Quantity | None:
    number, scale, short = match.group("number"), match.group("scale"), match.group("short")
    prefix, percent, currency, unit = match.group("prefix"), match.group("percent"), match.group("currency"), match.group("unit")
    if short and not prefix:
        return None  # '5m' is five metres; '$5m' is five million dollars
    if not (prefix or percent or currency or unit or scale or short):
        return None
    if _ORDINAL.match(text, match.end("number")) or _MONTH_BEFORE.search(text, 0, match.start("number")) \
            or (not (prefix or percent or scale or short) and _MONTH_AFTER.match(text, match.end("number"))):
        return None  # '1st', 'Nov. 1', '14 November'
    value = Decimal(number.replace(",", ""))
    exponent = _SCALES[(scale or short).lower()] if (scale or short) else 0
    value = (value * (Decimal(10) ** exponent)).normalize()
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    qualifier = _QUALIFIERS[match.group("qualifier").lower()] if match.group("qualifier") else ""
    return Quantity(
        text=match.group(), value=value, unit="%" if percent else _UNITS.get((unit or "").lower(), ""),
        currency=_PREFIX_CURRENCIES.get(prefix or "", "") or _SUFFIX_CURRENCIES.get((currency or "").lower(), ""),
        qualifier=qualifier, percent=bool(percent), start=match.start(), end=match.end())


def find_english_quantities(text: str) -> list[Quantity]:
    """Every quantity in an English passage, in order of position; spans never overlap."""
    return [q for q in (_build(text, match) for match in _PATTERN.finditer(text)) if q is not None]


def parse_english_quantity(text: str) -> Quantity | None:
    """Exactly one English quantity ('$6.5 million', '17%', '600 million'), or None."""
    stripped = text.strip()
    if not stripped:
        return None
    start = text.index(stripped)
    match = _PATTERN.fullmatch(text, start, start + len(stripped))
    return _build(text, match) if match else None


# The canonical units of framing/source/numbers.py, as the English edition names them.
_UNIT_NAMES = {
    "年": "years", "个月": "months", "天": "days", "周": "weeks", "季度": "quarters", "小时": "hours",
    "分钟": "minutes", "次": "times", "个": "items", "款": "products", "种": "kinds", "家": "companies",
    "位": "people", "名": "people", "人": "people", "项": "items", "条": "items", "席": "seats",
    "国": "countries", "倍": "times over", "台": "units", "篇": "articles", "位数": "digits",
    "百分点": "percentage points", "份": "copies", "轮": "rounds", "岁": "years of age", "届": "editions",
    "座": "buildings", "架": "aircraft", "辆": "vehicles", "枚": "pieces", "颗": "pieces", "只": "pieces",
    "例": "cases", "吨": "tonnes", "B": "parameters",
}


def describe_quantity(q: Quantity, language: str) -> str:
    """describe() of framing/source/numbers.py, with the unit named in English in English ('en'): '1,957 年'
    is 'the year 1957', '600,000,000 次 (more than)' '600,000,000 times (more than)', the qualifier
    still last. A unit without an English name is shown as it is (the English edition's check then
    names it)."""
    if not language.startswith("en") or q.percent or not q.unit:
        return describe(q, language)
    if q.unit == "年" and q.value >= 1000 and q.value == q.value.to_integral_value():
        return f"the year {q.value}"
    return describe(dataclasses.replace(q, unit=_UNIT_NAMES.get(q.unit, q.unit)), language)


@functools.lru_cache(maxsize=1 << 14)
def quantities_in_language(text: str, language: str) -> tuple[Quantity, ...]:
    """The quantities of a passage of an article in language: Chinese or English numerals."""
    if is_chinese(language):
        return quantities_in(text)
    return tuple(find_english_quantities(text))


def parse_any_quantity(text: str) -> Quantity | None:
    """A claim's source_value, written the Chinese way ('6亿次') or the English way ('600 million')."""
    return parse_quantity(text) or parse_english_quantity(text)
