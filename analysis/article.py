"""Per-article analysis: clean into units, parse with spaCy, and compute every per-sentence feature.

The result depends only on the article's text, the model and this code, so it is cached per article
content (see analysis.cache); nothing here knows an article's source, date or id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pandas as pd
from threadpoolctl import threadpool_limits

from analysis import claim_features as claim_features_mod
from analysis import dates, entities, meaning, terms, tone
from analysis.cleaning import Unit, split_units
from analysis.coverage import COUNTED_KINDS
from analysis.nlp import is_word, load_nlp, span_lemmas, span_tokens

# Units longer than this are cut at sentence-like boundaries before parsing: spaCy's memory grows with
# document length and nlp.max_length is a hard limit.
MAX_UNIT_CHARS = 20_000
PARSED_KINDS = ("body", "list_item", "citation")

# ---------------------------------------------------------------------------------------------------

def _chunks(text: str, limit: int = MAX_UNIT_CHARS) -> list[str]:
    """Cut an over-long unit near sentence ends (else at spaces, else hard) into pieces <= limit."""
    if len(text) <= limit:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            if cut < limit // 4:
                cut = window.rfind(" ")
            if cut > limit // 4:
                end = start + cut + 1
        out.append(text[start:end].strip())
        start = end
    return [c for c in out if c]


def _units_for(text: str) -> list[Unit]:
    units: list[Unit] = []
    for u in split_units(text):
        if len(u.text) > MAX_UNIT_CHARS:
            units.extend(Unit(u.kind, piece, u.block) for piece in _chunks(u.text))
        else:
            units.append(u)
    return units


def _sentence_rows(doc, unit: Unit, position: int) -> tuple[list[dict], int]:
    """Rows for one parsed unit: sentences of body/list units, the whole unit otherwise."""
    rows = []
    spans = list(doc.sents) if unit.kind in COUNTED_KINDS else [doc[:]]
    for sent in spans:
        text = sent.text.strip()
        if not text:
            continue
        row: dict = {"position": position, "block": unit.block, "kind": unit.kind, "text": text,
                     "lemmas": span_lemmas(sent), "tokens": span_tokens(sent),
                     "n_words": sum(1 for t in sent if is_word(t))}
        offset = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        if unit.kind in COUNTED_KINDS:
            score = tone.score_sentence(sent)
            row["sentiment"] = float(score.score)
            row["tone_terms"] = tone.format_terms(score.terms)
            row["noun_phrases"] = terms.noun_phrases(sent)
            row.update(claim_features_mod.claim_features(sent))
            ents = entities.entity_mentions(sent)
        else:
            ents = []
        dts = dates.date_mentions(sent)
        # Mentions are stored with offsets relative to the stripped sentence text.
        shift = offset - sent.start_char
        row["entities_json"] = json.dumps([{**e, "start_char": e["start_char"] - shift,
                                            "end_char": e["end_char"] - shift} for e in ents])
        row["dates_json"] = json.dumps([{**d, "start_char": d["start_char"] - shift,
                                         "end_char": d["end_char"] - shift} for d in dts])
        rows.append(row)
        position += 1
    return rows, position


_DEFAULTS = {"sentiment": 0.0, "tone_terms": "", "noun_phrases": "", "entities_json": "[]", "dates_json": "[]"}


def _finish_frame(rows: list[dict]) -> pd.DataFrame:
    """One article's rows as a frame with a fixed column set (unparsed rows get typed defaults).

    Built column by column from plain lists: a per-row DataFrame constructor plus fillna per column
    cost more than the features themselves.
    """
    keys = list(rows[0])
    seen = set(keys)
    for row in rows:
        for k in row:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    for k in _DEFAULTS:
        if k not in seen:
            keys.append(k)
    data = {}
    for k in keys:
        default = _DEFAULTS.get(k)
        if default is None and k.startswith("claim_"):
            sample = next((r[k] for r in rows if k in r), "")
            default = False if isinstance(sample, bool) else 0.0 if isinstance(sample, int | float) else ""
        data[k] = [r.get(k, default) for r in rows]
    return pd.DataFrame(data)


def _article_frame(units: list[Unit], docs: dict[int, object]) -> pd.DataFrame:
    """One article's frame from its units and the parsed docs of its parsed units (by unit index)."""
    rows: list[dict] = []
    position = 0
    for j, unit in enumerate(units):
        doc = docs.get(j)
        if doc is None:  # headings and boilerplate are kept but not parsed
            rows.append({"position": position, "block": unit.block, "kind": unit.kind,
                         "text": unit.text, "lemmas": "", "tokens": unit.text.lower(),
                         "n_words": len(unit.text.split())})
            position += 1
            continue
        new_rows, position = _sentence_rows(doc, unit, position)
        rows.extend(new_rows)
    if not rows:
        rows = [{"position": 0, "block": 0, "kind": "boilerplate", "text": "", "lemmas": "",
                 "tokens": "", "n_words": 0}]
    return _finish_frame(rows)


def analyze_texts(texts: Sequence[str], nlp=None, *, batch_size: int = 64) -> list[pd.DataFrame]:
    """Per-article frames for several texts, parsing all their units in one ``nlp.pipe`` stream.

    Each frame has one row per unit/sentence: position, block, kind, text, lemmas, tokens, n_words,
    sentiment, tone_terms, noun_phrases, claim_* features, JSON lists of entity and date mentions, and
    the claim sentences' meaning vectors (``claim_vector``).

    The sentence encoder runs in a second thread while spaCy parses the next articles (both release the
    GIL in their numeric kernels), and this thread joins in once parsing is done: on two cores the
    encoder's cost is shared between them. BLAS is held to one thread per encoding thread meanwhile,
    so the threads do not fight over the cores.
    """
    nlp = nlp or load_nlp()
    all_units = [_units_for(t) for t in texts]
    stream = ((u.text, (i, j)) for i, units in enumerate(all_units) for j, u in enumerate(units)
              if u.kind in PARSED_KINDS)
    frames: list[pd.DataFrame] = []
    pending: list[Future] = []
    docs: dict[int, object] = {}
    encode = meaning.enabled()  # read once: it checks the environment and the weight files
    with _encoder_thread() as encoder:

        def finish_until(stop: int) -> None:
            # Articles arrive in order: when a unit of article `stop` is parsed, all before it are done.
            while len(frames) < stop:
                frame = _article_frame(all_units[len(frames)], docs)
                docs.clear()
                frames.append(frame)
                pending.append(encoder.submit(_meaning_column, frame, encode))

        for doc, (i, j) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
            finish_until(i)
            docs[j] = doc
        finish_until(len(all_units))
        # Parsing is done: this thread now encodes queued articles too, from the back of the queue
        # while the encoder thread works from the front, so the tail uses both cores.
        columns: dict[int, list[str]] = {}
        for k in range(len(pending) - 1, -1, -1):
            if not pending[k].cancel():
                break  # the encoder thread has reached this article, so every earlier one too
            columns[k] = _meaning_column(frames[k], encode)
        for k, frame in enumerate(frames):
            frame["claim_vector"] = columns[k] if k in columns else pending[k].result()
    return frames


@contextmanager
def _encoder_thread() -> Iterator[ThreadPoolExecutor]:
    """One background thread for the encoder, with BLAS limited to one thread while it lives."""
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def _meaning_column(frame: pd.DataFrame, encode: bool) -> list[str]:
    """Column ``claim_vector``: the meaning vector (see ``meaning.to_cell``) of every claim sentence, "" elsewhere.

    Only claim sentences are encoded (the 3-layer encoder costs about as much as the parse, per sentence).
    Each article is encoded on its own: batch composition changes the last bits of a vector, and an
    article's cached result must not depend on which articles it happened to be analysed with.
    """
    column = [""] * len(frame)
    if encode and "claim_is_claim" in frame:
        mask = (frame["claim_is_claim"].fillna(False).astype(bool) & frame["kind"].isin(COUNTED_KINDS)).to_numpy()
        rows = [i for i, m in enumerate(mask) if m]
        if rows:
            vectors = meaning.encode([str(frame["text"].iat[i]) for i in rows])
            for i, vec in zip(rows, vectors, strict=True):
                column[i] = meaning.to_cell(vec)
    return column


# Worker processes: each loads the pipeline once, then analyses whole chunks of articles end to end, so
# the parent only merges results (spaCy's own n_process would leave feature extraction in the parent).
_WORKER_NLP = None


def _init_worker(model: str) -> None:
    global _WORKER_NLP
    # Each worker process keeps its numeric libraries to one thread: N workers already use N cores.
    threadpool_limits(limits=1)
    _WORKER_NLP = load_nlp(model)


def _work(texts: list[str]) -> list[pd.DataFrame]:
    return analyze_texts(texts, _WORKER_NLP)
