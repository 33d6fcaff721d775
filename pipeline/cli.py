"""Command line: parse, call the library, report. No pipeline logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.errors import PipelineError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pipeline")
def cli() -> None:
    """Turn news articles into broadcast-ready audio, fully offline."""


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except PipelineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


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


# --- speech ----------------------------------------------------------------


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--text", help="Text to speak (instead of FILE).")
@click.option("--voice", "voice_name", default="ko", show_default=True, help="Voice profile name or .toml path.")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="WAV file to write.")
@click.option("--announce", is_flag=True, help="Add the voice's intro and outro announcements.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16), help="Synthesis processes.")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, help="Seconds allowed per sentence.")
def speak(file: str | None, text: str | None, voice_name: str, out: str, announce: bool, workers: int,
          timeout_s: float) -> None:
    """Speak TEXT or FILE ('-' = stdin) with a voice: normalise, lexicon, synthesise, join into one WAV."""
    from pipeline.speech import load_voice, speak_text

    if (text is None) == (file is None):
        raise PipelineError("give exactly one of --text or FILE", "e.g. pipeline speak --text '안녕하세요' -o out.wav")
    if text is None:
        text = _read_text(file)
    voice = load_voice(voice_name)
    if announce:
        text = "\n\n".join(t for t in (voice.intro, text, voice.outro) if t.strip())
    clip = speak_text(text, voice, Path(out), timeout_s=timeout_s, workers=workers)
    click.echo(f"{clip.path}  {clip.duration:.2f} s  {clip.sample_rate} Hz  voice {voice.name}")


def _read_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read {file}: {exc}", "give a UTF-8 text file") from None


@cli.group()
def voices() -> None:
    """List, inspect and preview voice profiles (voices/*.toml)."""


@voices.command("list")
def voices_list() -> None:
    """Voice profiles with their language and engine voice."""
    from pipeline.speech.voices import list_voices, load_voice, voices_dir

    names = list_voices()
    if not names:
        raise PipelineError(f"no voice profiles in {voices_dir()}", "set PIPELINE_VOICES_DIR or add voices/*.toml")
    for name in names:
        v = load_voice(name)
        click.echo(f"{name:<12} {v.language:<6} {v.engine}:{v.voice_id:<12} {v.rate} wpm  frontend {v.frontend}")


@voices.command("show")
@click.argument("name")
def voices_show(name: str) -> None:
    """Every field of a voice profile, and the engine build it runs on."""
    from pipeline.speech.engine import engine_build
    from pipeline.speech.voices import load_voice

    v = load_voice(name)
    for key, value in vars(v).items():
        if key != "lexicon":
            click.echo(f"{key}: {value}")
    click.echo(f"lexicon: {len(v.lexicon)} entries")
    for word, spoken in v.lexicon.items():
        click.echo(f"  {word} -> {spoken}")
    click.echo(f"engine build: {engine_build(v.engine)}")


@voices.command("preview")
@click.argument("name")
@click.argument("text")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="WAV file (default NAME-preview.wav).")
def voices_preview(name: str, text: str, out: str | None) -> None:
    """Speak TEXT with voice NAME into a WAV file, and show the exact engine input."""
    from pipeline.speech import load_voice, speak_text, speech_input

    voice = load_voice(name)
    clip = speak_text(text, voice, Path(out or f"{voice.name}-preview.wav"))
    click.echo(f"engine input: {speech_input(text, voice)}")
    click.echo(f"{clip.path}  {clip.duration:.2f} s  {clip.sample_rate} Hz")


# --- audio -----------------------------------------------------------------


# --- run / batch -----------------------------------------------------------


def _run_options(f):
    options = [
        click.option("--lang", "langs", multiple=True, required=True, help="Target language (repeatable, or a comma list: ko,zh)."),
        click.option("--profile", default="podcast", show_default=True, help="Mastering profile (see `pipeline profiles`)."),
        click.option("--out", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True, help="Output root."),
        click.option("--review", "review_dir", type=click.Path(path_type=Path), help="Folder of review PO files (<slug>.<lang>.po), written and read."),
        click.option("--require-approved", is_flag=True, help="Refuse any sentence without an approved translation."),
        click.option("--cache", "cache_dir", type=click.Path(path_type=Path), help="Cache folder (default: $PIPELINE_CACHE_DIR or ~/.cache/broadcast-pipeline)."),
        click.option("--station", default="pipeline", show_default=True, help="Station name (artist tag, feed title)."),
        click.option("--base-url", default="", help="Public URL of the output root, for feed enclosures."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
        click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _config(out, profile, review_dir, require_approved, cache_dir, station):
    from pipeline.run import RunConfig

    kw = {"cache_dir": cache_dir} if cache_dir else {}
    return RunConfig(out=out, profile=profile, review_dir=review_dir, require_approved=require_approved, station=station, **kw)


def _publish(out: Path, base_url: str, station: str) -> None:
    from pipeline import publish, report

    publish.write_feeds(out, base_url=base_url, title=station)
    report.write_report(out)
    publish.write_run_manifest(out)


@cli.command()
@click.argument("source")
@_run_options
def run(source, langs, profile, out, review_dir, require_approved, cache_dir, station, base_url, quiet, as_json):
    """Run SOURCE (file, '-' for stdin, or URL) through every stage into each --lang."""
    from pipeline import run as run_mod
    from pipeline.progress import Progress

    config = _config(out, profile, review_dir, require_approved, cache_dir, station)
    with Progress(quiet=quiet or as_json) as progress:
        results = run_mod.run(source, langs, config, report=progress.stage)
        progress.stage("*", "publish", "feeds, report, manifest")
        _publish(out, base_url, station)
    if as_json:
        click.echo(run_mod.summary_json(results))
    elif not quiet:
        progress.summary(results)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel processes (default: number of cores).")
@_run_options
def batch(inputs, jobs, langs, profile, out, review_dir, require_approved, cache_dir, station, base_url, quiet, as_json):
    """Run many articles (files, folders, globs, @list files) x languages in parallel."""
    from pipeline import batch as batch_mod
    from pipeline.progress import Progress

    config = _config(out, profile, review_dir, require_approved, cache_dir, station)
    with Progress(quiet=quiet or as_json) as progress:
        results = batch_mod.run_batch(inputs, langs, config, jobs=jobs, on_result=progress.job, on_start=progress.start)
        progress.stage("*", "publish", "feeds, report, manifest")
        _publish(out, base_url, station)
    failed = [r for r in results if not r.ok]
    if as_json:
        click.echo(json.dumps([{"source": r.source, "lang": r.lang, "error": r.error,
                                "result": r.result.to_dict() if r.result else None} for r in results], ensure_ascii=False, indent=2))
    elif not quiet:
        progress.summary([r.result for r in results if r.result], failed=failed)
    if failed:
        raise PipelineError(f"{len(failed)} of {len(results)} jobs failed", "see the summary above; finished jobs are kept and a re-run resumes")
