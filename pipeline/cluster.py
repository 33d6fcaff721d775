"""`pipeline batch --scheduler ADDRESS`: the batch's jobs (one per article x language) on a Dask cluster.

Each worker makes its language folder in a scratch folder of its own and sends the files back; this process, which
holds the output folder's lock, checks them and swaps them in as a local run does (staged, manifest last), then the
session publishes. A worker never writes the output folder, so one killed mid-task leaves nothing half-written
there: the scheduler runs its task again on another worker. Before any job is submitted every worker runs the
doctor's checks for what the batch needs; a worker that lacks something refuses the whole batch.

dask.distributed is an optional extra (`pip install '.[cluster]'`), imported only here and on the workers.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath

from pipeline import cache
from pipeline.batch import Job, JobResult, error_line
from pipeline.errors import PipelineError
from pipeline.run import LanguageResult, RunConfig, approved_files, check_folder, run_language, swap_in

START_HINT = "start one with `dask scheduler`, and workers with `dask worker ADDRESS`; see docs/cluster.md"
# host:port, tcp://host:port, tls://..., [IPv6]:port
_ADDRESS = re.compile(r"((tcp|tls|inproc|ucx)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Cluster:
    """Where a batch runs: a Dask scheduler's address. CACHE_DIR: the cache folder the workers use, at this path
    on each of them (one folder every machine mounts there is a shared cache: a task another worker started
    resumes from its clips); None: each worker uses its own default cache."""

    address: str
    cache_dir: Path | None = None

    def __post_init__(self) -> None:  # a typo is refused before the run takes its folder
        if not _ADDRESS.fullmatch(self.address):
            raise PipelineError(f"{self.address!r} is not a scheduler address",
                                "give host:port, e.g. tcp://10.0.0.5:8786")


@dataclass(frozen=True)
class Needs:
    """What the batch asks of every worker, checked there before any job is submitted."""

    langs: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]  # (from, to) that machine translation must cover
    profile: str
    profile_settings: dict | None  # this machine's profile of that name, which the workers' must equal
    cache_dir: str | None


@dataclass(frozen=True)
class Task:
    """One job as a worker gets it."""

    job: Job
    config: RunConfig
    cache_dir: str | None
    approved: tuple[tuple[str, bytes], ...]  # the article's approved PO files: (name, content)
    review: bytes | None  # the review PO (--review), which the worker updates and sends back
    previous: bytes | None  # the language folder's manifest: the episode keeps its date and GUID


@dataclass(frozen=True)
class Delivered:
    """What a worker sends back: the finished language folder's files, by path below the output folder."""

    worker: str
    result: LanguageResult | None = None  # its paths relative to the output folder
    files: tuple[tuple[str, bytes], ...] = ()
    review: bytes | None = None
    error: str | None = None


def connect(address: str):
    """A client of the scheduler at ADDRESS, or a one-line error (no such module, a malformed or unreachable address)."""
    from pipeline.env import seconds

    try:
        from distributed import Client
    except ImportError:
        raise PipelineError("--scheduler needs dask.distributed, which is not installed",
                            "pip install 'pipeline[cluster]' (in a checkout: pip install -e '.[cluster]')") from None
    timeout = seconds("PIPELINE_SCHEDULER_TIMEOUT", 10.0)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PipelineError(f"cannot reach the Dask scheduler at {address}: {reason}", START_HINT) from None


def run(work: Sequence[Job], config: RunConfig, cluster: Cluster) -> Iterator[JobResult]:
    """Every job on the cluster; results as they finish, each already swapped into `config.out`."""
    from distributed import as_completed

    client = connect(cluster.address)
    futures = {}
    try:
        check_workers(client, work, config, cluster)
        tasks = []
        for job in work:
            try:
                tasks.append(_task(job, config, cluster))
            except (PipelineError, OSError) as exc:  # as in a local job: this one fails, the others go on
                yield JobResult(job.source, job.lang, None, error_line(exc))
        for task in tasks:
            key = f"pipeline-{task.job.lang}-{Path(task.job.source).stem[:40]}-{secrets.token_hex(4)}"
            futures[client.submit(produce, task, key=key, pure=False)] = task.job
        for future in as_completed(futures, loop=client.loop):
            job = futures[future]
            try:
                got = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker (it died on every worker it tried), lost data
                yield JobResult(job.source, job.lang, None, f"cluster task failed: {type(exc).__name__}: {exc}")
                continue
            yield deliver(job, got, config)
    finally:  # also on Ctrl-C: the scheduler drops what is still queued
        client.cancel(list(futures))
        client.close()


def check_workers(client, work: Sequence[Job], config: RunConfig, cluster: Cluster) -> None:
    """Run the checks on every worker now connected; refuse the batch, naming each worker and what it lacks."""
    from pipeline.audio import profiles

    workers = sorted(client.scheduler_info()["workers"])
    if not workers:
        raise PipelineError(f"no workers are connected to the scheduler at {cluster.address}",
                            f"start some: dask worker {cluster.address}")
    try:
        mine = _settings(profiles.load_profile(config.profile))
    except PipelineError:  # this machine may lack it; the workers must have it
        mine = None
    # A job with approved translations may need no model; if they are incomplete, its worker says so.
    pairs = {(j.article.language, j.lang) for j in work
             if j.article.language != j.lang and not approved_files(j.path, _slug(j), j.lang, config.review_dir)}
    needs = Needs(tuple(dict.fromkeys(j.lang for j in work)), tuple(sorted(pairs)), config.profile, mine,
                  _cache(cluster))
    found = client.run(_lacks_off_loop, needs, on_error="return")
    refusals = []
    for worker in workers:
        problems = found.get(worker, ["did not answer the checks"])
        if isinstance(problems, BaseException):
            problems = [f"the checks failed: {type(problems).__name__}: {problems}"]
        if problems:
            refusals.append(f"worker {worker} lacks {'; '.join(problems)}")
    if refusals:
        raise PipelineError(" | ".join(refusals), "install what that names on those workers (run `pipeline doctor` "
                            "there), or stop them, then run again")


async def _lacks_off_loop(needs: Needs) -> list[str]:
    """`lacks` in a thread: Client.run calls a plain function on the worker's event loop, which a test render
    would block (heartbeats missed)."""
    import asyncio

    return await asyncio.to_thread(lacks, needs)


def lacks(needs: Needs) -> list[str]:
    """On a worker: what it lacks for the batch (the doctor's failed checks, a profile that differs from the
    submitting machine's, a missing translation route), as short phrases; [] when nothing."""
    from pipeline import doctor
    from pipeline.audio import profiles
    from pipeline.translate import backends

    root = Path(needs.cache_dir) if needs.cache_dir else cache.default_dir()
    problems = [f"{c.name} ({c.detail})" for c in doctor.run_checks(out=Path(tempfile.gettempdir()), cache_dir=root,
                                                                    profile=needs.profile, voices=needs.langs)
                if not c.ok]
    try:
        if needs.profile_settings is not None and _settings(profiles.load_profile(needs.profile)) != needs.profile_settings:
            problems.append(f"profile {needs.profile} as the submitting machine has it (its settings differ)")
    except PipelineError as exc:
        problems.append(f"profile {needs.profile} ({exc.problem})")
    for a, b in needs.pairs:
        try:
            if backends.route(a, b) is None:
                problems.append(f"a translation model {a}->{b} (pipeline models install)")
        except PipelineError as exc:
            problems.append(f"translation {a}->{b} ({exc.problem})")
    return problems


def _settings(profile) -> dict:
    """What a profile sets, not where its file is (another path on another machine)."""
    return {k: v for k, v in asdict(profile).items() if k != "source"}


def _task(job: Job, config: RunConfig, cluster: Cluster) -> Task:
    """The job as a worker gets it, with what it reads from this machine; refused here, like a local run refuses it,
    when its folder is not this article's to write (`run.check_folder`)."""
    slug = _slug(job)
    check_folder(config.out, slug, job.lang, job.article.title, job.path.name)
    beside = [p for p in approved_files(job.path, slug, job.lang, None)]
    review = config.review_dir / f"{slug}.{job.lang}.po" if config.review_dir else None
    previous = config.out / slug / job.lang / MANIFEST
    return Task(job, config, _cache(cluster), tuple((p.name, p.read_bytes()) for p in beside),
                review.read_bytes() if review and review.is_file() else None,
                previous.read_bytes() if previous.is_file() and not previous.is_symlink() else None)


def produce(task: Task) -> Delivered:
    """On a worker: run the job into a scratch folder inside its cache (where the cache's sweep finds what a killed
    task left) and return the finished language folder's files."""
    from distributed import get_worker

    worker = get_worker()
    job = task.job
    try:
        root = Path(task.cache_dir) if task.cache_dir else cache.default_dir()
        with cache.cache_in_use(root), cache.Cache(root).temp_dir("cluster-job") as scratch:
            out, source, review = scratch / "out", scratch / "in" / job.path.name, scratch / "review"
            for folder in (source.parent, review):
                folder.mkdir()
            for name, data in task.approved:
                (source.parent / name).write_bytes(data)
            slug = _slug(job)
            if task.review is not None:
                (review / f"{slug}.{job.lang}.po").write_bytes(task.review)
            if task.previous is not None:
                (out / slug / job.lang).mkdir(parents=True)
                (out / slug / job.lang / MANIFEST).write_bytes(task.previous)
            # A worker of one thread has the machine's cores for its speech; one of several shares them.
            speech = task.config.speech_workers or (0 if worker.state.nthreads == 1 else 1)
            config = replace(task.config, out=out, cache_dir=root, speech_workers=speech,
                             review_dir=review if task.config.review_dir else None)
            with cache.folder_lock(out):
                result = run_language(job.article, job.lang, config, source=source)
            files = tuple((p.relative_to(out).as_posix(), p.read_bytes()) for p in result.files)
            po = review / f"{slug}.{job.lang}.po"
            return Delivered(worker.address, _relative(result, out), files,
                             po.read_bytes() if task.config.review_dir and po.is_file() else None)
    except Exception as exc:  # noqa: BLE001 - sent back as the job's error, as a local job reports it
        return Delivered(worker.address, error=error_line(exc))


def deliver(job: Job, got: Delivered, config: RunConfig) -> JobResult:
    """Swap a worker's files into the output folder, after checking them: only this article's language folder,
    only its own files, each the one its manifest describes. Anything else writes nothing."""
    if not isinstance(got, Delivered):  # a worker running another version of the pipeline
        return JobResult(job.source, job.lang, None, f"a worker sent back {type(got).__name__}, not a job's files; "
                         "run the same pipeline version on every worker")
    if got.error is not None:
        return JobResult(job.source, job.lang, None, f"{got.error} (on worker {got.worker})")
    slug = _slug(job)
    folder = config.out / slug / job.lang
    try:
        contents = checked(got.files, slug, job.lang)
        swap_in(config.out, folder, contents)
        if got.review is not None and config.review_dir is not None:
            from pipeline.files import atomic_write_bytes

            atomic_write_bytes(config.review_dir / f"{slug}.{job.lang}.po", got.review)
    except (PipelineError, OSError) as exc:
        return JobResult(job.source, job.lang, None, f"{error_line(exc)} (from worker {got.worker})")
    r = got.result
    audio = PurePosixPath(r.audio).name if r is not None else ""
    if audio not in contents:  # said by the worker, checked like its files
        return JobResult(job.source, job.lang, None, f"worker {got.worker} named {audio!r} as the programme, "
                         "which it did not send")
    return JobResult(job.source, job.lang, replace(r, folder=folder, audio=folder / audio,
                                                   files=tuple(folder / n for n in contents)), None)


def checked(files: Sequence[tuple[str, bytes]], slug: str, lang: str) -> dict[str, bytes]:
    """{file name: content} of files a worker sent for `<slug>/<lang>/`, or a PipelineError: every path must be
    exactly `<slug>/<lang>/<name>` (no absolute path, no '..', no other folder), and the set of files must be the
    one its manifest lists, each with the checksum listed."""
    import hashlib

    from pipeline.publish import is_language_manifest

    def refuse(why: str) -> PipelineError:
        return PipelineError(f"the worker sent back {why}; nothing of it was written", "check that worker's pipeline")

    contents: dict[str, bytes] = {}
    for path, data in files:
        parts = PurePosixPath(path).parts if isinstance(path, str) and "\\" not in path else ()
        name = parts[-1] if len(parts) == 3 else ""
        if parts[:2] != (slug, lang) or not (name == MANIFEST or re.fullmatch(rf"{slug}\.{lang}\.[a-z0-9]+", name)):
            raise refuse(f"{path!r}, which is not a file of {slug}/{lang}/")
        if name in contents or not isinstance(data, bytes):
            raise refuse(f"{path!r} twice, or not as bytes")
        contents[name] = data
    try:
        meta = json.loads(contents[MANIFEST])
    except (KeyError, ValueError):
        raise refuse(f"no readable {MANIFEST}") from None
    if not is_language_manifest(meta, Path(slug) / lang):
        raise refuse(f"a {MANIFEST} that is not this article's")
    listed = {f["path"]: f["sha256"] for f in meta["files"]}
    if set(listed) != set(contents) - {MANIFEST}:
        raise refuse(f"files {sorted(set(contents) - {MANIFEST})} where its manifest lists {sorted(listed)}")
    for name, digest in listed.items():
        if hashlib.sha256(contents[name]).hexdigest() != digest:
            raise refuse(f"{name} with another checksum than its manifest lists")
    return contents


def _relative(result: LanguageResult, out: Path) -> LanguageResult:
    def rel(p: Path) -> Path:
        return p.relative_to(out)

    return replace(result, folder=rel(result.folder), audio=rel(result.audio), files=tuple(map(rel, result.files)))


def _slug(job: Job) -> str:
    from pipeline.export import slug

    return slug(job.article.title)


def _cache(cluster: Cluster) -> str | None:
    return str(cluster.cache_dir) if cluster.cache_dir else None
