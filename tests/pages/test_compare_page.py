"""Compare sources page (AppTest on the seeds): side-by-side columns, filters, theme filter, empty state."""

from __future__ import annotations

import zlib

from conftest import figures, run_page, set_filters, tables, texts, unescape

from analysis.findings import sources_by_articles
from analysis.textsafe import escape_markdown

PAGE = "pages/compare.py"


def _chooser(at):
    return next(m for m in at.multiselect if m.label == "Sources to compare")


def test_compare_defaults_to_top_sources_on_one_share_chart():
    at = run_page(PAGE)
    ranked = sources_by_articles(tables(at)["articles"])
    chooser = _chooser(at)
    assert chooser.value == ranked[:3]
    share_charts = [f for f in figures(at) if f["data"] and f["data"][0].get("orientation") == "h"
                    and f["layout"]["xaxis"].get("tickformat") == ".0%"]
    # one chart, one bar series per compared source (added in reverse so the legend reads top down)
    assert len(share_charts) == 1
    assert [t["name"] for t in share_charts[0]["data"]][::-1] == ranked[:3]
    shown = unescape(texts(at))
    for source in ranked[:3]:
        assert source in shown
    assert "Most positive sentences" in shown and "Most critical sentences" in shown


def test_compare_chosen_sources_change_the_columns():
    at = run_page(PAGE)
    ranked = sources_by_articles(tables(at)["articles"])
    _chooser(at).set_value([ranked[-1]]).run()
    assert not at.exception
    subheaders = [unescape(s.value) for s in at.subheader]
    assert ranked[-1] in subheaders and ranked[0] not in subheaders


def test_compare_follows_the_sidebar_source_filter():
    at = run_page(PAGE)
    ranked = sources_by_articles(tables(at)["articles"])
    set_filters(at, sources=ranked[1:3])
    chooser = _chooser(at)
    assert chooser.options == ranked[1:3] and chooser.value == ranked[1:3]
    assert ranked[0] not in unescape(texts(at))


def test_compare_theme_filter_and_empty_state():
    at = run_page(PAGE)
    t = tables(at)
    cov = t["coverage"]
    empty = cov[cov["sentences"] == 0]
    assert not empty.empty, "the seeds have a source that never covers some theme"
    source, theme = empty.iloc[0]["source"], empty.iloc[0]["theme"]
    _chooser(at).set_value([source]).run()
    next(s for s in at.selectbox if s.label == "Show sentences about").set_value(theme).run()
    assert not at.exception
    assert any("has no sentence about" in unescape(i.value) for i in at.info)

    covered = cov[(cov["source"] == source) & (cov["sentences"] > 0)].iloc[0]
    next(s for s in at.selectbox if s.label == "Show sentences about").set_value(covered["theme"]).run()
    assert f"({int(covered['sentences'])})" in texts(at)
    # Every listed sentence explains its themes and tone on the line below it, in small grey type; a page
    # of sentences is one Markdown element (one paragraph per sentence).
    listing = next(unescape(m.value) for m in at.markdown
                   if f"{covered['theme']} (" in unescape(m.value) and not m.value.startswith("**"))
    sentences = listing.split("\n\n")
    assert sentences and all(":small[:gray[" in p and "tone " in p for p in sentences)
    assert all(covered["theme"] in p.split(":small[:gray[", 1)[1] for p in sentences)


def test_compare_entities_and_terms_sections_when_tables_have_rows():
    at = run_page(PAGE)
    t = tables(at)
    headers = [h.value for h in at.get("header")]
    assert ("Who is mentioned" in headers) == (not t["entities"].empty)
    assert ("Distinctive wording" in headers) == (not t["terms"].empty)


def test_distinctive_terms_build_only_the_open_tab():
    at = run_page(PAGE)
    t = tables(at)
    chosen = _chooser(at).value
    with_terms = [s for s in chosen if s in set(t["terms"]["source"])]
    assert len(with_terms) >= 2, "the seeds have distinctive terms for the top sources"
    term_tables = [d for d in at.dataframe if "term" in d.value.columns]
    assert len(term_tables) == 1  # the first tab's; the others are built when opened
    first = set(term_tables[0].value["term"])
    assert first <= set(t["terms"][t["terms"]["source"] == chosen[0]]["term"])
    key = f"compare-terms-{zlib.crc32(repr(chosen).encode()):08x}"  # the tabs' key: one per set of sources
    assert key in at.session_state
    at.session_state[key] = escape_markdown(with_terms[1])  # the tab's label
    at.run()
    assert not at.exception
    term_tables = [d for d in at.dataframe if "term" in d.value.columns]
    assert len(term_tables) == 1
    assert set(term_tables[0].value["term"]) <= set(t["terms"][t["terms"]["source"] == with_terms[1]]["term"])


def test_entity_drill_down_lists_the_sentences_that_name_it():
    at = run_page(PAGE)
    pick = at.selectbox(key="entity-pick")
    names = list(pick.options)
    assert names, "the seeds name entities"
    target = "OpenAI" if "OpenAI" in names else names[-1]
    pick.set_value(target).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "sentence(s); tone is the tone of the clause" in captions
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert target in shown and "clause tone" in shown
