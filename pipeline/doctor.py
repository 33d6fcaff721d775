"""`pipeline doctor`: what a user runs on a new machine or when something fails.

Every external part the pipeline runs on, with path, version and origin (ffmpeg and the filters and encoders it
needs, eSpeak NG and its data, onnxruntime where installed, CTranslate2, Python), the translation packages, each
voice and the engine it will use, the profiles, the cache and output folders; then a 2-second programme per voice
through speech, mastering, encoding and the re-measurement of the encoded file. Each check is one `Check`, yielded
as soon as it is known, OK or FAIL with the fix.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError

MIN_PYTHON = (3, 11)
# What a voice says in its test render when it has no intro or outro (the shipped voices have none).
SAMPLE_TEXT = {"ko": "하나, 둘, 셋, 넷. 잘 들리십니까?", "en": "One, two, three, four. Can you hear me?",
               "zh": "一，二，三，四。听得清楚吗？", "ru": "Раз, два, три, четыре. Вы меня слышите?",
               "ja": "いち、に、さん、し。きこえますか。"}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    data: dict = field(default_factory=dict)

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.detail}" + ("" if self.ok else f" (fix: {self.fix})")

    def to_dict(self) -> dict:
        return asdict(self)


def _check(name: str, probe: Callable[[], tuple[str, dict]]) -> Check:
    """Run one probe: (detail, data) is OK; a PipelineError is a FAIL with its fix."""
    try:
        detail, data = probe()
    except PipelineError as exc:
        return Check(name, False, exc.problem, exc.fix or "see docs/architecture.md (Environment)")
    return Check(name, True, detail, data=data)


def run_checks(out: Path = Path("outputs"), cache_dir: Path | None = None, profile: str = "podcast",
               voices: tuple[str, ...] = ()) -> Iterator[Check]:
    """Every check, in order; `voices` limits the voice checks and renders to those voice profiles (default: all)."""
    yield _check("python", _python)
    ffmpeg = _check("ffmpeg", _ffmpeg)
    yield ffmpeg
    yield _check("ffmpeg (others)", _other_ffmpegs)
    yield _check("eSpeak NG", _espeak)
    yield _check("eSpeak NG (others)", _other_espeaks)
    yield _check("onnxruntime", _onnxruntime)
    yield _check("CTranslate2", _ctranslate2)
    yield _check("translation packages", _translation_packages)
    yield _check("profiles", _profiles)
    yield _check("cache folder", lambda: _cache(cache_dir))
    yield _check("output folder", lambda: _writable(Path(out), "output folder"))
    voices = _voices(voices)
    if isinstance(voices, Check):
        yield voices
        return
    for voice in voices:
        yield _check(f"voice {voice.name}", lambda: _voice(voice))
    with tempfile.TemporaryDirectory(prefix="pipeline-doctor-") as tmp:
        for voice in voices:
            yield _check(f"render {voice.name}", lambda: _render(voice, profile, Path(tmp)))


# --- the probes ----------------------------------------------------------------------------------------------------


def _python():
    v = sys.version_info
    detail = f"Python {v.major}.{v.minor}.{v.micro} ({sys.executable})"
    if v[:2] < MIN_PYTHON:
        raise PipelineError(detail, f"use Python {'.'.join(map(str, MIN_PYTHON))} or newer")
    return detail, {"version": f"{v.major}.{v.minor}.{v.micro}", "path": sys.executable}


def _ffmpeg():
    from pipeline.audio.ffmpeg import ENV, FORMAT_ENCODERS, find_ffmpeg

    ff = find_ffmpeg()
    build = ff.build()
    missing = ff.missing()
    if missing:
        raise PipelineError(f"{ff.describe()} lacks {', '.join(missing)}",
                            f"install a complete ffmpeg build, or choose another with {ENV}=wheel, system or a path")
    resampler = "soxr resampler" if build.soxr else "no libsoxr: ffmpeg's own resampler"
    lacking = {fmt: enc for fmt, enc in FORMAT_ENCODERS.items() if not ff.has_encoder(enc)}
    cannot = "".join(f"; no {enc}: cannot make {fmt.upper()} profiles" for fmt, enc in lacking.items())
    return (f"{ff.describe()}; every filter and encoder needed; {resampler}{cannot}",
            {**ff.to_dict(), "soxr": build.soxr, "cannot_make": sorted(lacking)})


def _other_ffmpegs():
    from pipeline.audio.ffmpeg import ENV, SYSTEM, candidates, find_ffmpeg

    try:
        chosen = find_ffmpeg().path
    except PipelineError:
        chosen = None
    others = []
    for ff in candidates():
        if ff.path != chosen:
            try:
                others.append((ff, ff.version()))
            except PipelineError:
                continue
    if not others:
        return "none besides the one above", {"others": []}
    shown = "; ".join(f"ffmpeg {v} ({ff.source}: {ff.path}, {ENV}={'system' if ff.source == SYSTEM else 'wheel'})"
                      for ff, v in others)
    return f"also on this machine: {shown}", {"others": [{**ff.to_dict()} for ff, _ in others]}


@functools.cache
def _probe(choice: str) -> dict:
    from pipeline.speech.engines.espeak import probe

    return probe(choice)


def _espeak():
    from pipeline.speech.engines.espeak import ENV

    choice = os.environ.get(ENV, "").strip()
    found = _probe(choice)  # in a process of its own: it initialises eSpeak NG to learn its data folder
    data = found.get("data")
    if not data or not os.path.isfile(os.path.join(data, "phontab")):
        raise PipelineError(f"eSpeak NG {found['version']} ({found['origin']}: {found['path']}) has no data at {data}",
                            "reinstall espeak-ng-data or the espeakng-loader wheel, or set ESPEAK_DATA_PATH")
    return f"eSpeak NG {found['version']} ({found['origin']}: {found['path']}; data {data})", found


def _other_espeaks():
    from pipeline.speech.engines.espeak import ENV

    current = os.environ.get(ENV, "").strip()
    try:
        chosen = _probe(current)["path"]
    except PipelineError:
        chosen = None
    others = []
    for choice in ("wheel", "system"):
        try:
            found = _probe(choice)
        except PipelineError:
            continue
        if found["path"] != chosen:
            others.append((choice, found))
    if not others:
        return "none besides the one above", {"others": []}
    shown = "; ".join(f"eSpeak NG {f['version']} ({f['origin']}: {f['path']}, {ENV}={c})" for c, f in others)
    return f"also on this machine: {shown}", {"others": [f for _, f in others]}


def _module(name: str, dist: str | None = None) -> dict | None:
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    try:
        version = importlib.metadata.version(dist or name)
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    where = spec.origin or (list(spec.submodule_search_locations or []) or ["?"])[0]
    return {"version": version, "path": str(Path(where).parent if where.endswith("__init__.py") else where)}


def _onnxruntime():
    found = _module("onnxruntime")
    if found is None:
        return "not installed (only neural voices need it)", {}
    return f"onnxruntime {found['version']} ({found['path']})", found


def _ctranslate2():
    found = _module("ctranslate2")
    if found is None:
        raise PipelineError("CTranslate2 is not installed", "reinstall the pipeline: make install (or pip install -e .)")
    importlib.import_module("ctranslate2")  # a broken native library fails here, not in the middle of a run

    sp = _module("sentencepiece")
    extra = f"; sentencepiece {sp['version']}" if sp else ""
    return f"CTranslate2 {found['version']} ({found['path']}){extra}", {**found, "sentencepiece": sp}


def _translation_packages():
    from pipeline.translate import models

    dist = next((d for d in ("argos-translate-lt", "argostranslate") if _installed(d)), None)
    if dist is None:
        raise PipelineError("argostranslate is not installed", "reinstall the pipeline: make install")
    packages = models.installed()
    pairs = ", ".join(f"{p.from_code}->{p.to_code} {p.version}" for p in packages) or \
        "none (approved PO files only; add models with `pipeline models install`)"
    return (f"{dist} {importlib.metadata.version(dist)}, folder {models.packages_dir()}: {pairs}",
            {"argos": dist, "folder": str(models.packages_dir()),
             "packages": [{"from": p.from_code, "to": p.to_code, "version": p.version, "path": str(p.path)}
                          for p in packages]})


def _installed(dist: str) -> bool:
    try:
        importlib.metadata.version(dist)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def _profiles():
    from pipeline.audio.profiles import list_profiles

    found = list_profiles()
    return ", ".join(p.name for p in found), {"profiles": [{"name": p.name, "source": p.source} for p in found]}


def _cache(cache_dir: Path | None):
    from pipeline.cache import default_dir

    root = Path(cache_dir) if cache_dir else default_dir()
    detail, data = _writable(root, "cache folder")
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) if root.is_dir() else 0
    return f"{detail}, {size / 1e6:.1f} MB", {**data, "bytes": size}


def _writable(folder: Path, what: str):
    """A folder that exists and takes a new file, or whose nearest existing parent would let it be created."""
    target = folder.resolve()
    existing = next(p for p in (target, *target.parents) if p.exists())
    if not existing.is_dir():
        raise PipelineError(f"{what} {target}: {existing} is a file", "choose another folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise PipelineError(f"{what} {target} is not writable: {exc.strerror}",
                            "check its permissions, or choose another folder") from None
    state = "writable" if existing == target else f"will be created (in {existing}, writable)"
    return f"{target} {state}", {"path": str(target), "exists": existing == target}


def _voices(only: tuple[str, ...]):
    from pipeline.speech import list_voices, load_voice

    try:
        names = only or list_voices()
        if not names:
            raise PipelineError("no voice profiles found", "set PIPELINE_VOICES_DIR or add voices/*.toml")
        return [load_voice(n) for n in names]
    except PipelineError as exc:
        return Check("voices", False, exc.problem, exc.fix or "fix the voice profile")


def _voice(voice):
    """Which engine speaks this voice here, and why not each engine it prefers (a fallback is a FAIL: the voice is
    not what the station chose; the fix is what the first unavailable engine needs)."""
    from pipeline.tools import voice_engine

    used = voice_engine(voice)
    name = f"{used['name']} {used.get('version', '')}".strip()
    origin = f" ({used['origin']})" if used.get("origin") else ""
    facts = {"language": voice.language, "engine": used, "engines": [c.name for c in voice.engines]}
    line = f"language {voice.language}, {used['engine']} -> {name}{origin}, {used['describe']}"
    if used["fallback"]:
        first = used["skipped"][0]
        raise PipelineError(f"{line}; stands in for {first['engine']}, which is unavailable: {first['reason']}",
                            "install what that names (pipeline voices show " + voice.name + ")")
    return line, facts


def _render(voice, profile_name: str, tmp: Path):
    """A short programme in this voice (its intro and outro, about 2 s), as a run makes it: synthesis, mastering,
    encoding, the encoded file measured."""
    from pipeline.audio.master import master
    from pipeline.audio.profiles import load_profile
    from pipeline.speech import speak_text

    profile = load_profile(profile_name)
    text = " ".join(t for t in (voice.intro, voice.outro) if t.strip()) or SAMPLE_TEXT.get(voice.language, "1, 2, 3.")
    clip = speak_text(text, voice, tmp / f"{voice.name}.wav", timeout_s=30)
    if clip.duration < 0.3:
        raise PipelineError(f"voice {voice.name} spoke only {clip.duration:.2f} s", "check the voice and its engine")
    prog = master([clip.path], profile, tmp / f"{voice.name}{profile.suffix}", strict=False)
    facts = (f"{prog.duration:.1f} s {profile.name} programme, {prog.loudness_lufs:.1f} LUFS "
             f"(target {profile.loudness_lufs:g}), true peak {prog.true_peak_dbtp:.1f} dBTP")
    if not prog.passed:
        raise PipelineError(f"{facts}: misses the profile", "run `pipeline doctor` with another ffmpeg or profile")
    return facts, {"duration_s": prog.duration, "loudness_lufs": prog.loudness_lufs,
                   "true_peak_dbtp": prog.true_peak_dbtp, "profile": profile.name}
