"""Theme tagging: cue matching on lemmas/tokens, context rules, config validation, dev-set floor."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.nlp import span_lemmas, span_tokens
from analysis.themes import (
    DEFAULT_DEV_PATH,
    DEFAULT_THEMES_PATH,
    ThemeConfigError,
    evaluate_themes,
    load_themes,
    tag_text,
    tag_themes,
)

# Measured on the held-out split (other stories never used for tuning): macro-F1 0.877.
TEST_MACRO_F1_FLOOR = 0.877 - 0.03
DEV_MACRO_F1_FLOOR = 0.904 - 0.03


@pytest.fixture(scope="session")
def themes(nlp):
    return load_themes(nlp=nlp)


def _frame(nlp, texts: list[str], kinds: list[str] | None = None) -> pd.DataFrame:
    docs = list(nlp.pipe(texts))
    return pd.DataFrame({
        "position": range(len(texts)),
        "kind": kinds or ["body"] * len(texts),
        "text": texts,
        "lemmas": [span_lemmas(d) for d in docs],
        "tokens": [span_tokens(d) for d in docs],
    })


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "themes.toml"
    p.write_text(body, encoding="utf-8")
    return p


# --- matching ------------------------------------------------------------------------------------


def test_default_file_loads_four_themes_in_order(themes):
    assert themes.names == ["ethics", "copyright", "strategy", "products"]
    assert themes.digest == hashlib.sha256(DEFAULT_THEMES_PATH.read_bytes()).hexdigest()
    assert all(t.definition and t.cues for t in themes.themes)


def test_single_word_cue_matches_inflected_forms(nlp, themes):
    names, cues = tag_text("Three record labels sued the startup and filed two more lawsuits.", themes, nlp)
    assert "copyright" in names
    assert {"sued", "lawsuit"} <= set(cues["copyright"])  # "lawsuit" matched "lawsuits"


def test_phrase_cues_match_on_lemmas_and_tokens(nlp, tmp_path):
    path = _write(tmp_path, """
[[theme]]
name = "ip"
definition = "test"
cues = ["training data", "fair use", "copyright infringement"]
""")
    ts = load_themes(path, nlp=nlp)
    names, cues = tag_text("A court said the training data was fair use.", ts, nlp)
    assert names == ["ip"]
    assert cues["ip"] == ["training data", "fair use"]
    # The lemma column alone ("training datum") must still match when tokens are unavailable.
    frame = pd.DataFrame({"kind": ["body"], "lemmas": ["the training datum be scrape"],
                          "tokens": ["the training data was"]})  # misaligned: falls back to lemmas
    assert tag_themes(frame, ts)["themes"].tolist() == ["ip"]
    # Longest phrase wins: "copyright infringement", not also a shorter overlapping cue.
    names, cues = tag_text("They alleged copyright infringement.", ts, nlp)
    assert cues == {"ip": ["copyright infringement"]}


def test_multi_label_sentence_carries_cues_per_theme(nlp, themes):
    text = "The partnership comes as both companies face copyright lawsuits over training data."
    frame = _frame(nlp, [text])
    out = tag_themes(frame, themes)
    assert out.loc[0, "themes"] == "copyright;strategy"
    assert out.loc[0, "theme_cues"].startswith("copyright: copyright")
    assert "lawsuit" in out.loc[0, "theme_cues"]
    assert "; strategy: partnership" in out.loc[0, "theme_cues"]


def test_licensing_technology_is_strategy_not_copyright(nlp, themes):
    text = "The drugmaker will license the gene-editing technology from a university spinout."
    names, cues = tag_text(text, themes, nlp)
    assert "strategy" in names and "copyright" not in names
    assert "license" in cues["strategy"]


def test_licensed_training_data_is_copyright_not_strategy(nlp, themes):
    names, cues = tag_text("The model was trained only on licensed data from photo archives.", themes, nlp)
    assert "copyright" in names and "strategy" not in names
    assert "license" in cues["copyright"] or "licensed" in cues["copyright"]


def test_trust_in_financial_sense_is_not_ethics(nlp, themes):
    assert "ethics" not in tag_text("The investment trust said its net asset value rose 3%.", themes, nlp)[0]
    assert "ethics" not in tag_text("Pension funds and unit trusts bought bonds.", themes, nlp)[0]
    assert "ethics" in tag_text("Public trust in online news has fallen to a record low.", themes, nlp)[0]


def test_record_label_is_not_content_labelling(nlp, themes):
    assert "ethics" not in tag_text("The record label signed a new band.", themes, nlp)[0]
    assert "ethics" in tag_text("The platform will label AI-generated images with a warning.", themes, nlp)[0]


def test_weak_cue_yields_to_other_themes(nlp, themes):
    # "tools" alone is a product sentence; inside a deal sentence it is not.
    assert tag_text("The new tools let anyone turn a sketch into a video.", themes, nlp)[0] == ["products"]
    deal = "Licensing gives the company access to cutting-edge tools."
    assert tag_text(deal, themes, nlp)[0] == ["strategy"]


def test_sentence_without_theme_is_blank(nlp, themes):
    out = tag_themes(_frame(nlp, ["The central bank held its benchmark rate at 4.25% on Wednesday."]), themes)
    assert out.loc[0, "themes"] == "" and out.loc[0, "theme_cues"] == ""


def test_only_body_and_list_items_are_tagged_and_input_untouched(nlp, themes):
    text = "Copyright lawsuits threaten the partnership."
    frame = _frame(nlp, [text] * 5, kinds=["heading", "citation", "boilerplate", "body", "list_item"])
    before = frame.copy()
    out = tag_themes(frame, themes)
    assert out["themes"].tolist() == ["", "", "", "copyright;strategy", "copyright;strategy"]
    assert out["theme_cues"].tolist()[:3] == ["", "", ""]
    pd.testing.assert_frame_equal(frame, before)  # a copy, never the input
    assert "themes" not in frame.columns
    assert list(out.columns) == list(frame.columns) + ["themes", "theme_cues"]


def test_empty_frame(themes):
    out = tag_themes(pd.DataFrame(columns=["kind", "lemmas", "tokens"]), themes)
    assert len(out) == 0 and {"themes", "theme_cues"} <= set(out.columns)


def test_user_added_theme_is_tagged_in_file_order(nlp, tmp_path):
    default = DEFAULT_THEMES_PATH.read_text(encoding="utf-8")
    path = _write(tmp_path, default + """
[[theme]]
name = "labour"
definition = "Workers, unions and jobs."
cues = ["union", "strike", "layoff", "worker"]

[[theme.context]]
cues = ["walkout"]
near = ["worker", "staff"]
window = 5
""")
    ts = load_themes(path, nlp=nlp)
    assert ts.names[-1] == "labour"
    out = tag_themes(_frame(nlp, ["The union said workers will strike after the merger.",
                                  "A walkout by staff halted production.", "A walkout."]), ts)
    assert out.loc[0, "themes"] == "strategy;labour"
    assert out.loc[0, "theme_cues"].endswith("labour: union, worker, strike")
    assert out.loc[1, "themes"] == "labour"
    assert out.loc[2, "themes"] == ""


def test_context_window_is_respected(nlp, tmp_path):
    path = _write(tmp_path, """
[[theme]]
name = "t"
definition = "test"
cues = ["zzz"]
[[theme.context]]
cues = ["license"]
near = ["data"]
window = 2
""")
    ts = load_themes(path, nlp=nlp)
    assert tag_text("They license data.", ts, nlp)[0] == ["t"]
    assert tag_text("They license some of the old data.", ts, nlp)[0] == []


# --- configuration errors --------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ("[[theme]\nname = 'x'", "invalid TOML"),
    ("title = 'no themes'", "no themes found"),
    ("[[theme]]\nname = 'ethics'\ndefinition = 'd'\n", "'ethics'"),
    ("[[theme]]\ndefinition = 'd'\ncues = ['a']\n", "has no 'name'"),
    ("[[theme]]\nname = 'x'\ncues = ['a']\n", "definition"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = 'a'\n", "must be a list"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = []\n", "empty"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = ['a']\ncuse = ['b']\n", "unknown key"),
    ("[[theme]]\nname = 'a;b'\ndefinition = 'd'\ncues = ['a']\n", "must not contain"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = ['a']\n[[theme]]\nname = 'X'\ndefinition = 'd'\n"
     "cues = ['b']\n", "used twice"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = ['a']\n[[theme.context]]\ncues = ['b']\n", "near"),
    ("[[theme]]\nname = 'x'\ndefinition = 'd'\ncues = ['a']\n[[theme.context]]\ncues = ['b']\n"
     "near = ['c']\nwindow = -1\n", "window"),
])
def test_bad_config_raises_clear_error(nlp, tmp_path, body, expected):
    path = _write(tmp_path, body)
    with pytest.raises(ThemeConfigError) as err:
        load_themes(path, nlp=nlp)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_missing_file_raises(nlp, tmp_path):
    with pytest.raises(ThemeConfigError, match="cannot read"):
        load_themes(tmp_path / "nope.toml", nlp=nlp)


# --- dev set and quality floor ----------------------------------------------------------------------


def test_dev_set_shape():
    df = pd.read_csv(DEFAULT_DEV_PATH)
    assert list(df.columns) == ["text", "ethics", "copyright", "strategy", "products", "origin", "split"]
    other = df[df["origin"].str.startswith("other:")]
    assert len(df) >= 160 and len(other) >= 90
    assert other["origin"].nunique() >= 8
    assert set(df["split"]) == {"dev", "test"}
    assert (df[df["split"] == "test"]["origin"].str.startswith("other:")).all()
    assert df[["ethics", "copyright", "strategy", "products"]].isin([0, 1]).all().all()


def test_evaluate_themes_shape(nlp, themes):
    res = evaluate_themes(nlp, theme_set=themes)
    assert list(res.columns) == ["theme", "precision", "recall", "f1", "support"]
    assert res["theme"].tolist() == ["ethics", "copyright", "strategy", "products", "macro"]
    assert res[["precision", "recall", "f1"]].apply(lambda c: c.between(0, 1)).all().all()


def test_macro_f1_floor_on_held_out_stories(nlp, themes):
    res = evaluate_themes(nlp, split="test", theme_set=themes).set_index("theme")
    assert res.loc["macro", "f1"] >= TEST_MACRO_F1_FLOOR, res


def test_macro_f1_floor_on_dev(nlp, themes):
    res = evaluate_themes(nlp, split="dev", theme_set=themes).set_index("theme")
    assert res.loc["macro", "f1"] >= DEV_MACRO_F1_FLOOR, res


def test_tagging_is_fast(nlp, themes):
    base = _frame(nlp, pd.read_csv(DEFAULT_DEV_PATH)["text"].head(50).tolist())
    n = 10_000
    # Distinct rows so the per-sentence memo cannot hide the matching cost.
    frame = pd.DataFrame({"kind": ["body"] * n,
                          "lemmas": [base["lemmas"][i % 50] + f" w{i}" for i in range(n)],
                          "tokens": [base["tokens"][i % 50] + f" w{i}" for i in range(n)]})
    start = time.process_time()
    tag_themes(frame, themes)
    # About 0.2 s on an idle core; the bound is loose because test machines are shared.
    assert time.process_time() - start < 5.0
