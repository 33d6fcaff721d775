"""What the CLI shows while it works: rich progress on a terminal, plain log lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

STAGES = ("translate", "speak", "master", "export")


class Progress:
    def __init__(self, *, quiet: bool = False):
        self.quiet = quiet
        self.tty = sys.stderr.isatty() and not quiet
        self._rich = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

            self._rich = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._rich.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc)

    def _log(self, line: str) -> None:
        if not self.quiet:
            click.echo(line, err=True)

    def warn(self, message: str) -> None:
        """Something a producer should check (the clean stage was unsure of a headline): shown unless quiet."""
        if self._rich is not None:
            self._rich.console.print(f"warning: {message}", style="yellow", markup=False, highlight=False)
        else:
            self._log(f"warning: {message}")

    def stage(self, lang: str, stage: str, message: str) -> None:
        """One article: a bar per language that moves through the stages."""
        if self._rich is None:
            self._log(f"[{lang}] {stage}: {message}")
            return
        if lang not in self._tasks:
            self._tasks[lang] = self._rich.add_task(f"{lang}", total=len(STAGES))
        done = STAGES.index(stage) if stage in STAGES else len(STAGES)
        self._rich.update(self._tasks[lang], completed=done, description=f"{lang}: {stage} {message}"[:60])

    def start(self, total: int) -> None:
        if self._rich is not None:
            self._tasks["batch"] = self._rich.add_task("batch", total=total)
        else:
            self._log(f"batch: {total} jobs")

    def job(self, result) -> None:
        """A batch job finished."""
        status = "ok" if result.ok else f"FAILED: {result.error}"
        if self._rich is not None:
            self._rich.advance(self._tasks["batch"])
            if not result.ok:
                self._rich.console.print(f"[red]{result.source} [{result.lang}] {status}")
        else:
            self._log(f"[{result.lang}] {result.source}: {status}")

    def summary(self, results: Sequence, failed: Sequence = ()) -> None:
        rows = [
            (
                r.lang, str(r.audio), f"{r.duration:.1f} s", f"{r.loudness_lufs:.1f} LUFS", f"{r.true_peak_dbtp:.1f} dBTP",
                "pass" if r.passed else "FAIL", _translations(r),
            )
            for r in results
        ]
        head = ("lang", "audio", "duration", "loudness", "true peak", "check", "translations")
        if self.tty:
            from rich.console import Console
            from rich.table import Table

            table = Table(*head)
            for row in rows:
                table.add_row(*row)
            Console().print(table)
        else:
            for row in [head, *rows]:
                click.echo("  ".join(row))
        for f in failed:
            click.echo(f"failed: {f.source} [{f.lang}]: {f.error}", err=True)


def _translations(r) -> str:
    """Where the text came from, and what a producer must know before airing: machine text that failed the checks
    and aired anyway (--air flagged), sentences left out for want of an approved translation (--air approved-only)."""
    parts = [f"{k} {v}" for k, v in sorted(r.origins.items())]
    if r.flagged:
        parts.append(f"{len(r.flagged)} FLAGGED (failed the translation checks)")
    if r.left_out:
        parts.append(f"{len(r.left_out)} LEFT OUT (not approved)")
    return ", ".join(parts)
