"""One article x one or more languages, through every stage, cached at each expensive step.

Output layout: `<out>/<slug>/<lang>/<slug>.<lang>.<ext|txt|srt|vtt>` plus that folder's `manifest.json`. New files
are staged beside the old ones and swapped in together, manifest last: a language folder without a manifest is
unfinished, whatever else it holds.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from datetime import datetime, timezone
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline import cache as cache_mod
from pipeline.article import Article
from pipeline.errors import PipelineError, from_os_error
from pipeline.files import atomic_paths

# Bump when a stage's output for the same input changes, so old cache entries are not reused.
SPEECH_VERSION = "1"
MASTER_VERSION = "2"
EXPORT_VERSION = "1"
AUDIO_SUFFIXES = {".mp3", ".mp2", ".wav"}

LANG_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
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
    tools: dict = field(default_factory=dict)  # the ffmpeg and speech engine used: name, version, path, origin

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
            # Checked before any work: a code becomes a folder name and a voice file name.
            if code and not LANG_CODE.fullmatch(code):
                raise PipelineError(f"{code!r} is not a language code", "use an ISO 639 code such as ko, en or zh")
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
    from pipeline.translate import glossary
    from pipeline.audio import profiles
    from pipeline.speech.voices import load_voice
    from pipeline.tools import recorded, voice_engine

    profile = profiles.load_profile(config.profile)
    voice = load_voice(lang)
    slug = export.slug(article.title)
    where = export.layout(config.out, slug, lang, profile.suffix)
    store = cache_mod.Cache(config.cache_dir)

    report(lang, "translate", "translating")
    # The headline is read first, so it is translated and reviewed like any sentence (PO context "title").
    headline = segment.Segment(id="title", paragraph=-1, text=article.title)
    review = config.review_dir / f"{slug}.{lang}.po" if config.review_dir else None
    translation = translate.translate(
        (headline, *segment.segment(article)),
        lang,
        source_lang=article.language,
        approved=approved_files(source, slug, lang, config.review_dir),
        review=review,
        require_approved=config.require_approved,
        glossary=glossary.default_path(lang),
        cache_dir=config.cache_dir / "translate",
    )
    sentences = translation.sentences
    title, body = sentences[0].text, sentences[1:]

    report(lang, "speak", f"{len(sentences)} sentences")
    announcements = [t for t in (voice.intro, voice.outro) if t]
    clips, synthesized = _synthesise([s.text for s in sentences] + announcements, voice, store)
    intro = clips[len(sentences)] if voice.intro else None
    outro = clips[-1] if voice.outro else None
    clips = clips[: len(sentences)]
    pauses = [
        voice.paragraph_pause_s if nxt.paragraph != cur.paragraph else voice.sentence_pause_s
        for cur, nxt in zip(sentences, sentences[1:])
    ]
    transcript = export.transcript([list(p) for p in _by_paragraph(body)], title=title)
    tags = export.Tags(
        title=title, artist=config.station, album=config.series or config.station, language=lang,
        date=article.date or "", comment=", ".join(x for x in (article.source, article.date) if x), lyrics=transcript,
    )

    report(lang, "master", profile.name)
    audio, programme, mastered = _master(clips, pauses, intro, outro, profile, tags, store)

    report(lang, "export", str(where.folder))
    meta = {
        "slug": slug, "language": lang, "profile": profile.name, "title": title, "source_title": article.title,
        "author": article.author, "source": article.source, "date": article.date,
        "target_lufs": profile.loudness_lufs, "tolerance_lu": profile.tolerance_lu,
        "ceiling_dbtp": profile.true_peak_dbtp, "origins": dict(Counter(s.origin for s in sentences)),
        "sentences": [asdict(s) for s in sentences],
        "tools": recorded({"ffmpeg": programme.ffmpeg, "speech": voice_engine(voice)}),
    }
    cues = [(start, end, s.text) for (start, end), s in zip(programme.timings, sentences)]
    files = _export(where, audio, programme, transcript, cues, meta, run_manifest=config.out / "manifest.json")
    return LanguageResult(
        lang=lang,
        folder=where.folder,
        audio=where.audio,
        files=tuple(files),
        duration=programme.duration,
        loudness_lufs=programme.loudness_lufs,
        true_peak_dbtp=programme.true_peak_dbtp,
        passed=programme.passed,
        origins=meta["origins"],
        unapproved=tuple(s.id for s in sentences if s.origin == "machine"),
        synthesized=synthesized,
        mastered=mastered,
        tools=meta["tools"],
    )


def _by_paragraph(sentences) -> list[list[str]]:
    paragraphs: dict[int, list[str]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s.text)
    return list(paragraphs.values())


def _synthesise(texts: list[str], voice, store: cache_mod.Cache) -> tuple[list[Path], int]:
    """One cached WAV per text; only texts whose engine input or voice changed are synthesised."""
    from pipeline.speech import speech_input, synthesize

    inputs = [speech_input(t, voice) for t in texts]
    keys = [cache_mod.key("speech", SPEECH_VERSION, voice.cache_key(), i) for i in inputs]
    missing = {k: i for k, i in zip(keys, inputs) if store.get_file("speech", k, ".wav") is None}
    if missing:
        with tempfile.TemporaryDirectory(prefix="speak-") as tmp:
            for clip in synthesize(list(missing.items()), voice, Path(tmp), timeout_s=speech_timeout()):
                store.put_file("speech", clip.id, ".wav", clip.path)
    return [store.path("speech", k, ".wav") for k in keys], len(missing)


def speech_timeout() -> float:
    """Seconds one sentence may take to synthesise: $PIPELINE_SPEECH_TIMEOUT, else 30."""
    from pipeline.env import seconds

    return seconds("PIPELINE_SPEECH_TIMEOUT", 30.0)


def _master(clips, pauses, intro, outro, profile, tags, store: cache_mod.Cache):
    """The mastered programme for these clips and settings, from the cache when nothing changed."""
    from pipeline.audio.ffmpeg import find_ffmpeg
    from pipeline.audio.master import Programme, master

    ff = find_ffmpeg()  # another ffmpeg (version or build) masters again: its programme is recorded as its own
    k = cache_mod.key(
        "master", MASTER_VERSION, [c.name for c in clips], pauses, asdict(profile),
        intro and intro.name, outro and outro.name, asdict(tags), ff.source, ff.version(),
    )
    record, audio = store.get_json("master", k), store.get_file("master", k, profile.suffix)
    if record and audio:
        return audio, Programme(path=audio, **{**record, "timings": tuple(map(tuple, record["timings"]))}), False
    with tempfile.TemporaryDirectory(prefix="master-") as tmp:
        programme = master(clips, profile, Path(tmp) / f"programme{profile.suffix}",
                           pauses=pauses, intro=intro, outro=outro, tags=tags)
        audio = store.put_file("master", k, profile.suffix, programme.path)
    store.put_json("master", k, {f: v for f, v in asdict(programme).items() if f != "path"})
    return audio, programme, True


def _export(where, audio_src: Path, programme, transcript: str, cues, meta: dict, *, run_manifest: Path) -> list[Path]:
    """Write every deliverable to a temp file first and swap them in only once all are written, manifest last:
    a failure before that (full disk, kill -9) leaves the earlier outputs and their manifest as they were.
    The run manifest at the output root is dropped before the swap (publishing writes it again), so no manifest
    ever lists a checksum its file no longer has."""
    from pipeline import export

    manifest = where.folder / "manifest.json"
    texts = {where.transcript: transcript, where.srt: export.srt(cues), where.vtt: export.vtt(cues)}
    targets = [where.audio, *texts, manifest]
    build = cache_mod.key("export", EXPORT_VERSION, export.sha256(audio_src), [t for t in texts.values()], meta)
    previous = _finished(where.folder)
    if previous and previous.get("build") == build:
        return targets  # a warm re-run: the same deliverables are in place; leave them (and their dates) alone
    # An episode keeps the date it was first published, through later corrections.
    published = (previous or {}).get("published") or datetime.now(timezone.utc).isoformat(timespec="seconds")
    meta = {**meta, "build": build, "published": published}
    try:
        _stage_and_swap(where, audio_src, programme, meta, texts, targets, run_manifest)
    except OSError as exc:  # full disk, read-only folder: the earlier outputs are still whole
        raise from_os_error(exc, f"cannot write the outputs in {where.folder}") from exc
    for stale in where.folder.glob(f"{where.audio.stem}.*"):  # the programme in another profile's format
        if stale.suffix in AUDIO_SUFFIXES and stale != where.audio:
            stale.unlink()
    return targets


def _finished(folder: Path) -> dict | None:
    """The folder's manifest when every file it lists is there with its recorded size, else None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        ok = all((folder / f["path"]).stat().st_size == f["bytes"] for f in manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if ok else None


def _stage_and_swap(where, audio_src: Path, programme, meta: dict, texts: dict, targets: list[Path],
                    run_manifest: Path) -> None:
    from pipeline import export

    manifest = targets[-1]
    with atomic_paths(targets) as temps:
        staged = dict(zip(targets, temps))
        shutil.copyfile(audio_src, staged[where.audio])
        for path, text in texts.items():
            staged[path].write_text(text, "utf-8")
        entries = [
            {**export.file_entry(staged[p], where.folder, programme if p == where.audio else None), "path": p.name}
            for p in targets[:-1]
        ]
        export.write_manifest(staged[manifest], entries, meta)
        run_manifest.unlink(missing_ok=True)
        manifest.unlink(missing_ok=True)  # from here until the renames end, this folder reads as unfinished


def load_article(source: str) -> tuple[Article, Path | None]:
    from pipeline.article import clean_source

    article = clean_source(source)
    path = Path(source) if source != "-" and "://" not in source else None
    return article, path


def run(source: str, langs: Sequence[str], config: RunConfig, *, report: Report = _quiet) -> list[LanguageResult]:
    """Clean SOURCE once, then produce every language; the output folder is locked for the whole run."""
    article, path = load_article(source)
    with cache_mod.folder_lock(config.out), cache_mod.cache_in_use(config.cache_dir):
        return [run_language(article, lang, config, source=path, report=report) for lang in languages(langs)]


def summary_json(results: Sequence[LanguageResult]) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
