"""Many articles x many languages in parallel processes; one failure never stops the others."""

from __future__ import annotations

import glob
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.article import Article
from pipeline.errors import PipelineError, from_os_error
from pipeline.run import CORRECT_HINT, LanguageResult, RunConfig, languages, load_article, run_language

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class JobResult:
    source: str
    lang: str
    result: LanguageResult | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


def expand_inputs(inputs: Sequence[str]) -> list[Path]:
    """Folders (their article files), globs, files, and `@list` files (one path per line, '#' comments)."""
    found: list[Path] = []
    for item in inputs:
        if item.startswith("@"):
            listing = Path(item[1:])
            try:
                lines = listing.read_text("utf-8").splitlines()
            except OSError as exc:
                raise PipelineError(f"cannot read list file {listing}: {exc.strerror}", "check the path after '@'") from exc
            base = listing.parent
            found += expand_inputs([str(base / ln.strip()) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")])
        elif Path(item).is_dir():
            found += sorted(p for p in Path(item).rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file())
        elif Path(item).is_file():
            found.append(Path(item))
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matches:
                raise PipelineError(f"no file matches {item!r}", "check the pattern")
            found += matches
        else:
            raise PipelineError(f"no such file or folder: {item}", "check the path")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise PipelineError("no articles found in the inputs", f"give files or folders holding {', '.join(sorted(ARTICLE_SUFFIXES))}")
    return unique


@dataclass(frozen=True)
class Job:
    """One article (cleaned once, before any job starts) x one language."""

    source: str
    lang: str
    article: Article
    path: Path


def _job(job: Job, config: RunConfig) -> JobResult:
    try:
        return JobResult(job.source, job.lang, run_language(job.article, job.lang, config, source=job.path), None)
    except Exception as exc:  # noqa: BLE001 - one broken article must not stop the batch; the summary names it
        return JobResult(job.source, job.lang, None, error_line(exc))


def error_line(exc: Exception) -> str:
    """A failed job's error as its summary line says it."""
    if isinstance(exc, PipelineError):
        return str(exc)
    if isinstance(exc, OSError):  # full disk, read-only folder: the user's to fix, said plainly
        return str(from_os_error(exc))
    return f"internal error: {type(exc).__name__}: {exc}"


def run_jobs(
    inputs: Sequence[str],
    langs: Sequence[str],
    config: RunConfig,
    *,
    jobs: int | None = None,
    on_result: Callable[[JobResult], None] = lambda r: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_warning: Callable[[str], None] = lambda message: None,
    execute: Callable[[list[Job], RunConfig], Iterable[JobResult]] | None = None,
) -> list[JobResult]:
    """Run every article x language in a run session (`session.Session`, whose folder lock the workers share);
    results come back in input order. Each article is cleaned once, here: its jobs get the frozen `Article`.
    ON_WARNING hears what the clean stage was unsure of in each article (the headline, the text's edges).
    EXECUTE runs the jobs somewhere else than local processes (`cluster.run`: on a Dask cluster; JOBS is then unused)."""
    from pipeline.cache import check_locked

    check_locked(config.out)  # the session's: a worker must hold it to swap its outputs in
    paths = expand_inputs(inputs)
    if config.fields and len(paths) > 1:
        raise PipelineError(f"--title, --author and --date set one article's fields, and {len(paths)} articles were given",
                            "put a <name>.meta.toml beside each article instead (title = \"...\", date = \"YYYY-MM-DD\")")
    codes = languages(langs)
    everything = [(str(p), lang) for p in paths for lang in codes]
    articles, refused = _clean(paths, config.fields, on_warning)
    work = [Job(str(p), lang, articles[p], p) for p in paths if p in articles for lang in codes]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work) or 1))
    if jobs > 1 and not config.speech_workers and execute is None:  # the jobs already share the cores
        config = replace(config, speech_workers=1)
    results: dict[tuple[str, str], JobResult] = {}
    on_start(len(everything))
    for r in [JobResult(str(p), lang, None, why) for p, why in refused.items() for lang in codes]:
        results[(r.source, r.lang)] = r
        on_result(r)
    for r in execute(work, config) if execute else _execute(work, config, jobs):
        results[(r.source, r.lang)] = r
        on_result(r)
    return [results[w] for w in everything]


def _clean(paths: Sequence[Path], fields=(), warn: Callable[[str], None] = lambda m: None
           ) -> tuple[dict[Path, Article], dict[Path, str]]:
    """Each article cleaned once: {path: Article} for the jobs, {path: why} for the ones refused. Refused: an
    article that cannot be cleaned, and one whose title names the same output folder as an earlier one's (run both
    and one would silently replace the other). WARN hears what the clean stage was unsure of."""
    from pipeline.article import uncertain
    from pipeline.export import slug

    first: dict[str, Path] = {}
    articles, refused = {}, {}
    for path in paths:
        try:
            article = load_article(str(path), fields)[0]
        except Exception as exc:  # noqa: BLE001 - as in its job: this article fails, the others go on
            refused[path] = error_line(exc)
            continue
        for note in uncertain(article):
            warn(f"{path}: {note}; {CORRECT_HINT}")
        name = slug(article.title)
        if name in first:
            refused[path] = (f"same title as {first[name].name}: both would be written to {name}/ "
                             "(give it another title, or run it into another --out folder)")
        else:
            first[name] = path
            articles[path] = article
    return articles, refused


def _execute(work: list[Job], config: RunConfig, jobs: int) -> Iterator[JobResult]:
    if jobs == 1:
        for job in work:
            yield _job(job, config)
        return
    # spawn: CTranslate2 and eSpeak hold threads and global state that a fork would copy half-initialised.
    ctx = multiprocessing.get_context("spawn")
    unfinished = []
    with _pool(jobs, ctx, config) as pool:
        jobs_of = {pool.submit(_job, job, config): job for job in work}
        try:
            for fut in as_completed(jobs_of):
                try:
                    yield fut.result()
                except BrokenProcessPool:  # a worker died (a crash in a native library) and took the pool down
                    unfinished.append(jobs_of[fut])
                except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                    job = jobs_of[fut]
                    yield JobResult(job.source, job.lang, None, f"worker process failed: {type(exc).__name__}: {exc}")
        except BaseException:  # Ctrl-C (or the caller stopped): stop now, not after the queued jobs
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in multiprocessing.active_children():
                worker.kill()
            raise
    # The jobs the dead pool left run again, each in a process of its own: the one that crashes fails alone.
    with ThreadPoolExecutor(max_workers=jobs) as threads:
        yield from threads.map(lambda job: _isolated(job, config, ctx), unfinished)


def _pool(workers: int, ctx, config: RunConfig) -> ProcessPoolExecutor:
    """Worker processes that die with this one and share its lock on the output folder (see `_worker_start`)."""
    from pipeline.cache import lock_for_workers

    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start,
                               initargs=(os.getpid(), lock_for_workers(config.out)))


def _worker_start(parent: int, locked: Path) -> None:
    """In a new worker: die with the batch's main process. Without this, a kill -9 of the main process left its
    workers running, and they swapped their (by then withdrawn) work in after a new run had taken the folder.
    The folder's lock arrived with the arguments (`lock_for_workers`): the worker holds `locked` like its parent."""
    from pipeline.procs import die_with_parent

    die_with_parent(parent)
    signal_quiet_ctrl_c()


def signal_quiet_ctrl_c() -> None:
    """In a pool worker: Ctrl-C reaches the whole process group; the parent stops the workers (a worker dying on its
    own would print a traceback). A handler, not SIG_IGN: the engine and ffmpeg processes it starts keep the default."""
    import signal

    signal.signal(signal.SIGINT, lambda signum, frame: None)


def _isolated(job: Job, config: RunConfig, ctx) -> JobResult:
    with _pool(1, ctx, config) as pool:
        try:
            return pool.submit(_job, job, config).result()
        except BrokenProcessPool:
            return JobResult(job.source, job.lang, None, "the worker process crashed (killed by a signal or a native library "
                                         "error) while working on this article; the other articles went on")
