"""Claims grid, filters and evidence cue parsing (figure tested through its data, no browser)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.charts_claims import (
    STANCE_CODE,
    STANCE_COLORS,
    build_claim_grid_figure,
    claim_row_label,
    evidence_markdown,
    filter_claims,
    notes_markdown,
    short_text,
    split_cue,
    stance_matrix,
    syndicated_groups,
)
from analysis.schema import columns

SOURCES = ["Daily Ledger", "Market Wire", "Tech Beat", "Wire Service"]


def _claim(
    cid: str,
    text: str,
    status: str,
    support: str = "",
    contradict: str = "",
    hedged: str = "",
    silent: str = "",
    themes: str = "",
) -> dict:
    return {
        "claim_id": cid,
        "text": text,
        "themes": themes,
        "status": status,
        "sources_support": support,
        "sources_contradict": contradict,
        "sources_hedged": hedged,
        "sources_silent": silent,
        "n_support": len([s for s in support.split(";") if s]),
        "n_contradict": len([s for s in contradict.split(";") if s]),
        "agreement": 0.5,
    }


@pytest.fixture()
def claims() -> pd.DataFrame:
    rows = [
        _claim(
            "C001",
            "The regulator fined the bank $2 billion over the data breach.",
            "contested",
            support="Daily Ledger;Market Wire",
            contradict="Tech Beat",
            silent="Wire Service",
            themes="legal",
        ),
        _claim(
            "C002",
            "The carmaker will recall 80,000 electric SUVs over a battery fault that can cause fires "
            "in cold weather, the company said on Monday.",
            "consensus",
            support="Market Wire;Wire Service",
            hedged="Daily Ledger",
            silent="Tech Beat",
            themes="safety;legal",
        ),
        _claim(
            "C003",
            "The streaming service won exclusive rights to the league's games.",
            "single-source",
            support="Tech Beat",
            silent="Daily Ledger;Market Wire;Wire Service",
            themes="business",
        ),
        _claim(
            "C004",
            "Analysts expect the central bank to hold rates.",
            "single-source",
            support="Wire Service",
            silent="Daily Ledger;Market Wire;Tech Beat",
            themes="",
        ),
    ]
    return pd.DataFrame(rows, columns=columns("claims"))


def test_filter_by_source_drops_columns_and_uncovered_claims(claims: pd.DataFrame) -> None:
    out = filter_claims(claims, ["Daily Ledger", "Market Wire"])
    assert out["claim_id"].tolist() == ["C001", "C002"]  # C003/C004: no chosen source covers them
    assert out.loc[0, "sources_contradict"] == ""  # Tech Beat dropped from every stance list
    assert out.loc[1, "sources_silent"] == ""
    assert claims.loc[0, "sources_contradict"] == "Tech Beat"  # input untouched


def test_filter_by_status_and_theme(claims: pd.DataFrame) -> None:
    assert filter_claims(claims, SOURCES, statuses=["consensus"])["claim_id"].tolist() == ["C002"]
    themes_all = ["legal", "safety", "business"]
    # Every theme selected: no theme filter, unthemed claims stay.
    assert len(filter_claims(claims, SOURCES, themes=themes_all, all_themes=themes_all)) == 4
    picked = filter_claims(claims, SOURCES, themes=["legal"], all_themes=themes_all)
    assert picked["claim_id"].tolist() == ["C001", "C002"]
    assert filter_claims(claims, SOURCES, statuses=[]).empty


def test_contested_first_even_when_ids_are_not_in_order(claims: pd.DataFrame) -> None:
    shuffled = claims.iloc[::-1].assign(claim_id=["C001", "C002", "C003", "C004"])
    out = filter_claims(shuffled, SOURCES)
    assert out["status"].tolist()[0] == "contested"
    assert out["status"].tolist()[-2:] == ["single-source", "single-source"]


def test_stance_matrix(claims: pd.DataFrame) -> None:
    mat = stance_matrix(claims, SOURCES)
    assert mat.loc["C001"].tolist() == ["supports", "supports", "contradicts", "silent"]
    assert mat.loc["C002", "Daily Ledger"] == "hedged"


def test_grid_figure_codes_colours_and_labels(claims: pd.DataFrame) -> None:
    shown = filter_claims(claims, ["Daily Ledger", "Market Wire", "Tech Beat"])
    fig = build_claim_grid_figure(shown, ["Daily Ledger", "Market Wire", "Tech Beat"])
    heat = fig.data[0]
    assert list(heat.x) == ["Daily Ledger", "Market Wire", "Tech Beat"]  # Wire Service filtered out
    assert list(heat.z[0]) == [STANCE_CODE["supports"], STANCE_CODE["supports"], STANCE_CODE["contradicts"]]
    assert list(heat.z[1]) == [STANCE_CODE["hedged"], STANCE_CODE["supports"], STANCE_CODE["silent"]]
    assert list(heat.text[0]) == ["✓", "✓", "✗"]
    # Each code maps to its stance colour in the stepped scale.
    n = len(STANCE_CODE)
    scale = [(round(float(p), 6), c) for p, c in heat.colorscale]
    for stance, code in STANCE_CODE.items():
        mid = (code + 0.5) / n
        colour = next(c for (p0, c), (p1, _) in zip(scale, scale[1:], strict=False) if p0 <= mid <= p1)
        assert colour == STANCE_COLORS[stance]
    # Rows top-down in table order, labelled with id and a short text; the hover holds the full text.
    assert heat.y[0].startswith("C001 · ") and heat.y[1].startswith("C002 · ")
    assert len(heat.y[1]) <= len("C002 · ") + 80 and heat.y[1].endswith("…")
    cells = fig.data[1]  # the clickable, invisible cell markers carry the hover
    assert cells.type == "scatter" and len(cells.x) == len(heat.y) * 3
    assert (cells.x[3], cells.y[3]) == ("Daily Ledger", heat.y[1])
    assert "in cold weather, the company said on Monday" in cells.customdata[3][1].replace("<br>", " ")
    assert cells.customdata[3][0].startswith("hedged") and cells.customdata[3][3] == "C002"
    assert list(fig.layout.yaxis.range) == [len(heat.y) - 0.5, -0.5]  # first claim on top
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["✓ supports", "✗ contradicts", "? hedged", "silent"]


def test_grid_margins_fit_the_labels_without_automargin(claims: pd.DataFrame) -> None:
    """Fixed margins sized from the labels: automargin would draw the whole grid twice."""
    sources = ["Daily Ledger", "Market Wire", "Tech Beat"]
    fig = build_claim_grid_figure(filter_claims(claims, sources), sources)
    assert fig.layout.yaxis.automargin is False and fig.layout.xaxis.automargin is False
    longest = max(len(y) for y in fig.data[0].y)
    assert fig.layout.margin.l >= 5 * longest  # room for the longest row label at 12 px
    short = build_claim_grid_figure(filter_claims(claims, sources).assign(text="Short."), sources)
    assert short.layout.margin.l < fig.layout.margin.l
    wide = build_claim_grid_figure(filter_claims(claims, sources), ["A much longer outlet name, Inc.", *sources[1:]])
    assert wide.layout.margin.t > fig.layout.margin.t  # slanted source names need more room on top


def test_short_text_and_label() -> None:
    long = "word " * 40
    assert len(short_text(long, 80)) <= 80 and short_text(long).endswith("…")
    assert short_text("Short claim.") == "Short claim."
    assert claim_row_label("C009", "A  claim\nover lines") == "C009 · A claim over lines"


@pytest.mark.parametrize(
    ("cue", "words", "terms"),
    [
        (
            "status: 'hinted; has not yet been released' (unreleased) vs 'newly launched' (released) "
            "about moviegen; "
            "joined by opposite release status of 'moviegen'",
            ("hinted", "has not yet been released"),
            ("moviegen",),
        ),
        (
            "hedge: may; joined by shared: sue, copyright, meta (score 0.45)",
            ("may",),
            ("sue", "copyright", "meta"),
        ),
        ("hedge: could; if", ("could", "if"), ()),
        (
            "joined by shared: recall, battery, fault (score 0.61; no shared name)",
            (),
            ("recall", "battery", "fault"),
        ),
        ("denial: 'denied'; joined by shared: merger, talk (score 0.40)", ("denied",), ("merger", "talk")),
        ("representative wording", (), ()),
        (
            # The shared terms end at the first ';': what follows is the similarity and model reasons.
            "joined by shared: strike, port≈harbour; meaning similarity 0.83; p=0.45 (+same predicate)",
            (),
            ("strike", "port≈harbour"),
        ),
        (
            "different figures (job): 1150 vs 1400 (its own wording is a separate claim); joined by "
            "conflicting versions of one assertion (different figures (job): 1150 vs 1400); shared: port, strike",
            ("1150", "1400"),  # both sides: the highlighter marks the one the sentence contains
            ("port", "strike"),
        ),
        (
            # Readable figures: the sentence's own numbers are highlighted, the tool's unit word is not.
            "states figure 2.3 million (customer) or $40 million vs 'did not say' (against: 'The company did "
            "not say how many customers')",
            ("2.3 million", "$40 million"),
            (),
        ),
        (
            "different figures (money): €2.4 billion or €2,100 vs €2.1 billion; joined by shared: deal",
            ("€2.4 billion", "€2,100", "€2.1 billion"),
            ("deal",),
        ),
        (
            "hedge: reportedly; conflicting: status: 'delayed' (unreleased) vs 'launched' (released) "
            "about app",
            ("reportedly", "delayed"),
            (),
        ),
        (
            # A resolved subject belongs to why the sentence joined, not to its stance.
            "representative wording; 'the exchange' read as vaultbit",
            (),
            ("exchange",),
        ),
        (
            "different figures (money): $870 million vs $1.2 billion; joined by shared: filing, vaultbit; "
            "p=0.63; 'the exchange' read as vaultbit",
            ("$870 million", "$1.2 billion"),
            ("filing", "vaultbit", "exchange"),
        ),
    ],
)
def test_split_cue(cue: str, words: tuple, terms: tuple) -> None:
    parts = split_cue(cue)
    assert parts.stance_words == words
    assert parts.shared_terms == terms
    if "read as" in cue:
        assert "read as vaultbit" in parts.joined_by and "read as" not in parts.stance_cue


def test_split_cue_tolerates_unknown_forms() -> None:
    parts = split_cue("something new: 'x'")
    assert parts.stance_cue == "something new: 'x'"
    assert split_cue(None).stance_cue == ""


def test_evidence_markdown_highlights_and_escapes() -> None:
    text = "The bank *may* face a $2 billion fine, :red[officials] said at https://example.com."
    parts = split_cue("hedge: may; joined by shared: fine, bank (score 0.5)")
    md = evidence_markdown(
        text,
        "hedged",
        parts,
        tokens="the bank may face a 2 billion fine officials said",
        lemmas="the bank may face a 2 billion fine official say",
    )
    assert ":orange-background[**may**]" in md
    assert ":gray-background[bank]" in md and ":gray-background[fine]" in md
    assert "\\$" in md and ":red[" not in md and "\\*" in md  # untrusted Markdown stays inert
    # No highlight words: the plain escaped sentence.
    plain = evidence_markdown("Shares rose 5%.", "supports", split_cue("joined by shared: price"))
    assert plain == "Shares rose 5\\%\\."


def test_a_contradicting_figure_is_highlighted_whichever_side_of_the_cue_it_is() -> None:
    """The cue puts the claim's figure first ("$870 million vs $1.2 billion"); the contradicting
    sentence's own figure, second, is still the one marked."""
    parts = split_cue("different figures (money): $870 million vs $1.2 billion; joined by shared: filing")
    md = evidence_markdown("The exchange faced a shortfall of about $1.2 billion.", "contradicts", parts)
    assert ":red-background[**\\$1\\.2 billion**]" in md
    assert "870" not in md


def test_syndicated_groups_only_lists_shared_copy() -> None:
    groups = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3"],
            "group_id": ["G001", "G001", "G002"],
            "members": ["AP;Local Paper", "AP;Local Paper", "Blog"],
        }
    )
    articles = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "source": ["AP", "Local Paper", "Blog"]})
    out = syndicated_groups(groups, articles)
    assert out["group"].tolist() == ["G001"]
    assert out.loc[0, "sources"] == "AP, Local Paper" and out.loc[0, "n_articles"] == 2


def test_notes_markdown_bolds_headings() -> None:
    md = notes_markdown("How claims are found\n- A claim is a sentence.\nLimits\n- Paraphrases are missed.")
    assert "**How claims are found**" in md and "- A claim is a sentence\\." in md
