"""One article x one or more languages, through every stage, cached at each expensive step.

Output layout: `<out>/<slug>/<lang>/<slug>.<lang>.<ext|txt|srt|vtt>` plus that folder's `manifest.json`, which is
written last and removed first: a language folder without a manifest is unfinished, whatever else it holds.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline import cache as cache_mod
from pipeline.article import Article
from pipeline.errors import PipelineError
from pipeline.files import atomic_path, atomic_write_text

# Bump when a stage's output for the same input changes, so old cache entries are not reused.
SPEECH_VERSION = "1"
MASTER_VERSION = "1"

Report = Callable[[str, str, str], None]  # (lang, stage, message)


def _quiet(lang: str, stage: str, message: str) -> None:
    pass


@dataclass(frozen=True)
class RunConfig:
    out: Path = Path("outputs")
    profile: str = "podcast"
    cache_dir: Path = field(default_factory=cache_mod.default_dir)
    review_dir: Path | None = None
    require_approved: bool = False
    station: str = "pipeline"
    series: str | None = None


@dataclass(frozen=True)
class LanguageResult:
    lang: str
    folder: Path
    audio: Path
    files: tuple[Path, ...]
    duration: float
    loudness_lufs: float
    true_peak_dbtp: float
    passed: bool
    origins: dict[str, int]
    unapproved: tuple[str, ...]
    synthesized: int  # sentences synthesised in this run (0 on a warm re-run)
    mastered: bool  # False when the programme came from the cache

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("folder", "audio"):
            d[k] = str(d[k])
        d["files"] = [str(p) for p in self.files]
        d["unapproved"] = list(self.unapproved)
        return d


def languages(values: Sequence[str]) -> tuple[str, ...]:
    """`--lang ko --lang zh,ru` -> ('ko', 'zh', 'ru'), order kept, duplicates dropped."""
    out: list[str] = []
    for value in values:
        for code in value.split(","):
            code = code.strip().lower()
            if code and code not in out:
                out.append(code)
    if not out:
        raise PipelineError("no language given", "pass --lang ko (repeatable, or a comma list)")
    return tuple(out)


def approved_files(source: Path | None, slug: str, lang: str, review_dir: Path | None) -> list[Path]:
    """Approved PO files for an article: `<stem>.<lang>.po` beside the input, and the review folder's file."""
    found = []
    if source is not None:
        found.append(source.with_name(f"{source.stem}.{lang}.po"))
    if review_dir is not None:
        found.append(review_dir / f"{slug}.{lang}.po")
    return [p for p in found if p.is_file()]


def run_language(
    article: Article,
    lang: str,
    config: RunConfig,
    *,
    source: Path | None = None,
    report: Report = _quiet,
) -> LanguageResult:
    from pipeline import export, segment, translate
    from pipeline.audio import master as master_mod
    from pipeline.audio import profiles
    from pipeline.speech import speech_input
    from pipeline.speech.voices import load_voice

    profile = profiles.load_profile(config.profile)
    voice = load_voice(lang)
    slug = export.slug(article.title)
    folder = config.out / slug / lang
    store = cache_mod.Cache(config.cache_dir)

    report(lang, "translate", "translating")
    segments = segment.segment(article)
    review = config.review_dir / f"{slug}.{lang}.po" if config.review_dir else None
    translation = translate.translate(
        segments,
        lang,
        source_lang=article.language,
        approved=approved_files(source, slug, lang, config.review_dir),
        review=review,
        require_approved=config.require_approved,
        cache_dir=config.cache_dir / "translate",
    )
    sentences = translation.sentences
    origins = Counter(s.origin for s in sentences)
    unapproved = tuple(s.id for s in sentences if s.origin == "machine")

    report(lang, "speak", f"{len(sentences)} sentences")
    texts = [s.text for s in sentences]
    announcements = [t for t in (voice.intro, voice.outro) if t]
    clip_paths, synthesized = _synthesise(texts + announcements, voice, store, speech_input)
    intro = clip_paths[len(texts)] if voice.intro else None
    outro = clip_paths[-1] if voice.outro else None
    clip_paths = clip_paths[: len(texts)]

    pauses = [
        voice.paragraph_pause_s if nxt.paragraph != cur.paragraph else voice.sentence_pause_s
        for cur, nxt in zip(sentences, sentences[1:])
    ] + [0.0]
    transcript = "\n\n".join(
        " ".join(s.text for s in sentences if s.paragraph == p) for p in dict.fromkeys(s.paragraph for s in sentences)
    )
    tags = export.Tags(
        title=_translated_title(article, translation),
        artist=config.station,
        album=config.series or config.station,
        language=lang,
        date=article.date,
        comment=f"{article.source or ''} {article.date or ''}".strip() or None,
        lyrics=transcript,
    )

    report(lang, "master", profile.name)
    master_key = cache_mod.key(
        "master", MASTER_VERSION, [p.name for p in clip_paths], pauses, asdict(profile),
        intro and intro.name, outro and outro.name, asdict(tags),
    )
    ext = profile.extension
    cached = store.get_json("master", master_key)
    audio_cached = store.get_file("master", master_key, "." + ext)
    mastered = not (cached and audio_cached)
    if mastered:
        with tempfile.TemporaryDirectory(prefix="master-") as tmp:
            programme = master_mod.master(
                clip_paths, profile, Path(tmp) / f"programme.{ext}",
                pauses=pauses, intro=intro, outro=outro, tags=tags,
            )
            audio_cached = store.put_file("master", master_key, "." + ext, programme.path)
        cached = {k: v for k, v in asdict(programme).items() if k != "path"}
        store.put_json("master", master_key, cached)

    report(lang, "export", str(folder))
    meta = {
        "slug": slug, "language": lang, "profile": profile.name, "title": article.title, "author": article.author,
        "source": article.source, "date": article.date, "target_lufs": profile.loudness,
        "tolerance_lu": profile.tolerance, "ceiling_dbtp": profile.true_peak, "origins": dict(origins),
        "sentences": [asdict(s) for s in sentences],
    }
    result = _export(folder, slug, lang, audio_cached, cached, sentences, transcript, profile, meta)
    return LanguageResult(
        lang=lang,
        folder=folder,
        audio=result[0],
        files=tuple(result),
        duration=cached["duration"],
        loudness_lufs=cached["loudness_lufs"],
        true_peak_dbtp=cached["true_peak_dbtp"],
        passed=cached["passed"],
        origins=dict(origins),
        unapproved=unapproved,
        synthesized=synthesized,
        mastered=mastered,
    )


def _translated_title(article: Article, translation) -> str:
    # The title is not a body sentence; keep it as written unless a future stage translates it.
    return article.title


def _synthesise(texts: list[str], voice, store: cache_mod.Cache, speech_input) -> tuple[list[Path], int]:
    """One cached WAV per text; only texts whose engine input or voice changed are synthesised."""
    from pipeline.speech import engine_id, synthesize

    engine = engine_id()
    inputs = [speech_input(t, voice) for t in texts]
    keys = [cache_mod.key("speech", SPEECH_VERSION, engine, voice.cache_key(), i) for i in inputs]
    missing = {k: i for k, i in zip(keys, inputs) if store.get_file("speech", k, ".wav") is None}
    if missing:
        with tempfile.TemporaryDirectory(prefix="speak-") as tmp:
            for clip in synthesize(list(missing.items()), voice, Path(tmp)):
                store.put_file("speech", clip.id, ".wav", clip.path)
    return [store.path("speech", k, ".wav") for k in keys], len(missing)


def _export(folder, slug, lang, audio_src, programme, sentences, transcript, profile, meta) -> list[Path]:
    from pipeline import export

    manifest = folder / "manifest.json"
    manifest.unlink(missing_ok=True)  # from here until the end, this folder reads as unfinished
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{slug}.{lang}"
    audio = base.with_suffix(f".{lang}.{profile.extension}")
    with atomic_path(audio) as tmp:
        shutil.copyfile(audio_src, tmp)
    cues = [(start, end, s.text) for (start, end), s in zip(programme["timings"], sentences)]
    files = [
        audio,
        atomic_write_text(base.with_suffix(f".{lang}.txt"), transcript + "\n"),
        atomic_write_text(base.with_suffix(f".{lang}.srt"), export.srt(cues)),
        atomic_write_text(base.with_suffix(f".{lang}.vtt"), export.vtt(cues)),
    ]
    entries = [export.file_entry(audio, folder, programme)] + [export.file_entry(p, folder, None) for p in files[1:]]
    export.write_manifest(manifest, entries, meta)
    return files + [manifest]


def load_article(source: str) -> tuple[Article, Path | None]:
    from pipeline.article import clean_source

    article = clean_source(source)
    path = Path(source) if source != "-" and "://" not in source else None
    return article, path


def run(source: str, langs: Sequence[str], config: RunConfig, *, report: Report = _quiet) -> list[LanguageResult]:
    """Clean SOURCE once, then produce every language; the output folder is locked for the whole run."""
    article, path = load_article(source)
    with cache_mod.folder_lock(config.out):
        return [run_language(article, lang, config, source=path, report=report) for lang in languages(langs)]


def summary_json(results: Sequence[LanguageResult]) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
