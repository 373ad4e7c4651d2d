"""Data & downloads page (AppTest on the seeds): every table, a download per table, filters applied."""

from __future__ import annotations

from conftest import run_page, set_filters, tables

from analysis.schema import TABLES, columns

PAGE = "pages/data.py"


def _tab_labels(at) -> list[str]:
    return [t.label for t in at.tabs]


def test_every_table_has_a_download_and_a_count():
    at = run_page(PAGE)
    labels = _tab_labels(at)
    for name in TABLES:
        n = len(tables(at)[name])
        assert f"{name} ({n:,})" in labels
    buttons = [b.proto.label for b in at.get("download_button")]
    for name in TABLES:
        assert f"Download {name}.csv" in buttons
    assert "Download all tables (.zip)" in buttons


def test_tables_show_schema_columns():
    at = run_page(PAGE)
    frames = [df.value for df in at.dataframe]
    articles = frames[0]
    assert list(articles.columns) == columns("articles")
    assert list(frames[1].columns) == columns("sentences")


def test_source_filter_applies_to_tables_and_downloads():
    at = run_page(PAGE)
    t = tables(at)
    one = t["articles"]["source"].iloc[0]
    set_filters(at, sources=[one])
    n_articles = int((t["articles"]["source"] == one).sum())
    n_sentences = int((t["sentences"]["source"] == one).sum())
    labels = _tab_labels(at)
    assert f"articles ({n_articles:,})" in labels and f"sentences ({n_sentences:,})" in labels
    assert set(at.dataframe[0].value["source"]) == {one}
    assert any(m.value == f"**{n_sentences:,} rows of {len(t['sentences']):,}**" for m in at.markdown)


def test_theme_filter_keeps_tagged_sentences_only():
    at = run_page(PAGE)
    t = tables(at)
    theme = at.session_state["_view"].theme_names[0]
    set_filters(at, themes=[theme])
    sentences = at.dataframe[1].value
    assert len(sentences) < len(t["sentences"])
    assert sentences["themes"].map(lambda s: theme in s.split(";")).all()
    coverage = next(df.value for df in at.dataframe if list(df.value.columns) == columns("coverage"))
    assert set(coverage["theme"]) == {theme}

