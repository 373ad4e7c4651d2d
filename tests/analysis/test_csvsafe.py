"""CSV injection neutralisation and atomic CSV writes."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.csvsafe import neutralize_cell, neutralize_frame, to_csv_bytes, write_csv


@pytest.mark.parametrize(
    "value", ["=SUM(A1:A9)", "+1", "-0.5", "@cmd", "\tx", "\rx", "\nx", '=HYPERLINK("http://evil","x")']
)
def test_formula_prefixes_neutralised(value):
    assert neutralize_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "", "'=already", "a=b", " =x", "€-5"])
def test_safe_text_unchanged(value):
    assert neutralize_cell(value) == value


@pytest.mark.parametrize("value", [-1, -0.5, 3, float("nan"), None, True])
def test_non_strings_untouched(value):
    out = neutralize_cell(value)
    assert out is value or (isinstance(value, float) and math.isnan(out))


def test_frame_copy_text_columns_only():
    df = pd.DataFrame(
        {
            "text": ["=1+1", "-0.5", "ok"],
            "score": [-0.5, 0.1, -1.0],
            "s": pd.Series(["@a", None, "b"], dtype="string"),
            "n": [-1, 2, 3],
        }
    )
    before = df.copy()
    out = neutralize_frame(df)
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    assert out["text"].tolist() == ["'=1+1", "'-0.5", "ok"]
    assert out["score"].tolist() == [-0.5, 0.1, -1.0] and out["score"].dtype == df["score"].dtype
    assert out["n"].dtype == df["n"].dtype
    assert out["s"].iloc[0] == "'@a" and pd.isna(out["s"].iloc[1])


def test_to_csv_bytes_roundtrip_utf8_with_header():
    df = pd.DataFrame({"source": ["Café “Ledger”", "=cmd|' /C calc'!A0"], "share": [0.25, -0.5]})
    data = to_csv_bytes(df)
    assert data.startswith(b"source,share\n")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8")
    assert back["source"].tolist() == ["Café “Ledger”", "'=cmd|' /C calc'!A0"]
    assert back["share"].tolist() == [0.25, -0.5]


def test_write_csv_atomic(tmp_path, monkeypatch):
    target = tmp_path / "out" / "t.csv"
    write_csv(pd.DataFrame({"a": ["x"]}), target)
    assert target.read_bytes() == b"a\nx\n"
    # a failure mid-write leaves the old file intact and no temp files behind
    import analysis.atomic as mod

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(mod.os, "replace", boom)
    with pytest.raises(OSError):
        write_csv(pd.DataFrame({"a": ["y"]}), target)
    assert target.read_bytes() == b"a\nx\n"
    assert [p.name for p in target.parent.iterdir()] == ["t.csv"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=50), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_neutralize_idempotent_and_numbers_unchanged(value):
    once = neutralize_cell(value)
    assert neutralize_cell(once) == once
    if not isinstance(value, str):
        assert once is value
    else:
        assert once in (value, "'" + value) and not once.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
