"""Translate stage: segments -> Translation, sentence by sentence, approved human work first, machine for the rest.

Order of precedence per sentence: approved PO entry (not fuzzy, non-empty) > cached machine output > inference
through a back end (pipeline.translate.backends: direct, or pivoting through English). Machine output is checked
sentence by sentence (pipeline.translate.checks); `air` decides what may go on air:

- "checked" (default): approved text, else machine text that passes the checks; a failing sentence refuses the
  language (the review PO is still written, so the translator has the list);
- "flagged": machine text airs even when it fails the checks, flagged in the Translation (and so in the summary,
  the manifest and the report);
- "all-approved": only approved text, and every sentence must have it (`--require-approved`);
- "approved-only": only approved text; sentences without it are left out of the programme and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pipeline.cache import Cache, key
from pipeline.errors import PipelineError
from pipeline.segment import by_paragraph

ORIGINS = ("approved", "machine", "source")
AIR = ("checked", "flagged", "all-approved", "approved-only")


@dataclass(frozen=True)
class TranslatedSentence:
    id: str
    paragraph: int
    source: str
    text: str
    origin: str  # "approved" | "machine" | "source"
    model: str | None = None
    problems: tuple[str, ...] = ()  # what the checks found wrong with machine output


@dataclass(frozen=True)
class Translation:
    lang: str
    source_lang: str
    sentences: tuple[TranslatedSentence, ...]  # what airs, in order
    left_out: tuple[TranslatedSentence, ...] = ()  # not approved, kept off the air (air="approved-only")
    air: str = "checked"

    def unapproved(self) -> tuple[TranslatedSentence, ...]:
        return tuple(s for s in self.sentences if s.origin == "machine")

    def flagged(self) -> tuple[TranslatedSentence, ...]:
        return tuple(s for s in self.sentences if s.problems)

    def paragraphs(self) -> tuple[str, ...]:
        """Sentences joined back into paragraphs (no spaces between sentences in Chinese and Japanese)."""
        joiner = "" if self.lang.split("-")[0] in ("zh", "ja") else " "
        return tuple(joiner.join(s.text for s in group) for _, group in by_paragraph(self.sentences))

    def to_dict(self) -> dict:
        return {"lang": self.lang, "source_lang": self.source_lang, "air": self.air,
                "sentences": [asdict(s) for s in self.sentences], "left_out": [asdict(s) for s in self.left_out]}


# Where approved translations come from, for every command that translates.
_APPROVE = ("a PO file `<article>.<lang>.po` beside the article or `<slug>.<lang>.po` in `--review DIR` (run, batch), "
            "or `--approved FILE.po` (translate)")


def _clip(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _describe(sentences: Sequence[TranslatedSentence], limit: int = 3) -> str:
    def one(s: TranslatedSentence) -> str:
        why = f" ({'; '.join(s.problems)})" if s.problems else ""
        return f"{s.id} {_clip(s.source)!r}{why}"

    more = f" and {len(sentences) - limit} more" if len(sentences) > limit else ""
    return f"{len(sentences)} sentence(s): {'; '.join(map(one, sentences[:limit]))}{more}"


def translate(
    segments: Sequence,
    lang: str,
    *,
    source_lang: str = "en",
    approved: Sequence[Path] = (),
    review: Path | None = None,
    air: str = "checked",
    glossary: Path | None = None,
    cache_dir: Path | None = None,
    translators: Sequence | None = None,
) -> Translation:
    """Translate SEGMENTS (pipeline.segment.Segment) into LANG. `translators`: back ends to use (default: the
    ones pipeline.translate.backends.load() names)."""
    if air not in AIR:
        raise PipelineError(f"unknown --air {air!r}", f"use one of {', '.join(AIR)}")
    if lang == source_lang:
        return Translation(lang, source_lang, tuple(
            TranslatedSentence(s.id, s.paragraph, s.text, s.text, "source") for s in segments), air=air)

    from pipeline.translate import backends, checks
    from pipeline.translate import review as po

    # Every PO file is read and checked whole before anything is written.
    sources = [*approved, *([review] if review and Path(review).exists() else [])]
    human = po.load_approved(sources, lang=lang, source_lang=source_lang)
    done: dict[int, TranslatedSentence] = {}
    for i, s in enumerate(segments):
        if (t := human.get(s.id, s.text)) is not None:
            done[i] = TranslatedSentence(s.id, s.paragraph, s.text, t, "approved")
    missing = [i for i in range(len(segments)) if i not in done]

    # Machine drafts are wanted where machine text may air, or for the translator's review file.
    wanted = missing and (review or air not in ("all-approved", "approved-only"))
    route = backends.route(source_lang, lang, translators) if wanted else None
    if route:
        results = _machine([segments[i].text for i in missing], route, glossary, cache_dir)
        for i, t in zip(missing, results):
            s = segments[i]
            done[i] = TranslatedSentence(s.id, s.paragraph, s.text, t, "machine", route.id,
                                         checks.problems(s.text, t, lang))
    # A sentence with no translation at all goes in the review file with an empty msgstr, for a translator to fill.
    every = [done.get(i) or TranslatedSentence(s.id, s.paragraph, s.text, "", "source")
             for i, s in enumerate(segments)]
    if review:
        po.merge(Path(review), every, lang, source_lang)
    return _decide(every, lang, source_lang, air, route, review)


def _decide(every: list[TranslatedSentence], lang: str, source_lang: str, air: str, route, review) -> Translation:
    """What airs under AIR, or a PipelineError saying why nothing does and what the producer can do."""
    unapproved = [s for s in every if s.origin != "approved"]
    approved = [s for s in every if s.origin == "approved"]
    fix_approve = f"edit {review} and clear `fuzzy`" if review else _APPROVE
    if air == "all-approved" and unapproved:
        raise PipelineError(f"only approved text may air (--air all-approved, --require-approved): "
                            f"{_describe(unapproved)} not approved", f"approve them: {fix_approve}")
    if air == "approved-only":
        if not approved:
            raise PipelineError(f"--air approved-only: no sentence of the article has an approved {lang} translation",
                                f"approve some: {fix_approve}")
        return Translation(lang, source_lang, tuple(approved),
                           tuple(replace(s, text="", origin="source") for s in unapproved), air)
    if unapproved and not route:
        partial = (f"; or run with `--air approved-only` to air the {len(approved)} approved sentence(s) alone, "
                   "the rest left out and reported") if approved else ""
        raise PipelineError(
            f"no {source_lang} -> {lang} translation for {_describe(unapproved)}: "
            f"no model installed for {source_lang} -> {lang} (direct or through English)",
            f"install one (`pipeline models install {source_lang} {lang}`, or `--file`/`--dir` offline) "
            f"or approve a translation of each: {_APPROVE}{partial}")
    flagged = [s for s in every if s.problems]
    if air == "checked" and flagged:
        raise PipelineError(
            f"machine translation into {lang} ({route.id}) failed the checks for {_describe(flagged)}",
            f"approve a translation of each ({fix_approve}), use a better model, or run with `--air flagged` to air "
            "them marked as failing (summary, manifest, report)")
    return Translation(lang, source_lang, tuple(every), air=air)


def _machine(texts: list[str], route, glossary_path: Path | None, cache_dir: Path | None) -> list[str]:
    from pipeline.translate import glossary as glossary_mod

    gloss = glossary_mod.load(glossary_path)
    # The run's cache (`cache.Cache`: checksummed entries, first writer wins); CACHE_DIR is its translate/ area.
    store = Cache(Path(cache_dir)) if cache_dir is not None else None
    keys = [key(CACHE_VERSION, t, route.cache_key(), gloss.version) for t in texts]
    out: list[str | None] = [_cached(store, k) for k in keys]
    todo = [i for i, t in enumerate(out) if t is None]
    if todo:
        protected = [gloss.protect(texts[i]) for i in todo]
        done = route.translate([p for p, _ in protected])
        restored = [gloss.restore(t, targets) for t, (_, targets) in zip(done, protected)]
        lost = [k for k, r in enumerate(restored) if r is None]
        if lost:  # the model dropped a placeholder: a plain translation beats a garbled one
            for k, t in zip(lost, route.translate([texts[todo[k]] for k in lost])):
                restored[k] = t
        for i, t in zip(todo, restored):
            out[i] = t
            if store is not None:
                store.put_json(_AREA, keys[i], {"text": t})
    return [t or "" for t in out]


CACHE_VERSION = "3"  # 3: entries kept by cache.Cache (checksummed)
_AREA = ""  # the entries sit right in CACHE_DIR (the run's <cache>/translate/)


def _cached(store: Cache | None, k: str) -> str | None:
    text = (store.get_json(_AREA, k) or {}).get("text") if store is not None else None
    return text if isinstance(text, str) else None
