"""Numbers written for reading: digits grouped in threes, and in Chinese the scale words 万 and 亿.

'600000000' is hard to read in a table; '600,000,000' and '6亿 (600,000,000)' are not.
"""

from __future__ import annotations

from decimal import Decimal

_SCALES = ((Decimal(10) ** 8, {"zh-Hans": "亿", "zh-Hant": "億"}), (Decimal(10) ** 4, {"zh-Hans": "万", "zh-Hant": "萬"}))


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: Decimal('6.50E+8') -> '650000000'."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped(value: Decimal) -> str:
    """Digits in groups of three, the decimals as they are: '600,000,000', '1,234.5', '22.32'."""
    whole, _, decimals = plain(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ",".join(groups) + (f".{decimals}" if decimals else "")


def chinese_scaled(value: Decimal, script: str) -> str:
    """In 亿 or 万 where the value reaches them, with the grouped digits after it: '6亿(600,000,000)',
    '3.5万(35,000)'; a smaller value grouped alone: '9', '1,957'."""
    for size, words in _SCALES:
        if abs(value) >= size:
            return f"{plain(value / size)}{words[script]}({grouped(value)})"
    return grouped(value)
