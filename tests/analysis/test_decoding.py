"""decode_bytes: encodings, BOMs, declared HTML charsets, size cap, and plain reasons for bad input."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.decoding import DEFAULT_MAX_BYTES, InputError, check_size, decode_bytes, max_file_bytes

SAMPLE = "The café’s owner said “prices will rise” next year. Zürich naïve résumé."


def test_plain_utf8_roundtrip():
    assert decode_bytes(SAMPLE.encode("utf-8"), name="a.txt") == SAMPLE


def test_cp1252_curly_quotes_and_accents():
    data = SAMPLE.encode("cp1252")
    assert b"\x93" in data and b"\x94" in data
    assert decode_bytes(data, name="a.txt") == SAMPLE


def test_latin1_short_text_is_not_mojibake():
    data = "Müller sagte, die Größe sei überraschend. Zürich, naïve.".encode("latin-1")
    assert decode_bytes(data, name="a.txt") == "Müller sagte, die Größe sei überraschend. Zürich, naïve."


def test_non_western_single_byte_text_still_detected():
    text = "Центральный банк сохранил ключевую ставку без изменений, сообщили в среду аналитики."
    assert decode_bytes(text.encode("cp1251"), name="ru.txt") == text


@pytest.mark.parametrize(
    "bom,encoding",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_boms(bom, encoding):
    out = decode_bytes(bom + SAMPLE.encode(encoding), name="a.txt")
    assert out == SAMPLE and not out.startswith("\ufeff")


def test_bomless_utf16_is_text_not_binary():
    assert decode_bytes(SAMPLE.encode("utf-16-le"), name="a.txt") == SAMPLE


def test_crlf_normalised():
    assert (
        decode_bytes(b"Line one.\r\nLine two.\rLine three.", name="a.txt")
        == "Line one.\nLine two.\nLine three."
    )


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "whitespace"),
        (codecs.BOM_UTF8 + b"   ", "whitespace"),
        (b"Some text\x00\x00 more\x00 text", "NUL"),
    ],
)
def test_plain_reasons(data, reason):
    with pytest.raises(InputError) as err:
        decode_bytes(data, name="bad.txt")
    assert reason in err.value.reason


def test_random_bytes_rejected():
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, name="noise.bin")


def test_control_char_soup_is_binary_even_if_valid_utf8():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(1, 9)) * 50 + b"abc", name="x.txt")


def test_declared_charset_used_when_utf8_fails():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x93quoted\x94</p></body></html>'
    out = decode_bytes(html.encode("latin-1"), name="p.html", html=True)
    assert "Café “quoted”" in out


def test_wrong_declared_charset_does_not_cause_mojibake():
    # Declared Latin-1, actually UTF-8 (the most common mistake on the web).
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><p>Zürich café “quotes” – dash</p></body></html>"
    )
    out = decode_bytes(html.encode("utf-8"), name="p.html", html=True)
    assert "Zürich café “quotes” – dash" in out and "Ã" not in out


def test_wrong_declared_non_latin_charset_verified_against_detection():
    body = "The Mayor’s office said the café would reopen. Prices rose sharply, officials said. " * 4
    html = f'<html><head><meta charset="koi8-r"></head><body><p>{body}</p></body></html>'
    out = decode_bytes(html.encode("cp1252"), name="p.html", html=True)
    assert "café" in out and "Mayor’s" in out


def test_declared_utf8_but_cp1252_bytes():
    html = '<meta charset="utf-8"><p>He said \x93no\x94 to the caf\xe9.</p>'
    out = decode_bytes(html.encode("latin-1"), name="p.html", html=True)
    assert "He said “no” to the café." in out


def test_size_cap_message_and_overrides(monkeypatch):
    assert max_file_bytes() == DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    big = b"a" * (DEFAULT_MAX_BYTES + 1)
    with pytest.raises(InputError, match=r"file is 5\.0 MB; the limit is 5 MB"):
        decode_bytes(big, name="big.txt")
    with pytest.raises(InputError, match=r"file is 12\.3 MB; the limit is 5 MB"):
        check_size(int(12.3 * 1024 * 1024))
    assert decode_bytes(b"short text.", name="a.txt", max_bytes=100) == "short text."
    with pytest.raises(InputError, match="limit"):
        decode_bytes(b"x" * 101, name="a.txt", max_bytes=100)
    monkeypatch.setenv("COVERAGE_LENS_MAX_FILE_MB", "6")
    assert max_file_bytes() == 6 * 1024 * 1024
    assert decode_bytes(big, name="big.txt").startswith("aaa")
    monkeypatch.setenv("COVERAGE_LENS_MAX_FILE_MB", "not a number")
    assert max_file_bytes() == DEFAULT_MAX_BYTES


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.booleans())
def test_decode_never_raises_anything_but_input_error(data, html):
    try:
        out = decode_bytes(data, name="fuzz", html=html)
    except InputError as exc:
        assert exc.reason
    else:
        assert isinstance(out, str) and out.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=500).filter(lambda s: s.strip() and "\x00" not in s))
def test_utf8_text_roundtrips(text):
    try:
        out = decode_bytes(text.encode("utf-8"), name="t")
    except InputError as exc:
        assert "binary" in exc.reason or "whitespace" in exc.reason
    else:
        assert out == text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
