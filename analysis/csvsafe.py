"""CSV export safety: neutralising spreadsheet formulas (OWASP CSV injection) and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.atomic import write_bytes_atomic

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with "'"; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_text_column(series: pd.Series) -> bool:
    dtype = series.dtype
    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def neutralize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and text column name) neutralised; numbers stay numbers."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if not _is_text_column(series):
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        # map keeps NaN/None and numbers in object columns as they are (neutralize_cell skips non-str).
        out[col] = series.map(neutralize_cell)
    out.columns = [neutralize_cell(c) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and neutralised cells: the one way the project writes CSV."""
    return neutralize_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``to_csv_bytes(df)`` to ``path`` atomically (temp file in the same folder, then rename)."""
    write_bytes_atomic(path, to_csv_bytes(df))
