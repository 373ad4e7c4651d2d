"""Readable wording of the normalised figures claim_features emits, for cues an analyst reads.

``money:usd:9800`` is how two figures compare; "$9,800" is how a person checks them against the
sentence. The normalised form stays the data; this module only words it.
"""

from __future__ import annotations

import math

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DURATION_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second"))


def amount(value: float) -> str:
    """'2.3 million', '9,800', '0.5': a number as a news text writes it."""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:.4g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4g}"


def _duration(seconds: float) -> str:
    """'25 minutes 40 seconds', '11 hours': the largest units that add up to the length."""
    if seconds >= 2 * 86400:
        # Days and longer are read from words ("three days", "14 months" as 30-day months) and stored to
        # four significant figures: whole days, without the rounding's stray hours.
        days = round(seconds / 86400)
        return f"{days} days"
    parts, rest = [], round(seconds)
    for size, word in _DURATION_UNITS:
        n, rest = divmod(rest, size)
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return " ".join(parts[:2]) or f"{seconds:g} seconds"


def date_text(value: str) -> str:
    """'2025-08-20' -> '20 August 2025', '--03' -> 'March', '2026-H2' -> 'H2 2026', 'tuesday' -> 'Tuesday'."""
    if value.isalpha():
        return value.capitalize()
    year, _, rest = value.partition("-")
    if not rest:
        return value  # a bare year
    month, _, day = rest.lstrip("-").partition("-") if value.startswith("--") else rest.partition("-")
    if month[:1] in ("Q", "H"):
        return f"{month} {year}".strip()
    if month[:1] == "S" and month[1:] in ("1", "2", "3", "4"):
        return f"{('spring', 'summer', 'autumn', 'winter')[int(month[1]) - 1]} {year}".strip()
    if not (month.isdigit() and 1 <= int(month) <= 12):
        return value
    name = _MONTHS[int(month) - 1]
    return " ".join(p for p in (str(int(day)) if day.isdigit() else "", name, year) if p)


def figure_value_text(kind: str, value: str, unit: bool = True) -> str:
    """One value of a figure kind, readable: ('money:gbp', '1.4e+07') -> '£14 million'.

    ``unit=False`` leaves a count's unit out ('1,150' rather than '1,150 (job)') for text that names it
    once already."""
    if kind == "date":
        return date_text(value)
    try:
        v = float(value)
    except ValueError:
        return value
    if not math.isfinite(v):
        return value
    if kind == "pct":
        return f"{v:g}%"
    if kind == "pct~":  # a fraction word ("a third"): a rounded share
        return f"≈{v:.3g}%"
    if kind.startswith("money:"):
        currency = kind.split(":", 1)[1]
        symbol = _SYMBOLS.get(currency)
        return f"{symbol}{amount(v)}" if symbol else f"{amount(v)} {currency}"
    if kind == "count:duration":
        return _duration(v)
    if kind.startswith("count:"):
        return f"{amount(v)} ({kind.split(':', 1)[1]})" if unit else amount(v)
    return amount(v)


def figure_text(figure: str) -> str:
    """A normalised figure, readable: 'count:customer:2.3e+06' -> '2.3 million (customer)'."""
    kind, _, value = figure.rpartition(":")
    return figure_value_text(kind, value) if kind else figure
