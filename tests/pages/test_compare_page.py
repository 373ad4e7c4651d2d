"""Compare sources page (AppTest on the seeds): side-by-side columns, filters, theme filter, empty state."""

from __future__ import annotations

from conftest import figures, run_page, set_filters, tables, texts, unescape

from analysis.findings import sources_by_articles

PAGE = "pages/compare.py"


def _chooser(at):
    return next(m for m in at.multiselect if m.label == "Sources to compare")


def test_compare_defaults_to_top_sources_with_a_share_chart_each():
    at = run_page(PAGE)
    ranked = sources_by_articles(tables(at)["articles"])
    chooser = _chooser(at)
    assert chooser.value == ranked[:3]
    share_charts = [f for f in figures(at) if f["data"] and f["data"][0].get("orientation") == "h"
                    and f["layout"]["xaxis"].get("tickformat") == ".0%"]
    assert len(share_charts) == 3
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
    # every listed sentence explains its themes and tone
    captions = [unescape(c.value) for c in at.caption if "tone " in c.value]
    assert captions and all(covered["theme"] in c or "tone" in c for c in captions)


def test_compare_entities_and_terms_sections_when_tables_have_rows():
    at = run_page(PAGE)
    t = tables(at)
    headers = [h.value for h in at.get("header")]
    assert ("Who is mentioned" in headers) == (not t["entities"].empty)
    assert ("Distinctive wording" in headers) == (not t["terms"].empty)


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
    shown = " ".join(m.value for m in at.markdown)
    assert target in shown.replace("\\", "")
