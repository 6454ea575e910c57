"""Parse the numbers that annotated passages quote into comparable values.

A *quantity* is a number as a Chinese news text writes it, together with what surrounds it:

* the numeral: Arabic (``1,000``, ``1，000``, ``0.5``, full-width ``６``) or Chinese (``三百``,
  ``一千二百``, ``两``, ``十六``; the numeral itself is converted by ``cn2an``);
* scales after it: 百 千 万/萬 亿/億 and their combinations (``5000亿``, ``3.8万亿``, ``一千多万``);
* a qualifier: ``more-than`` (超/超过/逾/突破/破 before, 多/余 inside, 以上 after), ``nearly``
  (近/将近/接近), ``about`` (约/大约 before, 左右 after), ``up-to`` (多达/高达 before, 之多 after);
* what is counted: a currency (美元 USD, 元/人民币 CNY, 港元 HKD, 欧元 EUR, or the symbols
  ``$ US$ HK$ ¥ €``), a percentage (``%``, ``％``, ``百分之…``, ``x成`` = x × 10 %), or a counter
  or unit (次, 个, 款, 种, 家, 位, 名, 项, 条, 席, 国, 年, 个月, 天, 季度, 倍, ``B`` …).

Decisions, so that callers can rely on them:

* ``value`` is always fully expanded: ``6亿`` is 600000000, ``5000亿美元`` is 500000000000 (USD).
* Percentages keep the number as written: ``22.32%`` has value 22.32, unit ``'%'``, percent True;
  ``六成`` has value 60, unit ``'%'``, percent True.
* ``B`` (billions of parameters, as in ``0.5B到480B``) is expanded like the Chinese scales:
  ``0.5B`` has value 500000000 and unit ``'B'``, so the value is a plain count of parameters.
* Units are reported in one canonical Simplified form: 個 → 个, 種 → 种, 項 → 项, 條 → 条;
  ``个国家``, ``国家`` and ``國`` are all ``'国'``; ``个季度`` is ``'季度'``; ``个月`` stays ``'个月'``.
* A quantity's ``text``/``start``/``end`` cover the qualifier and the unit: ``突破6亿次``.
* Not quantities: digits inside model or product names (``Qwen3``, ``GPT-5``, ``H100``, ``Wan2.2``,
  ``Llama 4``, ``5G``), a digit right after a hyphen, calendar months and days (``11月14日``,
  ``14号``), clock times, ISO dates, codes with a leading zero (``0882``), ordinals (``第一``),
  vague amounts (``数百万``, ``几百万``), ranges written with two digits (``三四年``) and a lone
  Chinese numeral with nothing counted after it (``三峡``, ``千问``). A year written with 年
  (``2025年``) *is* a quantity, with unit ``'年'``. Negative numbers and fractions (``四分之一``)
  are not parsed; ``百分之六十`` is 60 %.
* In running text (find_quantities), a lone 一 or 二 before a counter is a word, not a count:
  ``一家公司`` "a company", ``二次开发`` "secondary development" (``一年``, ``一倍`` still count,
  and parse_quantity('一家') gives 1 家). A Chinese numeral with nothing after it counts when it
  has at least two characters and a place or scale (``三百``, ``千万``). 近 before a time unit is
  "the last …" (``近三年``): no qualifier, and the quantity starts after 近.
* same_value treats an unstated unit or currency as compatible with any (strict=True does not).

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from framing.source.grouping import chinese_scaled, grouped, plain

__all__ = ["Quantity", "find_quantities", "parse_quantity", "same_value", "describe"]


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text.

    text: the matched substring, qualifier and unit included; value: the fully expanded number;
    unit: '' or a canonical counter/unit ('次', '个', '%', 'B', …); currency: '' or an ISO 4217
    code; qualifier: '' or 'more-than', 'nearly', 'about', 'up-to'; percent: whether the value is
    a percentage; start, end: code-point offsets of text in the passage.
    """

    text: str
    value: Decimal
    unit: str
    currency: str
    qualifier: str
    percent: bool
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Vocabulary (constants only: no mutable module state)

_AD = "0-9０-９"  # Arabic digits, ASCII and full-width
_LATIN = "A-Za-zＡ-Ｚａ-ｚ"
_CN_DIGITS = "零〇一二三四五六七八九两兩壹贰貳叁參叄肆伍陆陸柒捌玖"
_CN_PLACES = "十拾百佰千仟"
_CN_SCALES = "万萬亿億"

_QUALIFIER_PREFIXES: tuple[tuple[str, str], ...] = (
    # (regular expression, qualifier); longer forms first
    ("(?:超过|超過|突破)了?|超出|(?<![打突])破|逾|超", "more-than"),
    ("将近|將近|接近|(?<![最附邻鄰靠将將接])近", "nearly"),
    ("大约|大約|(?<![签簽预預节節公制契合大])[约約]", "about"),
    ("多达|多達|高达|高達", "up-to"),
)
_QUALIFIER_SUFFIXES = {"以上": "more-than", "左右": "about", "之多": "up-to"}

_UNITS: dict[str, str] = {
    "次": "次", "个": "个", "個": "个", "箇": "个", "款": "款", "种": "种", "種": "种", "家": "家",
    "位": "位", "位数": "位数", "位數": "位数", "名": "名", "项": "项", "項": "项", "条": "条", "條": "条", "席": "席",
    "国": "国", "國": "国", "国家": "国", "國家": "国", "个国家": "国", "個國家": "国",
    "年": "年", "个月": "个月", "個月": "个月", "天": "天", "季度": "季度", "个季度": "季度",
    "個季度": "季度", "周": "周", "週": "周", "星期": "周", "个星期": "周", "個星期": "周",
    "小时": "小时", "小時": "小时", "个小时": "小时", "個小時": "小时", "分钟": "分钟", "分鐘": "分钟",
    "倍": "倍", "人": "人", "台": "台", "枚": "枚", "颗": "颗", "顆": "颗", "吨": "吨", "噸": "吨",
    "篇": "篇", "份": "份", "轮": "轮", "輪": "轮", "岁": "岁", "歲": "岁", "届": "届", "屆": "届",
    "只": "只", "隻": "只", "例": "例", "座": "座", "架": "架", "辆": "辆", "輛": "辆",
    "百分点": "百分点", "百分點": "百分点", "个百分点": "百分点", "個百分點": "百分点",
}
_CURRENCIES: dict[str, str] = {
    "美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD", "港幣": "HKD", "欧元": "EUR",
    "歐元": "EUR", "人民币": "CNY", "人民幣": "CNY", "元": "CNY",
}
_CURRENCY_PREFIXES: dict[str, str] = {
    "US$": "USD", "HK$": "HKD", "$": "USD", "€": "EUR", "¥": "CNY", "￥": "CNY",
    "人民币": "CNY", "人民幣": "CNY",
}
_SCALES = {"百": 2, "佰": 2, "千": 3, "仟": 3, "万": 4, "萬": 4, "亿": 8, "億": 8}
_BILLION_EXPONENT = 9  # the 'B' of 0.5B / 480B
# Characters after which 成 is a word (成为, 成功 …), not "tenths".
_CHENG_WORDS = "为為功本立长長果员員就熟交分了绩績型效不"
# After 近, these units make it "the last N …" (近三年, 近一周), not "nearly N".
_TIME_UNITS = frozenset({"年", "个月", "天", "季度", "周", "小时", "分钟"})
# A lone 一 before a counter is the indefinite article (一家公司 "a company", 一次 "a time"), and a
# lone 二 one is a word (二次开发 "secondary", 二手); a count of two is written 两. Both still count
# before a time unit (一年, 二年), 倍 and 百分点, and in parse_quantity.
_WORD_NUMERALS = frozenset("一壹二贰貳")
_COUNTED_EVEN_WHEN_ONE = _TIME_UNITS | {"倍", "百分点"}
# A Chinese numeral right after one of these is an ordinal, a vague amount or part of a word.
_CN_NOT_AFTER = "第数數几幾上下同另这這那每哪唯统統单單逐专專"

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_CN_NORMALISE = str.maketrans({"兩": "两", "貳": "贰", "參": "叁", "叄": "叁", "陸": "陆", "萬": "万",
                               "億": "亿"})
_CN_DIGIT_VALUES = {c: i for i, group in enumerate(
    ("零〇", "一壹", "二两兩贰貳", "三叁參叄", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖")) for c in group}

_QUALIFIER_WORDS = {
    "en": {"more-than": "more than", "nearly": "nearly", "about": "about", "up-to": "up to"},
    "zh-Hans": {"more-than": "超过", "nearly": "近", "about": "约", "up-to": "多达"},
    "zh-Hant": {"more-than": "超過", "nearly": "近", "about": "約", "up-to": "多達"},
}
_CURRENCY_WORDS = {
    "zh-Hans": {"USD": "美元", "CNY": "元", "HKD": "港元", "EUR": "欧元"},
    "zh-Hant": {"USD": "美元", "CNY": "元", "HKD": "港元", "EUR": "歐元"},
}
_HANT_UNITS = {"个": "個", "种": "種", "项": "項", "条": "條", "国": "國", "个月": "個月", "小时": "小時",
               "分钟": "分鐘", "颗": "顆", "吨": "噸", "轮": "輪", "岁": "歲", "届": "屆", "只": "隻",
               "辆": "輛", "百分点": "百分點"}


def _alternation(words: object) -> str:
    """A regular-expression alternation of words, longest first (so 个月 wins over 个)."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))  # type: ignore[arg-type]


def _compile() -> re.Pattern[str]:
    """The scanner: one regular expression with named groups."""
    qualifier = "|".join(f"(?P<q{i}>{alt})" for i, (alt, _) in enumerate(_QUALIFIER_PREFIXES))
    arabic = rf"(?:[{_AD}]{{1,3}}(?:[,，][{_AD}]{{3}}(?![{_AD}]))+|[{_AD}]+)(?:[.．][{_AD}]+)?"
    chinese = (rf"[{_CN_DIGITS}{_CN_PLACES}][{_CN_DIGITS}{_CN_PLACES}{_CN_SCALES}]*"
               rf"(?:[点點][{_CN_DIGITS}]+)?")
    scale = r"[百千佰仟]?[万萬]?[亿億]{0,2}"
    date = rf"(?P<date>(?<!个)(?<!個)月(?:[{_AD}]{{1,2}}|[{_CN_DIGITS}十廿卅]{{1,3}})?[日号號]?|[日号號]" \
           rf"|[:：][{_AD}]{{2}}(?:[:：][{_AD}]{{2}})?|-[{_AD}]{{1,2}}-[{_AD}]{{1,2}}(?![{_AD}]))"
    # 元 is not a currency in 元宵 (the Lantern Festival: 正月十五元宵), 元旦, 元素, 元首
    currencies = _alternation(_CURRENCIES).replace("|元", "|元(?![宵旦素首])")
    suffix = (rf"(?P<currency>{currencies})"
              rf"|(?P<unit>{_alternation(_UNITS)})"
              rf"|(?P<percent> ?[%％])"
              rf"|(?P<cheng>成(?![{_CHENG_WORDS}]))"
              rf"|(?P<billion>B)"
              rf"|{date}")
    regex = (rf"(?:{qualifier})?"
             rf"(?P<cur>{_alternation(_CURRENCY_PREFIXES)})?"
             rf"(?P<pct>百分之)?"
             rf"(?:(?<![{_LATIN}{_AD}.．\-‐_])(?P<ar>{arabic})"
             rf"|(?<![{_CN_DIGITS}{_CN_PLACES}{_CN_SCALES}{_CN_NOT_AFTER}])(?<![^百]分之)(?P<cn>{chinese}))"
             rf"(?P<more1>[多余餘])?(?P<scale>{scale})(?P<more2>[多余餘])?"
             rf"(?:{suffix})?"
             rf"(?P<post>{_alternation(_QUALIFIER_SUFFIXES)})?")
    return re.compile(regex)


_PATTERN = _compile()  # a constant, built from the tables above


# ---------------------------------------------------------------------------------------------
# Numerals


def _canonical(value: Decimal) -> Decimal:
    """value without trailing zeros or an exponent: 3.8E+12 -> 3800000000000, 22.320 -> 22.32."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _arabic_value(digits: str) -> Decimal:
    """The value of an Arabic numeral with optional thousands separators and decimals."""
    return Decimal(digits.translate(_FULL_WIDTH).replace(",", ""))


def _cn2an_integer(numeral: str) -> int | None:
    """An integer Chinese numeral through cn2an (None where cn2an refuses it)."""
    import cn2an  # imported here: it costs ~0.1 s, and pages without numbers never need it

    text = numeral.translate(_CN_NORMALISE)
    if text[0] in "百千佰仟":  # 千万 = 一千万; cn2an accepts a bare 十 but not a bare 千
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if isinstance(value, (int, float)) and value == int(value) else None


def _chinese_integer(numeral: str) -> Decimal | None:
    """An integer Chinese numeral, trailing scales peeled off where cn2an refuses the whole."""
    exponent = 0
    while numeral:
        value = _cn2an_integer(numeral)
        if value is not None:
            return Decimal(value) * Decimal(10) ** exponent
        if numeral[-1] not in _CN_SCALES or len(numeral) == 1:
            return None
        exponent += _SCALES[numeral[-1]]
        numeral = numeral[:-1]
    return None


@functools.lru_cache(maxsize=4096)  # a few numerals recur across passages, and cn2an is slow
def _chinese_value(numeral: str) -> Decimal | None:
    """The value of a Chinese numeral such as 三百, 一千二百, 两, 三点五, 二〇二五 (None: not one)."""
    whole, _, fraction = numeral.replace("點", "点").partition("点")
    if whole and all(c in _CN_DIGIT_VALUES for c in whole) and len(whole) == 2:
        return None  # 三四年, 七八成: a range of two digits, not the number 34
    integer = _chinese_integer(whole) if whole else None
    if integer is None:
        return None
    if not fraction:
        return integer
    return integer + Decimal("0." + "".join(str(_CN_DIGIT_VALUES[c]) for c in fraction))


# ---------------------------------------------------------------------------------------------
# Turning a match into a Quantity


def _qualifier(match: re.Match[str], prefix: bool = True, suffix: bool = True) -> str:
    """The qualifier of a match: a prefix word, else 多/余 inside the number, else a suffix word."""
    if prefix:
        for i, (_, name) in enumerate(_QUALIFIER_PREFIXES):
            if match.group(f"q{i}"):
                return name
    if match.group("more1") or match.group("more2"):
        return "more-than"
    post = match.group("post")
    return _QUALIFIER_SUFFIXES[post] if post and suffix else ""


def _scale_exponent(scale: str) -> int:
    """The power of ten of a run of scale characters: 万亿 -> 12."""
    return sum(_SCALES[c] for c in scale)


def _is_bare_chinese(numeral: str, has_qualifier: bool) -> bool:
    """Whether a Chinese numeral with nothing counted after it still reads as a number."""
    has_place = any(c in _CN_PLACES or c in _CN_SCALES for c in numeral)
    if len(numeral) >= 2 and (has_place or len(numeral) >= 3):
        return True
    return has_qualifier and numeral in _CN_PLACES


def _model_name_before(text: str, start: int) -> bool:
    """Whether a number at start follows a Latin word and a space, as in 'Llama 4'."""
    return start >= 2 and text[start - 1] == " " and re.match(f"[{_LATIN}]", text[start - 2]) is not None


def _numeral_value(arabic: str | None, chinese: str | None) -> Decimal | None:
    """The value of the numeral itself (None: a code such as 0882, or not a Chinese numeral)."""
    if arabic:
        digits = arabic.translate(_FULL_WIDTH)
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            return None
        return _arabic_value(digits)
    return _chinese_value(chinese or "")


@dataclass(frozen=True)
class _Counted:
    """What a match counts: the value after scales and suffix, and where the quantity ends."""

    value: Decimal
    unit: str
    currency: str
    percent: bool
    end: int
    cheng_dropped: bool  # 成 followed the number but was a word (成为 …), not "tenths"


def _counted(match: re.Match[str], value: Decimal) -> _Counted | None:
    """Apply the scales and the suffix (unit, currency, %, 成, B) of a match to a numeral's value."""
    value *= Decimal(10) ** _scale_exponent(match.group("scale"))
    currency = _CURRENCY_PREFIXES.get(match.group("cur") or "", "")
    percent = bool(match.group("pct"))
    unit, end = ("%" if percent else ""), match.end()
    if match.group("currency"):
        currency = _CURRENCIES[match.group("currency")]
    elif match.group("unit"):
        unit = _UNITS[match.group("unit")]
    elif match.group("percent"):
        unit, percent = "%", True
    elif match.group("cheng"):
        approximate = match.group("more1") or match.group("more2")
        if match.group("scale") or approximate or not Decimal(0) < value <= 10:
            return _Counted(value, unit, currency, percent, match.start("cheng"), True)
        unit, percent, value = "%", True, value * 10
    elif match.group("billion"):
        if not match.group("ar"):
            return None
        unit, value = "B", value * Decimal(10) ** _BILLION_EXPONENT
    return _Counted(value, unit, currency, percent, end, False)


def _out_of_context(text: str, match: re.Match[str], counted: _Counted, qualifier: str) -> bool:
    """Whether a match in running text is not a quantity: a name, a word, a lone numeral."""
    arabic, chinese = match.group("ar"), match.group("cn")
    has_count = bool(counted.unit or counted.currency or counted.percent or match.group("scale"))
    if chinese and not has_count and not _is_bare_chinese(chinese, bool(qualifier)):
        return True  # 三峡, 千问
    if arabic and not has_count and _model_name_before(text, match.start("ar")):
        return True  # Llama 4
    return bool(chinese in _WORD_NUMERALS and counted.unit and not counted.percent
                and counted.unit not in _COUNTED_EVEN_WHEN_ONE)  # 一家公司, 二次开发


def _build(text: str, match: re.Match[str], whole: bool) -> Quantity | None:
    """A Quantity from a scanner match, or None where the match is not a quantity after all.

    whole: the match is the entire string given to parse_quantity, so running-text rules (a lone
    Chinese numeral, a number after a Latin word) do not apply.
    """
    if match.group("date"):
        return None
    value = _numeral_value(match.group("ar"), match.group("cn"))
    counted = _counted(match, value) if value is not None else None
    if counted is None:
        return None
    qualifier = _qualifier(match, suffix=not counted.cheng_dropped)
    ends_in_a_word = bool(match.group("unit") or match.group("currency"))
    if not ends_in_a_word and re.match(f"[{_LATIN}{_AD}]", text[counted.end:counted.end + 1]):
        return None  # 5G, 2025GTC, 480Bn: part of a name
    if not whole and _out_of_context(text, match, counted, qualifier):
        return None
    start = match.start()
    if qualifier == "nearly" and counted.unit in _TIME_UNITS and text[start] == "近":
        qualifier, start = _qualifier(match, prefix=False), start + 1  # 近三年: the last three years
    return Quantity(text[start:counted.end], _canonical(counted.value), counted.unit, counted.currency,
                    qualifier, counted.percent, start, counted.end)


# ---------------------------------------------------------------------------------------------
# Public API


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in a passage, in order of position; spans never overlap."""
    found = []
    for match in _PATTERN.finditer(text):
        quantity = _build(text, match, whole=False)
        if quantity is not None:
            found.append(quantity)
    return found


@functools.lru_cache(maxsize=1 << 16)
def quantities_in(text: str) -> tuple[Quantity, ...]:
    """find_quantities(text), remembered: the statistics table of each edition reads the same passages."""
    return tuple(find_quantities(text))


def parse_quantity(text: str) -> Quantity | None:
    """Exactly one quantity string ('6亿次', '超17万个', '三百'), or None if it is not one.

    Surrounding whitespace is allowed; offsets are into text as given. A lone Chinese numeral
    ('九', '两') is accepted here, where it cannot be mistaken for part of a word.
    """
    stripped = text.strip()
    if not stripped:
        return None
    pos = text.index(stripped)
    match = _PATTERN.fullmatch(text, pos, pos + len(stripped))
    if match is None:
        return None
    quantity = _build(text, match, whole=True)
    if quantity is None or quantity.end != pos + len(stripped):
        return None
    return quantity


def same_value(a: Quantity, b: Quantity, *, strict: bool = False) -> bool:
    """Whether two quantities state the same amount of the same thing.

    Values must be equal and both or neither be percentages. Units and currencies are compared
    in their canonical form (個 = 个, 个国家 = 国), so 6亿次 == 600,000,000次 and 3000萬 == 3000万.
    An unstated unit or currency ('' on one side) is compatible with any, so 下载量突破6亿 agrees
    with 6亿次; pass strict=True to require them to be identical as well.
    """
    if a.value != b.value or a.percent != b.percent:
        return False
    if strict:
        return a.unit == b.unit and a.currency == b.currency
    return _compatible(a.unit, b.unit) and _compatible(a.currency, b.currency)


def _compatible(x: str, y: str) -> bool:
    """Two units (or currencies) agree when equal or when one of them is unstated."""
    return x == y or not x or not y


def _script(language: str) -> str:
    """'en', 'zh-Hans' or 'zh-Hant' for a language tag or edition code."""
    tag = language.strip().lower()
    if tag.startswith("en"):
        return "en"
    if tag in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"} or tag.startswith("zh-hant"):
        return "zh-Hant"
    return "zh-Hans"


def describe(q: Quantity, language: str) -> str:
    """A normalised, stable display of a quantity in English ('en') or Chinese ('zh-Hans'/'zh-Hant'),
    its digits grouped for reading (framing/source/grouping.py).

    en: '600,000,000 次 (more than)', '500,000,000,000 USD', '22.32%', '60% (nearly)'.
    zh: '超过6亿(600,000,000)次', '5000亿(500,000,000,000)美元', '22.32%', '近60%'.
    """
    script = _script(language)
    qualifier = _QUALIFIER_WORDS[script].get(q.qualifier, "")
    if script == "en":
        parts = [grouped(q.value) + ("%" if q.percent else "")]
        if q.currency:
            parts.append(q.currency)
        if q.unit and not q.percent:
            parts.append(q.unit)
        if qualifier:
            parts.append(f"({qualifier})")
        return " ".join(parts)
    unit = "" if q.percent else (_HANT_UNITS.get(q.unit, q.unit) if script == "zh-Hant" else q.unit)
    currency = _CURRENCY_WORDS[script].get(q.currency, "")
    value = plain(q.value) + "%" if q.percent else chinese_scaled(q.value, script)
    return f"{qualifier}{value}{unit}{currency}"
