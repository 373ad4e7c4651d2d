"""Writing the exported tables: a folder of CSVs for the CLI, a zip for the dashboard."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.csvsafe import to_csv_bytes, write_csv
from analysis.schema import readme_text


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, header, formula-neutralised); returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = out / f"{name}.csv"
        write_csv(df, path)
        paths.append(path)
    return paths


def zip_tables(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """A zip of every table as CSV plus README.txt describing their columns ("download all")."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", readme_text())
        for name, df in tables.items():
            zf.writestr(f"{name}.csv", to_csv_bytes(df))
    return buf.getvalue()
