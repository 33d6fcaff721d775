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
@click.option("--pause", type=float, help="Seconds of silence between clips [default: the profile's sentence pause].")
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
def master(clips, profile_name, output, pause, intro, outro, title, artist, album, language, date, comment,
           transcript, profiles_dir, as_json) -> None:
    """Master CLIPS (WAV files, in order) into one broadcast-ready file, measured after encoding."""
    from pipeline.audio import master as mastering
    from pipeline.audio.ffmpeg import find_ffmpeg
    from pipeline.audio.profiles import load_profile
    from pipeline.export import Tags

    profile = load_profile(profile_name, profiles_dir)
    tags = None
    if title:
        lyrics = transcript.read_text(encoding="utf-8") if transcript else ""
        tags = Tags(title=title, artist=artist, album=album, language=language, date=date, comment=comment,
                    lyrics=lyrics)
    pauses = None if pause is None else [pause] * len(clips)
    prog = mastering.master(clips, profile, output, pauses=pauses, intro=intro, outro=outro, tags=tags)
    ff = find_ffmpeg()
    if as_json:
        click.echo(json.dumps({**prog.to_dict(), "ffmpeg": {"path": ff.path, "source": ff.source}}, indent=2))
        return
    chans = {1: "mono", 2: "stereo"}.get(prog.channels, f"{prog.channels} ch")
    rate = f"{prog.bitrate_kbps} kbps " if prog.bitrate_kbps else ""
    click.echo(f"wrote {prog.path}: {prog.duration:.1f} s, {rate}{chans} {prog.sample_rate / 1000:g} kHz")
    click.echo(f"  loudness {prog.loudness_lufs:.1f} LUFS (target {prog.target_lufs:g} ±{prog.tolerance_lu:g}), "
               f"true peak {prog.true_peak_dbtp:.1f} dBTP (ceiling {prog.ceiling_dbtp:g}): "
               f"{'pass' if prog.passed else 'FAIL'}  [profile {prog.profile}, ffmpeg from {ff.source}]")


# --- run / batch -----------------------------------------------------------
