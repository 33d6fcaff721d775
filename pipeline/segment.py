"""Segment stage: paragraphs -> sentences with stable ids.

One interface over well-kept splitters: pysbd (rule-based, 23 languages, handles abbreviations such as "U.S.",
"Mr.", "No. 5", decimals and quotations) and Kiwi for Korean. kss was the first choice for Korean but takes ~4 s
to import (it loads all its modules eagerly); Kiwi loads in ~1 s, once per process, ships its model in a wheel and
keeps quoted speech ("...가자."라고) in one sentence. Other languages fall back to sentencex (Wikimedia, ~300 languages).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from pipeline.article import Article

T = TypeVar("T")
_PYSBD = {"am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr", "my",
          "nl", "pl", "ru", "sk", "ur", "zh"}


@dataclass(frozen=True)
class Segment:
    id: str
    paragraph: int
    text: str


def normalise(text: str) -> str:
    """The form a sentence is identified by: NFC, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def segment_id(text: str, paragraph: int) -> str:
    return hashlib.sha256(f"{paragraph}\n{normalise(text)}".encode()).hexdigest()[:16]


Splitter = Callable[[str, str], list[str]]


def segment(article: Article, split: Splitter | None = None) -> tuple[Segment, ...]:
    """`split`: split_sentences, or a caller's memo of it (`pipeline.run` keeps one in the cache, keyed by `stamp`)."""
    split = split or split_sentences
    return tuple(
        Segment(segment_id(sentence, index), index, sentence)
        for index, paragraph in enumerate(article.paragraphs)
        for sentence in split(paragraph, article.language)
    )


def by_paragraph(sentences: Iterable[T], index: Callable[[T], int] = attrgetter("paragraph")) -> list[tuple[int, list[T]]]:
    """Sentences (segments, translated sentences, manifest records with `index`) grouped by paragraph, in
    paragraph order: the headline's (-1) first. The one grouping every stage uses (transcript, text output, report)."""
    groups: dict[int, list[T]] = {}
    for s in sentences:
        groups.setdefault(index(s), []).append(s)
    return sorted(groups.items(), key=lambda group: group[0])


def with_headline(article: Article, split: Splitter | None = None) -> tuple[Segment, ...]:
    """What a programme reads: the headline first, a segment of its own (id and PO context "title") so that it is
    translated and reviewed like any sentence, then the body."""
    return (Segment(id="title", paragraph=-1, text=article.title), *segment(article, split))


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one paragraph, each normalised; joined they give the paragraph back (modulo whitespace)."""
    text = normalise(text)
    if not text:
        return []
    base = _base(lang)
    if base == "ko":
        parts = [s.text for s in _kiwi().split_into_sents(text)]
    elif base in _PYSBD:
        parts = _pysbd(base).segment(text)
    else:
        import sentencex

        parts = list(sentencex.segment(base, text))
    sentences = _reattach([normalise(p) for p in parts if p.strip()])
    # A splitter that drops or rewrites text would silently lose words on air: refuse to trust it.
    return sentences if is_split_of(sentences, text) else [text]


def is_split_of(sentences: list[str], text: str) -> bool:
    return re.sub(r"\s+", "", "".join(sentences)) == re.sub(r"\s+", "", text)


def _base(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


def stamp(lang: str) -> tuple:
    """What a paragraph's sentences depend on besides its text and `lang`: this module's code and the splitter's
    package files (path, size, change time: an upgrade changes them). A memo keyed by it is never stale."""
    base = _base(lang)
    packages = ("kiwipiepy", "kiwipiepy_model") if base == "ko" else ("pysbd",) if base in _PYSBD else ("sentencex",)
    return _stamp(base, packages)


@functools.cache
def _stamp(base: str, packages: tuple[str, ...]) -> tuple:
    import importlib.util
    import os

    from pipeline import dists

    with open(__file__, "rb") as f:
        parts: list = [base, hashlib.sha256(f.read()).hexdigest()]
    for name in packages:
        spec = importlib.util.find_spec(name)  # finds the package, does not import it
        origin = spec.origin if spec and spec.origin and os.path.isfile(spec.origin) else None
        st = os.stat(origin) if origin else None
        parts.append((name, dists.version(name), origin, st and st.st_size, st and st.st_mtime_ns))
    return tuple(parts)


_CLOSERS = "\"'”’」』）)]》〉»"


# A sentence ending in an abbreviation (3 p.m., D.C., Inc.) that may not end the sentence at all.
_ABBREVIATED_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St|No)\.$")


def _reattach(sentences: list[str]) -> list[str]:
    """Closing quotes and brackets split off the start of a sentence (pysbd does this in Chinese) go back, and so
    does a one-word piece split off after an abbreviation ("at 3 p.m. | Tuesday." is one sentence)."""
    out: list[str] = []
    for s in sentences:
        closers = len(s) - len(s.lstrip(_CLOSERS)) if out else 0
        if closers and not s.startswith(("'", '"')) or (closers and len(s) == closers):
            out[-1] += s[:closers]
            s = s[closers:].lstrip()
        if s and out and _ABBREVIATED_END.search(out[-1]) and len(s.split()) < 2 and s.endswith("."):
            out[-1] += " " + s
        elif s:
            out.append(s)
    return out


@functools.cache
def _pysbd(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False)


@functools.cache
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=1)
