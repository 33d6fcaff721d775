"""Translate stage: segments -> Translation, sentence by sentence, approved human work first, machine for the rest.

Order of precedence per sentence: approved PO entry (not fuzzy, non-empty) > cached machine output > inference
(argos package through CTranslate2, direct or pivoting through English).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.files import atomic_write_text

ORIGINS = ("approved", "machine", "source")


@dataclass(frozen=True)
class TranslatedSentence:
    id: str
    paragraph: int
    source: str
    text: str
    origin: str  # "approved" | "machine" | "source"
    model: str | None = None


@dataclass(frozen=True)
class Translation:
    lang: str
    source_lang: str
    sentences: tuple[TranslatedSentence, ...]

    def unapproved(self) -> tuple[TranslatedSentence, ...]:
        return tuple(s for s in self.sentences if s.origin == "machine")

    def paragraphs(self) -> tuple[str, ...]:
        """Sentences joined back into paragraphs (no spaces between sentences in Chinese and Japanese)."""
        joiner = "" if self.lang.split("-")[0] in ("zh", "ja") else " "
        paras: dict[int, list[str]] = {}
        for s in self.sentences:
            paras.setdefault(s.paragraph, []).append(s.text)
        return tuple(joiner.join(paras[k]) for k in sorted(paras))

    def to_dict(self) -> dict:
        return {"lang": self.lang, "source_lang": self.source_lang,
                "sentences": [asdict(s) for s in self.sentences]}


# Where approved translations come from, for every command that translates.
_APPROVE = ("a PO file `<article>.<lang>.po` beside the article or `<slug>.<lang>.po` in `--review DIR` (run, batch), "
            "or `--approved FILE.po` (translate)")


def _clip(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _describe(sentences: Sequence, limit: int = 3) -> str:
    shown = "; ".join(f"{s.id} {_clip(getattr(s, 'source', s.text))!r}" for s in sentences[:limit])
    more = f" and {len(sentences) - limit} more" if len(sentences) > limit else ""
    return f"{len(sentences)} sentence(s): {shown}{more}"


def translate(
    segments: Sequence,
    lang: str,
    *,
    source_lang: str = "en",
    approved: Sequence[Path] = (),
    review: Path | None = None,
    require_approved: bool = False,
    glossary: Path | None = None,
    cache_dir: Path | None = None,
    settings=None,
) -> Translation:
    """Translate SEGMENTS (pipeline.segment.Segment) into LANG."""
    if lang == source_lang:
        return Translation(lang, source_lang, tuple(
            TranslatedSentence(s.id, s.paragraph, s.text, s.text, "source") for s in segments))

    from pipeline.translate import review as po

    sources = [*approved, *([review] if review and Path(review).exists() else [])]
    human = po.load_approved(sources)
    texts: dict[int, tuple[str, str, str | None]] = {}  # index -> (text, origin, model)
    for i, s in enumerate(segments):
        if (t := human.get(s.id, s.text)) is not None:
            texts[i] = (t, "approved", None)
    missing = [i for i in range(len(segments)) if i not in texts]

    from pipeline.translate import models

    chain = models.route(source_lang, lang) if missing else None
    if chain:
        results, model = _machine([segments[i].text for i in missing], chain, glossary, cache_dir, settings)
        texts.update({i: (t, "machine", model) for i, t in zip(missing, results)})

    result = Translation(lang, source_lang, tuple(
        TranslatedSentence(s.id, s.paragraph, s.text, *texts.get(i, ("", "machine", None)))
        for i, s in enumerate(segments)))
    if review:
        po.merge(Path(review), _for_review(result, texts), lang, source_lang)
    if require_approved and missing:
        raise PipelineError(
            f"--require-approved: {_describe([segments[i] for i in missing])} not approved",
            f"approve them: {'edit ' + str(review) + ' and clear `fuzzy`' if review else _APPROVE}")
    if missing and not chain:
        raise PipelineError(
            f"no {source_lang} -> {lang} translation for {_describe([segments[i] for i in missing])}: "
            f"no model installed for {source_lang} -> {lang} (direct or through English)",
            f"install one (`pipeline models install {source_lang} {lang}`, or `--file`/`--dir` offline) "
            f"or approve a translation of each: {_APPROVE}")
    return result


def _for_review(result: Translation, texts: dict) -> list[TranslatedSentence]:
    """Sentences with no translation at all go in with an empty msgstr, for a translator to fill."""
    return [s if i in texts else TranslatedSentence(s.id, s.paragraph, s.source, "", "source")
            for i, s in enumerate(result.sentences)]


def _machine(texts: list[str], chain, glossary_path: Path | None, cache_dir: Path | None,
             settings) -> tuple[list[str], str]:
    from pipeline.translate import engine
    from pipeline.translate import glossary as glossary_mod

    settings = settings or engine.EngineSettings()
    gloss = glossary_mod.load(glossary_path)
    model = " > ".join(p.model_id for p in chain)
    keys = [_cache_key(t, model, gloss.version, settings) for t in texts]
    out: list[str | None] = [_cache_get(cache_dir, k) for k in keys]
    todo = [i for i, t in enumerate(out) if t is None]
    if todo:
        protected = [gloss.protect(texts[i]) for i in todo]
        done = _run_chain(chain, [p for p, _ in protected], settings)
        restored = [gloss.restore(t, targets) for t, (_, targets) in zip(done, protected)]
        lost = [k for k, r in enumerate(restored) if r is None]
        if lost:  # the model dropped a placeholder: a plain translation beats a garbled one
            for k, t in zip(lost, _run_chain(chain, [texts[todo[k]] for k in lost], settings)):
                restored[k] = t
        for i, t in zip(todo, restored):
            out[i] = t
            _cache_put(cache_dir, keys[i], t)
    return [t or "" for t in out], model


def _run_chain(chain, texts: list[str], settings) -> list[str]:
    from pipeline.translate import engine

    for pkg in chain:
        texts = engine.load(pkg.path, settings, pkg.target_prefix).translate(texts)
    return texts


CACHE_VERSION = "1"


def _cache_key(text: str, model: str, glossary_version: str, settings) -> str:
    blob = json.dumps([CACHE_VERSION, text, model, glossary_version, settings.key()], sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / key[:2] / f"{key}.json"


def _cache_get(cache_dir: Path | None, key: str) -> str | None:
    if cache_dir is None:
        return None
    try:
        return json.loads(_cache_path(cache_dir, key).read_text(encoding="utf-8"))["text"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_put(cache_dir: Path | None, key: str, text: str) -> None:
    if cache_dir is not None:
        atomic_write_text(_cache_path(cache_dir, key), json.dumps({"text": text}, ensure_ascii=False))
