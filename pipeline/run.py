"""One article x one or more languages, through every stage, cached at each expensive step.

Output layout: `<out>/<slug>/<lang>/<slug>.<lang>.<ext|txt|srt|vtt>` plus that folder's `manifest.json`. New files
are staged beside the old ones and swapped in together, manifest last: a language folder without a manifest is
unfinished, whatever else it holds.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import threading
import uuid
from collections import Counter
from datetime import datetime, timezone
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from pipeline import cache as cache_mod
from pipeline.article import Article
from pipeline.errors import PipelineError, from_os_error
from pipeline.files import atomic_paths, real_folder
from pipeline.language import LANG_CODE
from pipeline.publish import read_manifest
from pipeline.station import Station

# Bump when a stage's output for the same input changes, so old cache entries are not reused.
SPEECH_VERSION = "1"
# 3: untagged (tags are written at export), idents as clips, MP2 lead-in/out; the ffmpeg build in the key
# 4: gain set from cached per-clip loudness statistics and a limiter model (no measuring pass before the encode)
MASTER_VERSION = "5"
EXPORT_VERSION = "2"  # 2: idents captioned, balanced cues, podcast MP3 beside distribution formats, GUIDs
PODCAST_PROFILE = "podcast"  # what feeds enclose when the run's profile is a distribution format
AUDIO_SUFFIXES = {".mp3", ".mp2", ".wav"}

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
    speech_workers: int = 0  # synthesis processes per language; 0 = one per core (a batch runs its jobs with 1)
    fields: tuple[tuple[str, str], ...] = ()  # a producer's corrections of the clean stage (--title, --author, --date)


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
    tools: dict = field(default_factory=dict)  # the ffmpeg and speech engine used: name, version, path, origin

    @property
    def speech_note(self) -> str:
        """'' when the voice's preferred engine spoke, else who spoke instead and why."""
        s = self.tools.get("speech") or {}
        if not s.get("fallback"):
            return ""
        why = "; ".join(f"{x['engine']} unavailable: {x['reason']}" for x in s.get("skipped", []))
        return f"spoken by {s['engine']} ({s.get('describe', '')}) instead of the voice's first choice: {why}"

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
    """One language of ARTICLE through every stage: translate, speak, master, export. The output folder must be
    locked by this process (`session.Session`): outputs are swapped in only while it is."""
    from pipeline import export
    from pipeline.audio import profiles
    from pipeline.files import sha256
    from pipeline.speech.voices import load_voice

    profile = profiles.load_profile(config.profile)
    voice = load_voice(lang)
    speaker = voice.speaker()  # before any work: no engine for this voice is an error now, not after translation
    slug = export.slug(article.title)
    where = export.layout(config.out, slug, lang, profile.suffix)
    check_folder(config.out, slug, lang, article.title, source.name if source else None)
    store = cache_mod.Cache(config.cache_dir)

    early = _early_worker(voice, config.speech_workers)
    try:
        report(lang, "translate", "translating")
        translation = _translate(article, lang, slug, config, source, store)

        report(lang, "speak", f"{len(translation.sentences)} sentences, {speaker.note()}")
        script = _script(translation, article.title, *config.station.idents(lang, voice), voice)
        clips, synthesized = _synthesise(script.spoken, voice, store, config.speech_workers, early)
    finally:
        if early is not None:
            early.close()

    report(lang, "master", profile.name)
    programmes, mastered = _programmes(clips, script.pauses, profile, where, store)

    report(lang, "export", str(where.folder))
    programme = programmes[0].programme
    meta = _meta(article, translation, script, profile, slug, lang, config.station, source, programme, voice)
    tags = _tags(article, script, lang, config)
    # Subtitles follow what podcast apps and browsers play (the MP2's half second of lead-in is not in it).
    timings = programmes[-1].programme.timings
    cues = [(start, end, text) for (start, end), text in zip(timings, script.spoken)]
    files = _export(where, programmes, script.transcript, cues, meta, tags, run_manifest=config.out / "manifest.json")
    from pipeline.report import keep_series

    for m in programmes:  # the report draws the published file from the measurement of its encoded audio
        keep_series(store, "pictures", sha256(m.target), m.programme.series)
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
        unapproved=tuple(s.id for s in translation.sentences if s.origin == "machine"),
        synthesized=synthesized,
        mastered=mastered,
        flagged=tuple(s.id for s in translation.flagged()),
        left_out=tuple(s.id for s in translation.left_out),
        tools=meta["tools"],
    )


def _translate(article: Article, lang: str, slug: str, config: RunConfig, source: Path | None,
               store: cache_mod.Cache):
    """The headline and body in LANG: approved PO entries, else the cache, else a back end (`pipeline.translate`)."""
    from pipeline import segment, translate
    from pipeline.translate import glossary

    return translate.translate(
        segment.with_headline(article, _memo_split(store)),
        lang,
        source_lang=article.language,
        approved=approved_files(source, slug, lang, config.review_dir),
        review=config.review_dir / f"{slug}.{lang}.po" if config.review_dir else None,
        air="all-approved" if config.require_approved else config.air,
        glossary=glossary.default_path(lang),
        cache_dir=config.cache_dir / "translate",
    )


def _memo_split(store: cache_mod.Cache):
    """segment.split_sentences, each paragraph's sentences kept in the cache: an edit splits only the paragraph it
    changed (the splitters compile their rules on first use: 0.1 s of a one-sentence edit in English). Keyed by
    `segment.stamp`; an entry that does not give its paragraph back is split again."""
    from pipeline import segment

    def split(text: str, lang: str) -> list[str]:
        k = cache_mod.key("sentences", segment.stamp(lang), lang, text)
        kept = (store.get_json("sentences", k) or {}).get("sentences")
        if isinstance(kept, list) and all(isinstance(x, str) and x for x in kept) and \
                segment.is_split_of(kept, segment.normalise(text)):
            return kept
        sentences = segment.split_sentences(text, lang)
        store.put_json("sentences", k, {"sentences": sentences})
        return sentences

    return split


@dataclass(frozen=True)
class Script:
    """What a programme says, in order: the station's intro ident, the headline, the body, the outro ident; the pause
    after each but the last (a paragraph pause between paragraphs and around the idents); and its transcript."""

    title: str  # the headline as it airs (the source's when it is left out: the tag and manifest title)
    spoken: tuple[str, ...]
    pauses: tuple[float, ...]
    transcript: str
    idents: tuple  # (intro, outro) as the station gives them; empty for none


def _script(translation, source_title: str, intro: str, outro: str, voice) -> Script:
    from pipeline import export
    from pipeline.segment import by_paragraph

    # A "sentence" with no letter or digit ('* * *', '???', a lone dash) has nothing to say: spoken, it is a silent
    # clip, which mastering rightly refuses. It is left out of the programme and its transcript.
    sentences = [s for s in translation.sentences if any(ch.isalnum() for ch in s.text)]
    if not sentences:
        raise PipelineError("nothing to speak: no sentence of the article holds a word",
                            "check the input: it holds only punctuation or symbols")
    # The headline is read first; with --air approved-only an unapproved one is left out like any sentence.
    spoken_title = sentences[0].text if sentences[0].id == "title" else None
    body = sentences[1:] if spoken_title is not None else sentences
    # The station's ident is spoken like any sentence: its own clip (cached: changing it re-synthesises only it),
    # captioned and in the transcript and USLT, so what a listener hears is what the text says.
    spoken = [t for t in (intro,) if t] + [s.text for s in sentences] + [t for t in (outro,) if t]
    pauses = [voice.paragraph_pause_s] if intro else []
    pauses += [
        voice.paragraph_pause_s if nxt.paragraph != cur.paragraph else voice.sentence_pause_s
        for cur, nxt in zip(sentences, sentences[1:])
    ]
    pauses += [voice.paragraph_pause_s] if outro else []
    blocks = [[intro]] if intro else []
    blocks += [[spoken_title]] if spoken_title else []
    blocks += [[s.text for s in group] for _, group in by_paragraph(body)] + ([[outro]] if outro else [])
    return Script(spoken_title or source_title, tuple(spoken), tuple(pauses), export.transcript(blocks), (intro, outro))


class Mastered(NamedTuple):
    target: Path  # where the deliverable goes in the language folder
    file: Path  # the mastered (untagged) programme in the cache
    programme: object  # its audio.master.Programme
    tagged: bool  # whether the deliverable gets ID3 tags (the profile's id3)


def _programmes(clips, pauses, profile, where, store: cache_mod.Cache) -> tuple[list[Mastered], bool]:
    """The mastered programme(s): the profile's, then, for a distribution format (MP2, WAV), a podcast MP3 beside it
    for podcast apps and browsers; and whether any was mastered now (not from the cache)."""
    from pipeline.audio import profiles

    pauses = list(pauses)
    # The ID3 tag is written at export, onto a copy: a station name or date change re-tags, never re-masters.
    audio, programme, mastered = _master(clips, pauses, profile, store, where.audio)
    programmes = [Mastered(where.audio, audio, programme, profile.id3)]
    if profile.format != "mp3":  # a distribution format (MP2, WAV): podcast apps and browsers get an MP3 beside it
        podcast_profile = profiles.load_profile(PODCAST_PROFILE)
        if podcast_profile.format != "mp3":
            raise PipelineError(f"profile {PODCAST_PROFILE} is {podcast_profile.format}, but feeds need MP3",
                                f"make {PODCAST_PROFILE}.toml an MP3 profile")
        podcast = _master(clips, pauses, podcast_profile, store, where.podcast)
        mastered = mastered or podcast[2]
        programmes.append(Mastered(where.podcast, podcast[0], podcast[1], podcast_profile.id3))
    return programmes, mastered


def _tags(article: Article, script: Script, lang: str, config: RunConfig):
    from pipeline import export

    station = config.station
    return export.Tags(
        title=script.title, artist=station.author or station.name,
        album=config.series or station.name, language=lang,
        comment=", ".join(x for x in (article.source, article.date) if x), lyrics=script.transcript,
    )


def _meta(article: Article, translation, script: Script, profile, slug: str, lang: str, station: Station,
          source: Path | None, programme, voice) -> dict:
    """The language manifest's fields besides its files (export adds build, published and guid)."""
    from pipeline.tools import recorded, voice_engine

    sentences = translation.sentences
    intro, outro = script.idents
    return {
        "slug": slug, "language": lang, "profile": profile.name, "title": script.title,
        "source_title": article.title, "source_language": article.language, "author": article.author,
        "source": article.source, "date": article.date, "station": station.name,
        "idents": {"intro": intro, "outro": outro},
        "target_lufs": profile.loudness_lufs, "tolerance_lu": profile.tolerance_lu,
        "ceiling_dbtp": profile.true_peak_dbtp, "origins": dict(Counter(s.origin for s in sentences)),
        "source_file": source.name if source else None,
        "sentences": [asdict(s) for s in sentences],
        "translation": {"air": translation.air, "flagged": [s.id for s in translation.flagged()],
                        "left_out": [asdict(s) for s in translation.left_out]},
        "tools": recorded({"ffmpeg": programme.ffmpeg, "speech": voice_engine(voice)}),
    }


def check_folder(out: Path, slug: str, lang: str, title: str, source_file: str | None) -> None:
    """Refuse, before any work, an article whose folder is not ours to write: a symbolic link (or a file) where
    the folder should be, or a folder an earlier run wrote for another article whose title gives the same name
    ("Food Prices Rise" and "Food Prices Rise?"): it would silently replace that article and its feed entry.
    Another article = another title, or the same title from a file of another name (a daily "News in Brief");
    a correction keeps its title and file name. A folder with no finished article that holds files of anything
    else (a web root's news/ when the article is titled "News") is not ours either."""
    from pipeline import publish

    for folder in (out / slug / lang, out / slug / "report"):
        real_folder(out, folder, create=False)
    owned = list(publish.finished(out, slug))
    stranger = _stranger(out / slug, slug) if not owned and (out / slug).is_dir() else None
    if stranger is not None:  # --out may be a folder holding other things: a web root's news/, say
        raise PipelineError(f"{out / slug} holds {stranger.relative_to(out / slug)}, which this program did not write; "
                            f"the article {title!r} would be written into that folder",
                            "move that folder away, or choose another --out folder")
    for _, meta in owned:
        other, other_file = meta.get("source_title"), meta.get("source_file")
        if other is not None and other != title:
            raise PipelineError(
                f"{out / slug} already holds another article, {other!r}; {title!r} has a title that gives the same "
                "folder name and would replace it",
                "give this article a distinct title, or remove that folder first if it is the same story retitled")
        if other_file and source_file and other_file != source_file:
            raise PipelineError(
                f"{out / slug} already holds {other!r} made from {other_file}; {source_file} has the same title and "
                "would replace it",
                f"give this article a distinct title; if it corrects that story, name its file {other_file} or "
                "remove that folder first")


def _stranger(folder: Path, slug: str) -> Path | None:
    """The first entry of an article folder holding no finished article that a run of this program would not have
    left there, or None. A killed run leaves language folders of its own files (and temp files), report pictures,
    and the article's index.html beside them."""
    from pipeline.publish import IMAGE_NAME

    def is_temp(name: str) -> bool:  # ours, or an older version's (`.tmp-<name>-<hex>`), left by a kill
        return name.startswith(".tmp-")

    def ours(p: Path, lang: str) -> bool:
        return p.name.startswith(f"{slug}.{lang}.") or is_temp(p.name)

    entries = sorted(folder.iterdir())
    langs = [e for e in entries if LANG_CODE.fullmatch(e.name) and e.is_dir() and not e.is_symlink()]
    published = any(ours(p, e.name) for e in langs for p in e.iterdir())  # what an index.html could be about
    for entry in entries:
        if is_temp(entry.name) or (entry.name == "index.html" and published and entry.is_file()
                                   and not entry.is_symlink()):
            continue
        if entry.name == "report" and entry.is_dir() and not entry.is_symlink():
            inside = [p for p in entry.iterdir() if not (IMAGE_NAME.fullmatch(p.name) or is_temp(p.name))]
        elif entry in langs:
            inside = [p for p in entry.iterdir() if not ours(p, entry.name)]
        else:
            inside = [entry]
        if inside:
            return sorted(inside)[0]
    return None


def _early_worker(voice, workers: int):
    """A run's speech worker, started before translation on another core, so an edit's engine has loaded by the time
    its sentence is known (0.1-0.2 s of a one-sentence edit with eSpeak NG, a second or two with Kokoro); killed
    unused when every clip is cached. Not for a batch's jobs (`workers` set), nor on a single core, where it would
    only take time from the run."""
    if workers or len(os.sched_getaffinity(0)) < 2:
        return None
    from pipeline.speech import start

    try:
        return start(voice, threads=os.cpu_count() or 1)
    except OSError:  # reported where a worker is needed
        return None


def _synthesise(texts: list[str], voice, store: cache_mod.Cache, workers: int = 0, early=None) -> tuple[list[Path], int]:
    """One cached WAV per text; only texts whose engine input or voice changed are synthesised, by `workers`
    processes (0: one per core, when there is enough to say to pay for starting them), the first of them `early`
    (`_early_worker`) when one is enough."""
    from pipeline.speech import speech_input, synthesize

    inputs = [speech_input(t, voice) for t in texts]
    keys = [cache_mod.key("speech", SPEECH_VERSION, voice.cache_key(), i) for i in inputs]
    missing = {k: i for k, i in zip(keys, inputs) if store.get_file("speech", k, ".wav") is None}
    if missing:
        _preload()  # while the engine starts and speaks
        with store.temp_dir("speak") as tmp:  # in the cache, not $TMPDIR: a kill leaves nothing its sweep misses
            cores = os.cpu_count() or 1
            count = workers or (cores if len(missing) >= 8 else 1)
            # A run's single worker (an edit) may use every core; a batch's jobs already share them (workers=1).
            threads = 1 if workers else max(1, cores // count)
            # Each clip is cached as it comes: an interrupted run keeps every sentence already spoken.
            synthesize(list(missing.items()), voice, tmp, timeout_s=speech_timeout(), workers=count, threads=threads,
                       on_clip=lambda clip: store.put_file("speech", clip.id, ".wav", clip.path), started=early)
    return [store.path("speech", k, ".wav") for k in keys], len(missing)


# What mastering, export and the report import (numpy, soundfile, mutagen, Jinja2, Pillow: about 0.3 s), the
# report's compiled templates, and the ffmpeg build's probe (`ffmpeg -version`, twice with the wheel's). A run that
# speaks waits about as long on its speech engine, and its mastering waits on ffmpeg: this is done meanwhile, on a
# thread.
_AFTER_SPEECH = ("pipeline.audio.master", "pipeline.report", "mutagen.id3", "jinja2", "PIL.ImageDraw", "PIL.ImageFont",
                 "PIL.PngImagePlugin")


def _preload() -> None:
    def load() -> None:
        # Anything that fails here fails again where it is needed, and is reported there.
        with contextlib.suppress(Exception):
            from pipeline.audio.ffmpeg import find_ffmpeg

            find_ffmpeg().build()  # first: it waits on ffmpeg, and the imports use the time
        for name in _AFTER_SPEECH:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        with contextlib.suppress(Exception):
            importlib.import_module("pipeline.report").templates()

    # A daemon: a run that fails meanwhile exits at once, not after a hung ffmpeg's probe.
    threading.Thread(target=load, name="preload", daemon=True).start()


def speech_timeout() -> float:
    """Seconds one sentence (per 100 characters) may take to synthesise: $PIPELINE_SPEECH_TIMEOUT, else 60."""
    from pipeline.env import seconds

    return seconds("PIPELINE_SPEECH_TIMEOUT", 60.0)


def _master(clips, pauses, profile, store: cache_mod.Cache, published: Path):
    """The mastered programme (untagged: tags are written at export) for these clips and settings, from the cache
    when nothing that shapes the sound changed; when something did, only new clips are metered and only the pieces
    they fall in are encoded again (`master`'s cache, with the published path as the programme's identity)."""
    from pipeline.audio.ffmpeg import find_ffmpeg
    from pipeline.audio.master import Programme, master
    from pipeline.report import cached_series, keep_series

    ff = find_ffmpeg()  # another ffmpeg (version or build) masters again: its programme is recorded as its own
    k = cache_mod.key("master", MASTER_VERSION, [c.name for c in clips], pauses, asdict(profile), ff.source,
                      ff.version())
    record, audio = store.get_json("master", k), store.get_file("master", k, profile.suffix)
    if record and audio:
        series = cached_series(store, "master", k)
        return audio, Programme(path=audio, **{**record, "timings": tuple(map(tuple, record["timings"])),
                                               "series": series}), False
    with store.temp_dir("master") as tmp:
        # The clips are cache entries checked (or written) by this run: their recorded sha256 is theirs.
        programme = master(clips, profile, tmp / f"programme{profile.suffix}", pauses=pauses, cache=store,
                           identity=str(published.resolve()), digests={c: cache_mod.entry_sha256(c) for c in clips})
        audio = store.put_file("master", k, profile.suffix, programme.path)
    keep_series(store, "master", k, programme.series)
    store.put_json("master", k, {f: v for f, v in programme.to_dict().items() if f != "path"})
    return audio, programme, True


def _export(where, programmes, transcript: str, cues, meta: dict, tags, *, run_manifest: Path) -> list[Path]:
    """Write every deliverable to a temp file first and swap them in only once all are written, manifest last:
    a failure before that (full disk, kill -9) leaves the earlier outputs and their manifest as they were.
    The run manifest at the output root is dropped before the swap (publishing writes it again), so no manifest
    ever lists a checksum its file no longer has. `programmes`: `Mastered`, the profile's first, then the podcast
    MP3 when the profile's format is not one."""
    from pipeline import export

    manifest = where.folder / "manifest.json"
    texts = {where.transcript: transcript, where.srt: export.srt(cues), where.vtt: export.vtt(cues)}
    audio = [target for target, *_ in programmes]
    targets = [*audio, *texts, manifest]
    build = cache_mod.key("export", EXPORT_VERSION, [cache_mod.entry_sha256(src) for _, src, *_ in programmes],
                          [t for t in texts.values()], meta, asdict(tags), [tagged for *_, tagged in programmes])
    previous = read_manifest(where.folder / "manifest.json")
    if previous and previous.get("build") == build and _intact(where.folder, previous):
        return targets  # a warm re-run: the same deliverables are in place; leave them (and their dates) alone
    # An episode keeps the date it was first published and its GUID, through later corrections.
    published = (previous or {}).get("published") or datetime.now(timezone.utc).isoformat(timespec="seconds")
    guid = (previous or {}).get("guid") or f"urn:uuid:{uuid.uuid4()}"
    meta = {**meta, "build": build, "published": published, "guid": guid}
    tags = replace(tags, date=published[:10])  # ID3 date = the episode's release, like the feed's pubDate
    try:
        real_folder(run_manifest.parent, where.folder)
        _stage_and_swap(where, programmes, meta, texts, targets, tags, run_manifest)
    except OSError as exc:  # full disk, read-only folder: the earlier outputs are still whole
        raise from_os_error(exc, f"cannot write the outputs in {where.folder}") from exc
    _drop_stale(where.folder, where.audio.stem, audio)
    return targets


def _holds(path: Path, data: bytes) -> bool:
    """Whether PATH holds DATA; a manifest the same record (its key order may differ: cached records are sorted)."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        if path.name == "manifest.json":
            return json.loads(path.read_bytes()) == json.loads(data)
        return path.read_bytes() == data
    except (OSError, ValueError):
        return False


def _drop_stale(folder: Path, stem: str, audio: Sequence[Path]) -> None:
    for stale in folder.glob(f"{stem}.*"):  # the programme in another profile's format
        if stale.suffix in AUDIO_SUFFIXES and stale not in audio:
            stale.unlink()


def _intact(folder: Path, manifest: dict) -> bool:
    """Every file the manifest lists is there with its recorded size and checksum (a damaged one is written again)."""
    from pipeline.files import sha256

    try:
        return all((folder / f["path"]).stat().st_size == f["bytes"] and sha256(folder / f["path"]) == f["sha256"]
                   for f in manifest["files"])
    except OSError:
        return False


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
        _before_swap(run_manifest.parent, where.folder)


def _before_swap(out: Path, folder: Path) -> None:
    """The last step before staged files are renamed into FOLDER. Checked at the last moment, not only when the run
    began: a worker whose run was killed (and whose folder a new run may hold by now) must never swap its work in;
    nor may a link have appeared meanwhile."""
    cache_mod.check_locked(out)
    real_folder(out, folder)
    (out / "manifest.json").unlink(missing_ok=True)  # publishing writes it again
    (folder / "manifest.json").unlink(missing_ok=True)  # from here until the renames end, this folder reads as unfinished


def swap_in(out: Path, folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Files of a language folder made elsewhere (a cluster worker's; names checked by the caller) written into
    FOLDER below OUT as `_export` writes its own: staged beside the old ones, then swapped in together, manifest
    last. A folder that already holds these files (a warm re-run) is left alone, dates and all."""
    targets = [folder / name for name in contents if name != "manifest.json"] + [folder / "manifest.json"]
    if all(_holds(t, contents[t.name]) for t in targets):
        return targets
    try:
        real_folder(out, folder)
        with atomic_paths(targets) as temps:
            for target, tmp in zip(targets, temps):
                tmp.write_bytes(contents[target.name])
            _before_swap(out, folder)
    except OSError as exc:  # full disk, read-only folder: the earlier outputs are still whole
        raise from_os_error(exc, f"cannot write the outputs in {folder}") from exc
    _drop_stale(folder, f"{folder.parent.name}.{folder.name}", [t for t in targets if t.suffix in AUDIO_SUFFIXES])
    return targets


CORRECT_HINT = "check it, and correct it with --title/--author/--date or a <name>.meta.toml beside the article"


def load_article(source: str, fields: Sequence[tuple[str, str]] = ()) -> tuple[Article, Path | None]:
    """The cleaned article (with a sidecar `<stem>.meta.toml` beside it and FIELDS applied) and its path."""
    from pipeline.article import clean_source

    article = clean_source(source, dict(fields))
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


def run_languages(article: Article, codes: Sequence[str], config: RunConfig, *, source: Path | None = None,
                  report: Report = _quiet) -> list[LanguageResult]:
    """Every language of ARTICLE (its run in a `session.Session`, which holds the folder's lock). A language that
    fails does not stop the others: with one language its error is raised as it is, with several `LanguagesFailed`
    says which failed, after every language had its run."""
    results, failures = [], []
    for lang in codes:
        try:
            results.append(run_language(article, lang, config, source=source, report=report))
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
