"""Turning the bytes of one uploaded or on-disk file into text, or a plain-English reason why not."""

from __future__ import annotations

import codecs
import os
import re
import unicodedata

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "COVERAGE_LENS_MAX_FILE_MB"
_MB = 1024 * 1024

# Share of the first bytes that may be control characters before a file counts as binary.
_MAX_CONTROL_SHARE = 0.05
# A single-byte fallback decode must be mostly plain ASCII to count as text (real Western text is;
# random bytes are about half high bytes).
_MIN_ASCII_SHARE = 0.7
_SNIFF = 64 * 1024

_BOMS = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.IGNORECASE)
# WHATWG: browsers decode these labels as windows-1252, and so do we (0x80-0x9F are quotes there).
_WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-1": "cp1252",
    "l1": "cp1252",
}


class InputError(ValueError):
    """A file that cannot be used as an article; ``reason`` is a plain-English explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def max_file_bytes(max_bytes: int | None = None) -> int:
    """The per-file size cap: the argument, else $COVERAGE_LENS_MAX_FILE_MB, else DEFAULT_MAX_BYTES."""
    if max_bytes is not None:
        return int(max_bytes)
    env = os.environ.get(MAX_BYTES_ENV, "").strip()
    if env:
        try:
            mb = float(env)
        except ValueError:
            mb = -1.0
        if mb > 0:
            return int(mb * _MB)
    return DEFAULT_MAX_BYTES


def _fmt_mb(n: float) -> str:
    mb = n / _MB
    return f"{mb:.0f}" if float(mb).is_integer() else f"{mb:.1f}"


def check_size(n_bytes: int, max_bytes: int | None = None) -> None:
    """Raise InputError when a file of ``n_bytes`` exceeds the cap (call before reading or parsing)."""
    limit = max_file_bytes(max_bytes)
    if n_bytes > limit:
        raise InputError(f"file is {_fmt_mb(n_bytes)} MB; the limit is {_fmt_mb(limit)} MB")


# Printable ASCII and ordinary whitespace: never suspicious, and most of any real text. Stripping them
# with one regex leaves only the few characters worth a unicodedata lookup (per-char Python was 2 s per
# 1,000 articles).
_PLAIN = re.compile(r"[\t-\r\x20-\x7e]+")
_ASCII_TEXT = re.compile(r"[\t\n\r\x20-\x7e]+")


def _control_share(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    bad = 0
    for ch in _PLAIN.sub("", sample):
        cat = unicodedata.category(ch)
        # Cc: C0/C1 controls; Co/Cs/Cn: private use, lone surrogates, unassigned; U+FFFD: failed bytes.
        if cat in ("Cc", "Co", "Cs", "Cn") or ch == "\ufffd":
            bad += 1
    return bad / len(sample)


def _ascii_share(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 1.0
    return sum(len(m) for m in _ASCII_TEXT.findall(sample)) / len(sample)


def _looks_like_utf16(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 from the NUL pattern of mostly-ASCII text ("a\\0b\\0" or "\\0a\\0b")."""
    sample = data[: min(len(data), _SNIFF)]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.6 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").strip().lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _mess(text: str) -> float:
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text[:_SNIFF], 1.0))


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess, biased to cp1252 when that decodes at least as cleanly."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SNIFF]).best()
    cp1252 = _strict(data, "cp1252")
    if best is None:
        return None
    guessed = _strict(data, best.encoding)
    if guessed is None:
        return None
    # The detector often names a sibling code page (cp1250, cp775...) for short Western text, which
    # turns "naïve" into "naďve"; cp1252 wins whenever it is no messier.
    if cp1252 is not None and best.encoding != "cp1252" and not best.encoding.startswith("utf"):
        if "cp1252" in best.could_be_from_charset or _mess(cp1252) <= _mess(guessed):
            return cp1252
    return guessed


def _finish(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("file contains only whitespace")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError("file looks binary (mostly non-text bytes), not a text article")
    return text


def decode_bytes(data: bytes, *, name: str, html: bool = False, max_bytes: int | None = None) -> str:
    """Decode one file's bytes to text (BOM, UTF-8, declared HTML charset, detection, cp1252).

    Raises InputError with a plain reason for empty, whitespace-only, binary, oversize or
    undecodable input. ``name`` is only used in messages.
    """
    del name  # reasons are attached to the file by the caller; kept for a stable signature
    check_size(len(data), max_bytes)
    if not data:
        raise InputError("file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:
                raise InputError(
                    f"file starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}"
                )
            return _finish(text)
    utf16 = _looks_like_utf16(data) if b"\x00" in data else None
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            return _finish(text)
    if b"\x00" in data:
        raise InputError("file looks binary (it contains NUL bytes), not a text article")
    if not data.strip():
        raise InputError("file contains only whitespace")
    text = _strict(data, "utf-8")
    if text is not None:
        return _finish(text)
    if html:
        declared = _declared_charset(data)
        if declared and not declared.startswith("utf"):
            text = _strict(data, declared)
            if text is not None and _control_share(text) <= _MAX_CONTROL_SHARE:
                # Verify against detection: a wrong declaration decodes "cleanly" into mojibake.
                detected = _detect(data)
                if detected is None or detected == text or _mess(text) <= _mess(detected):
                    return _finish(text)
                return _finish(detected)
    detected = _detect(data)
    if detected is not None and _control_share(detected) <= _MAX_CONTROL_SHARE:
        return _finish(detected)
    fallback = _strict(data, "cp1252")
    if (
        fallback is not None
        and _ascii_share(fallback) >= _MIN_ASCII_SHARE
        and _control_share(fallback) <= _MAX_CONTROL_SHARE
    ):
        return _finish(fallback)
    raise InputError("could not decode the file as text (unknown or mixed character encoding)")
