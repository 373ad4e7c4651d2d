"""Data & downloads: every table, filtered by the sidebar, with a CSV of exactly the rows shown."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analysis.export import zip_tables
from analysis.findings import filter_by_themes, filter_claims_by_sources
from analysis.schema import TABLES, columns
from pages import common

# Every tab's table is sent to the browser on each run (tabs are not lazy): keep previews small.
MAX_RENDERED_ROWS = 1_000
# Columns beyond the schema that help a drill-down and are kept in the download (proposed to the lead).
EXTRA_COLUMNS = {"terms": ["example_sentence_id"]}
DESCRIPTIONS = {
    "articles": "One row per article: source, title, date and the counted sentences, words and tone.",
    "sentences": "Every unit of every article, with its themes, cues, tone and the words behind the tone. "
                 "Headings, citations and boilerplate are listed too (column kind) but only body and "
                 "list_item rows count toward coverage and tone, so Overview's sentence count is smaller.",
    "coverage": "Per source and theme: sentences, share, mean tone and prominence (the heatmap's data).",
    "claims": "Claims grouped across sources, with who supports, contradicts, hedges or is silent.",
    "claim_evidence": "The sentences behind each claim, with their stance and the cue that set it.",
    "timeline": "Dates: publication dates and the dates mentioned in the text, with their sentences.",
    "entities": "Per source: the people, organisations and products named, and the tone around them.",
    "terms": "Per source: the words and phrases it uses distinctively more than the others.",
    "skipped": "Inputs that could not be used, and why.",
}

view = common.current_view()
st.title("Data & downloads")
theme_filtered = set(view.themes) != set(view.theme_names)
source_filtered = set(view.sources) != set(view.all_sources)
st.caption("Every table behind the pages, filtered by the sidebar"
           + (" (sources and themes)" if theme_filtered and source_filtered else
              " (sources)" if source_filtered else " (themes)" if theme_filtered else
              ": no filter active, all rows")
           + ". Each download holds exactly the rows listed; the zip's README documents the columns.")


def filtered(name: str):
    """One table as shown: the sidebar filters applied, the schema's columns in order."""
    df = view.table(name)
    if name in ("sentences", "claims"):
        df = filter_by_themes(df, view.themes, view.theme_names)
    if name == "claims":
        df = filter_claims_by_sources(df, view.sources, view.all_sources)
    if name == "claim_evidence":
        kept = filtered("claims")["claim_id"]
        df = df[df["claim_id"].isin(kept)]
    extra = [c for c in EXTRA_COLUMNS.get(name, []) if c in df.columns and c not in columns(name)]
    cols = columns(name) + extra
    return df.reindex(columns=cols)


shown = {name: filtered(name) for name in TABLES}
totals = {name: len(view.tables[name]) for name in TABLES}

st.download_button("Download all tables (.zip)", data=partial(zip_tables, shown),
                   file_name="coverage-lens-tables.zip", on_click="ignore",
                   mime="application/zip", key="dl-all", icon=":material/folder_zip:", type="primary",
                   help="Every table below as CSV, filtered as shown, plus a README of the columns.")

tabs = st.tabs([f"{name} ({len(shown[name]):,})" for name in TABLES])
for tab, name in zip(tabs, TABLES, strict=True):
    with tab:
        df = shown[name]
        st.caption(DESCRIPTIONS.get(name, ""))
        count = f"{len(df):,} rows" + (f" of {totals[name]:,}" if len(df) != totals[name] else "")
        st.markdown(f"**{count}**")
        if df.empty:
            common.empty_state("No row of this table matches the sidebar filters."
                               if totals[name] else "This table is empty for this corpus.")
        else:
            if len(df) > MAX_RENDERED_ROWS:
                st.caption(f"Showing the first {MAX_RENDERED_ROWS:,} rows; the download has all {len(df):,}.")
            helps = {c: st.column_config.Column(help=TABLES[name].get(c)) for c in df.columns}
            st.dataframe(df.head(MAX_RENDERED_ROWS), hide_index=True, column_config=helps)
        common.download_csv(df, name, key=f"dl-{name}")

common.how_computed(
    """
The tables are the same as the command-line export (`python -m analysis export`), restricted to the
sidebar's sources (and, for sentences and claims, themes; for claim evidence, the claims kept). Coverage is
restricted to the selected themes. A claim is kept when any selected source supports, contradicts or hedges
it.

CSV files are UTF-8 with a header row; text cells that a spreadsheet would run as a formula (starting with
= + - @, tab or line breaks) are prefixed with a single quote. The zip's README.txt documents every column.
""")
