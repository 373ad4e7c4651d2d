"""Loading a corpus (folder, CSV/JSONL, single file or browser uploads) into the ``articles`` table.

Every problem with one file or record becomes a row of ``skipped`` with a plain reason; good files in
the same batch are always loaded. Names of uploaded files are untrusted and never become paths.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .cleaning import is_title_case, split_units
from .decoding import InputError, check_size, decode_bytes

ARTICLE_COLUMNS = [
    "article_id",
    "source",
    "title",
    "published",
    "published_from",
    "url",
    "path",
    "text",
    "content_hash",
]
SKIPPED_COLUMNS = ["path", "reason"]
DOCUMENT_SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html"}
RECORD_SUFFIXES = {".csv", ".jsonl"}
MANIFEST_NAME = "sources.csv"
MANIFEST_FIELDS = ("file", "source", "title", "published", "url")

_ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$", re.IGNORECASE
)
_YEAR_ONLY = re.compile(r"^\s*\d{4}\s*$")
_MONTH_YEAR = re.compile(r"^\s*(?:\d{4}-\d{2}|[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{4}\s+[A-Za-z]{3,9})\s*$")
_UNSAFE_ID = re.compile(r"[^\w.-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class LoadedCorpus:
    """The loaded articles and every file or record that was not used, with the reason."""

    articles: pd.DataFrame
    skipped: pd.DataFrame


# --- names ---------------------------------------------------------------------------------------
def safe_display_name(name: str) -> str:
    """The base name of an untrusted file name: no directories, '..', control or zero-width chars."""
    name = unicodedata.normalize("NFC", str(name))
    name = _CONTROL.sub("", name).replace("\u200b", "").replace("\ufeff", "")
    base = re.split(r"[\\/]+", name.strip())[-1].strip()
    # ".." or "..." carry no name; leading dots would make a hidden-looking name.
    base = base.lstrip(".").strip()
    return base[:200] or "unnamed"


def _make_id(stem: str) -> str:
    ident = _UNSAFE_ID.sub("-", unicodedata.normalize("NFC", stem)).strip("-.")
    return ident[:80] or "article"


class _Ids:
    """Hands out unique article ids in load order ("x", "x-2", "x-3" ...)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        base = _make_id(wanted)
        ident, n = base, 1
        while ident.lower() in self.used:
            n += 1
            ident = f"{base}-{n}"
        self.used.add(ident.lower())
        return ident


# --- dates ---------------------------------------------------------------------------------------
def normalize_published(value: object) -> tuple[str, str | None]:
    """An ISO YYYY-MM-DD date for a publication-date value, or ('', reason) when no day is known."""
    text = "" if value is None else str(value).strip()
    if not text or text.lower() in {"nan", "none", "null", "nat"}:
        return "", None
    m = _ISO_DATE.match(text)
    if m:
        # The calendar date as written: no time-zone shifting, which could move it by a day.
        try:
            iso = pd.Timestamp(year=int(m.group(1)), month=int(m.group(2)), day=int(m.group(3)))
        except ValueError:
            return "", f"published {text!r} is not a valid date; left blank"
        return _plausible(iso, text)
    if _YEAR_ONLY.match(text) or _MONTH_YEAR.match(text):
        return "", f"published {text!r} has no day; left blank"
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["custom-formats", "absolute-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )
    if parsed is None:
        return "", f"published {text!r} is not a date; left blank"
    return _plausible(pd.Timestamp(parsed.date()), text)


def _plausible(ts: pd.Timestamp, text: str) -> tuple[str, str | None]:
    if not 1900 <= ts.year <= 2100:
        return "", f"published {text!r} is outside 1900-2100; left blank"
    return ts.strftime("%Y-%m-%d"), None


# --- HTML ----------------------------------------------------------------------------------------
def _trafilatura_config():  # noqa: ANN202 - configparser object from trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    # Short news briefs are articles too; the default 250-char minimum would drop them.
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = "20"
    config["DEFAULT"]["MIN_OUTPUT_SIZE"] = "1"
    config["DEFAULT"]["EXTRACTION_TIMEOUT"] = "0"
    return config


def extract_html(html: str) -> dict[str, str]:
    """Main text (Markdown-ish lines), title, site name and date of an HTML page via trafilatura."""
    import trafilatura

    config = _trafilatura_config()
    text = None
    try:
        text = trafilatura.extract(
            html,
            output_format="markdown",
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=True,
            deduplicate=False,
            config=config,
        )
        if not text:
            text = trafilatura.extract(
                html,
                output_format="markdown",
                include_comments=False,
                include_images=False,
                include_links=False,
                include_formatting=True,
                favor_recall=True,
                config=config,
            )
    except Exception:  # noqa: BLE001 - trafilatura/lxml raise many types on hostile markup
        text = None
    title = site = date = url = ""
    try:
        # extensive=False: only explicit metadata; the extensive search guesses dates from body text.
        meta = trafilatura.extract_metadata(html, extensive=False)
        title, site, date, url = (
            (meta.title or ""),
            (meta.sitename or ""),
            (meta.date or ""),
            (meta.url or ""),
        )
    except Exception:  # noqa: BLE001
        pass
    return {
        "text": (text or "").strip(),
        "title": _one_line(title),
        "site": _one_line(site),
        "date": date or "",
        "url": url or "",
    }


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


# --- title from the article itself -----------------------------------------------------------------
def headline_from_text(text: str) -> str:
    """The article's own first line when it reads as a headline (a Title Case heading of 4+ words)."""
    units = split_units(text[:5000])
    if not units or units[0].kind != "heading":
        return ""
    head = units[0].text
    words = head.split()
    if len(words) < 4 or head.endswith(":"):
        return ""
    if not (is_title_case(head) or head.isupper()):
        return ""
    if not any(u.kind in ("body", "list_item") for u in units[1:]):
        return ""
    return head


# --- the shared loader ---------------------------------------------------------------------------
class _Batch:
    """Accumulates articles and skipped rows for one load."""

    def __init__(self, manifest: pd.DataFrame | None, max_bytes: int | None) -> None:
        self.rows: list[dict[str, str]] = []
        self.skipped: list[dict[str, str]] = []
        self.ids = _Ids()
        self.hashes: dict[str, str] = {}
        self.max_bytes = max_bytes
        self.manifest = _manifest_lookup(manifest)
        self.manifest_used: set[str] = set()

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append({"path": path, "reason": reason})

    def add(
        self,
        *,
        wanted_id: str,
        path: str,
        text: str,
        source: str,
        title: str,
        published: str,
        published_from: str,
        url: str,
    ) -> None:
        text = text.strip("\n")
        if not text.strip():
            self.skip(path, "no article text")
            return
        dedupe_key = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
        if dedupe_key in self.hashes:
            self.skip(path, f"duplicate of {self.hashes[dedupe_key]}")
            return
        article_id = self.ids.take(wanted_id)
        self.hashes[dedupe_key] = article_id
        self.rows.append(
            {
                "article_id": article_id,
                "source": source.strip() or article_id,
                "title": title.strip(),
                "published": published,
                "published_from": published_from if published else "",
                "url": url.strip(),
                "path": path,
                "text": text,
                "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
        )

    def result(self) -> LoadedCorpus:
        for key, (row_no, name) in self.manifest.get("_rows", {}).items():
            if key not in self.manifest_used:
                self.skip(MANIFEST_NAME, f"row {row_no}: file {name!r} was not found among the loaded files")
        articles = pd.DataFrame(self.rows, columns=ARTICLE_COLUMNS).astype(str)
        skipped = pd.DataFrame(self.skipped, columns=SKIPPED_COLUMNS).astype(str)
        return LoadedCorpus(articles=articles.reset_index(drop=True), skipped=skipped.reset_index(drop=True))


def _manifest_lookup(manifest: pd.DataFrame | None) -> dict:
    """Manifest rows by file key (relative path and base name, case-folded)."""
    out: dict = {"_rows": {}}
    if manifest is None or len(manifest) == 0:
        return out
    cols = {str(c).strip().lower().lstrip("\ufeff"): c for c in manifest.columns}
    if "file" not in cols:
        return out
    for i, (_, rec) in enumerate(manifest.iterrows(), start=1):
        entry = {f: _unneutralize(_cell(rec[cols[f]])) if f in cols else "" for f in MANIFEST_FIELDS}
        name = entry["file"].replace("\\", "/").strip().lstrip("./")
        if not name:
            continue
        key = name.lower()
        out.setdefault(key, entry)
        out.setdefault(name.rsplit("/", 1)[-1].lower(), entry)
        out["_rows"][key] = (i, entry["file"])
    return out


def _unneutralize(text: str) -> str:
    """Undo the quote our CSV writer puts before formula-like cells (the manifest is our own file)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
        return text[1:]
    return text


def _cell(value: object) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _manifest_entry(batch: _Batch, rel: str) -> dict[str, str]:
    rel_key = rel.replace("\\", "/").lower()
    base_key = rel_key.rsplit("/", 1)[-1]
    for key in (rel_key, base_key):
        if key in batch.manifest:
            entry = batch.manifest[key]
            batch.manifest_used.add(entry["file"].replace("\\", "/").strip().lstrip("./").lower())
            return entry
    return {}


def _load_document(batch: _Batch, rel: str, display: str, data: bytes, kind: str) -> None:
    entry = _manifest_entry(batch, rel)
    stem = display.rsplit(".", 1)[0] if "." in display else display
    try:
        text = decode_bytes(data, name=display, html=kind == "html", max_bytes=batch.max_bytes)
    except InputError as exc:
        batch.skip(rel, exc.reason)
        return
    meta = {"title": "", "site": "", "date": "", "url": ""}
    if kind == "html":
        extracted = extract_html(text)
        text = extracted["text"]
        meta = extracted
        if not text.strip():
            batch.skip(rel, "no article text found in the HTML")
            return
    published, published_from = "", ""
    for value, origin in ((entry.get("published", ""), "manifest"), (meta["date"], "html")):
        if not value:
            continue
        iso, problem = normalize_published(value)
        if problem:
            batch.skip(rel, f"{origin}: {problem}")
        if iso:
            published, published_from = iso, origin
            break
    title = entry.get("title", "") or meta["title"] or headline_from_text(text)
    source = entry.get("source", "") or meta["site"]
    batch.add(
        wanted_id=stem,
        path=rel,
        text=text,
        source=source,
        title=title,
        published=published,
        published_from=published_from,
        url=entry.get("url", "") or meta["url"],
    )


def _records_from_csv(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    # Articles can be long; the csv module's default 128 KB field limit would reject them.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    records = []
    for n, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        records.append((n, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}))
    return header, records


def _records_from_jsonl(text: str, batch: _Batch, rel: str) -> tuple[list[str], list[tuple[int, dict]]]:
    keys: list[str] = []
    records = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            batch.skip(f"{rel} row {n}", f"row {n}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            batch.skip(f"{rel} row {n}", f"row {n}: not a JSON object")
            continue
        rec = {str(k).strip().lower(): v for k, v in obj.items()}
        for k in rec:
            if k not in keys:
                keys.append(k)
        records.append((n, rec))
    return keys, records


def _field(rec: dict, name: str) -> str:
    value = rec.get(name)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _load_records(batch: _Batch, rel: str, display: str, data: bytes, suffix: str) -> None:
    stem = display.rsplit(".", 1)[0]
    try:
        text = decode_bytes(data, name=display, max_bytes=batch.max_bytes)
    except InputError as exc:
        batch.skip(rel, exc.reason)
        return
    try:
        if suffix == ".csv":
            keys, records = _records_from_csv(text)
        else:
            keys, records = _records_from_jsonl(text, batch, rel)
    except csv.Error as exc:
        batch.skip(rel, f"could not read the CSV ({exc})")
        return
    if "text" not in keys:
        batch.skip(
            rel,
            "no 'text' column; the file was skipped"
            if suffix == ".csv"
            else "no 'text' field in any record; the file was skipped",
        )
        return
    for n, rec in records:
        where = f"{rel} row {n}"
        body = rec.get("text")
        body = "" if body is None or isinstance(body, (dict, list)) else str(body)
        if not body.strip():
            batch.skip(where, f"row {n}: empty text")
            continue
        published, published_from = "", ""
        raw_date = _field(rec, "published")
        if raw_date:
            published, problem = normalize_published(raw_date)
            if problem:
                batch.skip(where, f"row {n}: {problem} (the article was kept)")
            published_from = "field" if published else ""
        wanted = _field(rec, "id") or f"{stem}-row{n}"
        batch.add(
            wanted_id=wanted,
            path=where,
            text=body.replace("\r\n", "\n").replace("\r", "\n"),
            source=_field(rec, "source"),
            title=_one_line(_field(rec, "title")),
            published=published,
            published_from=published_from,
            url=_field(rec, "url"),
        )


def _load_one(batch: _Batch, rel: str, data: bytes) -> None:
    display = safe_display_name(rel)
    suffix = ("." + display.rsplit(".", 1)[1].lower()) if "." in display else ""
    try:
        if suffix in DOCUMENT_SUFFIXES:
            _load_document(batch, rel, display, data, DOCUMENT_SUFFIXES[suffix])
        elif suffix in RECORD_SUFFIXES:
            _load_records(batch, rel, display, data, suffix)
        elif suffix:
            batch.skip(rel, f"unsupported file type {suffix}")
        else:
            batch.skip(rel, "unsupported file type (no file extension)")
    except InputError as exc:
        batch.skip(rel, exc.reason)
    except Exception as exc:  # noqa: BLE001 - one bad file must never sink the batch
        batch.skip(rel, f"could not load the file ({type(exc).__name__}: {exc})")


def _read_manifest(data: bytes, max_bytes: int | None) -> tuple[pd.DataFrame | None, str | None]:
    try:
        text = decode_bytes(data, name=MANIFEST_NAME, max_bytes=max_bytes)
        header, records = _records_from_csv(text)
    except (InputError, csv.Error) as exc:
        return None, f"manifest ignored: {getattr(exc, 'reason', exc)}"
    if "file" not in header:
        return None, "manifest ignored: it has no 'file' column"
    frame = pd.DataFrame([r for _, r in records], columns=[h for h in header if h]).fillna("")
    return frame, None


def load_files(
    files: Sequence[tuple[str, bytes]], manifest: pd.DataFrame | None = None, *, max_bytes: int | None = None
) -> LoadedCorpus:
    """Load uploaded (name, bytes) pairs; names are untrusted and only ever used as display text."""
    files = list(files)
    skipped_pre: list[tuple[str, str]] = []
    if manifest is None:
        for name, data in files:
            if safe_display_name(name).lower() == MANIFEST_NAME:
                manifest, problem = _read_manifest(data, max_bytes)
                if problem:
                    skipped_pre.append((MANIFEST_NAME, problem))
                break
    batch = _Batch(manifest, max_bytes)
    for path, reason in skipped_pre:
        batch.skip(path, reason)
    for name, data in files:
        display = safe_display_name(name)
        if display.lower() == MANIFEST_NAME:
            continue
        _load_one(batch, display, bytes(data))
    return batch.result()


def load_corpus(path: str | Path, *, max_bytes: int | None = None) -> LoadedCorpus:
    """Load a folder, a CSV/JSONL file or a single article file; only a missing path raises."""
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"Corpus path not found: {root}")
    pre_skipped: list[tuple[str, str]] = []
    named: list[tuple[str, bytes]] = []
    manifest_file: Path | None = None
    if root.is_dir():
        candidates = sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
        for p in candidates:
            rel = p.relative_to(root).as_posix()
            if rel.lower() == MANIFEST_NAME:
                manifest_file = p
                continue
            named.append((rel, _read_capped(p, max_bytes, pre_skipped, rel)))
    else:
        named.append((root.name, _read_capped(root, max_bytes, pre_skipped, root.name)))
        sibling = root.parent / MANIFEST_NAME
        if (
            sibling.is_file()
            and root.name.lower() != MANIFEST_NAME
            and root.suffix.lower() in DOCUMENT_SUFFIXES
        ):
            manifest_file = sibling
    manifest = None
    if manifest_file is not None:
        try:
            data = manifest_file.read_bytes()
        except OSError as exc:
            data = b""
            pre_skipped.append((MANIFEST_NAME, f"manifest ignored: could not read it ({exc.strerror})"))
        if data:
            manifest, problem = _read_manifest(data, max_bytes)
            if problem:
                pre_skipped.append((MANIFEST_NAME, problem))
        if manifest is not None and not root.is_dir():
            # A single file with a sibling manifest: only its own row matters.
            keep = manifest["file"].astype(str).str.strip().str.lower() == root.name.lower()
            manifest = manifest[keep]
    batch = _Batch(manifest, max_bytes)
    for p, reason in pre_skipped:
        batch.skip(p, reason)
    failed = {p for p, _ in pre_skipped}
    for rel, data in named:
        # Folder files keep their relative path (from the user's own disk) for the manifest match and
        # the path column; article ids still come from the sanitised base name.
        if rel not in failed:
            _load_one(batch, rel, data)
    return batch.result()


def _read_capped(p: Path, max_bytes: int | None, skipped: list[tuple[str, str]], rel: str) -> bytes:
    """Read a file, checking the size cap from the directory entry first (a huge file is never read)."""
    try:
        check_size(p.stat().st_size, max_bytes)
        return p.read_bytes()
    except InputError as exc:
        skipped.append((rel, exc.reason))
    except OSError as exc:
        skipped.append((rel, f"could not read the file ({exc.strerror or exc})"))
    return b""
