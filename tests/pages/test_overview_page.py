"""Overview page (AppTest on the seeds): corpus facts, headline findings, tone chart, articles table."""

from __future__ import annotations

from conftest import figures, run_page, set_filters, tables, texts, unescape

PAGE = "pages/overview.py"


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_renders_facts_findings_chart_and_articles():
    at = run_page(PAGE)
    articles = tables(at)["articles"]
    assert _metric(at, "Articles") == str(len(articles))
    assert _metric(at, "Sources") == str(articles["source"].nunique())
    known = int((articles["published"].fillna("") != "").sum())
    assert _metric(at, "Dates known") == f"{known} of {len(articles)}"
    # the tone chart has one bar per source
    tone = figures(at)[0]["data"][0]
    assert sorted(tone["y"]) == sorted(articles["source"].unique())
    assert len(at.dataframe[0].value) == len(articles)
    shown = unescape(texts(at))
    assert "Headline findings" in shown
    # the seeds have several sources, so at least the tone finding is stated
    assert "tone" in shown and ("Most positive source" in shown or "similar across sources" in shown)


def test_overview_follows_the_source_filter():
    at = run_page(PAGE)
    articles = tables(at)["articles"]
    one = articles["source"].value_counts().index[0]
    set_filters(at, sources=[one])
    n = int((articles["source"] == one).sum())
    assert _metric(at, "Articles") == str(n)
    assert _metric(at, "Sources") == "1"
    assert set(at.dataframe[0].value["source"]) == {one}
    assert figures(at)[0]["data"][0]["y"] == [one]
    # with one source there is no contrast to report
    assert "Nothing stands out" in texts(at)


def test_overview_findings_are_escaped_markdown():
    at = run_page(PAGE)
    findings = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert findings, "the findings list is missing"
    body = findings[0]
    # sentence punctuation is escaped, so article text cannot become Markdown/HTML
    assert "\\." in body and "<" not in body.replace("\\<", "")
