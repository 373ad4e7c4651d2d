"""The tables Coverage Lens produces: their columns and what each column means.

This is the contract between the analysis layer, the CLI export, the dashboard and the README that
ships inside "download all". Every exported CSV has exactly these columns, in this order.
"""

from __future__ import annotations

TABLES: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": "Stable id of the article (file stem, or the id/row of a CSV/JSONL record).",
        "source": "Outlet as given by the manifest, the CSV/JSONL field or the page metadata; when none is "
                  "known, the file name stem (never an invented outlet).",
        "title": "The article's own heading line or page title; blank when it has none.",
        "published": "Publication date, ISO 8601 (YYYY-MM-DD), or blank when unknown (never guessed).",
        "published_from": "Where the date came from: manifest, field, html, dateline, or blank.",
        "url": "URL when known.",
        "path": "File the article came from (with the row number for CSV/JSONL records).",
        "n_sentences": "Body and list-item sentences (the units that count toward coverage and tone).",
        "n_words": "Words in those sentences.",
        "sentiment": "Article tone: mean sentence tone over body and list-item sentences, in [-1, 1].",
    },
    "sentences": {
        "article_id": "Article the sentence belongs to (see articles.csv).",
        "source": "The article's source.",
        "sentence_id": "Unique id: <article_id>:<position, 3 digits>.",
        "position": "0-based order of the unit inside its article (headings and citations included).",
        "kind": "heading | body | list_item | citation | boilerplate. Only body and list_item count.",
        "text": "The cleaned sentence text (citation markers removed).",
        "themes": "Themes the sentence is tagged with, joined by ';' (blank: none).",
        "theme_cues": "Why: for each theme the cue terms that matched, e.g. 'copyright: lawsuit, fair use'.",
        "sentiment": "Sentence tone in [-1, 1] from the news-adapted lexicon (0 when no tone words).",
        "tone_terms": "Why: the words that drove the tone with their signed contributions.",
    },
    "coverage": {
        "source": "Source.",
        "theme": "Theme name from the themes file.",
        "sentences": "Body/list-item sentences of the source tagged with the theme.",
        "share": "sentences / all body and list-item sentences of the source, in [0, 1].",
        "mean_sentiment": "Mean tone of those sentences (blank when there are none).",
        "first_position": "Prominence: relative position of the theme's first sentence in each article "
                          "(0 = lead sentence, 1 = last), averaged over the source's articles that "
                          "mention it; blank when the theme never appears.",
    },
    "claims": {
        "claim_id": "Claim id, C001 ...; contested claims first.",
        "text": "A representative wording of the claim (its most central supporting sentence).",
        "themes": "Themes of the claim's sentences, joined by ';'.",
        "status": "consensus | contested | single-source.",
        "sources_support": "Sources that assert the claim, joined by ';'.",
        "sources_contradict": "Sources that assert something incompatible, joined by ';'.",
        "sources_hedged": "Sources that report it as a possibility or attribute it, joined by ';'.",
        "sources_silent": "Sources that say nothing about it, joined by ';'.",
        "n_support": "Independent voices that support (syndicated copies count once).",
        "n_contradict": "Independent voices that contradict.",
        "agreement": "Share of covering independent voices that support, in [0, 1].",
    },
    "claim_evidence": {
        "claim_id": "Claim (see claims.csv).",
        "article_id": "Article of the evidence sentence.",
        "source": "Source of the evidence sentence.",
        "sentence_id": "Sentence (see sentences.csv).",
        "stance": "supports | contradicts | hedged.",
        "text": "The evidence sentence.",
        "cue": "Why: the words that made the stance, and the shared terms that joined it to the claim.",
    },
    "timeline": {
        "date": "ISO 8601 truncated to its precision: 2026-05-12, 2026-05, 2026 (blank when unresolved).",
        "precision": "day | month | season | quarter | year | unresolved.",
        "kind": "published | event | citation.",
        "date_text": "The words in the article that gave the date.",
        "article_id": "Article (see articles.csv).",
        "source": "Source.",
        "sentence_id": "Sentence holding the date (blank for publication dates from metadata).",
        "text": "That sentence.",
    },
    "entities": {
        "source": "Source.",
        "entity": "Canonical entity name after alias merging.",
        "label": "ORG | PERSON | PRODUCT | WORK_OF_ART (spaCy labels).",
        "mentions": "Mentions of the entity in the source's body/list-item sentences.",
        "sentences": "Sentences that mention it.",
        "mean_sentiment": "Tone toward the entity: mean tone of the clause holding each mention.",
    },
    "terms": {
        "source": "Source.",
        "term": "Lemma or noun phrase.",
        "count": "Occurrences in the source's body/list-item sentences.",
        "z": "Weighted log-odds z-score against the rest of the corpus (Monroe et al. 2008); > 1.96 is "
             "distinctive at about the 5% level.",
        "example_sentence_id": "A sentence of the source that uses the term (see sentences.csv).",
    },
    "skipped": {
        "path": "Input that could not be used (file name or CSV/JSONL row).",
        "reason": "Why, in plain words.",
    },
}


def columns(table: str) -> list[str]:
    """The ordered column names of one exported table."""
    return list(TABLES[table])


def readme_text() -> str:
    """A plain-text README describing every table and column, shipped inside 'download all'."""
    lines = ["Coverage Lens export", "====================", "",
             "UTF-8 CSV files with a header row. Text cells that a spreadsheet would run as a formula",
             "(starting with = + - @ tab CR LF) are prefixed with a single quote.", ""]
    for table, cols in TABLES.items():
        lines += [f"{table}.csv", "-" * (len(table) + 4)]
        lines += [f"  {name}: {doc}" for name, doc in cols.items()]
        lines.append("")
    return "\n".join(lines)
