"""The human review loop in gettext PO files: msgctxt = sentence id, msgid = source, msgstr = translation.

Machine output is written `fuzzy`, and the machine text is recorded beside it in an extracted comment
(`#. machine translation [model]: ...`, which PO editors show as a note for translators). A msgstr that differs from
the machine text it came from is a translator's work: re-runs and model upgrades keep it (fuzzy if it was) and only
refresh the suggestion beside it. Clearing `fuzzy` approves an entry; only approved entries go on air.

A file is read and checked whole before it is used or written (charset, closed strings, control characters, its
Language header, duplicate entries), and written only when its content changes: an unchanged run leaves a file a
PO editor saved byte for byte as it was.
"""

from __future__ import annotations

import codecs
import copy
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polib

from pipeline.errors import PipelineError
from pipeline.files import atomic_write_text
from pipeline.segment import normalise

MACHINE_NOTE = "machine translation [{model}]: {text}"
_MACHINE_NOTE = re.compile(r"^machine translation \[(.*?)\]: (.*)$", re.S)
ELSEWHERE_NOTE = "approved in another file: {text}"
CHECKS_NOTE = "the machine translation failed the checks: {problems}"
# Where a note line starts; any other line continues the one before (msgcat and PO editors wrap long comments).
_NOTE_START = re.compile(r"^(paragraph \d+$|headline$|machine translation \[|approved in another file: |"
                         r"the machine translation failed the checks: )")


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


# --- reading and checking ---------------------------------------------------------------------------------------

# A keyword line or a continuation line: the whole string quoted, every inner quote escaped.
_STRING_LINE = re.compile(r'(#~\s*)?(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)?\s*"([^"\\]|\\.)*"')
_CHARSET = re.compile(rb'"?Content-Type:.+? charset=([\w_\-:\.]+)')  # polib's own pattern
_UTF8 = codecs.lookup("utf-8").name


def _decode(data: bytes, path: Path) -> str:
    """The file's text in its declared charset. UTF-8 text under another declared charset is refused: read as
    declared, it would air as mojibake (polib and msgfmt would both trust the header)."""
    match = _CHARSET.search(data)
    declared = match.group(1).decode("ascii") if match else "UTF-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        codec = None  # gettext's template placeholder "CHARSET", or a typo: fine while the text is UTF-8
    fix = "save the file as UTF-8 with `charset=UTF-8` in its Content-Type header (any PO editor does)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if codec not in (None, _UTF8) and not data.isascii():
            raise PipelineError(f"PO file {path} declares charset={declared} but its text is UTF-8", fix)
        return text.removeprefix("\ufeff")
    if codec in (None, _UTF8):
        raise PipelineError(f"PO file {path} is not valid UTF-8 text", fix)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise PipelineError(f"PO file {path} is not valid {declared} text ({exc.reason} at byte {exc.start})",
                            fix) from None


def _check_strings(text: str, path: Path) -> None:
    """polib reads an unterminated string by dropping its last character (so "...이유 would air as "...이"):
    check every string line is closed before trusting the file."""
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith(("msg", '"', "#~ msg", '#~ "')) and not _STRING_LINE.fullmatch(line):
            raise PipelineError(f"PO file {path} line {n}: the string is not closed or has an unescaped quote",
                                'close it with a " (write a quote inside as \\"), or open the file in a PO editor')


def _bad_char(text: str) -> str | None:
    """A character no speech engine, subtitle or feed can carry: controls (tab and newline aside), noncharacters."""
    for ch in text:
        if ch not in "\t\n" and unicodedata.category(ch) in ("Cc", "Cs") or unicodedata.category(ch) == "Cn" and (
                0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE):
            return ch
    return None


def _base(code: str) -> list[str]:
    return code.strip().lower().replace("_", "-").replace("@", "-").split("-")


def same_language(header: str, lang: str) -> bool:
    """A PO Language header (ko, ko_KR, zh_TW) names LANG: same language, and the same region when both have one."""
    a, b = _base(header), _base(lang)
    return a[0] == b[0] and (len(a) == 1 or len(b) == 1 or a[1:] == b[1:])


def _check(po: polib.POFile, path: Path, lang: str | None, source_lang: str | None) -> None:
    where = f"PO file {path}"
    declared = po.metadata.get("Language", "").strip()
    if lang and declared and not same_language(declared, lang):
        raise PipelineError(f"{where} is a {declared} translation (its Language header) but is used for {lang}",
                            f"name the file for {declared}, or correct its Language header to {lang}")
    declared = po.metadata.get("X-Source-Language", "").strip()
    if source_lang and declared and not same_language(declared, source_lang):
        raise PipelineError(f"{where} translates from {declared} (its X-Source-Language header), but the article "
                            f"is in {source_lang}", "use the PO file made for this article")
    seen: dict[tuple, int] = {}
    for entry in po:
        strings = [entry.msgctxt or "", entry.msgid, entry.msgstr, entry.msgid_plural or "",
                   *entry.msgstr_plural.values()]
        if bad := next(filter(None, map(_bad_char, strings)), None):
            kind = "a noncharacter" if unicodedata.category(bad) == "Cn" else "a control character"
            what = f"U+{ord(bad):04X} ({kind})"
            raise PipelineError(f"{where} line {entry.linenum}: entry {_clip(entry.msgid)!r} holds {what}, which "
                                "cannot be spoken, subtitled or published", "delete that character in a PO editor")
        if not entry.obsolete:
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                raise PipelineError(f"{where} line {entry.linenum}: a second entry for {_clip(entry.msgid)!r} "
                                    f"(context {entry.msgctxt!r}; the first is at line {seen[key]})",
                                    "keep one of the two (msgfmt refuses duplicates too)")
            seen[key] = entry.linenum


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _open(path: Path, lang: str | None = None, source_lang: str | None = None) -> polib.POFile:
    try:
        text = _decode(path.read_bytes(), path)
        _check_strings(text, path)
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise PipelineError(f"cannot read PO file {path}: {exc}", "fix or remove the file") from None
    _check(po, path, lang, source_lang)
    return po


def is_approved(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr.strip()) and "fuzzy" not in entry.flags and not entry.obsolete


def load_approved(paths: Iterable[Path], *, lang: str | None = None, source_lang: str | None = None) -> Approved:
    """Approved entries of PO files (each checked whole first); a later file wins over an earlier one."""
    approved = Approved()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise PipelineError(f"no such PO file: {path}")
        for entry in _open(path, lang, source_lang):
            if is_approved(entry):
                if entry.msgctxt:
                    approved.by_id[entry.msgctxt] = (entry.msgid, entry.msgstr)
                approved.by_source[entry.msgid] = entry.msgstr
    return approved


# --- writing ------------------------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    """One line, whitespace runs as single spaces: a note as it reads after any re-wrapping."""
    return " ".join(text.split())


def _comment_lines(entry: polib.POEntry) -> list[str]:
    """The extracted comment as logical lines, however a tool wrapped them."""
    lines: list[str] = []
    for line in (entry.comment or "").splitlines():
        if lines and not _NOTE_START.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return [_flat(line) for line in lines]


def machine_note(entry: polib.POEntry) -> str | None:
    """The machine text recorded beside an entry, if any."""
    for line in _comment_lines(entry):
        if m := _MACHINE_NOTE.match(line):
            return m.group(2)
    return None


def _notes(entry: polib.POEntry) -> list[str]:
    """The suggestion lines of an entry's extracted comment (machine text, approvals elsewhere)."""
    return [line for line in _comment_lines(entry)
            if _NOTE_START.match(line) and not line.startswith(("paragraph", "headline"))]


def is_human(entry: polib.POEntry, machine_now: str | None) -> bool:
    """A non-empty msgstr that is not the machine text it came from: a translator wrote or edited it. With no
    record (a file from an older version, or filled by hand), only the current machine text counts as machine."""
    if not entry.msgstr.strip():
        return False
    recorded = machine_note(entry)
    machine = recorded if recorded is not None else machine_now
    return machine is None or _flat(entry.msgstr) != _flat(machine)


def _merged(s, old: polib.POEntry | None) -> polib.POEntry:
    """One sentence's entry, from the sentence (TranslatedSentence) and the file's entry for it (or None)."""
    entry = polib.POEntry(msgctxt=s.id, msgid=s.source)
    machine = s.text if s.origin == "machine" else None
    notes = [MACHINE_NOTE.format(model=s.model or "?", text=_flat(machine))] if machine is not None else []
    if machine is not None and s.problems:  # why this draft may not air (--air checked)
        notes.append(CHECKS_NOTE.format(problems="; ".join(s.problems)))
    flags: list[str] = []
    if old is not None:
        entry.tcomment, entry.occurrences = old.tcomment, old.occurrences
        flags = [f for f in old.flags if f != "fuzzy"]
    same_source = old is not None and normalise(old.msgid) == normalise(s.source)
    if old is not None and is_approved(old) and same_source:  # approved: the machine never touches it
        entry.msgstr, notes = old.msgstr, _notes(old)  # (notes as they were: approving alone changes nothing)
    elif old is not None and is_human(old, machine) and not (
            s.origin == "approved" and _flat(old.msgstr) == _flat(s.text)):
        # A translator's text: kept as it is, the new suggestion beside it.
        entry.msgstr, flags = old.msgstr, [*flags, "fuzzy"]
        # Approved for an earlier source (an edited headline): fuzzy again, with the old source shown, as msgmerge does.
        entry.previous_msgid = old.previous_msgid or (None if same_source else old.msgid)
        if s.origin == "approved":
            notes = [ELSEWHERE_NOTE.format(text=_flat(s.text))]
        notes = notes or _notes(old)
    elif s.origin == "approved":  # approved in another file (beside the article, --approved)
        entry.msgstr, notes = s.text, []
    elif machine is not None:
        entry.msgstr, flags = machine, [*flags, "fuzzy"]
    elif old is not None:  # no machine output now: keep whatever draft was there
        entry.msgstr, flags, notes = old.msgstr, list(old.flags), _notes(old)
    entry.flags = flags
    entry.comment = "\n".join(["headline" if s.paragraph < 0 else f"paragraph {s.paragraph + 1}", *notes])
    return entry


def _content(po: polib.POFile) -> tuple:
    """What a PO file says, whatever its line wrapping; the revision date aside (it changes with every write)."""
    meta = {k: v for k, v in po.metadata.items() if k != "PO-Revision-Date"}
    return meta, po.header, [
        (e.msgctxt, e.msgid, e.msgstr, e.msgid_plural, e.msgstr_plural, sorted(e.flags), _flat(e.comment), e.tcomment,
         e.previous_msgctxt, e.previous_msgid, e.occurrences, e.obsolete) for e in po]


def merge(path: Path, sentences: Sequence, lang: str, source_lang: str) -> bool:
    """Write or update PATH with SENTENCES (TranslatedSentence): approved entries, translators' text and comments are
    kept, machine drafts follow the machine, entries no longer in the article turn obsolete (their work is kept for
    later). Returns whether the file was written (only when its content changed)."""
    path = Path(path)
    old = _open(path, lang, source_lang) if path.exists() else None
    po = old if old is not None else polib.POFile(wrapwidth=0)
    live_last = sorted(po, key=lambda e: not e.obsolete)  # a live entry wins over an obsolete one of the same key
    by_id = {e.msgctxt: e for e in live_last if e.msgctxt}
    by_source = {e.msgid: e for e in live_last}
    # A sentence said twice in one paragraph has one id: one entry (a PO file holds each context + msgid once).
    unique = {(s.id, s.source): s for s in sentences}
    entries = [_merged(s, by_id.get(s.id) or by_source.get(s.source)) for s in unique.values()]
    kept = {e.msgctxt for e in entries}
    used_sources = {e.msgid for e in entries}
    for entry in po:
        if entry.msgctxt not in kept and entry.msgid not in used_sources and entry.msgstr.strip():
            gone = copy.copy(entry)  # a copy: OLD must still say what the file says, for the no-change test below
            gone.obsolete = True
            entries.append(gone)
    new = polib.POFile(wrapwidth=0)
    new.metadata = {
        "Project-Id-Version": "pipeline", "PO-Revision-Date": "", "Last-Translator": "", "Language-Team": "",
        "Language": lang, "MIME-Version": "1.0", "Content-Transfer-Encoding": "8bit", **po.metadata,
        "Content-Type": "text/plain; charset=UTF-8",  # written as UTF-8, whatever the file was before
        "X-Source-Language": source_lang,
    }
    new.header = po.header or f"Translation {source_lang} -> {lang}; clear `fuzzy` to approve an entry."
    new.extend(entries)
    if old is not None and _content(old) == _content(new):
        return False
    new.metadata["PO-Revision-Date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    atomic_write_text(path, new.__unicode__())
    return True
