"""One run session owns an output folder: it locks the folder once, runs articles through the stages, and publishes
the folder (podcast feeds, the HTML report, the run manifest) when it ends.

    with Session(RunConfig(out=Path("outputs")), station="station.toml", base_url="https://radio.example/pod/") as s:
        results = s.run("article.txt", ["ko", "en"])      # or s.batch(["articles/"], ["ko"])
    s.published.feeds, s.published.pages, s.published.manifest

The CLI's `run` and `batch` are this and nothing more; a library caller gets the same lock, the same outputs and the
same feeds and report. Publishing happens on the way out whatever happened inside (a language or a job that failed,
Ctrl-C): the work already swapped in is described; a session that finished nothing leaves the feeds as they were.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import cache
from pipeline.run import CORRECT_HINT, LanguageResult, Report, RunConfig, languages, load_article, run_languages
from pipeline.station import Station

if TYPE_CHECKING:
    from pipeline.batch import JobResult
    from pipeline.cluster import Cluster


def _quiet(lang: str, stage: str, message: str) -> None:
    pass


def _ignore(message: str) -> None:
    pass


@dataclass(frozen=True)
class Published:
    """What a session published from the finished articles in its folder (all empty when none is finished)."""

    feeds: tuple[Path, ...] = ()  # feed.<lang>.xml and the artwork they show
    pages: tuple[Path, ...] = ()  # the report: index.html, one page per article, its pictures
    manifest: Path | None = None  # <out>/manifest.json, written last
    warnings: tuple[str, ...] = ()  # what the feeds lack (no --base-url, artwork, owner), for the producer


class Session:
    """Holds the output folder's lock (and marks the cache in use) from `__enter__` to `__exit__`, which publishes.

    STATION: a station file or name (remembered for this folder, as `--station` is), a `Station` (used as it is), or
    None (the one remembered for this folder, else none); it replaces `config.station`. BASE_URL: the public
    address of the folder, else the station's, else the one the folder was last published with. REPORT hears each
    stage (lang, stage, message); WARN what the clean stage was unsure of, for a producer to check."""

    def __init__(self, config: RunConfig, *, station: str | Station | None = None, base_url: str = "",
                 report: Report = _quiet, warn: Callable[[str], None] = _ignore) -> None:
        self.config, self.report, self.warn = config, report, warn
        self._station, self._base_url = station, base_url
        self.base_url = ""
        self.published = Published()
        self._held: contextlib.ExitStack | None = None
        self._ran = False  # a language or a batch started: only then can the folder have changed

    def __enter__(self) -> Session:
        with contextlib.ExitStack() as held:
            held.enter_context(cache.folder_lock(self.config.out))
            held.enter_context(cache.cache_in_use(self.config.cache_dir))
            station, self.base_url = _station(self.config.out, self._station, self._base_url)  # it may remember
            self.config = replace(self.config, station=station)
            self._held = held.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        try:  # also after a failure or Ctrl-C: what was swapped in before it is published
            if self._ran:
                self.report("*", "publish", "feeds, report, manifest")
                self.published = publish(self.config.out, self.config.station, self.base_url,
                                         cache.Cache(self.config.cache_dir))
        finally:
            self._held.close()

    def run(self, source: str, langs: Sequence[str]) -> list[LanguageResult]:
        """Clean SOURCE (a file, '-' or a URL) once, then produce every language. A language that fails does not
        stop the others: with one language its error is raised as it is, with several `run.LanguagesFailed` says
        which failed, after every language had its run."""
        article, path = load_article(source, self.config.fields)
        for note in _uncertain(article):
            self.warn(f"{source}: {note}; {CORRECT_HINT}")
        self._ran = True
        return run_languages(article, languages(langs), self.config, source=path, report=self.report)

    def batch(self, inputs: Sequence[str], langs: Sequence[str], *, jobs: int | None = None,
              on_result: Callable[[JobResult], None] = lambda r: None,
              on_start: Callable[[int], None] = lambda total: None, cluster: Cluster | None = None
              ) -> list[JobResult]:
        """Every article of INPUTS (files, folders, globs, @list files) x language, in parallel processes
        (`batch.run_jobs`), or on a Dask CLUSTER (`cluster.Cluster`: the workers send their files back and this
        session swaps them in and publishes); results in input order, a failed job as its error."""
        from pipeline.batch import run_jobs  # not on a single run's path

        execute = None
        if cluster is not None:
            from pipeline import cluster as cluster_mod

            execute = functools.partial(cluster_mod.run, cluster=cluster)

        def started(total: int) -> None:
            self._ran = True
            on_start(total)

        return run_jobs(inputs, langs, self.config, jobs=jobs, on_result=on_result, on_start=started,
                        on_warning=self.warn, execute=execute)


def _uncertain(article) -> list[str]:
    from pipeline.article import uncertain

    return uncertain(article)


def _station(out: Path, station: str | Station | None, base_url: str) -> tuple[Station, str]:
    """The session's station and the public base URL: BASE_URL, else the station file's, else the one an earlier
    run published with."""
    from pipeline import publish as publish_mod
    from pipeline import station as station_mod

    chosen = station if isinstance(station, Station) else station_mod.resolve(publish_mod.check_station(station), out)
    base = publish_mod.check_base_url(base_url) or chosen.base_url or publish_mod.recorded_base_url(out)
    return chosen, station_mod.base_url(base) if base else ""


def publish(out: Path, station: Station, base_url: str, store: cache.Cache | None = None) -> Published:
    """Feeds, report and run manifest from what is on disk. Each file is rewritten only when its bytes change: a
    run that changed nothing, or failed before any swap, leaves them as they were. The report's pictures come from
    the measurements the runs left in `store` when they are there."""
    from pipeline import publish as publish_mod
    from pipeline import report

    if next(publish_mod.finished(out), None) is None:
        return Published()
    feeds, warnings = publish_mod.write_feeds(out, station, base_url)
    pages = report.write_report(out, {p.name.split(".")[1] for p in feeds if p.name.startswith("feed.")}, store)
    manifest = publish_mod.write_run_manifest(out, base_url=base_url)
    return Published(tuple(feeds), tuple(pages), manifest, tuple(warnings))
