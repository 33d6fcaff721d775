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
import uuid
from collections import Counter
from datetime import datetime, timezone
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from pipeline import cache as cache_mod
from pipeline.article import Article
from pipeline.errors import PipelineError, from_os_error
from pipeline.files import atomic_paths
from pipeline.station import Station

# Bump when a stage's output for the same input changes, so old cache entries are not reused.
SPEECH_VERSION = "1"
MASTER_VERSION = "2"  # 2: untagged (tags are written at export), idents as clips, MP2 lead-in/out
EXPORT_VERSION = "2"  # 2: idents captioned, balanced cues, podcast MP3 beside distribution formats, GUIDs
PODCAST_PROFILE = "podcast"  # what feeds enclose when the run's profile is a distribution format
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
    require_approved: bool = False  # the same as air="all-approved"
    air: str = "checked"  # what may air: see pipeline.translate (checked, flagged, all-approved, approved-only)
    station: Station = field(default_factory=Station)  # pipeline.station: name, idents, feed settings
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
    flagged: tuple[str, ...] = ()  # machine sentences that failed the translation checks and aired (--air flagged)
    left_out: tuple[str, ...] = ()  # sentences kept off the air for want of an approved translation

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("folder", "audio"):
            d[k] = str(d[k])
        d["files"] = [str(p) for p in self.files]
        for k in ("unapproved", "flagged", "left_out"):
            d[k] = list(d[k])
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

    profile = profiles.load_profile(config.profile)
    voice = load_voice(lang)
    slug = export.slug(article.title)
    where = export.layout(config.out, slug, lang, profile.suffix)
    store = cache_mod.Cache(config.cache_dir)

    report(lang, "translate", "translating")
    review = config.review_dir / f"{slug}.{lang}.po" if config.review_dir else None
    translation = translate.translate(
        segment.with_headline(article),
        lang,
        source_lang=article.language,
        approved=approved_files(source, slug, lang, config.review_dir),
        review=review,
        air="all-approved" if config.require_approved else config.air,
        glossary=glossary.default_path(lang),
        cache_dir=config.cache_dir / "translate",
    )
    sentences = translation.sentences
    # The headline is read first; with --air approved-only an unapproved one is left out like any sentence.
    spoken_title = sentences[0].text if sentences[0].id == "title" else None
    title = spoken_title or article.title
    body = sentences[1:] if spoken_title is not None else sentences

    report(lang, "speak", f"{len(sentences)} sentences")
    intro, outro = config.station.idents(lang, voice)
    # The station's ident is spoken like any sentence: its own clip (cached: changing it re-synthesises only it),
    # captioned and in the transcript and USLT, so what a listener hears is what the text says.
    spoken = [t for t in (intro,) if t] + [s.text for s in sentences] + [t for t in (outro,) if t]
    clips, synthesized = _synthesise(spoken, voice, store)
    pauses = [voice.paragraph_pause_s] if intro else []
    pauses += [
        voice.paragraph_pause_s if nxt.paragraph != cur.paragraph else voice.sentence_pause_s
        for cur, nxt in zip(sentences, sentences[1:])
    ]
    pauses += [voice.paragraph_pause_s] if outro else []
    blocks = [[intro]] if intro else []
    blocks += [[spoken_title]] if spoken_title else []
    blocks += [list(p) for p in _by_paragraph(body)] + ([[outro]] if outro else [])
    transcript = export.transcript(blocks)
    station = config.station
    tags = export.Tags(
        title=title, artist=station.author or station.name, album=config.series or station.name, language=lang,
        comment=", ".join(x for x in (article.source, article.date) if x), lyrics=transcript,
    )

    report(lang, "master", profile.name)
    # The ID3 tag is written at export, onto a copy: a station name or date change re-tags, never re-masters.
    audio, programme, mastered = _master(clips, pauses, profile, store)
    podcast = None
    if profile.format != "mp3":  # a distribution format (MP2, WAV): podcast apps and browsers get an MP3 beside it
        podcast_profile = profiles.load_profile(PODCAST_PROFILE)
        if podcast_profile.format != "mp3":
            raise PipelineError(f"profile {PODCAST_PROFILE} is {podcast_profile.format}, but feeds need MP3",
                                f"make {PODCAST_PROFILE}.toml an MP3 profile")
        podcast = _master(clips, pauses, podcast_profile, store)
        mastered = mastered or podcast[2]

    report(lang, "export", str(where.folder))
    meta = {
        "slug": slug, "language": lang, "profile": profile.name, "title": title, "source_title": article.title,
        "source_language": article.language, "author": article.author, "source": article.source,
        "date": article.date, "station": station.name, "idents": {"intro": intro, "outro": outro},
        "target_lufs": profile.loudness_lufs, "tolerance_lu": profile.tolerance_lu,
        "ceiling_dbtp": profile.true_peak_dbtp, "origins": dict(Counter(s.origin for s in sentences)),
        "sentences": [asdict(s) for s in sentences],
        "translation": {"air": translation.air, "flagged": [s.id for s in translation.flagged()],
                        "left_out": [asdict(s) for s in translation.left_out]},
    }
    # Subtitles follow what podcast apps and browsers play (the MP2's half second of lead-in is not in it).
    timings = (podcast[1] if podcast else programme).timings
    cues = [(start, end, text) for (start, end), text in zip(timings, spoken)]
    programmes = [(where.audio, audio, programme, profile.id3)]
    programmes += [(where.podcast, podcast[0], podcast[1], podcast_profile.id3)] if podcast else []
    files = _export(where, programmes, transcript, cues, meta, tags, run_manifest=config.out / "manifest.json")
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
        flagged=tuple(s.id for s in translation.flagged()),
        left_out=tuple(s.id for s in translation.left_out),
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


def _master(clips, pauses, profile, store: cache_mod.Cache):
    """The mastered programme (untagged) for these clips and settings, from the cache when nothing changed."""
    from pipeline.audio.master import Programme, master

    k = cache_mod.key("master", MASTER_VERSION, [c.name for c in clips], pauses, asdict(profile))
    record, audio = store.get_json("master", k), store.get_file("master", k, profile.suffix)
    if record and audio:
        return audio, Programme(path=audio, **{**record, "timings": tuple(map(tuple, record["timings"]))}), False
    with tempfile.TemporaryDirectory(prefix="master-") as tmp:
        programme = master(clips, profile, Path(tmp) / f"programme{profile.suffix}", pauses=pauses)
        audio = store.put_file("master", k, profile.suffix, programme.path)
    store.put_json("master", k, {f: v for f, v in asdict(programme).items() if f != "path"})
    return audio, programme, True


def _export(where, programmes, transcript: str, cues, meta: dict, tags, *, run_manifest: Path) -> list[Path]:
    """Write every deliverable to a temp file first and swap them in only once all are written, manifest last:
    a failure before that (full disk, kill -9) leaves the earlier outputs and their manifest as they were.
    The run manifest at the output root is dropped before the swap (publishing writes it again), so no manifest
    ever lists a checksum its file no longer has. `programmes`: (target, mastered file, Programme, gets ID3 tags),
    the profile's first, then the podcast MP3 when the profile's format is not one."""
    from pipeline import export

    manifest = where.folder / "manifest.json"
    texts = {where.transcript: transcript, where.srt: export.srt(cues), where.vtt: export.vtt(cues)}
    audio = [target for target, *_ in programmes]
    targets = [*audio, *texts, manifest]
    build = cache_mod.key("export", EXPORT_VERSION, [export.sha256(src) for _, src, *_ in programmes],
                          [t for t in texts.values()], meta, asdict(tags), [tagged for *_, tagged in programmes])
    previous = _finished(where.folder)
    if previous and previous.get("build") == build:
        return targets  # a warm re-run: the same deliverables are in place; leave them (and their dates) alone
    # An episode keeps the date it was first published and its GUID, through later corrections.
    published = (previous or {}).get("published") or datetime.now(timezone.utc).isoformat(timespec="seconds")
    guid = (previous or {}).get("guid") or f"urn:uuid:{uuid.uuid4()}"
    meta = {**meta, "build": build, "published": published, "guid": guid}
    tags = replace(tags, date=published[:10])  # ID3 date = the episode's release, like the feed's pubDate
    try:
        _stage_and_swap(where, programmes, meta, texts, targets, tags, run_manifest)
    except OSError as exc:  # full disk, read-only folder: the earlier outputs are still whole
        raise from_os_error(exc, f"cannot write the outputs in {where.folder}") from exc
    for stale in where.folder.glob(f"{where.audio.stem}.*"):  # the programme in another profile's format
        if stale.suffix in AUDIO_SUFFIXES and stale not in audio:
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


def _stage_and_swap(where, programmes, meta: dict, texts: dict, targets: list[Path], tags, run_manifest: Path) -> None:
    from pipeline import export

    manifest = targets[-1]
    with atomic_paths(targets) as temps:
        staged = dict(zip(targets, temps))
        measured = {}
        for target, src, programme, tagged in programmes:
            shutil.copyfile(src, staged[target])
            if tagged:
                export.write_tags(staged[target], tags)
            measured[target] = programme
        for path, text in texts.items():
            staged[path].write_text(text, "utf-8")
        entries = []
        for p in targets[:-1]:
            entry = {**export.file_entry(staged[p], where.folder, measured.get(p)), "path": p.name}
            if p == where.podcast:
                entry["podcast"] = True  # the file feeds enclose and the report plays
            entries.append(entry)
        export.write_manifest(staged[manifest], entries, meta)
        run_manifest.unlink(missing_ok=True)
        manifest.unlink(missing_ok=True)  # from here until the renames end, this folder reads as unfinished


def load_article(source: str) -> tuple[Article, Path | None]:
    from pipeline.article import clean_source

    article = clean_source(source)
    path = Path(source) if source != "-" and "://" not in source else None
    return article, path


class LanguagesFailed(PipelineError):
    """Some languages of a run failed; the others were produced (`results`). `failures`: (lang, message)."""

    def __init__(self, results: list, failures: list[tuple[str, str]], total: int,
                 fix: str = "fix those and run again: the finished languages are kept"):
        self.results, self.failures = results, failures
        lang, first = failures[0]
        more = f"; {', '.join(code for code, _ in failures[1:])} failed too" if len(failures) > 1 else ""
        super().__init__(f"{len(failures)} of {total} languages failed: [{lang}] {first}{more}", fix)


def run(source: str, langs: Sequence[str], config: RunConfig, *, report: Report = _quiet) -> list[LanguageResult]:
    """Clean SOURCE once, then produce every language; the output folder is locked for the whole run. A language
    that fails does not stop the others: with one language its error is raised as it is, with several
    `LanguagesFailed` says which failed, after every language had its run."""
    article, path = load_article(source)
    codes = languages(langs)
    results, failures = [], []
    with cache_mod.folder_lock(config.out), cache_mod.cache_in_use(config.cache_dir):
        for lang in codes:
            try:
                results.append(run_language(article, lang, config, source=path, report=report))
            except PipelineError as exc:
                if len(codes) == 1:
                    raise
                failures.append((lang, str(exc)))
            except OSError as exc:  # full disk, read-only folder: said plainly, and the next language still tried
                if len(codes) == 1:
                    raise
                failures.append((lang, str(from_os_error(exc))))
    if failures:
        raise LanguagesFailed(results, failures, len(codes))
    return results


def summary_json(results: Sequence[LanguageResult], failures: Sequence[tuple[str, str]] = ()) -> str:
    return json.dumps([r.to_dict() for r in results] + [{"lang": lang, "error": e} for lang, e in failures],
                      ensure_ascii=False, indent=2)
