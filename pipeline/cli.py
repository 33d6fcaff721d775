"""Command line: parse, call the library, report. No pipeline logic lives here."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from pathlib import Path

import click

from pipeline.errors import PipelineError, from_os_error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pipeline")
def cli() -> None:
    """Turn news articles into broadcast-ready audio, fully offline."""


_INTERRUPTED = "error: interrupted by Ctrl-C (finished work is kept: run the same command again to resume)"


def main() -> None:
    # A run allocates about a million objects and keeps nearly all of them to the end: with the collector's default
    # (a young-generation pass every 700 allocations) a one-sentence edit spent 80-100 ms collecting. The older
    # generations keep their default ratios, so a long batch in this process still has its cycles collected.
    gc.set_threshold(50_000)
    # numpy's OpenBLAS starts a thread pool when numpy is imported (0.1 s of every run); this process does no linear
    # algebra, and the speech engines run their own threads (onnxruntime, CTranslate2). A user's setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    interrupted = _watch_ctrl_c()
    try:
        _command(interrupted)
    finally:
        # The process ends here: unfrozen, the run's objects went through the collector again while the interpreter
        # tore down its modules (0.15-0.2 s of a one-sentence edit). Files are closed and temp folders removed by then.
        gc.freeze()


def _command(interrupted) -> None:
    try:
        cli.main(standalone_mode=False)
    except PipelineError as exc:
        if interrupted():  # a stage failing because Ctrl-C stopped its engine or ffmpeg: the interrupt is the news
            click.echo(_INTERRUPTED, err=True)
            sys.exit(130)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # a full disk or read-only folder met where no stage expected it: still one line
        click.echo(f"error: {from_os_error(exc)}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo(_INTERRUPTED, err=True)
        sys.exit(130)
    except click.UsageError as exc:
        if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # bare `pipeline`: the help
            exc.show()
            sys.exit(exc.exit_code)
        # One line like every other error, so a scheduled job's log stays readable.
        where = exc.ctx.command_path if exc.ctx else "pipeline"
        click.echo(f"error: {exc.format_message().rstrip('.')} (see `{where} --help`)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo(_INTERRUPTED, err=True)
        sys.exit(130)


def _watch_ctrl_c():
    """Remember a Ctrl-C (then raise KeyboardInterrupt as usual): the children (ffmpeg, speech engines) get it too
    and may fail first, and their failure must not be reported as the cause."""
    import signal

    seen = []

    def on_sigint(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    return lambda: bool(seen)


# --- clean -----------------------------------------------------------------


@cli.command()
@click.argument("source", default="-")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
def clean(source: str, fmt: str) -> None:
    """Extract the article (title, author, source, date, paragraphs) from SOURCE: a file, '-' for stdin, or a URL."""
    from pipeline import article

    result = article.clean_source(source)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.to_text())


# --- translate -------------------------------------------------------------

_AIR_HELP = ("What may air: checked = approved text, else machine text that passes the checks (script, copies, "
             "empty, runaway); flagged = machine text even when it fails them, marked; all-approved = only approved "
             "text, every sentence; approved-only = only approved text, the rest left out and reported.")


def _air_option(f):
    from pipeline.translate import AIR

    return click.option("--air", type=click.Choice(AIR), default="checked", show_default=True, help=_AIR_HELP)(f)


@cli.command("translate")
@click.argument("article_source", metavar="ARTICLE")
@click.option("--lang", "langs", multiple=True, required=True, help="Target language; repeat or comma-separate.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--review", type=click.Path(dir_okay=False, path_type=Path),
              help="PO file to write or merge (machine output marked fuzzy). With several --lang: one per "
                   "language, FILE.<lang>.po.")
@click.option("--approved", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PO file of approved translations (repeatable).")
@click.option("--require-approved", is_flag=True, help="Refuse while any sentence is not approved (--air all-approved).")
@_air_option
@click.option("--glossary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Glossary TSV (default: <lang>.tsv in $PIPELINE_GLOSSARY_DIR or ./glossary, when it exists).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Machine translation cache (default: translate/ in $PIPELINE_CACHE_DIR or ~/.cache/broadcast-pipeline).")
def translate_cmd(article_source, langs, fmt, review, approved, require_approved, air, glossary, cache_dir) -> None:
    """Translate ARTICLE (file, '-' or URL) sentence by sentence into each --lang, as `run` does: the headline
    first, an approved PO file beside the article (<name>.<lang>.po) used like --approved."""
    from pipeline import export, segment, translate
    from pipeline import cache as cache_mod
    from pipeline.run import LanguagesFailed, approved_files, languages, load_article
    from pipeline.translate.glossary import default_path as default_glossary

    langs = languages(langs)
    doc, path = load_article(article_source)
    segments = segment.with_headline(doc)
    root = cache_dir or cache_mod.default_dir()  # the orchestration's cache root, translate/ in it
    cache_dir = cache_dir or root / "translate"
    results, failures = [], []
    with cache_mod.cache_in_use(root):  # a run starting meanwhile must not sweep this command's temp files
        for lang in langs:
            review_path = review
            if review and len(langs) > 1:
                review_path = review.with_suffix(f".{lang}{review.suffix}")
            gloss = glossary or default_glossary(lang)
            try:
                results.append(translate.translate(
                    segments, lang, source_lang=doc.language,
                    approved=[*approved_files(path, export.slug(doc.title), lang, None), *approved],
                    review=review_path, air="all-approved" if require_approved else air, glossary=gloss,
                    cache_dir=cache_dir))
            except PipelineError as exc:  # the other languages still get theirs, as in `run`
                if len(langs) == 1:
                    raise
                failures.append((lang, str(exc)))
    if fmt == "json":
        click.echo(json.dumps({r.lang: r.to_dict()["sentences"] for r in results}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if len(results) > 1:
                click.echo(f"[{r.lang}]")
            click.echo("\n\n".join(r.paragraphs()) + "\n")
    if failures:
        raise LanguagesFailed(results, failures, len(langs), "fix those and run again")


@cli.group()
def models() -> None:
    """Manage translation models (argos packages, shared with argospm)."""


@models.command("list")
def models_list() -> None:
    """Installed language pairs, and pairs reachable by pivoting through English."""
    from pipeline.translate import backends
    from pipeline.translate import models as m

    installed = m.installed()
    click.echo(f"packages folder: {m.packages_dir()}")
    if not installed:
        click.echo("no translation packages installed (see `pipeline models install --help`)")
    for p in installed:
        click.echo(f"{p.from_code} -> {p.to_code}  version {p.version}  {p.path}")
    for a, b in backends.pivot_pairs(backends.load()):
        click.echo(f"{a} -> {b} (through en)")


@models.command("install")
@click.argument("pair", nargs=-1)
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help="An .argosmodel file.")
@click.option("--dir", "dir_", type=click.Path(file_okay=False, path_type=Path),
              help="A package folder, or a folder of .argosmodel files (e.g. a USB stick).")
def models_install(pair, file_, dir_) -> None:
    """Install FROM TO from the argos index (online), or offline with --file / --dir."""
    from pipeline.translate import models as m

    if sum(map(bool, (pair, file_, dir_))) != 1 or (pair and len(pair) != 2):
        raise PipelineError("give FROM TO, or --file PATH.argosmodel, or --dir FOLDER", "see --help")
    if file_:
        installed = [m.install_file(file_)]
    elif dir_:
        installed = m.install_dir(dir_)
    else:
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        with Progress(*Progress.get_default_columns(), DownloadColumn(), TransferSpeedColumn(),
                      transient=True) as bar:
            task = bar.add_task(f"downloading {pair[0]} -> {pair[1]}", total=None)
            installed = [m.install_from_index(*pair, progress=lambda done, size: bar.update(
                task, completed=done, total=size))]
    for p in installed:
        click.echo(f"installed {p.from_code} -> {p.to_code} version {p.version} in {p.path}")


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def models_remove(from_code, to_code) -> None:
    """Remove the FROM TO package."""
    from pipeline.translate import models as m

    for p in m.remove(from_code, to_code):
        click.echo(f"removed {p.from_code} -> {p.to_code} ({p.path})")


# --- speech ----------------------------------------------------------------


_engine_option = click.option("--engine", help="Speak with this engine of the voice only (e.g. espeak), not the first available.")


def _voice(name: str, engine: str | None):
    from pipeline.speech import load_voice

    voice = load_voice(name)
    return voice.using(engine) if engine else voice


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--text", help="Text to speak (instead of FILE).")
@click.option("--voice", "voice_name", default="ko", show_default=True, help="Voice profile name or .toml path.")
@_engine_option
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="WAV file to write.")
@click.option("--announce", is_flag=True, help="Add the voice's intro and outro announcements.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16), help="Synthesis processes.")
@click.option("--timeout", "timeout_s", default=60.0, show_default=True, help="Seconds allowed per sentence (per 100 characters of it).")
def speak(file: str | None, text: str | None, voice_name: str, engine: str | None, out: str, announce: bool,
          workers: int, timeout_s: float) -> None:
    """Speak TEXT or FILE ('-' = stdin) with a voice: normalise, lexicon, synthesise, join into one WAV."""
    from pipeline.speech import speak_text

    if (text is None) == (file is None):
        raise PipelineError("give exactly one of --text or FILE", "e.g. pipeline speak --text '안녕하세요' -o out.wav")
    if text is None:
        text = _read_text(file)
    voice = _voice(voice_name, engine)
    if announce:
        text = "\n\n".join(t for t in (voice.intro, text, voice.outro) if t.strip())
    clip = speak_text(text, voice, Path(out), timeout_s=timeout_s, workers=workers)
    speaker = voice.speaker()
    click.echo(f"{clip.path}  {clip.duration:.2f} s  {clip.sample_rate} Hz  voice {voice.name}  {speaker.note()}")


def _read_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read {file}: {exc}", "give a UTF-8 text file") from None


@cli.group()
def voices() -> None:
    """List, inspect, preview and install voices (voices/*.toml and installed Piper voices)."""


@voices.command("list")
def voices_list() -> None:
    """Voice profiles: language, the engine that will speak here, and the engines it stands in for."""
    from pipeline.speech.voices import list_voices, load_voice, voices_dir

    names = list_voices()
    if not names:
        raise PipelineError(f"no voice profiles in {voices_dir()}", "set PIPELINE_VOICES_DIR or add voices/*.toml")
    for name in names:
        v = load_voice(name)
        try:
            note = v.speaker().note()
        except PipelineError as exc:
            note = f"UNAVAILABLE: {exc}"
        click.echo(f"{name:<16} {v.language:<4} {note}")


@voices.command("show")
@click.argument("name")
def voices_show(name: str) -> None:
    """Every field of a voice profile, each engine's settings, availability and build."""
    from pipeline.speech.voices import load_voice

    v = load_voice(name)
    click.echo(f"name: {v.name}\nfile: {v.source}\nlanguage: {v.language}")
    click.echo(f"pauses: sentence {v.sentence_pause_s} s, paragraph {v.paragraph_pause_s} s")
    click.echo(f"intro: {v.intro}\noutro: {v.outro}")
    if v.notes:
        click.echo(f"notes: {v.notes}")
    for i, choice in enumerate(v.engines, 1):
        status = choice.status()
        state = f"available: {status.describe}" if status.available else f"unavailable: {status.reason}"
        click.echo(f"engine {i}: {choice.name} ({state})")
        for key, value in choice.settings.items():
            click.echo(f"  {key}: {value}")
        if status.available:
            click.echo(f"  build: {status.build}")
        if choice.notes:
            click.echo(f"  cannot: {choice.notes}")
    click.echo(f"lexicon: {len(v.lexicon)} entries")
    for word, spoken in v.lexicon.items():
        click.echo(f"  {word} -> {spoken}")


@voices.command("preview")
@click.argument("name")
@click.argument("text")
@_engine_option
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="WAV file (default NAME-preview.wav).")
def voices_preview(name: str, text: str, engine: str | None, out: str | None) -> None:
    """Speak TEXT with voice NAME into a WAV file, and show the text as it is said (after normalisation)."""
    from pipeline.speech import speak_text, spoken_text

    voice = _voice(name, engine)
    click.echo(f"said: {spoken_text(text, voice)}")
    clip = speak_text(text, voice, Path(out or f"{voice.name}-preview.wav"))
    click.echo(f"{clip.path}  {clip.duration:.2f} s  {clip.sample_rate} Hz  {voice.speaker().note()}")


@voices.command("install")
@click.option("--file", "model", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A Piper voice model (VOICE.onnx; its VOICE.onnx.json beside it).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), help="The voice's JSON config, if not beside it.")
@click.option("--name", help="Voice name (default: the file's name).")
@click.option("--language", help="Language the voice speaks (default: from its config).")
def voices_install(model: Path, config: Path | None, name: str | None, language: str | None) -> None:
    """Install a Piper voice from files (offline): check it, copy it, write its voice profile."""
    from pipeline.speech import voice_files

    profile = voice_files.install_piper(model, config, name, language)
    click.echo(f"installed voice {profile.stem} ({profile}); speak with: pipeline speak --voice {profile.stem} --text ...")


@voices.command("remove")
@click.argument("name")
def voices_remove(name: str) -> None:
    """Remove an installed voice (its profile and model files); shipped profiles are not touched."""
    from pipeline.speech import voice_files

    for path in voice_files.remove(name):
        click.echo(f"removed {path}")


# --- audio -----------------------------------------------------------------


_profiles_dir = click.option("--profiles-dir", type=click.Path(file_okay=False, path_type=Path),
                             help="Folder of extra profile TOML files (default: $PIPELINE_PROFILES_DIR).")


@cli.command()
@_profiles_dir
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def profiles(profiles_dir: Path | None, as_json: bool) -> None:
    """List mastering profiles and their targets."""
    from dataclasses import asdict

    from pipeline.audio.profiles import list_profiles

    found = list_profiles(profiles_dir)
    if as_json:
        click.echo(json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2))
        return
    width = max(len(p.name) for p in found)
    for p in found:
        click.echo(f"{p.name:<{width}}  {p.summary()}")


@cli.command()
@click.argument("clips", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", "profile_name", default="podcast", show_default=True, help="Mastering profile.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; its suffix must be the profile's format.")
@click.option("--pause", type=float, help="Seconds of silence between clips [default: a voice's sentence pause].")
@click.option("--ident-pause", type=float,
              help="Seconds of silence after the intro and before the outro [default: a voice's paragraph pause].")
@click.option("--intro", type=click.Path(dir_okay=False, path_type=Path), help="Audio played first (station ident).")
@click.option("--outro", type=click.Path(dir_okay=False, path_type=Path), help="Audio played last.")
@click.option("--title", help="ID3 title (tags are written when a title is given and the profile has ID3).")
@click.option("--artist", default="", help="ID3 artist / station.")
@click.option("--album", default="", help="ID3 album / series.")
@click.option("--language", default="", help="ID3 language (ISO 639-1 or 639-2).")
@click.option("--date", default="", help="ID3 date (YYYY-MM-DD).")
@click.option("--comment", default="", help="ID3 comment.")
@click.option("--transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Text file stored as the ID3 transcript (USLT).")
@_profiles_dir
@click.option("--json", "as_json", is_flag=True, help="Print the measured programme as JSON.")
def master(clips, profile_name, output, pause, ident_pause, intro, outro, title, artist, album, language, date,
           comment, transcript, profiles_dir, as_json) -> None:
    """Master CLIPS (WAV files, in order) into one broadcast-ready file, measured after encoding."""
    from dataclasses import replace

    from pipeline.audio import master as mastering
    from pipeline.audio.ffmpeg import find_ffmpeg
    from pipeline.audio.profiles import load_profile
    from pipeline.export import Tags, write_tags
    from pipeline.files import atomic_path
    from pipeline.speech.voices import PARAGRAPH_PAUSE_S, SENTENCE_PAUSE_S

    pause = SENTENCE_PAUSE_S if pause is None else pause
    ident_pause = PARAGRAPH_PAUSE_S if ident_pause is None else ident_pause
    profile = load_profile(profile_name, profiles_dir)
    tags = None
    if title:
        lyrics = transcript.read_text(encoding="utf-8") if transcript else ""
        tags = Tags(title=title, artist=artist, album=album, language=language, date=date, comment=comment,
                    lyrics=lyrics)
    with atomic_path(output) as staged:  # tagged before it takes the output's name: never seen untagged or half-tagged
        prog = mastering.master(clips, profile, staged, pauses=[pause] * (len(clips) - 1), intro=intro, outro=outro,
                                ident_pause=ident_pause)
        if tags is not None and profile.id3:
            write_tags(staged, tags)
    prog = replace(prog, path=output)
    ff = find_ffmpeg()
    if as_json:
        click.echo(json.dumps({**prog.to_dict(), "ffmpeg": {**ff.to_dict(), "source": ff.source}}, indent=2))
        return
    chans = {1: "mono", 2: "stereo"}.get(prog.channels, f"{prog.channels} ch")
    rate = f"{prog.bitrate_kbps} kbps " if prog.bitrate_kbps else ""
    click.echo(f"wrote {prog.path}: {prog.duration:.1f} s, {rate}{chans} {prog.sample_rate / 1000:g} kHz")
    click.echo(f"  loudness {prog.loudness_lufs:.1f} LUFS (target {prog.target_lufs:g} ±{prog.tolerance_lu:g}), "
               f"true peak {prog.true_peak_dbtp:.1f} dBTP (ceiling {prog.ceiling_dbtp:g}): "
               f"{'pass' if prog.passed else 'FAIL'}  [profile {prog.profile}, {ff.describe()}]")


# --- doctor ----------------------------------------------------------------


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Output folder to check for writing.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path),
              help="Cache folder (default: $PIPELINE_CACHE_DIR or ~/.cache/broadcast-pipeline).")
@click.option("--profile", default="podcast", show_default=True, help="Profile of the test renders.")
@click.option("--voice", "voices", multiple=True, help="Check and render only this voice (repeatable; default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(out, cache_dir, profile, voices, as_json) -> None:
    """Check every external part (ffmpeg, eSpeak NG, models, voices, folders) and render a test programme per voice.
    Exit 1 when any check fails."""
    from pipeline import doctor as doc

    checks = []
    for check in doc.run_checks(out=out, cache_dir=cache_dir, profile=profile, voices=voices):
        checks.append(check)
        if not as_json:
            click.echo(check.line())
    failed = [c for c in checks if not c.ok]
    if as_json:
        click.echo(json.dumps({"ok": not failed, "checks": [c.to_dict() for c in checks]}, ensure_ascii=False, indent=2))
    elif failed:
        click.echo(f"{len(failed)} of {len(checks)} checks failed: {', '.join(c.name for c in failed)}", err=True)
    else:
        click.echo(f"all {len(checks)} checks passed")
    if failed:
        sys.exit(1)


# --- run / batch -----------------------------------------------------------


def _run_options(f):
    options = [
        click.option("--lang", "langs", multiple=True, required=True, help="Target language (repeatable, or a comma list: ko,zh)."),
        click.option("--profile", default="podcast", show_default=True, help="Mastering profile (see `pipeline profiles`)."),
        click.option("--out", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True, help="Output root."),
        click.option("--review", "review_dir", type=click.Path(file_okay=False, path_type=Path), help="Folder of review PO files (<slug>.<lang>.po), written and read."),
        click.option("--require-approved", is_flag=True, help="Refuse any sentence without an approved translation (--air all-approved)."),
        _air_option,
        click.option("--cache", "cache_dir", type=click.Path(path_type=Path), help="Cache folder (default: $PIPELINE_CACHE_DIR or ~/.cache/broadcast-pipeline)."),
        click.option("--station", help="Station file (TOML: name, idents, owner, artwork, feed titles; see "
                     "docs/station.md), or just a name. Remembered for later runs into the same --out.",
                     callback=lambda ctx, param, v: _publish_mod().check_station(v)),
        click.option("--base-url", default="", help="Public URL of the output root, for feed enclosures "
                     "(default: the station file's base_url, else the one used before).",
                     callback=lambda ctx, param, v: _publish_mod().check_base_url(v)),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
        click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout."),
        click.option("--title", help="Set the headline instead of the one the clean stage found."),
        click.option("--author", help="Set the author ('' for none)."),
        click.option("--date", help="Set the publication date (YYYY-MM-DD, '' for none). Several articles: a "
                                    "<name>.meta.toml beside each instead."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _publish_mod():
    from pipeline import publish

    return publish


def _config(out, profile, review_dir, require_approved, air, cache_dir, title=None, author=None, date=None):
    from pipeline.run import RunConfig

    kw = {"cache_dir": cache_dir} if cache_dir else {}
    fields = tuple((k, v) for k, v in (("title", title), ("author", author), ("date", date)) if v is not None)
    return RunConfig(out=out, profile=profile, review_dir=review_dir, require_approved=require_approved, air=air,
                     fields=fields, **kw)


@contextlib.contextmanager
def _session(config, station, base_url, progress, quiet: bool):
    """The run session (lock, stages, publishing); what the feeds lack is said after it, also when a run failed."""
    from pipeline.session import Session

    session = Session(config, station=station, base_url=base_url, report=progress.stage, warn=progress.warn)
    try:
        with session:
            yield session
    finally:
        for warning in [] if quiet else session.published.warnings:
            click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("source")
@_run_options
def run(source, langs, profile, out, review_dir, require_approved, air, cache_dir, station, base_url, quiet, as_json,
        title, author, date):
    """Run SOURCE (file, '-' for stdin, or URL) through every stage into each --lang."""
    from pipeline import run as run_mod
    from pipeline.progress import Progress

    failed = None
    config = _config(out, profile, review_dir, require_approved, air, cache_dir, title, author, date)
    with Progress(quiet=quiet or as_json) as progress, _session(config, station, base_url, progress, quiet) as session:
        try:
            results = session.run(source, langs)
        except run_mod.LanguagesFailed as exc:  # every language had its run; the good ones are published
            results, failed = exc.results, exc
    failures = failed.failures if failed else []
    if as_json:
        click.echo(run_mod.summary_json(results, failures))
    elif not quiet:
        from pipeline.batch import JobResult

        progress.summary(results, failed=[JobResult(source, lang, None, error) for lang, error in failures])
    if failed:
        raise failed


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel processes (default: number of cores).")
@click.option("--scheduler", metavar="ADDRESS", help="Run the jobs on the Dask cluster of this scheduler "
              "(tcp://host:8786) instead of local processes; --cache then names the workers' cache folder too "
              "(see docs/cluster.md).")
@_run_options
def batch(inputs, jobs, scheduler, langs, profile, out, review_dir, require_approved, air, cache_dir, station,
          base_url, quiet, as_json, title, author, date):
    """Run many articles (files, folders, globs, @list files) x languages in parallel."""
    from pipeline.progress import Progress

    cluster = None
    if scheduler is not None:
        from pipeline.cluster import Cluster

        if jobs is not None:
            raise PipelineError("--jobs sets local processes and --scheduler runs on a cluster: give one of them",
                                "drop --jobs: the cluster's workers decide how many jobs run at once")
        cluster = Cluster(scheduler, cache_dir)
    config = _config(out, profile, review_dir, require_approved, air, cache_dir, title, author, date)
    with Progress(quiet=quiet or as_json) as progress, _session(config, station, base_url, progress, quiet) as session:
        results = session.batch(inputs, langs, jobs=jobs, on_result=progress.job, on_start=progress.start,
                                cluster=cluster)
    failed = [r for r in results if not r.ok]
    if as_json:
        click.echo(json.dumps([{"source": r.source, "lang": r.lang, "error": r.error,
                                "result": r.result.to_dict() if r.result else None} for r in results], ensure_ascii=False, indent=2))
    elif not quiet:
        progress.summary([r.result for r in results if r.result], failed=failed)
    if failed:  # the line names the first failure itself: with --quiet or --json there is no summary above it
        first = failed[0]
        more = f"; and {len(failed) - 1} more (see the summary)" if len(failed) > 1 else ""
        raise PipelineError(f"{len(failed)} of {len(results)} jobs failed: {first.source} [{first.lang}]: {first.error}{more}",
                            "fix those inputs and run again: finished jobs are kept and a re-run resumes")
