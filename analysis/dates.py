"""Dates: finding date mentions in sentences, normalising them, and publication dates from datelines.

Three layers, split by cost:

* :func:`date_mentions` runs on every parsed sentence. It only reads spaCy's DATE (and a few TIME)
  entities plus a tiny regex for fiscal/quarter shorthands spaCy misses, and drops mentions that are
  not points in time. No dateparser, no re-parse.
* :func:`resolve_date` turns one mention into an ISO date + precision. It is pure and lru-cached on
  ``(date_text, anchor, prefer)``, so a corpus with thousands of "last year" mentions resolves each
  distinct phrase once per anchor.
* :func:`dateline_date` reads a publication date from a dateline/byline in the first lines of a text.

Rules (documented here because the timeline's honesty depends on them):

* Kept: points or bounded calendar units (a day, week, month, season, quarter, year, decade), absolute or
  relative to the publication date ("last year", "on Tuesday", "this summer", "two years ago").
* Dropped (not events): durations ("two years", "decades", "the past 20 years", "more than a decade",
  "recent years", "the coming months"), frequencies ("annual", "daily", "quarterly", "every year"), ages
  ("54-year-old", "the age of 45") and empty time words ("now", "the future", bare "the year").
* Ranges ("between 2019 and 2022", "March and May") are split into their end points.
* Precision is the finest unit the words actually give: day | month | season | quarter | year.
  Seasons and quarters are written as their first month ("summer 2025" -> 2025-06, "Q3 2025" -> 2025-07).
  Seasons are meteorological, northern hemisphere: spring Mar-May, summer Jun-Aug, autumn/fall Sep-Nov,
  winter Dec-Feb; "winter 2025" is the winter holding Jan/Feb 2025, so it starts 2024-12.
* Weeks and weekends are not a precision of their own: "last week" gets the smallest unit holding the
  whole week (its month, else its year) - coarser but never wrong.
* Halves ("the first half of 2026", "H1 2026") and modifiers ("early 2024", "mid-2023", "late March",
  "the end of the year") keep the precision of the unit they modify (year, month).
* "fiscal 2025"/"FY25" is kept as the year label 2025; fiscal quarters are unresolved (fiscal years
  start in different months per company).
* Relative phrases need an anchor (the publication date); without one they stay ``unresolved``. Bare
  months/days without a year ("March", "Aug 20") also need the anchor's year. Phrases relative to
  another event ("the next day", "a year earlier", "the previous quarter") and decades/centuries/
  multi-year spans ("the 1990s", "2025-26") are kept but unresolved: they are real time references
  that cannot be placed honestly on a calendar.
* Which occurrence of a year-less month/season/quarter/weekday: the tense of the governing verb when
  the parse gives one (``prefer`` = 'past' -> latest occurrence not after the anchor, 'future' ->
  earliest not before it); otherwise the nearest occurrence (weekdays: the past one, news convention).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.cleaning import wire_dateline_end

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Span, Token

PRECISIONS = ("day", "month", "season", "quarter", "year", "unresolved")


@dataclass(frozen=True)
class ResolvedDate:
    """A normalised date: ISO string truncated to its precision ('' when unresolved)."""

    date: str
    precision: str
    resolved: bool


UNRESOLVED = ResolvedDate("", "unresolved", False)

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "new year eve": (12, 31),
    "new years eve": (12, 31),
    "new year day": (1, 1),
    "new years day": (1, 1),
    "halloween": (10, 31),
    "valentine day": (2, 14),
    "valentines day": (2, 14),
    "independence day": (7, 4),
    "the fourth of july": (7, 4),
    "fourth of july": (7, 4),
    "thanksgiving day": (11, 0),
    "thanksgiving": (11, 0),
    "black friday": (11, -1),
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_NUMWORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a couple": 2,
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

_MONTH_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY_RE = r"(?:" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")"
_SEASON_RE = r"(?:spring|summer|autumn|fall|winter)"
_UNIT_RE = (
    r"(?:days?|weeks?|weekends?|months?|years?|decades?|centur(?:y|ies)|quarters?|hours?|minutes?|"
    r"seconds?|seasons?|nights?|millenni(?:um|a))"
)
_NUM_RE = (
    r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|twenty|thirty|forty|fifty|sixty|hundred|half|a few|few|several|many|some|"
    r"a couple of|a couple|dozens of|hundreds of|thousands of|a number of|numerous)"
)

_FREQUENCY_WORDS = frozenset(
    {
        "annual",
        "annually",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "yearly",
        "hourly",
        "nightly",
        "biweekly",
        "bimonthly",
        "biannual",
        "biannually",
        "semiannual",
        "semiannually",
        "semi annual",
        "semi annually",
        "fortnightly",
        "biennial",
        "year over year",
        "year on year",
        "month over month",
        "month on month",
        "quarter over quarter",
        "quarter on quarter",
        "week over week",
        "day to day",
        "year round",
        "seasonal",
        "seasonally",
        "every day",
        "everyday",
        "per annum",
    }
)
_VAGUE = frozenset(
    {
        "now",
        "currently",
        "recently",
        "lately",
        "soon",
        "once",
        "then",
        "future",
        "the future",
        "past",
        "the past",
        "present",
        "the present",
        "these days",
        "nowadays",
        "the moment",
        "time",
        "the time",
        "the day",
        "the week",
        "the month",
        "the year",
        "the quarter",
        "the season",
        "the decade",
        "day",
        "week",
        "month",
        "year",
        "quarter",
        "season",
        "decade",
        "the end of the day",
        "day one",
        "recent",
        "the years",
        "years",
        "months",
        "weeks",
        "days",
        "all day",
        "the night",
        "tonight's",
        "earlier",
        "later",
        "the era",
        "era",
        "one day",
        "some day",
        "someday",
        "the same time",
        "a day",
        "a year",
        "a month",
        "a week",
    }
)

# Filler words that spaCy sometimes includes at the edge of a DATE entity; they are not date words.
_TRIM_LEADING = frozenset(
    {
        "between",
        "from",
        "since",
        "until",
        "till",
        "through",
        "thru",
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "circa",
        "at",
        "least",
        "more",
        "than",
        "less",
        "fewer",
        "over",
        "under",
        "within",
        "up",
        "to",
        "by",
        "before",
        "after",
        "in",
        "on",
        "during",
        "of",
        "as",
        "and",
        "or",
        "some",
        "only",
        "just",
    }
)
_RANGE_WORDS = frozenset(
    {"and", "to", "through", "thru", "until", "or"}
)  # not hyphens: "2025-26" is one span
_TIME_DAY_RE = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|last night|this morning|this afternoon|"
    r"this evening|" + _WEEKDAY_RE + r")\b",
    re.I,
)
_CALENDARISH_RE = re.compile(r"\d|\b(?:" + _MONTH_RE + "|" + _WEEKDAY_RE + "|" + _SEASON_RE + r")\b\.?", re.I)

# Shorthands spaCy's small model does not tag as DATE ("FY2025", "Q3 2025", "H1 2026", "3Q25").
_SUPPLEMENT_RE = re.compile(
    r"\b(?:(?:FY|fiscal\s+(?:year\s+)?)'?\d{2}(?:\d{2})?|[1-4]Q\s?'?\d{2}(?:\d{2})?|"
    r"[QH][1-4](?:\s+(?:of\s+)?(?:FY\s?)?'?\d{2}(?:\d{2})?)?|[1-2]H\s?'?\d{2}(?:\d{2})?|\d{4}-\d{2}-\d{2})\b"
)

# ---------------------------------------------------------------------------------------------
# Classification: is a date phrase a point in time?
# ---------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Lower-case, unify quotes/dashes, drop abbreviation dots and commas, collapse spaces."""
    t = text.lower().strip()
    t = t.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"(?<=[a-z])\.", "", t)  # "aug." -> "aug", "u.s." stays harmless
    t = re.sub(r"'s\b", "", t)  # "last year's" -> "last year"
    t = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", t)  # "third-quarter" -> "third quarter"
    t = re.sub(r"\bmid-(?=\w)", "mid ", t)  # "mid-2023" -> "mid 2023"
    t = re.sub(r"(?<=\d)-(?=year|month|week|day|decade|hour|minute)", " ", t)  # "54-year-old"
    t = re.sub(r"[,;()\"]", " ", t)
    return re.sub(r"\s+", " ", t).strip(" .")


_AGE_RE = re.compile(
    r"\b(?:years? old|months? old|weeks? old|days? old|year olds?|aged?|age of|ages of)\b|"
    r"\b(?:his|her|their|its) (?:early |mid |late )?(?:\d0s|teens|twenties|thirties|"
    r"forties|fifties|sixties|seventies|eighties|nineties)\b"
)
_FREQ_RE = re.compile(r"\b(?:every|each|per)\b|\b(?:once|twice|thrice|\w+ times) (?:a|an|per) \w+")
_POINT_REL_RE = re.compile(r"\b(?:ago|earlier|later|before|after|previous|prior|following|same|that)\b")
_CALENDAR_RE = re.compile(
    r"\b(?:"
    + _MONTH_RE
    + "|"
    + _WEEKDAY_RE
    + "|"
    + _SEASON_RE
    + r"|yesterday|today|tomorrow|tonight|q[1-4]|h[12]|[1-4]q|[12]h|fy|fiscal)\b|\b1\d{3}\b|\b2[01]\d{2}\b|"
    r"\b\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b|'\d{2}\b|\b\d0s\b|"
    r"\b(?:first|second|third|fourth|last|final) quarter\b"
)
_DURATION_QUANT_RE = re.compile(
    r"\b"
    + _NUM_RE
    + r"(?: (?:full|entire|whole|more|other|additional|extra|long|straight|consecutive))? "
    + _UNIT_RE
    + r"\b"
)
# "the past year", "the next 18 months", "past 20 years": spans, not points ("last year" is a point).
_DURATION_SPAN_RE = re.compile(
    r"\bthe (?:past|last|next|coming|recent|upcoming|entire|whole|full|first|final)"
    r"(?: " + _NUM_RE + r")?(?: few| couple of)? " + _UNIT_RE + r"\b|"
    r"\b(?:past|last|next|coming|recent|upcoming|previous) " + _NUM_RE + r" " + _UNIT_RE + r"\b"
)
_REL_POINT_RE = re.compile(
    r"(?<!the )\b(?:last|this|next|current) (?:day|week|weekend|month|year|quarter|decade|"
    r"season|night|century)\b|\b(?:end|start|beginning|middle|close|turn) of (?:the )?"
    r"(?:week|month|quarter|year)\b|\byear end\b|"
    r"\bthe (?:next|following|previous|same|prior|preceding) (?:day|morning|evening|night|week|weekend)\b"
)
_DATE_VOCAB_RE = re.compile(
    r"\b(?:"
    + _MONTH_RE
    + "|"
    + _WEEKDAY_RE
    + "|"
    + _SEASON_RE
    + "|"
    + "|".join(_HOLIDAYS)
    + r"|days?|weeks?|weekends?|months?|years?|decades?|centur(?:y|ies)|quarters?|halfs?|seasons?|nights?|"
    r"mornings?|afternoons?|evenings?|yesterday|today|tomorrow|tonight|now|currently|recently|lately|soon|"
    r"future|past|present|nowadays|time|era|annual\w*|daily|weekly|monthly|quarterly|yearly|hourly|"
    r"nightly|biweekly|bimonthly|biannual\w*|semiannual\w*|fortnightly|biennial|year\w*|fiscal|"
    r"q[1-4]|h[12]|fy|easter|hanukkah|ramadan|diwali|eid|passover|new year)\b"
)
_PLURAL_UNIT_RE = re.compile(
    r"\b(?:days|weeks|weekends|months|years|decades|centuries|quarters|hours|minutes|seasons|nights)\b"
)


@lru_cache(maxsize=65536)
def classify_date_text(text: str) -> str:
    """Classify a date phrase: 'point' (kept) or 'duration' | 'frequency' | 'age' | 'vague' (dropped)."""
    t = _norm(text)
    t = re.sub(
        r"^(?:the )?(?:more than|less than|fewer than|at least|up to|about|around|nearly|almost|"
        r"roughly|over|under|within|some) ",
        "",
        t,
    )
    if not t or not (_DATE_VOCAB_RE.search(t) or any(c.isdigit() for c in t)):
        return "vague"  # spaCy's small model sometimes tags names ("LLaMA") as DATE
    if _AGE_RE.search(t):
        return "age"
    if (
        t in _FREQUENCY_WORDS
        or _FREQ_RE.search(t)
        or re.fullmatch(r"(?:a|an|per) (?:day|week|month|year|quarter)", t)
    ):
        return "frequency"
    if t in _VAGUE:
        return "vague"
    if (
        _CALENDAR_RE.search(t)
        or _REL_POINT_RE.search(t)
        or re.search(r"\b(?:ago|earlier|later|hence|from now)\b", t)
    ):
        return "point"
    if _DURATION_QUANT_RE.search(t) or _DURATION_SPAN_RE.search(t) or _PLURAL_UNIT_RE.search(t):
        return "duration"
    if _POINT_REL_RE.search(t):
        return "point"  # "the previous year", "that week": relative to another event, kept
    if re.search(r"\b(?:day|week|month|year|decade|century|quarter|season)\b", t):
        return "vague"
    return "point"


# ---------------------------------------------------------------------------------------------
# Per-sentence detection
# ---------------------------------------------------------------------------------------------

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
_PAST_AUX = frozenset({"has", "have", "had", "'ve", "'d", "was", "were", "did"})
_FUTURE_HEADS = frozenset(
    {
        "expect",
        "plan",
        "schedule",
        "set",
        "due",
        "aim",
        "intend",
        "slate",
        "poise",
        "go",
        "prepare",
        "hope",
        "seek",
        "target",
    }
)


def _verb_tense(verb: Token) -> str | None:
    """Tense of one verb from its auxiliaries and tag; None when it has no finite marking of its own."""
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            low = child.lower_
            if low in _FUTURE_AUX:
                return "future"
            if low in _PAST_AUX:
                return "past"
            if low in (
                "is",
                "are",
                "am",
                "'s",
                "'re",
                "do",
                "does",
                "would",
                "could",
                "might",
                "may",
                "can",
                "should",
                "must",
            ):
                return ""
    tag = verb.tag_
    if tag == "VBD":
        return "past"
    if tag in ("VBZ", "VBP", "MD"):
        return ""
    if tag == "VBN" and verb.dep_ in ("acl", "amod", "relcl"):
        return "past"  # "launched in 2021", "a filing dated March 3"
    return None


def _tense(span: Span) -> str:
    """'past' | 'future' | '' from the verb governing the date (used to pick year-less occurrences)."""
    tok = span.root
    if tok.dep_ in ("compound", "amod", "nmod", "poss"):
        return ""  # "fourth-quarter results": the verb's tense says when results come, not the quarter
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return ""
    own = _verb_tense(tok)
    if own is not None:
        return own
    # Non-finite verbs take the tense of what governs them: "is expected to close in 2026".
    head = tok.head
    if head.i == tok.i:
        return ""
    if tok.dep_ == "xcomp" and head.lemma_ in _FUTURE_HEADS:
        return "future"
    return _verb_tense(head) or ""


def _trimmed(span: Span) -> Span | None:
    """The span without leading filler words and trailing punctuation/possessives."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _TRIM_LEADING or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s", "and", "or")):
        end -= 1
    return doc[start:end] if end > start else None


def _split_range(span: Span) -> list[Span]:
    """Split "2019 and 2022" / "March to May" into end points when both sides carry a calendar word."""
    doc = span.doc
    for i in range(span.start + 1, span.end - 1):
        if doc[i].lower_ in _RANGE_WORDS:
            left, right = doc[span.start : i], doc[i + 1 : span.end]
            if _CALENDARISH_RE.search(left.text) and _CALENDARISH_RE.search(right.text):
                return [left, *_split_range(right)]
    return [span]


_NAME_NUMBER_EXCEPTIONS = {"fiscal", "fy", "christmas", "easter", "summer", "winter", "spring", "autumn", "fall"}


def names_a_number(ent: Span) -> bool:
    """A lone year-like number that is part of a name, not a date: "Local 1910" (a union branch),
    "Windows 2000". The word before it is a proper noun; "in 1910" or "the 2026 election" are dates."""
    if len(ent) != 1 or not re.fullmatch(r"\d{4}", ent.text) or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    # The tagger reads "Local" as an adjective; a capital mid-sentence still marks a name ("Fiscal
    # 2024" opening a sentence is a fiscal year).
    return before.pos_ in ("PROPN", "ADJ", "NOUN") and before.is_title and not before.is_sent_start \
        and before.ent_type_ != "DATE" and before.lower_ not in _NAME_NUMBER_EXCEPTIONS


def date_mentions(sent: Span) -> list[dict]:
    """Date mentions in one parsed sentence that are points in time (durations/ages/frequencies dropped).

    Keys: date_text, start_char, end_char (relative to the sentence), tense ('past'|'future'|'').
    """
    base = sent.start_char
    # A wire dateline's date ("PRAGUE, Feb 5 (Meridian Wire) - ") is when the piece was filed, not an
    # event the story reports.
    skip = base + wire_dateline_end(sent.text)
    found: list[tuple[int, int, Span]] = []
    for ent in sent.ents:
        if ent.start_char < skip or names_a_number(ent):
            continue
        label = ent.label_
        if label != "DATE" and not (label == "TIME" and _TIME_DAY_RE.search(ent.text)):
            continue
        for part in _split_range(ent):
            part = _trimmed(part)
            if part is not None and not (part.end < len(part.doc) and part.doc[part.end].lower_ == "than"):
                found.append((part.start_char, part.end_char, part))
    text = sent.text
    if any(c.isdigit() for c in text):
        for m in _SUPPLEMENT_RE.finditer(text):
            s, e = m.start() + base, m.end() + base
            if s < skip:
                continue
            overlapping = [f for f in found if f[0] < e and s < f[1]]
            if all(f[0] >= s and f[1] <= e for f in overlapping):  # the regex hit is wider: it wins
                span = sent.doc.char_span(s, e, alignment_mode="expand")
                if span is not None:
                    found = [f for f in found if f not in overlapping] + [(s, e, span)]
    found.sort(key=lambda f: f[0])
    out = []
    for s, e, span in found:
        date_text = sent.doc.text[s:e]
        if classify_date_text(date_text) != "point":
            continue
        out.append(
            {"date_text": date_text, "start_char": s - base, "end_char": e - base, "tense": _tense(span)}
        )
    return out


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------


def _day(d: dt.date) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", True)


def _month(y: int, m: int, precision: str = "month") -> ResolvedDate:
    return ResolvedDate(f"{y:04d}-{m:02d}", precision, True)


def _year(y: int) -> ResolvedDate:
    return ResolvedDate(f"{y:04d}", "year", True)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _month_end(y: int, m: int) -> dt.date:
    ny, nm = _add_months(y, m, 1)
    return dt.date(ny, nm, 1) - dt.timedelta(days=1)


def _span_res(start: dt.date, end: dt.date) -> ResolvedDate:
    """Smallest honest unit holding [start, end] (used for weeks and weekends)."""
    if (start.year, start.month) == (end.year, end.month):
        return _month(start.year, start.month)
    if start.year == end.year:
        return _year(start.year)
    return UNRESOLVED


def _pick(intervals: list[tuple[dt.date, dt.date, object]], anchor: dt.date, prefer: str | None) -> object:
    """Choose among candidate occurrences: past -> latest starting on/before anchor; future -> earliest
    ending on/after it; otherwise the one nearest the anchor (containing it = distance 0)."""
    if prefer == "past":
        ok = [iv for iv in intervals if iv[0] <= anchor]
        return max(ok, key=lambda iv: iv[0])[2] if ok else intervals[0][2]
    if prefer == "future":
        ok = [iv for iv in intervals if iv[1] >= anchor]
        return min(ok, key=lambda iv: iv[0])[2] if ok else intervals[-1][2]

    def dist(iv: tuple[dt.date, dt.date, object]) -> tuple[int, int]:
        if iv[0] <= anchor <= iv[1]:
            return (0, 0)
        gap = (iv[0] - anchor).days if iv[0] > anchor else (anchor - iv[1]).days
        return (gap, 0 if iv[1] < anchor else 1)  # ties go to the past (news reports past events)

    return min(intervals, key=dist)[2]


def _season_interval(year: int, season: str) -> tuple[dt.date, dt.date]:
    """Season labelled `year` (winter Y = Dec Y-1 .. Feb Y)."""
    m = _SEASONS[season]
    if m == 12:
        return dt.date(year - 1, 12, 1), _month_end(year, 2)
    return dt.date(year, m, 1), _month_end(year, m + 2)


def _season_res(year: int, season: str) -> ResolvedDate:
    start, _ = _season_interval(year, season)
    return _month(start.year, start.month, "season")


def _quarter_res(year: int, q: int) -> ResolvedDate:
    return _month(year, 3 * (q - 1) + 1, "quarter")


def _year_of(token: str) -> int | None:
    """'2025' -> 2025, "'25" / '25' (after fy) -> 2025."""
    token = token.strip("'")
    if re.fullmatch(r"\d{4}", token):
        y = int(token)
        return y if 1000 <= y <= 2199 else None
    if re.fullmatch(r"\d{2}", token):
        return 2000 + int(token) if int(token) < 70 else 1900 + int(token)
    return None


_LEAD_WORDS = (
    "in",
    "on",
    "at",
    "by",
    "since",
    "until",
    "till",
    "from",
    "during",
    "around",
    "about",
    "circa",
    "c",
    "as of",
    "as early as",
    "as late as",
    "as recently as",
    "no later than",
    "not until",
    "at least",
    "at the latest",
    "sometime in",
    "some time in",
    "sometime",
    "starting",
    "beginning in",
    "effective",
    "dated",
    "through",
    "throughout",
    "over",
    "of",
    "before",
    "after",
    "the week of",
)
_LEAD_RE = re.compile(r"^(?:" + "|".join(sorted(map(re.escape, _LEAD_WORDS), key=len, reverse=True)) + r") ")
_MOD_RE = re.compile(
    r"^(?:the )?(?:very )?(?:early|earlier|late|later|mid|middle|end|start|beginning|close|"
    r"turn|remainder|rest|balance|first days|last days|final days|first weeks|last weeks|"
    r"first half|second half|latter half|latter part|early part|later part|last part|"
    r"first part|back half|front half|1h|2h|h1|h2)\b(?: of)?(?: the)? ?"
)
_TIME_OF_DAY_RE = re.compile(
    r" (?:morning|afternoon|evening|night|overnight|midday|noon|at \d.*|"
    r"\d{1,2}(?::\d\d)? ?(?:am|pm|a m|p m).*|"
    r"local time|gmt|utc|[ecmp][sd]t)$"
)
_HALF_RE = re.compile(
    r"^(?:the )?(?:first|second|latter|back|front|1st|2nd) half(?: of)?(?: the)? |^(?:h[12]|[12]h) ?"
)


def _rel_unit(word: str, unit: str, a: dt.date) -> ResolvedDate:
    """'last|this|next' + unit, relative to anchor a."""
    k = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[word]
    if unit == "year":
        return _year(a.year + k)
    if unit == "month":
        y, m = _add_months(a.year, a.month, k)
        return _month(y, m)
    if unit == "quarter":
        q = (a.month - 1) // 3
        y, m = _add_months(a.year, 3 * q + 1, 3 * k)
        return _quarter_res(y, (m - 1) // 3 + 1)
    if unit == "week":
        start = a - dt.timedelta(days=a.weekday()) + dt.timedelta(weeks=k)
        return _span_res(start, start + dt.timedelta(days=6))
    if unit == "weekend":
        sat = a - dt.timedelta(days=(a.weekday() - 5) % 7)  # most recent Saturday (or today)
        if k == 0 and a.weekday() < 5:
            sat = a + dt.timedelta(days=5 - a.weekday())  # "this weekend" on a weekday = coming one
        elif k == 1:
            sat = sat + dt.timedelta(days=7) if a.weekday() >= 5 else a + dt.timedelta(days=5 - a.weekday())
        return _span_res(sat, sat + dt.timedelta(days=1))
    if unit == "day":
        return _day(a + dt.timedelta(days=k))
    return UNRESOLVED


def _ago(n: int, unit: str, a: dt.date, sign: int = -1) -> ResolvedDate:
    if unit == "day":
        return _day(a + dt.timedelta(days=sign * n))
    if unit == "week":
        d = a + dt.timedelta(weeks=sign * n)
        start = d - dt.timedelta(days=d.weekday())
        return _span_res(start, start + dt.timedelta(days=6))
    if unit == "month":
        return _month(*_add_months(a.year, a.month, sign * n))
    if unit == "year":
        return _year(a.year + sign * n)
    if unit == "quarter":
        y, m = _add_months(a.year, 3 * ((a.month - 1) // 3) + 1, sign * 3 * n)
        return _quarter_res(y, (m - 1) // 3 + 1)
    return UNRESOLVED


def _year_expr(t: str, anchor: dt.date | None) -> int | None:
    """A year from '2025', "'25", 'fiscal 2025', 'this year', 'last year', 'next year' (None if absent)."""
    t = t.strip()
    m = re.fullmatch(
        r"(?:(?:the )?(?:calendar |fiscal |fy ?)(?:year )?)?('?\d{4}|'\d{2})", t
    ) or re.fullmatch(r"(?:fiscal (?:year )?|fy ?)'?(\d{2})", t)
    if m:
        return _year_of(m.group(1))
    m = re.fullmatch(r"(last|this|next|the current|the coming) year", t)
    if m and anchor:
        return anchor.year + {"last": -1, "this": 0, "next": 1, "the current": 0, "the coming": 1}[m.group(1)]
    return None


def _month_day(
    mon: int, day: int | None, year: int | None, anchor: dt.date | None, prefer: str | None
) -> ResolvedDate:
    """Month (+ day) with an optional explicit year; without a year the anchor picks the occurrence."""
    try:
        if year is not None:
            return _day(dt.date(year, mon, day)) if day else _month(year, mon)
        if anchor is None:
            return UNRESOLVED
        cands = []
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            if day:
                try:
                    d = dt.date(y, mon, day)
                except ValueError:
                    continue
                cands.append((d, d, _day(d)))
            else:
                cands.append((dt.date(y, mon, 1), _month_end(y, mon), _month(y, mon)))
        return _pick(cands, anchor, prefer) if cands else UNRESOLVED
    except ValueError:  # "Feb. 30"
        return UNRESOLVED


def _thanksgiving(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    return nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7 + 21)


def _weekday(wd: int, mod: str, anchor: dt.date, prefer: str | None) -> ResolvedDate:
    past = anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7)
    future = anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7)
    if mod == "last":
        # "last Friday" = the most recent Friday before today
        return _day(past if past != anchor else anchor - dt.timedelta(days=7))
    if mod == "next":
        return _day(future if future != anchor else anchor + dt.timedelta(days=7))
    if mod == "this":
        return _day(past if prefer == "past" else future)
    return _day(future if prefer == "future" else past)


def _dateparser_fallback(t: str, anchor: dt.date | None) -> ResolvedDate:
    """Last resort for absolute formats the grammar does not cover (numeric dates, odd orders)."""

    has_year = bool(re.search(r"\b\d{4}\b", t))
    if not has_year and anchor is None:
        return UNRESOLVED
    if not (has_year or re.search(r"\b" + _MONTH_RE + r"\b", t)):
        return UNRESOLVED  # only absolute calendar text goes to dateparser: relative words are ours
    base = dt.datetime.combine(anchor, dt.time()) if anchor else dt.datetime(2000, 1, 1)
    parser = _ddp(base)
    try:
        data = parser.get_date_data(t)
    except Exception:  # dateparser raises odd errors on odd input; unresolved is the honest answer
        return UNRESOLVED
    if data is None or data.date_obj is None:
        return UNRESOLVED
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "day":
        return _day(d)
    if period == "month":
        return _month(d.year, d.month)
    if period == "year":
        return _year(d.year)
    if period == "quarter":
        return _quarter_res(d.year, (d.month - 1) // 3 + 1)
    return UNRESOLVED


@lru_cache(maxsize=64)
def _ddp(base: dt.datetime):  # noqa: ANN202 - dateparser type
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DATES_FROM": "current_period",
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": False,
        },
    )


def _parse_anchor(anchor: dt.date | str | None) -> dt.date | None:
    if anchor is None or anchor == "":
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    try:
        return dt.date.fromisoformat(str(anchor)[:10])
    except ValueError:
        return None


def resolve_date(
    date_text: str, anchor: dt.date | str | None = None, prefer: str | None = None
) -> ResolvedDate:
    """Normalise a date phrase to (ISO date truncated to precision, precision, resolved) against an anchor.

    anchor: publication date (or None); prefer: 'past' | 'future' | None, the tense of the governing verb.
    """
    return _resolve_cached(date_text, _parse_anchor(anchor), prefer or None)


@lru_cache(maxsize=65536)
def _resolve_cached(date_text: str, anchor: dt.date | None, prefer: str | None) -> ResolvedDate:
    if classify_date_text(date_text) != "point":
        return UNRESOLVED
    t = _norm(date_text)
    for _ in range(3):
        t2 = _LEAD_RE.sub("", t)
        if t2 == t:
            break
        t = t2
    t = _TIME_OF_DAY_RE.sub("", t) if t not in ("last night",) else t
    t = re.sub(
        r"^(?:on |the )?" + _WEEKDAY_RE + r" (?=(?:the )?\d|" + _MONTH_RE + r"\b)", "", t
    )  # "tuesday aug 19"
    return _resolve_norm(t, anchor, prefer)


def _resolve_norm(t: str, a: dt.date | None, prefer: str | None) -> ResolvedDate:
    # --- numeric and ISO ------------------------------------------------------------------
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:t.*)?", t):
        try:
            return _day(dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return UNRESOLVED
    if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
        if 1 <= int(m[2]) <= 12:
            return _month(int(m[1]), int(m[2]))
        return UNRESOLVED  # "2025-26": a span of two years
    if re.fullmatch(r"(?:the )?(?:\d{4}|'?\d{2}) ?(?:-|/|to) ?(?:\d{4}|\d{2})(?: \w+)?", t):
        return UNRESOLVED  # "2024-2025 budget", "the 2025-26 season": spans two years
    # --- decades, centuries, anaphora: kept, never placed ----------------------------------
    if re.search(
        r"\b(?:\d0s|'\d0s|century|centuries|millenni|twenties|thirties|forties|fifties|sixties|"
        r"seventies|eighties|nineties|noughties)\b",
        t,
    ):
        return UNRESOLVED
    if re.search(
        r"\b(?:same|that|following|previous|prior|preceding|before|after|earlier|later|then)\b", t
    ) and not re.search(
        r"\b(?:earlier|later) (?:this|next|last|in)\b|^(?:earlier|later)$|\b(?:day )?before yesterday\b|"
        r"\b(?:day )?after tomorrow\b",
        t,
    ):
        return UNRESOLVED
    if re.match(
        r"(?:the |that )(?:next|following|previous|same|prior|preceding) (?:day|morning|evening|night|week|"
        r"weekend|month|year|quarter)",
        t,
    ):
        return UNRESOLVED  # "the next day": relative to the story's last event, not to publication
    if re.search(r"\b(?:a few|few|several|many|some|couple)\b", t):
        return UNRESOLVED  # "a few years ago": a point, but not a placeable one
    # --- quarters -------------------------------------------------------------------------
    if re.search(
        r"\bfiscal (?:first|second|third|fourth|1st|2nd|3rd|4th|q[1-4])|\bq[1-4] fy|\bfy\d* ?q[1-4]|"
        r"quarter of (?:the )?fiscal|quarter of fy",
        t,
    ):
        return UNRESOLVED  # fiscal quarters depend on the company's fiscal calendar
    m = re.fullmatch(
        r"(?:the )?(?:q([1-4])|([1-4])q|(first|second|third|fourth|1st|2nd|3rd|4th|final) quarter)"
        r"(?: of)?(?: ?(.+))?",
        t,
    )
    if m:
        q = int(m[1] or m[2] or (4 if m[3] == "final" else _ORDINALS[m[3]]))
        rest = (m[4] or "").strip()
        if rest in ("", "the year", "this year", "the current year"):
            if a is None:
                return UNRESOLVED
            if rest:
                return _quarter_res(a.year, q)
            cands = [
                (dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), _quarter_res(y, q))
                for y in (a.year - 1, a.year, a.year + 1)
            ]
            return _pick(cands, a, prefer)
        y = _year_expr(rest, a)
        if y is None and re.fullmatch(r"'?\d{2}", rest):
            y = _year_of(rest)
        return _quarter_res(y, q) if y else UNRESOLVED
    if m := re.fullmatch(r"(?:the )?(last|this|next|current|coming|past) quarter", t):
        return _rel_unit(m[1], "quarter", a) if a else UNRESOLVED
    if m := re.fullmatch(
        r"(?:the )?(?:quarter|three months|period|fiscal quarter) (?:ended|ending|through|to) (.+)", t
    ):
        inner = _resolve_norm(m[1], a, "past")
        if inner.precision == "day":
            d = dt.date.fromisoformat(inner.date)
            return _quarter_res(d.year, (d.month - 1) // 3 + 1)
        return UNRESOLVED
    # --- halves keep the year ------------------------------------------------------------
    if _HALF_RE.match(t):
        rest = _HALF_RE.sub("", t).strip()
        if rest in ("", "the year", "year"):
            return _year(a.year) if a else UNRESOLVED
        y = _year_expr(rest, a)
        return _year(y) if y else UNRESOLVED
    # --- modifiers (early/mid/late/end of ...) keep the unit's precision -----------------
    modified = False
    while (m2 := _MOD_RE.match(t)) and m2.end() < len(t):
        t = t[m2.end() :].strip()
        modified = True
    if modified and t in (
        "year",
        "the year",
        "month",
        "the month",
        "week",
        "the week",
        "quarter",
        "the quarter",
    ):
        t = "this " + t.replace("the ", "")  # "the end of the year" = this year (news usage)
    t = re.sub(r"^(?:the )?(?:year|month of) (?=\d{4}|" + _MONTH_RE + ")", "", t)  # "the year 2025"
    # --- seasons ----------------------------------------------------------------------------
    if m := re.fullmatch(
        r"(?:(last|this|next|past|coming) )?(?:the )?(spring|summer|autumn|fall|winter)"
        r"(?: (?:season|months))?(?: of)?(?: (.+))?",
        t,
    ):
        word, season, rest = m[1], m[2], (m[3] or "").strip()
        if rest:
            if rm := re.fullmatch(r"(\d{4}) ?(?:-|/) ?(?:\d{2}|\d{4})", rest):  # "winter of 2022-23"
                y = int(rm[1]) + (1 if season == "winter" else 0)
                return _season_res(y, season)
            y = _year_expr(rest, a)
            return _season_res(y, season) if y else UNRESOLVED
        if a is None:
            return UNRESOLVED
        cands = [
            (*_season_interval(y, season), _season_res(y, season))
            for y in (a.year - 1, a.year, a.year + 1, a.year + 2)
        ]
        if word in ("last", "past"):
            ok = [c for c in cands if c[1] < a]
            return max(ok, key=lambda c: c[0])[2]
        if word in ("next", "coming"):
            ok = [c for c in cands if c[0] > a]
            return min(ok, key=lambda c: c[0])[2]
        if word == "this":
            inside = [c for c in cands if c[0] <= a <= c[1]]
            if inside:
                return inside[0][2]
            if season == "winter":  # outside winter, "this winter" is the coming one
                return min((c for c in cands if c[0] > a), key=lambda c: c[0])[2]
            return next(c[2] for c in cands if c[0].year == a.year)
        return _pick(cands, a, prefer)
    if m := re.fullmatch(r"(?:the )?(\d{4}) season", t):
        return _year(int(m[1]))  # "the 2026 season": the season that starts in 2026
    if re.fullmatch(r"(?:last|this|next) season|(?:the )?\w+ season", t):
        return UNRESOLVED  # sports/TV seasons are not calendar seasons
    # --- day words ------------------------------------------------------------------------
    if t in ("today", "tonight", "this morning", "this afternoon", "this evening", "today morning"):
        return _day(a) if a else UNRESOLVED
    if t in ("yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"):
        return _day(a - dt.timedelta(days=1)) if a else UNRESOLVED
    if t in ("tomorrow", "tomorrow night", "tomorrow morning"):
        return _day(a + dt.timedelta(days=1)) if a else UNRESOLVED
    if re.fullmatch(r"(?:the )?day before yesterday", t):
        return _day(a - dt.timedelta(days=2)) if a else UNRESOLVED
    if re.fullmatch(r"(?:the )?day after tomorrow", t):
        return _day(a + dt.timedelta(days=2)) if a else UNRESOLVED
    # --- N units ago / in N units -----------------------------------------------------------
    if m := re.fullmatch(
        r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of) "
        r"(day|week|month|quarter|year)s? (ago|from now|hence)",
        t,
    ):
        if a is None:
            return UNRESOLVED
        n = int(m[1]) if m[1].isdigit() else _NUMWORDS[m[1]]
        return _ago(n, m[2], a, -1 if m[3] == "ago" else 1)
    # --- last/this/next unit ----------------------------------------------------------------
    if m := re.fullmatch(
        r"(?:earlier |later )?(?:the )?(last|this|next|past|previous|current|coming) "
        r"(day|week|weekend|month|year)",
        t,
    ):
        return _rel_unit(m[1], m[2], a) if a else UNRESOLVED
    if t in ("the weekend", "weekend", "over the weekend"):
        return _rel_unit("last" if prefer != "future" else "next", "weekend", a) if a else UNRESOLVED
    if t in ("year end", "year-end", "the year end", "the end of the year"):
        return _year(a.year) if a else UNRESOLVED
    # --- weekdays -----------------------------------------------------------------------------
    if m := re.fullmatch(
        r"(?:(last|this|next|on|early|late) )?("
        + _WEEKDAY_RE
        + r")(?: (?:morning|afternoon|evening|night))?",
        t,
    ):
        return _weekday(_WEEKDAYS[m[2]], m[1] or "", a, prefer) if a else UNRESOLVED
    # --- fixed-date holidays (movable feasts other than US Thanksgiving stay unresolved) ----
    if m := re.fullmatch(r"(?:(last|this|next) )?(" + "|".join(_HOLIDAYS) + r")(?: (.+))?", t):
        rest = (m[3] or "").strip()
        y = _year_expr(rest, a) if rest else None
        if rest and y is None:
            return UNRESOLVED
        mo, d = _HOLIDAYS[m[2]]
        if d <= 0:  # US Thanksgiving (fourth Thursday of November); d=-1: the day after (Black Friday)
            if y is None:
                if a is None:
                    return UNRESOLVED
                cands = [
                    (x, x, _day(x))
                    for x in (
                        _thanksgiving(yy) + dt.timedelta(days=-d) for yy in (a.year - 1, a.year, a.year + 1)
                    )
                ]
                pref = {"last": "past", "next": "future"}.get(m[1] or "", prefer)
                return _pick(cands, a, pref)
            return _day(_thanksgiving(y) + dt.timedelta(days=-d))
        pref = {"last": "past", "next": "future"}.get(m[1] or "", prefer)
        return _month_day(mo, d, y, a, pref)
    # --- months and days ----------------------------------------------------------------------
    mon = r"(" + _MONTH_RE + r")"
    dd = r"(\d{1,2})(?:st|nd|rd|th)?"
    # A week inside a month, or a day range inside one month, is honest at month precision.
    if m := re.fullmatch(
        r"(?:the )?(?:first|second|third|fourth|last|final|1st|2nd|3rd|4th) week of (.+)", t
    ):
        inner = _resolve_norm(m[1], a, prefer)
        return inner if inner.precision == "month" else UNRESOLVED
    if m := re.fullmatch(mon + r" \d{1,2} ?(?:-|to|through) ?\d{1,2}(?: (.+))?", t) or re.fullmatch(
        r"\d{1,2} ?(?:-|to) ?\d{1,2} " + mon + r"(?: (.+))?", t
    ):
        rest = (m[2] or "").strip()
        y = _year_expr(rest, a) if rest else None
        if rest and y is None:
            return UNRESOLVED
        return _month_day(_MONTHS[m[1]], None, y, a, prefer)
    if m := re.fullmatch(mon + r" " + dd + r"(?: (.+))?", t):
        rest = (m[3] or "").strip()
        y = _year_expr(rest, a) if rest else None
        if rest and y is None:
            return _dateparser_fallback(t, a)
        return _month_day(_MONTHS[m[1]], int(m[2]), y, a, prefer)
    if m := re.fullmatch(r"(?:the )?" + dd + r" (?:of )?" + mon + r"(?: (.+))?", t):
        rest = (m[3] or "").strip()
        y = _year_expr(rest, a) if rest else None
        if rest and y is None:
            return _dateparser_fallback(t, a)
        return _month_day(_MONTHS[m[2]], int(m[1]), y, a, prefer)
    if m := re.fullmatch(r"(?:(last|this|next|past|previous) )?" + mon + r"(?: of)?(?: (.+))?", t):
        rest = (m[3] or "").strip()
        mo = _MONTHS[m[2]]
        if rest:
            y = _year_expr(rest, a)
            return _month(y, mo) if y else UNRESOLVED
        if a is None:
            return UNRESOLVED
        if m[1] in ("last", "past", "previous"):
            y = a.year if mo < a.month else a.year - 1
            return _month(y, mo)
        if m[1] == "next":
            y = a.year if mo > a.month else a.year + 1
            return _month(y, mo)
        if m[1] == "this":
            return _month(a.year, mo)
        return _month_day(mo, None, None, a, prefer)
    # --- years ----------------------------------------------------------------------------------
    y = _year_expr(t, a)
    if y is not None:
        return _year(y)
    if m := re.fullmatch(r"(?:the )?(\d{4})(?: \w+)?", t):  # "the 2026 election", "2025 results"
        yy = _year_of(m[1])
        return _year(yy) if yy else UNRESOLVED
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", t) or re.search(r"\b\d{4}\b|\b" + _MONTH_RE + r"\b", t):
        return _dateparser_fallback(t, a)
    return UNRESOLVED


# ---------------------------------------------------------------------------------------------
# Publication date from a dateline / byline
# ---------------------------------------------------------------------------------------------

_DL_DATE = (
    r"(?:(?:" + _WEEKDAY_RE + r")\.?,? )?(?:"
    r"(?:" + _MONTH_RE + r")\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:" + _MONTH_RE + r")\.?,? \d{4}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
_DATE_IN_LINE = re.compile(_DL_DATE, re.I)
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Za-z .'’-]{1,40}(?:, [A-Z][A-Za-z .'’-]{1,30})?,? (" + _DL_DATE + r")"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—:]",
    re.I,
)
_LABEL_RE = re.compile(
    r"^\W*(?:(first )?published|posted|date(?:d)?|updated|last updated|last modified|"
    r"modified|pub(?:lication)? date|released)\b(?: on| at)?\s*:?\s*(" + _DL_DATE + r")",
    re.I,
)
_BYLINE_RE = re.compile(
    r"^\W*by [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}(?: and [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})?"
    r"\s*(?:[|,·•–—-]|\bon\b)\s*(?:(?:published|updated)\s*:?\s*)?(" + _DL_DATE + r")",
    re.I,
)
_DATE_ONLY_RE = re.compile(
    r"^\W*(" + _DL_DATE + r")(?:,? (?:at )?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?)?\W*$", re.I
)


def dateline_date(text: str, max_lines: int = 5) -> str | None:
    """Publication date 'YYYY-MM-DD' from a dateline/byline in the first lines, else None (never guessed)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:max_lines]
    published, updated = None, None
    for ln in lines:
        ln = ln.replace("\u00a0", " ")
        m = _LABEL_RE.match(ln)
        if m:
            d = _full_day(m.group(2))
            if d and re.match(r"^\W*(?:last )?(?:updated|modified)", ln, re.I):
                updated = updated or d
            elif d:
                return d
            continue
        for rx in (_DATELINE_RE, _BYLINE_RE, _DATE_ONLY_RE):
            m = rx.match(ln)
            if m:
                d = _full_day(m.group(1))
                if d:
                    published = published or d
                break
        if published:
            return published
    return published or updated


def _full_day(s: str) -> str | None:
    """A fully specified calendar day from absolute date text, or None."""
    r = resolve_date(s, None)
    return r.date if r.precision == "day" else None


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------

DEV_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "dates_dev.csv"


def _mention_match(expected: str, found: Iterable[str]) -> bool:
    """A gold mention counts as found when a detected mention overlaps it in words."""
    e = set(_norm(expected).split())
    return any(e & set(_norm(f).split()) - {"the", "of"} for f in found)


def evaluate_dates(nlp: Language | None = None, dev_path: str | Path | None = None) -> pd.DataFrame:
    """Dev-set metrics: resolve_date exact accuracy (date+precision); date_mentions recall/precision."""
    import pandas as pd

    dev = pd.read_csv(dev_path or DEV_PATH, dtype=str, keep_default_na=False)
    res = dev[dev["sentence"] == ""]
    rows = []
    ok_date = ok_prec = ok_both = 0
    failures = []
    for r in res.itertuples(index=False):
        got = resolve_date(r.date_text, r.anchor or None, getattr(r, "tense", "") or None)
        d_ok = got.date == r.expected_date
        p_ok = got.precision == r.expected_precision
        ok_date += d_ok
        ok_prec += p_ok
        ok_both += d_ok and p_ok
        if not (d_ok and p_ok):
            failures.append(
                f"{r.date_text!r}@{r.anchor or '-'}: {got.date or '-'}/{got.precision} "
                f"!= {r.expected_date or '-'}/{r.expected_precision}"
            )
    n = max(len(res), 1)
    unres = res[res["expected_precision"] == "unresolved"]
    unres_ok = sum(
        resolve_date(r.date_text, r.anchor or None).precision == "unresolved" for r in unres.itertuples()
    )
    rows += [
        ("resolve_accuracy", ok_both / n, len(res), "; ".join(failures[:8])),
        ("resolve_date_accuracy", ok_date / n, len(res), ""),
        ("resolve_precision_accuracy", ok_prec / n, len(res), ""),
        ("resolve_unresolved_recall", unres_ok / max(len(unres), 1), len(unres), ""),
    ]
    det = dev[dev["sentence"] != ""]
    if len(det):
        if nlp is None:
            from analysis.nlp import load_nlp

            nlp = load_nlp()
        tp = n_gold = n_found = fp = 0
        misses = []
        for r, doc in zip(det.itertuples(index=False), nlp.pipe(det["sentence"].tolist()), strict=True):
            gold = [g.strip() for g in r.expected_mentions.split("|") if g.strip()]
            found = [m["date_text"] for s in doc.sents for m in date_mentions(s)]
            n_gold += len(gold)
            n_found += len(found)
            hit = [g for g in gold if _mention_match(g, found)]
            tp += len(hit)
            misses += [f"missed {g!r}" for g in gold if g not in hit]
            extra = [f for f in found if not _mention_match(f, gold)]
            fp += len(extra)
            misses += [f"extra {f!r}" for f in extra]
        rows += [
            ("detection_recall", tp / max(n_gold, 1), n_gold, "; ".join(misses[:8])),
            ("detection_precision", (n_found - fp) / max(n_found, 1), n_found, ""),
        ]
    return pd.DataFrame(rows, columns=["metric", "value", "n", "detail"]).assign(area="dates")[
        ["area", "metric", "value", "n", "detail"]
    ]
