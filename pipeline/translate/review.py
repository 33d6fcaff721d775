"""The human review loop in gettext PO files: msgctxt = sentence id, msgid = source, msgstr = translation.

Machine output is written `fuzzy`; a translator edits it in any PO editor and clears the flag, which approves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.errors import PipelineError
from pipeline.segment import normalise
from pipeline.files import atomic_write_text


@dataclass(frozen=True)
class Approved:
    by_id: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (source it was approved for, text)
    by_source: dict[str, str] = field(default_factory=dict)

    def get(self, sentence_id: str, source: str) -> str | None:
        # By id, only for the source it was approved for: fixed ids like "title" must not carry an old headline's
        # translation onto a new one. By source text, so an approval survives a paragraph move (a new id).
        approved_for, text = self.by_id.get(sentence_id, ("", ""))
        if text and normalise(approved_for) == normalise(source):
            return text
        return self.by_source.get(source)


# A keyword line or a continuation line: the whole string quoted, every inner quote escaped.
_STRING_LINE = re.compile(r'(#~\s*)?(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)?\s*"([^"\\]|\\.)*"')


def _open(path: Path) -> polib.POFile:
    try:
        _check_strings(path.read_bytes().decode("utf-8", "replace"), path)
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise PipelineError(f"cannot read PO file {path}: {exc}", "fix or remove the file") from None


def _check_strings(text: str, path: Path) -> None:
    """polib reads an unterminated string by dropping its last character (so "...이유 would air as "...이"):
    check every string line is closed before trusting the file."""
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith(("msg", '"', "#~ msg", '#~ "')) and not _STRING_LINE.fullmatch(line):
            raise PipelineError(f"PO file {path} line {n}: the string is not closed or has an unescaped quote",
                                'close it with a " (write a quote inside as \\"), or open the file in a PO editor')


def is_approved(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr.strip()) and "fuzzy" not in entry.flags and not entry.obsolete


def load_approved(paths: Iterable[Path]) -> Approved:
    """Approved entries of PO files; a later file wins over an earlier one."""
    approved = Approved()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise PipelineError(f"no such PO file: {path}")
        for entry in _open(path):
            if is_approved(entry):
                if entry.msgctxt:
                    approved.by_id[entry.msgctxt] = (entry.msgid, entry.msgstr)
                approved.by_source[entry.msgid] = entry.msgstr
    return approved


def merge(path: Path, sentences: Sequence, lang: str, source_lang: str) -> Path:
    """Write or update PATH with SENTENCES (TranslatedSentence): approved entries and translator comments are
    kept, machine output replaces earlier machine output and stays fuzzy, entries no longer in the article turn
    obsolete (their work is kept for later)."""
    path = Path(path)
    po = _open(path) if path.exists() else polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "pipeline", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   **po.metadata, "X-Source-Language": source_lang}
    by_id = {e.msgctxt: e for e in po if e.msgctxt}
    by_source = {e.msgid: e for e in po}
    entries = []
    for s in sentences:
        old = by_id.get(s.id) or by_source.get(s.source)
        entry = polib.POEntry(msgctxt=s.id, msgid=s.source, comment=f"paragraph {s.paragraph + 1}")
        if old is not None:
            entry.tcomment = old.tcomment
        if old is not None and is_approved(old) and old.msgid == s.source:
            entry.msgstr, entry.flags = old.msgstr, [f for f in old.flags if f != "fuzzy"]
        elif s.origin == "approved":
            entry.msgstr = s.text
        elif s.origin == "machine":
            entry.msgstr, entry.flags = s.text, ["fuzzy"]
        elif old is not None:  # no machine output now: keep whatever draft was there
            entry.msgstr, entry.flags = old.msgstr, list(old.flags)
        entries.append(entry)
    kept = {e.msgctxt for e in entries}
    used_sources = {e.msgid for e in entries}
    for old in po:
        if old.msgctxt not in kept and old.msgid not in used_sources and old.msgstr.strip():
            old.obsolete = True
            entries.append(old)
    new = polib.POFile(wrapwidth=0)
    new.metadata = po.metadata
    new.header = po.header or f"Translation {source_lang} -> {lang}; clear `fuzzy` to approve an entry."
    new.extend(entries)
    atomic_write_text(path, new.__unicode__())
    return path
