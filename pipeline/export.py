"""Deliverables around a mastered programme: safe names, ID3 tags, transcript, subtitles, manifest."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.files import atomic_write_text, sha256

if TYPE_CHECKING:
    from pipeline.audio.master import Programme

# --- names ------------------------------------------------------------------

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slug(title: str, max_len: int = 80) -> str:
    """A safe, readable single path component for any title: lowercase ASCII letters, digits and '-'.

    Non-Latin titles are transliterated (anyascii: Hangul to romanised syllables, CJK to pinyin, ...) rather than
    kept, because station playout systems, FTP servers and old Windows tools still mangle non-ASCII names. A title
    with nothing transliterable gets 'untitled-' plus a short hash of the title, so different titles stay apart.
    """
    from anyascii import anyascii

    if max_len < 20:
        raise ValueError("max_len must be at least 20")
    text = anyascii(unicodedata.normalize("NFKC", title)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_len:
            out = out or word[:max_len]  # a single huge word: cut it
            break
        out = candidate
    if not out or out in _WINDOWS_RESERVED:
        digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        out = f"{(out or 'untitled')[:max_len - 9].rstrip('-')}-{digest}"
    return out


@dataclass(frozen=True)
class Layout:
    """Where one article in one language goes: `<root>/<slug>/<lang>/<slug>.<lang>.<ext>`."""

    folder: Path
    audio: Path  # the programme in the profile's format
    transcript: Path
    srt: Path
    vtt: Path
    podcast: Path  # what a feed and a browser play: the programme itself when it is MP3, else an MP3 beside it


def layout(root: Path, slug_: str, lang: str, audio_suffix: str = ".mp3") -> Layout:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug_):
        raise PipelineError(f"'{slug_}' is not a slug", "make it with export.slug(title)")
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        raise PipelineError(f"'{lang}' is not a language code", "use an ISO 639 code such as 'ko' or 'en-US'")
    folder = Path(root) / slug_ / lang
    stem = f"{slug_}.{lang}"
    return Layout(folder, folder / f"{stem}{audio_suffix}", folder / f"{stem}.txt", folder / f"{stem}.srt",
                  folder / f"{stem}.vtt", folder / f"{stem}.mp3")


def write_sidecars(where: Layout, text: str, cues: Sequence[Cue]) -> list[Path]:
    """Write the transcript, SRT and VTT next to the audio, each atomically."""
    return [atomic_write_text(where.transcript, text), atomic_write_text(where.srt, srt(cues)),
            atomic_write_text(where.vtt, vtt(cues))]


# --- tags ---------------------------------------------------------------------

# ISO 639-1 -> ISO 639-2 (terminology codes, which equal ISO 639-3) for the languages a station is likely to use.
_ISO639_2 = {
    "ar": "ara", "bn": "ben", "de": "deu", "en": "eng", "es": "spa", "fa": "fas", "fr": "fra", "he": "heb",
    "hi": "hin", "id": "ind", "it": "ita", "ja": "jpn", "km": "khm", "ko": "kor", "lo": "lao", "mn": "mon",
    "ms": "msa", "my": "mya", "nl": "nld", "pl": "pol", "pt": "por", "ru": "rus", "sw": "swa", "th": "tha",
    "tl": "tgl", "tr": "tur", "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "zh": "zho",
}


def iso639_2(lang: str) -> str:
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code in _ISO639_2:
        return _ISO639_2[code]
    if re.fullmatch(r"[a-z]{3}", code):
        return code
    raise PipelineError(f"unknown language code '{lang}' for the ID3 language tag",
                        "use a 3-letter ISO 639-2 code such as 'kor'")


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str = ""  # the station or author
    album: str = ""  # the series or programme name
    language: str = ""  # ISO 639-1 or 639-2; written as ISO 639-2 in TLAN
    date: str = ""  # ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD (written as TYER and TDAT)
    comment: str = ""
    lyrics: str = ""  # the transcript, written as USLT


def write_tags(path: Path, tags: Tags) -> None:
    """Replace the file's ID3 tag with `tags`, saved as ID3v2.3 (what most players and playout systems read).

    Text is stored as UTF-16, the only Unicode encoding ID3v2.3 has (Korean needs it). The date goes into TYER
    (year) and TDAT (DDMM), the v2.3 frames: mutagen would write TDRC, a v2.4 frame v2.3 readers ignore."""
    from mutagen.id3 import COMM, ID3, TALB, TDAT, TIT2, TLAN, TPE1, TYER, USLT

    lang = iso639_2(tags.language) if tags.language else "und"
    tag = ID3()
    tag.add(TIT2(encoding=1, text=tags.title))
    if tags.artist:
        tag.add(TPE1(encoding=1, text=tags.artist))
    if tags.album:
        tag.add(TALB(encoding=1, text=tags.album))
    if tags.language:
        tag.add(TLAN(encoding=1, text=lang))
    if tags.date:
        date = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", tags.date)
        if not date:
            raise PipelineError(f"date '{tags.date}' is not YYYY, YYYY-MM or YYYY-MM-DD", "fix the article date")
        year, month, day = date.groups()
        tag.add(TYER(encoding=0, text=year))  # digits: Latin-1, which every reader takes
        if day:
            tag.add(TDAT(encoding=0, text=f"{day}{month}"))
    if tags.comment:
        tag.add(COMM(encoding=1, lang=lang, desc="", text=tags.comment))
    if tags.lyrics:
        tag.add(USLT(encoding=1, lang=lang, desc="", text=tags.lyrics))
    try:
        tag.save(str(path), v2_version=3)
    except Exception as exc:  # mutagen raises its own error types for unreadable files
        raise PipelineError(f"cannot write tags to {path}: {exc}", "check that it is an MP3 file") from exc


# --- transcript and subtitles -------------------------------------------------

Cue = tuple[float, float, str]
SUBTITLE_LINE = 42  # characters per line, two lines per cue: common broadcast subtitle practice


def transcript(paragraphs: Sequence[Sequence[str]], title: str | None = None) -> str:
    """Plain text: optional title, then one paragraph per block (its sentences joined by spaces)."""
    blocks = [title.strip()] if title else []
    blocks += [" ".join(s.strip() for s in para if s.strip()) for para in paragraphs]
    return "\n\n".join(b for b in blocks if b) + "\n"


def _clean(text: str) -> str:
    return " ".join(text.replace("-->", "->").split())


def split_cues(cues: Iterable[Cue], line: int = SUBTITLE_LINE) -> list[Cue]:
    """Cues of at most two lines: a long sentence becomes as few cues as fit, its time shared by characters."""
    result: list[Cue] = []
    for start, end, text in cues:
        if not (_finite(start) and _finite(end)) or start < 0 or end < start:
            raise PipelineError(f"bad subtitle timing {start}-{end} for '{text[:30]}'", "this is a bug in timings")
        chunks = cue_texts(text, line)
        weights = [max(1, len(c)) for c in chunks]
        t = start
        for chunk, w in zip(chunks, weights):
            t_end = t + (end - start) * w / sum(weights)
            result.append((t, t_end, chunk))
            t = t_end
    return result


# A token is (text, preceded by a space). Words longer than a line (Chinese and Japanese have no spaces) are cut
# into characters, which join without one.
_Token = tuple[str, bool]


def _tokens(text: str, line: int) -> list[_Token]:
    out: list[_Token] = []
    for word in _clean(text).split(" "):
        if len(word) <= line:
            out.append((word, bool(out)))
        else:
            out += [(ch, bool(out) and i == 0) for i, ch in enumerate(word)]
    return [t for t in out if t[0]]


def _width(tokens: Sequence[_Token]) -> int:
    return sum(len(t) for t, _ in tokens) + sum(1 for _, space in tokens[1:] if space)


def _join(tokens: Sequence[_Token]) -> str:
    return "".join((" " if space and i else "") + t for i, (t, space) in enumerate(tokens))


def cue_texts(text: str, line: int = SUBTITLE_LINE) -> list[str]:
    """The cues of one sentence: as few as hold it in two lines of `line` characters, the words shared out evenly
    among them (least squares of their lengths), and each cue's two lines balanced. Filling lines greedily instead
    leaves a lone last word as a cue of its own that flashes by in a fraction of a second."""
    return list(_cue_texts(text, line))


@functools.lru_cache(maxsize=4096)  # SRT and WebVTT split the same sentences
def _cue_texts(text: str, line: int) -> tuple[str, ...]:
    tokens = _tokens(text, line)
    if not tokens:
        return ("",)
    cues = -(-len(textwrap.wrap(_join(tokens), line, break_long_words=True)) // 2)
    while True:
        groups = _share(tokens, max(1, cues))
        texts = [_two_lines(g, line) for g in groups]
        if all(t is not None for t in texts):
            return tuple(texts)
        cues += 1


def _share(tokens: Sequence[_Token], k: int) -> list[list[_Token]]:
    """Split tokens into k consecutive groups, minimising the sum of squared widths (dynamic programming)."""
    n = len(tokens)
    k = min(k, n)
    inf = float("inf")
    # Prefix sums make a group's width O(1): a Chinese sentence is ~100 character tokens, and slicing made this cubic.
    chars, spaces = [0], [0]
    for t, space in tokens:
        chars.append(chars[-1] + len(t))
        spaces.append(spaces[-1] + space)

    def width(i: int, j: int) -> int:  # == _width(tokens[i:j]): the first token's space is not counted
        return chars[j] - chars[i] + spaces[j] - spaces[i + 1]

    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for g in range(1, k + 1):
        for j in range(g, n + 1):
            for i in range(g - 1, j):
                if best[g - 1][i] < inf:
                    cost = best[g - 1][i] + width(i, j) ** 2
                    if cost < best[g][j]:
                        best[g][j], cut[g][j] = cost, i
    groups, j = [], n
    for g in range(k, 0, -1):
        i = cut[g][j]
        groups.append(list(tokens[i:j]))
        j = i
    return groups[::-1]


def _two_lines(tokens: Sequence[_Token], line: int) -> str | None:
    """One line when it fits, else the most even split into two that both fit; None when two lines cannot hold it."""
    if _width(tokens) <= line:
        return _join(tokens)
    splits = [(max(_width(tokens[:i]), _width(tokens[i:])), i) for i in range(1, len(tokens))]
    fits = [(w, i) for w, i in splits if w <= line]
    if not fits:
        return None
    i = min(fits)[1]
    return f"{_join(tokens[:i])}\n{_join(tokens[i:])}"


def _finite(x: float) -> bool:
    return x == x and x not in (float("inf"), float("-inf"))


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def srt(cues: Iterable[Cue]) -> str:
    parts = [f"{i}\n{_stamp(a, ',')} --> {_stamp(b, ',')}\n{text}\n"
             for i, (a, b, text) in enumerate(split_cues(cues), 1)]
    return "\n".join(parts)


def vtt(cues: Iterable[Cue]) -> str:
    def escape(t: str) -> str:
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    parts = [f"{_stamp(a, '.')} --> {_stamp(b, '.')}\n{escape(text)}\n" for a, b, text in split_cues(cues)]
    return "WEBVTT\n\n" + "\n".join(parts)


# --- manifest -----------------------------------------------------------------


def file_entry(path: Path, root: Path, programme: Programme | None = None) -> dict:
    """A manifest entry: path relative to `root` (the manifest's folder), size, sha256, and for a mastered programme
    the measured facts that prove it meets its profile."""
    path, root = Path(path).resolve(), Path(root).resolve()
    if not path.is_relative_to(root):
        raise PipelineError(f"{path} is outside the manifest folder {root}", "write outputs under the output folder")
    entry = {"path": path.relative_to(root).as_posix(), "bytes": path.stat().st_size, "sha256": sha256(path)}
    if programme is not None:
        entry.update({
            "duration_s": programme.duration,
            "sample_rate": programme.sample_rate,
            "channels": programme.channels,
            "bitrate_kbps": programme.bitrate_kbps,
            "loudness_lufs": programme.loudness_lufs,
            "true_peak_dbtp": programme.true_peak_dbtp,
            "profile": programme.profile,
            "target_lufs": programme.target_lufs,
            "tolerance_lu": programme.tolerance_lu,
            "ceiling_dbtp": programme.ceiling_dbtp,
            "passed": programme.passed,
        })
    return entry


def write_manifest(path: Path, entries: Sequence[Mapping], extra: Mapping | None = None) -> Path:
    """Write `{"manifest_version": 1, **extra, "files": [...]}` atomically. Call it last, once every file exists."""
    data = {"manifest_version": 1, **(extra or {}), "files": list(entries)}
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
