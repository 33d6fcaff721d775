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


# --- run / batch -----------------------------------------------------------
