"""Mastering: sentence clips -> one broadcast-ready file that meets a profile, measured after encoding.

How (and why this way):
- Clips are streamed block by block as float32 PCM into ffmpeg's stdin; nothing holds the whole programme, so a
  2-hour programme needs about as much memory as a 10-second one. The stream is generated again for each pass
  rather than kept in a temp file (a 2-hour 48 kHz stereo float file would be 2.8 GB of disk).
- Loudness is set with plain gain plus a lookahead limiter, never with ffmpeg's `loudnorm` (one pass is dynamic and
  pumps; two-pass linear mode silently falls back to dynamic when the true-peak target cannot be met).
- Steps (`_render`): (1) the input gain: the programme's integrated loudness (ITU-R BS.1770-4) after the profile's
  filters comes from per-clip statistics (`pipeline.audio.loudness`: K-weighted energy per 32-sample sub-block,
  metered once per clip by ffmpeg and kept in the cache), not from a pass over the programme, and sets the gain in
  front of the compressor, so compression acts the same whatever the input level. (2) The make-up gain: if a
  compressor or the limiter will act, a secant search finds the gain that still meets the target, on a model of the
  limiter over the same statistics, or (a compressor is not modelled) on measure-only ffmpeg passes. After an edit
  the programme's last gains are kept while the model says they still meet the target (`_Gains`). (3) Encode in
  pieces cut inside pauses (`_Plan.pieces`), each decoded and measured as it is encoded and cached, then joined
  byte for byte: an edit encodes only the pieces it touched, and starts that with the programme's last gains while
  the new clips are metered (`_early_encode`), kept when the gains are. (4) If the joined file misses the target
  by more than half the tolerance (+0.1 LU), or its true peak is over the ceiling, encode again with corrected gain
  and limiter ceiling (at most 3 encodes). The result is judged on the encoded audio only.
- The file is written untagged: tags are export's, so a station, title or transcript change never re-masters.
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import math
import os
import re
import wave
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import soundfile as sf

from pipeline.audio import ffmpeg, loudness
from pipeline.audio.profiles import Profile
from pipeline.errors import PipelineError
from pipeline.files import atomic_path, sha256, temp_dir

if TYPE_CHECKING:
    from pipeline.cache import Cache

SILENT_DBFS = -70.0  # a clip whose peak is below this is silent
TRIM_BELOW_PEAK_DB = 40.0  # trim edges quieter than peak - 40 dB (or -70 dBFS, whichever is higher)
MIN_INPUT_LUFS = -50.0  # quieter programmes are refused: the gain needed would mostly amplify noise
TRIM_KEEP_S = (0.010, 0.030)  # kept before the first / after the last audible sample (onsets, decays)
EDGE_FADE_S = 0.005  # per-clip fade at the trimmed edges: no clicks
MAX_RENDERS = 3
# The encode is done in pieces, cut in the middle of pauses, so an edit re-encodes only the piece it touches: a cut
# follows every clip whose pause is at least CUT_PAUSE_S (a sentence). Nothing else decides it, neither a clip's
# length nor its bytes, so an edited clip moves no cut, and a re-synthesised clip that differs by a few samples
# (eSpeak NG's output depends on what the process spoke before) gives the same pieces and timings.
CUT_PAUSE_S = 0.25
PIECES_VERSION = "2"  # encoded pieces and their measurements: bump when what they hold changes
STATS_VERSION = "1"  # per-clip loudness statistics: bump when what they hold or how they are computed changes
BLOCK = 1 << 18  # frames per read: ~6 s at 44.1 kHz, 1 MB of mono float32


@dataclass(frozen=True)
class Programme:
    path: Path
    profile: str
    duration: float
    sample_rate: int
    channels: int
    bitrate_kbps: int | None
    loudness_lufs: float  # measured on the encoded file
    true_peak_dbtp: float  # measured on the encoded file
    passed: bool
    timings: tuple[tuple[float, float], ...]  # (start, end) seconds of each input clip in the final audio
    target_lufs: float = 0.0
    tolerance_lu: float = 0.0
    ceiling_dbtp: float = 0.0
    ffmpeg: dict | None = None  # the ffmpeg that rendered and measured it: name, version, path, origin
    # What the report draws, from the encoded audio's measurement: (envelope, seconds, short-term LUFS); not saved
    series: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        d = asdict(replace(self, series=None))
        del d["series"]
        d["path"] = str(self.path)
        d["timings"] = [list(t) for t in self.timings]
        return d


@dataclass(frozen=True, eq=False)
class _Scan:
    """What one input file contributes, whatever its place: the frames kept and its loudness statistics."""

    path: Path  # file streamed (the original, or a converted copy)
    digest: str  # sha256 of the original: what it holds (the pieces' cache keys)
    start: int  # first frame kept
    stop: int  # frame after the last one kept
    peak: float  # highest absolute sample value
    energy: np.ndarray  # K-weighted energy per loudness.SUB frames from `start` (after the profile's filters)
    peaks: np.ndarray  # highest absolute sample after the profile's filters, per sub-block


@dataclass(frozen=True, eq=False)
class _Part:
    scan: _Scan
    pause: int  # frames of silence after it
    clip: int | None  # index in `clips`; None for intro/outro

    @property
    def frames(self) -> int:
        return self.scan.stop - self.scan.start


def master(
    clips: Sequence[Path],
    profile: Profile,
    out: Path,
    *,
    pauses: Sequence[float] | None = None,
    intro: Path | None = None,
    outro: Path | None = None,
    ident_pause: float = 0.0,
    strict: bool = True,
    cache: Cache | None = None,
    identity: str | None = None,
    digests: Mapping[Path, str] | None = None,
) -> Programme:
    """Assemble `clips` (with `pauses[i]` seconds of silence after clip i), master them to `profile`, write `out`.

    `pauses` has one value per clip (the last one is the gap before the outro) or one fewer (then that gap is
    `ident_pause`); default: none. The intro is followed by `ident_pause`. Pauses are the caller's: a voice owns them
    (speech/voices.py), a profile does not.
    The file is written untagged: tags are export's (pipeline.export.write_tags), so a title or station change
    never re-masters. Each clip's loudness statistics are kept in `cache` (area `loudness`) when one is given, so a
    programme with one new clip reads and filters only that clip before the encode. With `strict`, a file that
    misses its targets raises PipelineError and nothing is written; otherwise it is kept with `passed=False`.
    The encode is done in pieces (see CUT_PAUSE_S), kept in `cache` too; `identity` names the programme across edits
    (a run gives its published path): an edit keeps the gains of its last render while they still meet the target,
    so only the pieces it touched are encoded again. `digests`: the sha256 of clips the caller has just checked
    (cache entries), so they are not read again to key their statistics.
    """
    clips = [Path(c) for c in clips]
    out = Path(out)
    if not clips:
        raise PipelineError("nothing to master: no clips given", "pass at least one audio file")
    if out.suffix.lower() != profile.suffix:
        raise PipelineError(f"output {out.name} does not end in {profile.suffix}, the format of profile {profile.name}",
                            f"name the output *{profile.suffix}")
    gaps = _pauses(pauses, len(clips), ident_pause, outro is not None)
    ffmpeg.find_ffmpeg().build()  # fail before any work
    if profile.format in ffmpeg.FORMAT_ENCODERS:
        ffmpeg.require_encoder(ffmpeg.FORMAT_ENCODERS[profile.format],
                               "MPEG Layer II without frame padding (PRSS ContentDepot)")
    entries = ([(Path(intro), None, ident_pause)] if intro else [])
    entries += [(clip, i, gap) for i, (clip, gap) in enumerate(zip(clips, gaps))]
    entries += [(Path(outro), None, 0.0)] if outro else []
    infos = {src: _info(src) for src, _, _ in entries}
    rates = collections.Counter(i.samplerate for i in infos.values() if i is not None)
    rate = rates.most_common(1)[0][0] if rates else profile.sample_rate
    out.parent.mkdir(parents=True, exist_ok=True)
    with temp_dir(out.parent, "master") as tmp:
        files = {}  # a repeated file (a jingle) is read once
        for src, info in infos.items():
            files[src] = src
            if info is None or info.samplerate != rate:  # other rate, or a format only ffmpeg reads
                files[src] = _convert(src, tmp / f"{len(files)}.wav", rate, profile.channels)
        scans, todo = _scan_cached(files, rate, profile, cache, digests or {})
        memory = _Gains(cache, identity, profile) if cache is not None and identity else None
        early = _early_encode(entries, scans, todo, rate, profile, cache, memory, tmp)
        try:
            scans.update(_scan_new(todo, rate, profile, cache))
            parts = [_Part(scans[src], round(pause * rate), index) for src, index, pause in entries]
            return _render(parts, rate, profile, out, strict, len(clips), cache, memory, early)
        finally:
            if early is not None:  # it writes in `tmp`: done before that goes
                concurrent.futures.wait([early.future])


def _pauses(pauses, n: int, ident_pause: float, outro: bool) -> list[float]:
    gaps = [0.0] * (n - 1) if pauses is None else [float(p) for p in pauses]
    if len(gaps) == n - 1:
        gaps.append(float(ident_pause))
    if len(gaps) != n:
        raise PipelineError(f"{len(gaps)} pauses for {n} clips", "give one pause per clip (or one fewer)")
    if any(not 0 <= g <= 60 or math.isnan(g) for g in [*gaps, float(ident_pause)]):
        raise PipelineError("a pause is negative or longer than 60 s", "use pauses between 0 and 60 s")
    if not outro:
        gaps[-1] = 0.0  # a programme never ends in dead air
    return gaps


# Formats whose frame count libsndfile reads exactly from the header; anything else (MP3, ...) goes through ffmpeg.
_DIRECT = {"WAV", "WAVEX", "RF64", "W64", "FLAC", "AIFF"}


@dataclass(frozen=True)
class _PcmInfo:
    samplerate: int


def _info(path: Path):
    """libsndfile's view of a file we can stream directly, or None (then ffmpeg converts it, or says why not)."""
    if not path.is_file():
        raise PipelineError(f"audio file {path} not found", "check the path")
    try:  # 8-32-bit PCM WAV (what the engines write): the header is enough, and `wave` reads it 20x faster
        with wave.open(str(path), "rb") as w:
            frames, width, rate = w.getnframes(), w.getsampwidth(), w.getframerate()
            # libsndfile reads no wider PCM; a file shorter than its header says goes to libsndfile, which says so
            if frames > 0 and rate > 0 and width in (1, 2, 3, 4) and \
                    frames * width * w.getnchannels() <= path.stat().st_size - 12:
                return _PcmInfo(rate)
    except (wave.Error, EOFError, OSError):
        pass
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError):
        return None
    return info if info.format in _DIRECT and info.frames > 0 and info.samplerate > 0 else None


def _convert(src: Path, dest: Path, rate: int, channels: int) -> Path:
    ffmpeg.run(["-i", ffmpeg.file_arg(src), "-vn", "-ar", str(rate), "-ac", str(channels), "-c:a", "pcm_f32le",
                "-f", "wav", ffmpeg.file_arg(dest)], timeout=600, what=f"reading {src}", inputs=[src])
    if _info(dest) is None:
        raise PipelineError(f"audio file {src} holds no audio", "replace or re-create it")
    return dest


def _blocks(f: sf.SoundFile, start: int, stop: int) -> Iterator[tuple[int, np.ndarray]]:
    f.seek(start)
    pos = start
    while pos < stop:
        x = f.read(min(BLOCK, stop - pos), dtype="float32", always_2d=True)
        if len(x) == 0:
            raise PipelineError(f"audio file {f.name} is shorter than its header says (truncated?)",
                                "re-create the file")
        yield pos, x
        pos += len(x)


def _trim(path: Path, rate: int, shown: Path) -> tuple[int, int, float]:
    """Frames [start, stop) that hold sound (edges below max(peak - 40 dB, -70 dBFS) are cut, with a small margin),
    and the peak."""
    try:
        with sf.SoundFile(str(path)) as f:
            frames = f.frames
            peak = max((float(np.max(np.abs(x))) for _, x in _blocks(f, 0, frames)), default=0.0)
            if not math.isfinite(peak):
                raise PipelineError(f"audio file {shown} holds invalid samples (NaN or infinity)", "re-create it")
            if peak <= 10 ** (SILENT_DBFS / 20):
                raise PipelineError(f"audio file {shown} is silent (peak below {SILENT_DBFS:g} dBFS)",
                                    "re-synthesise or remove it")
            threshold = max(peak * 10 ** (-TRIM_BELOW_PEAK_DB / 20), 10 ** (SILENT_DBFS / 20))
            first = next(pos + int(np.argmax(loud)) for pos, x in _blocks(f, 0, frames)
                         if (loud := np.max(np.abs(x), axis=1) > threshold).any())
            last = first
            for end in range(frames, first, -BLOCK):  # scan backwards: the tail is usually short
                begin = max(first, end - BLOCK)
                _, x = next(_blocks(f, begin, end))
                loud = np.flatnonzero(np.max(np.abs(x), axis=1) > threshold)
                if loud.size:
                    last = begin + int(loud[-1])
                    break
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise PipelineError(f"cannot read audio file {shown}: {exc}", "re-create the file") from exc
    return max(0, first - round(TRIM_KEEP_S[0] * rate)), min(frames, last + 1 + round(TRIM_KEEP_S[1] * rate)), peak


def _fit_channels(x: np.ndarray, channels: int) -> np.ndarray:
    if x.shape[1] == channels:
        return x
    mono = x if x.shape[1] == 1 else x.mean(axis=1, keepdims=True)
    return np.ascontiguousarray(np.repeat(mono, channels, axis=1))


def _scan_all(files: dict[Path, Path], rate: int, p: Profile, cache: Cache | None,
              digests: Mapping[Path, str] | None = None) -> dict[Path, _Scan]:
    """Each input file trimmed and metered, or taken from `cache`: `_scan_cached`, then `_scan_new`."""
    scans, todo = _scan_cached(files, rate, p, cache, digests or {})
    return {**scans, **_scan_new(todo, rate, p, cache)}


def _scan_cached(files: dict[Path, Path], rate: int, p: Profile, cache: Cache | None,
                 digests: Mapping[Path, str]) -> tuple[dict[Path, _Scan], dict[Path, tuple]]:
    """Each input file (original -> file streamed) taken from `cache` (keyed by the file's content and everything
    that shapes the figures), or trimmed and left for `_scan_new` to meter: only files not seen before are read."""
    from pipeline import cache as cache_mod

    scans, todo = {}, {}
    for src, path in files.items():
        key, digest = None, digests.get(src) or sha256(src)
        if cache is not None:
            key = cache_mod.key("loudness", STATS_VERSION, digest, rate, p.channels, _profile_filters(p),
                                SILENT_DBFS, TRIM_BELOW_PEAK_DB, TRIM_KEEP_S, EDGE_FADE_S, loudness.SUB,
                                loudness.TAIL_S)
            hit = cache.get_arrays("loudness", key)
            if hit is not None:
                (arrays, v) = hit
                scans[src] = _Scan(path, digest, v["start"], v["stop"], v["peak"], arrays["energy"], arrays["peaks"])
                continue
        todo[src] = (path, digest, *_trim(path, rate, src), key)
    return scans, todo


def _scan_new(todo: dict[Path, tuple], rate: int, p: Profile, cache: Cache | None) -> dict[Path, _Scan]:
    """The trimmed files of `_scan_cached` metered, in one ffmpeg pass, and their statistics cached."""
    scans = {}
    metered = _meter([(path, start, stop) for path, _, start, stop, _, _ in todo.values()], rate, p)
    for (src, (path, digest, start, stop, peak, key)), (energy, peaks) in zip(todo.items(), metered):
        scans[src] = _Scan(path, digest, start, stop, peak, energy, peaks)
        if key is not None:
            cache.put_arrays("loudness", key, {"energy": energy, "peaks": peaks}, start=start, stop=stop, peak=peak)
    return scans


@dataclass(frozen=True, eq=False)
class _Early:
    gains: tuple[float, float, float]
    future: concurrent.futures.Future  # of _encode_pieces' result
    dest: Path  # the joined pieces


def _early_encode(entries, scans: dict[Path, _Scan], todo: dict[Path, tuple], rate: int, p: Profile,
                  cache: Cache | None, memory: _Gains | None, work: Path) -> _Early | None:
    """After an edit, the programme's last gains are kept more often than not (`_Gains.recall`), and encoding and
    measuring its pieces, not metering the new clips, is the long step: with gains on record, the pieces are
    encoded with them on another core while the new clips are metered. `_render` takes the result only when it
    keeps those very gains. The pieces' bytes and cache keys do not depend on the clips' statistics."""
    # Only for an edit: with many clips new (another voice, a rewritten article) the gains are seldom kept, and a
    # dropped early encode of most pieces would take the other core from the one that counts.
    if not todo or len(todo) > max(2, len(entries) // 4) or memory is None or len(os.sched_getaffinity(0)) < 2:
        return None
    gains = memory.last()
    if gains is None:
        return None
    none = np.zeros(0, np.float32)
    provisional = {**scans, **{src: _Scan(path, digest, start, stop, peak, none, none)
                               for src, (path, digest, start, stop, peak, _) in todo.items()}}
    plan = _Plan([_Part(provisional[src], round(pause * rate), index) for src, index, pause in entries], rate, p)
    dest = work / f"early{p.suffix}"
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(_encode_pieces, plan, plan.pieces(), gains, cache, work / "early", dest)
    pool.shutdown(wait=False)  # the caller waits for the future
    return _Early(gains, future, dest)


_LAYOUT = {1: "mono", 2: "stereo"}


def _meter(spans: list[tuple[Path, int, int]], rate: int, p: Profile) -> list[tuple[np.ndarray, np.ndarray]]:
    """Loudness statistics of each (file, first frame, end frame) as streamed, in one ffmpeg pass over them all:
    each span is followed by loudness.TAIL_S of silence that carries its filters' ringing (and is counted as its
    own), so no span's filters start with another's state. ffmpeg returns the stream after the profile's filters
    and after K-weighting too, side by side as extra channels."""
    if not spans:
        return []
    ch, tail = p.channels, round(loudness.TAIL_S * rate)
    meters = [loudness.ClipMeter() for _ in spans]
    lengths = [stop - start + tail for _, start, stop in spans]
    state = {"span": 0, "done": 0}  # span being filled, its frames so far

    def feed() -> Iterator[bytes]:
        for path, start, stop in spans:
            for x in _part_audio(path, start, stop, rate, ch):
                yield x.tobytes()
            yield bytes(4 * ch * tail)

    def take(frames: np.ndarray) -> None:
        while len(frames) and state["span"] < len(spans):
            i = state["span"]
            n = min(len(frames), lengths[i] - state["done"])
            meters[i].feed(frames[:n, :ch], frames[:n, ch:])
            frames, state["done"] = frames[n:], state["done"] + n
            if state["done"] == lengths[i]:
                state["span"], state["done"] = i + 1, 0

    band = ",".join(_filters(p, rate, resample=False)) or "anull"
    # amerge needs both inputs' formats and layouts pinned (ffmpeg 5.1 cannot choose them otherwise).
    pin = "aformat=sample_fmts=flt" + (f":channel_layouts={_LAYOUT[ch]}" if ch in _LAYOUT else "")
    graph = (f"[0:a]{band},asplit=2[b][k];[b]{pin}[band];[k]{','.join(loudness.k_weighting_filters(rate))},{pin}"
             "[weighted];[band][weighted]amerge=inputs=2[out]")
    ffmpeg.run(["-f", "f32le", "-ar", str(rate), "-ac", str(ch), "-i", "pipe:0", "-filter_complex", graph,
                "-map", "[out]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
               feed=feed(), output=_float_frames(2 * ch, take), timeout=120 + sum(lengths) / rate / 4,
               what="measuring loudness")
    if state["span"] != len(spans):
        raise PipelineError(f"ffmpeg returned {state['span']} of {len(spans)} clips when measuring loudness",
                            "check the ffmpeg build with `pipeline doctor`")
    return [m.finish() for m in meters]


def _float_frames(width: int, use: Callable[[np.ndarray], None]) -> Callable[[bytes], None]:
    """An ffmpeg output callback: float32 bytes as (frames, width) arrays for `use`; a frame cut between two chunks
    waits for the next one."""
    rest = b""

    def take(chunk: bytes) -> None:
        nonlocal rest
        data = rest + chunk
        usable = len(data) - len(data) % (4 * width)
        rest = data[usable:]
        use(np.frombuffer(data[:usable], np.float32).reshape(-1, width))

    return take


def _part_audio(path: Path, start: int, stop: int, rate: int, channels: int) -> Iterator[np.ndarray]:
    """Frames [start, stop) of a file as float32 blocks of `channels`, with short fades at both (trimmed) edges."""
    fade = max(1, round(EDGE_FADE_S * rate))
    length = stop - start
    with sf.SoundFile(str(path)) as f:
        for pos, x in _blocks(f, start, stop):
            x = _fit_channels(x, channels)
            offset = pos - start
            if offset < fade or offset + len(x) > length - fade:
                idx = np.arange(offset, offset + len(x))
                ramp = np.minimum(1.0, np.minimum(idx + 1, length - idx) / fade).astype(np.float32)
                x = x * ramp[:, None]
            yield x


def _silence(frames: int, channels: int) -> Iterator[bytes]:
    for left in range(frames, 0, -BLOCK):
        yield bytes(4 * channels * min(left, BLOCK))


def _pcm(parts: Sequence[_Part], rate: int, channels: int, lead: int = 0, trail: int | None = None
         ) -> Iterator[bytes]:
    """The assembled parts as interleaved float32 bytes, one block at a time: `lead` frames of silence first, and
    `trail` frames instead of the last part's pause when given."""
    yield from _silence(lead, channels)
    for i, part in enumerate(parts):
        for x in _part_audio(part.scan.path, part.scan.start, part.scan.stop, rate, channels):
            yield x.tobytes()
        yield from _silence(part.pause if trail is None or i < len(parts) - 1 else trail, channels)


def _profile_filters(profile: Profile) -> list[tuple[str, float]]:
    """The profile's band limits as (ffmpeg filter, frequency), in order. High-pass: one 2-pole section
    (12 dB/octave); a steeper one shifts the phase of low voice harmonics enough to raise peaks by several dB.
    Low-pass: two sections (24 dB/octave) for a clear band edge on AM."""
    return ([("highpass", profile.highpass_hz)] if profile.highpass_hz else []) + \
        [("lowpass", profile.lowpass_hz)] * (2 if profile.lowpass_hz else 0)


def _filters(profile: Profile, rate: int, resample: bool = True) -> list[str]:
    chain = []
    if resample and rate != profile.sample_rate:
        # soxr where the build has it (better stop band); a build without libsoxr uses ffmpeg's own resampler.
        soxr = ffmpeg.find_ffmpeg().build().soxr
        chain.append(f"aresample={profile.sample_rate}" + (":resampler=soxr" if soxr else ""))
    return chain + [f"{kind}=f={freq:g}" for kind, freq in _profile_filters(profile)]


def _compressor(profile: Profile) -> list[str]:
    c = profile.compress
    if c is None:
        return []
    return [f"acompressor=threshold={10 ** (c.threshold_db / 20):.6f}:ratio={c.ratio:g}"
            f":attack={c.attack_ms:g}:release={c.release_ms:g}:makeup=1"]


_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?(?:[\d.]+|inf)) LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s*Peak:\s*(-?(?:[\d.]+|inf)) dBFS")


def _loudness(log: str, true_peak: bool = False) -> tuple[float, float | None]:
    found = _INTEGRATED.findall(log)
    peaks = _TRUE_PEAK.findall(log)
    if not found or (true_peak and not peaks):
        raise PipelineError("could not read ffmpeg's loudness measurement", "check that ffmpeg has the ebur128 filter")
    return float(found[-1]), float(peaks[-1]) if true_peak else None


@dataclass(frozen=True)
class Measurement:
    loudness_lufs: float  # integrated, ITU-R BS.1770-4 (ffmpeg ebur128)
    true_peak_dbtp: float
    duration: float  # seconds of decoded audio


_TIME = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")
_SAMPLES = re.compile(r"n_samples: (\d+)")
_STREAM = re.compile(r"Stream #0:\d+(?:\[\w+\])?(?:\(\w+\))?: Audio: [^\n]*?, (\d+) Hz, ([^,\n]+)")
_LAYOUTS = {"mono": 1, "stereo": 2, "2.1": 3, "3.0": 3, "quad": 4, "4.0": 4, "5.0": 5, "5.1": 6, "6.1": 7, "7.1": 8}


def measure_file(path: Path, timeout: float = 600, inputs: tuple[Path, ...] = ()) -> Measurement:
    """Decode `path` with ffmpeg and measure it: what a station's meter would see. `inputs=(path,)` when the file is
    the user's (a damaged file is then blamed, not ffmpeg)."""
    # volumedetect counts the decoded samples (before ebur128, which ffmpeg 4.x resamples to 48 kHz): the duration to
    # the sample. ffmpeg's own time= is the start of the last frame on some versions (6.0: 0.1 s short).
    log = ffmpeg.run(["-i", ffmpeg.file_arg(path), "-af", "volumedetect,ebur128=peak=true:framelog=verbose", "-f", "null",
                      "-"], timeout=timeout, what=f"measuring {Path(path).name}", inputs=inputs)
    integrated, peak = _loudness(log, true_peak=True)
    return Measurement(integrated, peak, round(_duration(log), 3))


def _duration(log: str) -> float:
    samples, stream = _SAMPLES.findall(log), _STREAM.search(log)
    if samples and stream:
        layout = stream.group(2).strip()
        channels = int(m.group(1)) if (m := re.match(r"(\d+) channels", layout)) else _LAYOUTS.get(layout.split("(")[0])
        if channels:
            return int(samples[-1]) / channels / int(stream.group(1))
    times = _TIME.findall(log)  # ffmpeg's final report, printed even with -nostats
    return int(times[-1][0]) * 3600 + int(times[-1][1]) * 60 + float(times[-1][2]) if times else float("nan")


def _codec_args(profile: Profile, first: bool = False) -> list[str]:
    """Encoder and container of a piece. Pieces are joined byte for byte: MPEG audio frames decode the same alone as
    joined (checked by the tests). MP3 is written without an ID3 tag (mutagen adds one, v2.3, at export); only the
    first piece has a Xing/LAME frame: its encoder delay is the file's, and `_join` rewrites it for the whole file.
    WAV pieces are raw samples; `_join` has ffmpeg write the header."""
    if profile.format == "mp3":  # -b:a with libmp3lame is CBR
        return ["-c:a", "libmp3lame", "-b:a", f"{profile.bitrate_kbps}k", "-id3v2_version", "0",
                "-write_xing", "1" if first else "0", "-f", "mp3"]
    if profile.format == "mp2":
        # twolame, not ffmpeg's own mp2 encoder: that one pads frames at 44.1 kHz (92% of them at 256 kbps) and has
        # no switch to stop, while PRSS ContentDepot requires frame padding off; twolame's default is off.
        mode = "mono" if profile.channels == 1 else "stereo"
        return ["-c:a", "libtwolame", "-b:a", f"{profile.bitrate_kbps}k", "-mode", mode, "-f", "mp2"]
    return ["-c:a", f"pcm_s{profile.bit_depth}le", "-f", f"s{profile.bit_depth}le"]


def _piece_input(profile: Profile, whole: bool) -> list[str]:
    """How ffmpeg reads a piece back: MPEG audio (layer II too) through the mp3 demuxer, raw PCM as itself. A piece
    that is the whole programme is decoded as a player decodes the file; one of several, all of it (see `_layout`)."""
    if profile.format in ("mp3", "mp2"):
        return (["-flags2", "+skip_manual"] if not whole else []) + ["-f", "mp3"]
    return ["-f", f"s{profile.bit_depth}le", "-ar", str(profile.sample_rate), "-ac", str(profile.channels)]


# Samples that joining two pieces adds to the pause between them, on average: the next piece's encoder delay (LAME
# 576 + decoder 529; MPEG layer II's 481, whose last 481 samples never come out) and half a frame of end padding.
# Taken off the pause, so a pause at a cut is within half a frame (13 ms at 44.1 kHz) of its length.
_JOIN_SAMPLES = {"mp3": 1105 + 47 + 576, "mp2": 576, "wav": 0}
# Where a piece's first sample is in all of its decoded audio (the encoder's and decoder's delay).
_PRIMING = {"mp3": 1105, "mp2": 481, "wav": 0}


def _gapless(p: Profile, pieces: int) -> bool:
    """Whether the file's Xing/LAME frame trims the programme's start and end for players: an MP3 of one piece.
    Joined MP3 pieces keep the first piece's encoder delay in it (players drop it, `_layout`), but ffmpeg writes no
    end padding for a stream it joined (checked on ffmpeg 4.2 to 9.0 by the tests)."""
    return p.format == "mp3" and pieces == 1


def _layout(encoded: list[_Encoded], p: Profile) -> tuple[list[int], int]:
    """Where each piece's decoded audio starts in the file as players decode it, and the file's length (frames at
    the profile's rate): joined MP3 pieces lose the first piece's encoder delay."""
    skipped = _PRIMING["mp3"] if p.format == "mp3" and not _gapless(p, len(encoded)) else 0
    ends = np.cumsum([e.frames for e in encoded]) - skipped
    return [-skipped, *ends[:-1].tolist()], int(ends[-1])


@dataclass(frozen=True, eq=False)
class _Piece:
    """Consecutive parts encoded together, with `lead` frames of silence before them and `trail` frames after the
    last one instead of its pause (the pause is shared with the next piece)."""

    parts: tuple[_Part, ...]
    lead: int
    trail: int
    first: bool
    last: bool

    @property
    def frames(self) -> int:
        return self.lead + sum(x.frames + x.pause for x in self.parts[:-1]) + self.parts[-1].frames + self.trail


@dataclass(frozen=True, eq=False)
class _Encoded:
    """A piece as encoded, and the measurement of its decoded audio (at the profile's rate)."""

    path: Path
    frames: int  # decoded frames
    energy: np.ndarray  # K-weighted energy per loudness.SUB frames
    envelope: np.ndarray  # highest absolute decoded sample per ENVELOPE_S (the report's waveform)
    true_peak: float  # dBTP, from ffmpeg's ebur128


@dataclass(frozen=True, eq=False)
class _Plan:
    """A programme to render: its parts at the stream's rate, the profile, and what follows from their lengths."""

    parts: list[_Part]
    rate: int  # of the stream fed to ffmpeg (the clips'); the profile's rate is reached in the final render
    p: Profile

    @property
    def frames(self) -> int:
        return sum(x.frames + x.pause for x in self.parts)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    @property
    def timeout(self) -> float:
        return 120 + self.seconds / 4

    def offsets(self) -> list[int]:
        """Where each part starts in the stream (the profile's head silence is added after the filters)."""
        starts, pos = [], 0
        for x in self.parts:
            starts.append(pos)
            pos += x.frames + x.pause
        return starts

    def pieces(self) -> list[_Piece]:
        """The parts in pieces, cut in the middle of long enough pauses (see CUT_PAUSE_S)."""
        cut_min = round(CUT_PAUSE_S * self.rate)
        join = round(_JOIN_SAMPLES[self.p.format] * self.rate / self.p.sample_rate)
        pieces, start, lead = [], 0, 0
        for i, x in enumerate(self.parts):
            last = i == len(self.parts) - 1
            if last or x.pause >= cut_min:
                trail = x.pause if last else x.pause // 2
                pieces.append(_Piece(tuple(self.parts[start:i + 1]), lead, trail, start == 0, last))
                start, lead = i + 1, max(0, x.pause - trail - join)
        return pieces

    def chain(self, pre: float, post: float, limit: float, final: bool, piece: _Piece | None = None) -> list[str]:
        """ffmpeg's filters: the profile's, gain, compressor, make-up gain, limiter; and when `final` (the encode of
        `piece`) resampling to the profile's rate first, then the programme's fades and head and tail silence where
        the piece holds its start or end."""
        p = self.p
        fade = min(p.fade_s, self.seconds / 4)
        # Measure-only passes run at the stream's rate: same loudness, half the work when the output rate is double.
        steps = _filters(p, self.rate, resample=final) + [f"volume={pre:.3f}dB"] + _compressor(p) + [
            f"volume={post:.3f}dB", *ffmpeg.limiter(10 ** (limit / 20), p.sample_rate if final else self.rate,
                                                    p.channels)]
        if piece is None:
            return steps
        seconds = piece.frames / self.rate
        if piece.first and fade > 0:
            steps.append(f"afade=t=in:d={min(fade, seconds):.3f}")
        if piece.last and fade > 0:
            steps.append(f"afade=t=out:st={max(0.0, seconds - fade):.6f}:d={min(fade, seconds):.3f}")
        if piece.first and p.head_silence_s:
            steps.append(f"adelay=delays={p.head_silence_s * 1000:g}:all=1")
        if piece.last and p.tail_silence_s:  # + 30 ms: MPEG layer II's decoder delay moves the audio that much later
            steps.append(f"apad=pad_dur={p.tail_silence_s + 0.03:g}")
        return steps

    def stream(self, chain: list[str], output: list[str], what: str) -> str:
        return ffmpeg.run(["-f", "f32le", "-ar", str(self.rate), "-ac", str(self.p.channels), "-i", "pipe:0",
                           "-af", ",".join(chain), *output],
                          feed=_pcm(self.parts, self.rate, self.p.channels), timeout=self.timeout, what=what)

    def timings(self, n_clips: int, pieces: list[_Piece], encoded: list[_Encoded]) -> tuple[tuple[float, float], ...]:
        """(start, end) of each clip in the final audio, in seconds: where its piece starts in the joined file
        (the pieces' decoded lengths), the encoder's delay, the head silence (first piece) and its place in the
        piece."""
        p, found = self.p, [None] * n_clips
        priming = 0 if _gapless(p, len(pieces)) else _PRIMING[p.format]
        for piece, at in zip(pieces, _layout(encoded, p)[0]):
            pos = piece.lead / self.rate + (priming + at) / p.sample_rate
            pos += p.head_silence_s if piece.first else 0.0
            for x in piece.parts:
                if x.clip is not None:
                    found[x.clip] = (round(pos, 3), round(pos + x.frames / self.rate, 3))
                pos += (x.frames + x.pause) / self.rate
        return tuple(found)

def _render(parts: list[_Part], rate: int, p: Profile, out: Path, strict: bool, n_clips: int,
            cache: Cache | None, memory: _Gains | None, early: _Early | None = None) -> Programme:
    """Gain from the clips' statistics, make-up gain for the limiter or compressor, then encode (in pieces, each
    measured as decoded) until the joined file meets the profile: for a profile without a compressor, nothing
    passes over the whole programme but the writing of the joined file."""
    plan = _Plan(parts, rate, p)
    pre = p.loudness_lufs - _input_loudness(plan)
    # The limiter sees samples, not inter-sample peaks, and codecs overshoot: start a little below the ceiling.
    limit = p.true_peak_dbtp - 0.5
    limiting = p.compress is not None or pre + 20 * math.log10(max(x.scan.peak for x in parts)) > limit
    search = _GainSearch(p.loudness_lufs, slope=0.5 if limiting else 1.0)

    def fresh() -> tuple[float, float, float]:
        post = _makeup_gain(plan, pre, limit, search) if limiting else 0.0
        search.restart()
        return pre, post, limit

    kept = memory.recall(plan) if memory else None
    with atomic_path(out) as tmp:
        # The last render's gains, while the model says they still meet the target: the pieces an edit did not touch
        # are reused. If the encode says otherwise, the gains found afresh take over.
        m, passed, timings, series, gains = _encode_to_target(plan, tmp, *(kept or fresh()), search, strict, cache,
                                                              n_clips, fallback=fresh if kept else None, early=early)
        fmt = _format_facts(tmp, p)
    if memory and passed:
        memory.remember(plan, gains, m.loudness_lufs)
    return Programme(path=out, profile=p.name, duration=m.duration, **fmt, loudness_lufs=m.loudness_lufs,
                     true_peak_dbtp=m.true_peak_dbtp, passed=passed, timings=timings, series=series,
                     target_lufs=p.loudness_lufs, tolerance_lu=p.tolerance_lu, ceiling_dbtp=p.true_peak_dbtp,
                     ffmpeg=ffmpeg.find_ffmpeg().to_dict())


def _input_loudness(plan: _Plan) -> float:
    """Integrated loudness of the stream after the profile's filters, from the clips' cached statistics."""
    measured = loudness.integrated(((pos, x.scan.energy) for x, pos in zip(plan.parts, plan.offsets())),
                                   plan.frames, plan.rate)
    if measured < MIN_INPUT_LUFS:
        raise PipelineError(
            f"input is too quiet to master: {measured:.1f} LUFS, below {MIN_INPUT_LUFS:g} LUFS; reaching "
            f"{plan.p.loudness_lufs:g} LUFS would amplify noise by {plan.p.loudness_lufs - measured:.0f} dB",
            "check the clips (silent or near-silent synthesis?)")
    return measured


def _makeup_gain(plan: _Plan, pre: float, limit: float, search: _GainSearch) -> float:
    """Compressor and limiter lower the loudness by an amount that depends on the gain in front of them: find the
    make-up gain by the secant method, on a model of the limiter over the clips' statistics, or, with a compressor
    (not modelled), on measure-only ffmpeg passes (no encoding)."""
    p, post = plan.p, 0.0
    modelled = p.compress is None
    # The model costs milliseconds, so it aims at the target itself: the encode then has its whole window for the
    # loudness the codec and the full-rate limiter take off (about 0.5 LU for speech in 128 kbps MP3).
    for attempt in range(1, 9 if modelled else 5):
        if modelled:
            loud = _limited_loudness(plan, pre + post, limit)
        else:
            loud = _loudness(plan.stream(plan.chain(pre, post, limit, final=False) + ["ebur128=framelog=verbose"],
                                         ["-f", "null", "-"], "measuring loudness"))[0]
        miss = abs(p.loudness_lufs - loud)
        if miss <= (0.05 if modelled else p.tolerance_lu / 4):
            break
        post = search.next(post, loud)
        if attempt >= 4 and miss > p.tolerance_lu / 4:  # after four tries only a search that has come close goes on
            break
    return post


def _limited_loudness(plan: _Plan, gain_db: float, limit_db: float) -> float:
    """The modelled loudness after `gain_db` into the limiter, clip by clip (memory stays that of one clip)."""
    gain, ceiling = 10 ** (gain_db / 20), 10 ** (limit_db / 20)
    placed = ((pos, loudness.limited(x.scan.energy, x.scan.peaks, gain, ceiling, plan.rate))
              for x, pos in zip(plan.parts, plan.offsets()))
    return loudness.integrated(placed, plan.frames, plan.rate)


def _encode_to_target(plan: _Plan, tmp: Path, pre: float, post: float, limit: float, search: _GainSearch,
                      strict: bool, cache: Cache | None, n_clips: int, fallback=None, early: _Early | None = None
                      ) -> tuple[Measurement, bool, tuple[tuple[float, float], ...], tuple, tuple]:
    """Encode to `tmp` and measure what was encoded; if it misses the target by more than half the tolerance
    (+0.1 LU) or its true peak is over the ceiling, encode again with corrected gain and limiter ceiling (or, the
    first time, with the `fallback` gains). The `early` encode is the first when its gains are these."""
    p = plan.p
    pieces = plan.pieces()
    with temp_dir(tmp.parent, "pieces") as work:
        for attempt in range(1, MAX_RENDERS + 1):
            encoded = _early_result(early, (pre, post, limit), tmp) if attempt == 1 else None
            if encoded is None:
                encoded = _encode_pieces(plan, pieces, (pre, post, limit), cache, work / str(attempt), tmp)
            m = _measure_pieces(encoded, p)
            error = p.loudness_lufs - m.loudness_lufs
            over = m.true_peak_dbtp - p.true_peak_dbtp
            if _on_aim(p, m.loudness_lufs) and over <= 0:
                break
            if fallback is not None:
                (pre, post, limit), fallback = fallback(), None
                continue
            if attempt < MAX_RENDERS:
                if over > -0.1:
                    limit -= over + 0.3
                post = search.next(post, m.loudness_lufs)
    passed = abs(error) <= p.tolerance_lu and over <= 0
    if not passed and strict:
        raise PipelineError(
            f"mastered audio misses profile {p.name}: {m.loudness_lufs:.1f} LUFS (target {p.loudness_lufs:g} "
            f"±{p.tolerance_lu:g}), true peak {m.true_peak_dbtp:.1f} dBTP (ceiling {p.true_peak_dbtp:g})",
            "the input may be extremely dynamic or clipped; check it, or relax the profile")
    return m, passed, plan.timings(n_clips, pieces, encoded), _series(encoded, p), (pre, post, limit)


def _early_result(early: _Early | None, gains: tuple[float, float, float], dest: Path) -> list[_Encoded] | None:
    """The early encode's pieces, its joined file moved to `dest`, if it used `gains` and succeeded (a failure is
    met again, and reported, by the encode that follows)."""
    if early is None or early.gains != gains or early.future.exception() is not None:
        return None
    os.replace(early.dest, dest)
    return early.future.result()


def _encode_pieces(plan: _Plan, pieces: list[_Piece], gains: tuple[float, float, float], cache: Cache | None,
                   work: Path, dest: Path) -> list[_Encoded]:
    """Each piece encoded and measured, or taken from `cache` (keyed by everything that shapes its bytes), and all
    joined into `dest`: the pieces not cached are encoded side by side, one ffmpeg per core, then measured while
    they are joined."""
    from pipeline import cache as cache_mod

    work.mkdir(parents=True, exist_ok=True)
    p, ff = plan.p, ffmpeg.find_ffmpeg()
    version = ff.version()  # (a stat of the binary each time asked: once, not once a piece)
    whole = len(pieces) == 1  # measured as the file itself (see _layout)
    done: dict[int, _Encoded] = {}
    todo = []
    for i, piece in enumerate(pieces):
        chain = plan.chain(*gains, final=True, piece=piece)
        key = cache_mod.key("piece", PIECES_VERSION, ff.path, version, plan.rate, _codec_args(p, piece.first),
                            p.sample_rate, p.channels, chain, piece.lead, piece.trail, whole, EDGE_FADE_S,
                            loudness.SUB,
                            [(x.scan.digest, x.scan.start, x.scan.stop, x.pause) for x in piece.parts[:-1]],
                            [piece.parts[-1].scan.digest, piece.parts[-1].scan.start, piece.parts[-1].scan.stop])
        hit = _cached_piece(cache, key) if cache is not None else None
        if hit is not None:
            done[i] = hit
        else:
            todo.append((i, piece, chain, key))

    paths = {i: e.path for i, e in done.items()}

    def encode(job) -> tuple[int, Path]:
        i, piece, chain, _ = job
        out = work / f"{i}.{p.format}"
        ffmpeg.run(["-f", "f32le", "-ar", str(plan.rate), "-ac", str(p.channels), "-i", "pipe:0",
                    "-af", ",".join(chain), "-ar", str(p.sample_rate), "-ac", str(p.channels), "-map_metadata", "-1",
                    "-fflags", "+bitexact", "-flags:a", "+bitexact", *_codec_args(p, piece.first), "-y",
                    ffmpeg.file_arg(out)],
                   feed=_pcm(piece.parts, plan.rate, p.channels, piece.lead, piece.trail),
                   timeout=120 + piece.frames / plan.rate / 4, what="encoding")
        return i, out

    def measure(job) -> tuple[int, _Encoded]:
        i, _, _, key = job
        enc = _measure_piece(paths[i], p, whole, work)
        return i, (_store_piece(cache, key, enc) if cache is not None else enc)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(todo) + 1, len(os.sched_getaffinity(0)))))
    try:
        paths.update(pool.map(encode, todo))
        joining = pool.submit(_join, [paths[i] for i in range(len(pieces))], dest, p, work)
        done.update(pool.map(measure, todo))
        joining.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [done[i] for i in range(len(pieces))]


def _cached_piece(cache: Cache, key: str) -> _Encoded | None:
    audio, stats = cache.get_file("pieces", key, ".audio"), cache.get_arrays("pieces", key)
    if audio is None or stats is None:
        return None
    (arrays, v) = stats
    return _Encoded(audio, v["frames"], arrays["energy"], arrays["envelope"], v["true_peak"])


def _store_piece(cache: Cache, key: str, enc: _Encoded) -> _Encoded:
    audio = cache.put_file("pieces", key, ".audio", enc.path)
    cache.put_arrays("pieces", key, {"energy": enc.energy, "envelope": enc.envelope}, frames=enc.frames,
                     true_peak=enc.true_peak)
    return _Encoded(audio, enc.frames, enc.energy, enc.envelope, enc.true_peak)


def _measure_piece(path: Path, p: Profile, whole: bool, work: Path) -> _Encoded:
    """Decode a piece as a player would and meter it in one ffmpeg pass: its true peak (ebur128), its K-weighted
    energy per sub-block, from which the joined file's loudness follows (`_measure_pieces`), and the report's
    waveform (decoded at WAVE_RATE, as a picture needs: a full-rate copy would cost a third of the pass)."""
    ch = p.channels
    meter, count = loudness.ClipMeter(), [0]

    def take(frames: np.ndarray) -> None:
        meter.feed(None, frames)
        count[0] += len(frames)

    pin = "aformat=sample_fmts=flt" + (f":channel_layouts={_LAYOUT[ch]}" if ch in _LAYOUT else "")
    wave = work / f"{path.stem}.wave"
    graph = (f"[0:a]asplit=3[t][w][k];[t]ebur128=peak=true[m];"
             f"[w]aresample={WAVE_RATE},aformat=sample_fmts=s16:channel_layouts=mono[wave];"
             f"[k]{','.join(loudness.k_weighting_filters(p.sample_rate))},{pin}[out]")
    log = ffmpeg.run([*_piece_input(p, whole), "-i", ffmpeg.file_arg(path), "-filter_complex", graph,
                      "-map", "[m]", "-f", "null", "-", "-map", "[wave]", "-f", "s16le", ffmpeg.file_arg(wave),
                      "-map", "[out]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
                     output=_float_frames(ch, take), timeout=600, what="measuring the encoded audio")
    energy, _ = meter.finish()
    samples = np.abs(np.fromfile(wave, "<i2").astype(np.float32) / 32768)
    per = round(WAVE_RATE * ENVELOPE_S)
    envelope = np.pad(samples, (0, -len(samples) % per)).reshape(-1, per).max(axis=1, initial=0.0)
    return _Encoded(path, count[0], energy, envelope, _loudness(log, true_peak=True)[1])


def _measure_pieces(encoded: list[_Encoded], p: Profile) -> Measurement:
    """The joined file's loudness and true peak, from its pieces' decoded measurements placed end to end: the
    pieces decode to the same samples alone as joined (the tests compare with ffmpeg's ebur128 on the file)."""
    starts, length = _layout(encoded, p)
    integrated = loudness.integrated(zip(starts, (e.energy for e in encoded)), length, p.sample_rate)
    # one decimal, as ffmpeg's ebur128 prints it (and as manifests have always held it)
    return Measurement(round(integrated, 1), max(e.true_peak for e in encoded), round(length / p.sample_rate, 3))


ENVELOPE_S = 0.01  # the report's waveform: the highest sample per 10 ms
WAVE_RATE = 8000  # ... of the audio decoded at this rate


def _series(encoded: list[_Encoded], p: Profile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the report draws, from the pieces' measurements: the waveform's envelope (+peak, -peak per ENVELOPE_S,
    in time order) and the short-term loudness every 100 ms; no decoding of the file again."""
    starts, length = _layout(encoded, p)
    envelope = np.zeros(int(length / p.sample_rate / ENVELOPE_S) + 1, np.float32)
    for at, e in zip(starts, encoded):
        first = round(at / p.sample_rate / ENVELOPE_S)
        part = e.envelope[max(0, -first):][:len(envelope) - max(0, first)]
        np.maximum(envelope[max(0, first):max(0, first) + len(part)], part,
                   out=envelope[max(0, first):max(0, first) + len(part)])
    t, s = loudness.short_term(zip(starts, (e.energy for e in encoded)), length, p.sample_rate)
    return np.column_stack([envelope, -envelope]).ravel(), t, s


def _join(pieces: list[Path], dest: Path, p: Profile, work: Path) -> None:
    """The pieces end to end in one file: MPEG layer II frames as they are; MP3 frames and raw PCM through an ffmpeg
    stream copy, which writes the MP3 Info frame for the whole file, or the WAV header (extensible above 16 bits or
    2 channels, padded, as a single encode had it)."""
    import shutil

    joined = dest if p.format == "mp2" else work / f"joined.{p.format}"
    with open(joined, "wb") as f:
        for piece in pieces:
            with open(piece, "rb") as src:
                shutil.copyfileobj(src, f)
    if p.format == "mp2":
        return
    container = ["-id3v2_version", "0", "-write_xing", "1", "-f", "mp3"] if p.format == "mp3" else ["-f", "wav"]
    ffmpeg.run([*_piece_input(p, whole=True), "-i", ffmpeg.file_arg(joined), "-c:a", "copy", "-map_metadata", "-1",
                "-fflags", "+bitexact", *container, "-y", ffmpeg.file_arg(dest)], timeout=600,
               what="joining the encoded pieces")


class _Gains:
    """The gains of a programme's last render, kept in the cache under its identity, with the loudness the model
    predicted for them and the loudness measured: after an edit, the model's change predicts the new measurement."""

    def __init__(self, cache: Cache, identity: str, p: Profile):
        from pipeline import cache as cache_mod

        self.cache, self.p = cache, p
        ff = ffmpeg.find_ffmpeg()
        self.key = cache_mod.key("gains", PIECES_VERSION, STATS_VERSION, identity, asdict(p), ff.path, ff.version())
        self.modelled: tuple[tuple, float] = ((), 0.0)  # the last gains recalled and their modelled loudness

    @functools.cached_property
    def _record(self) -> tuple[tuple[float, float, float], float, float] | None:
        """What the last render left (read once: the early encode and the render both ask)."""
        last = self.cache.get_json("gains", self.key)
        try:
            gains = float(last["pre"]), float(last["post"]), float(last["limit"])
            return gains, float(last["measured"]), float(last["modelled"])
        except (KeyError, TypeError, ValueError):  # none, or not one we wrote
            return None

    def last(self) -> tuple[float, float, float] | None:
        """The last render's gains, whatever the clips now are."""
        return self._record[0] if self._record else None

    def recall(self, plan: _Plan) -> tuple[float, float, float] | None:
        if self._record is None:
            return None
        gains, measured, modelled = self._record
        self.modelled = gains, _modelled(plan, *gains)
        predicted = measured + self.modelled[1] - modelled
        return gains if _on_aim(self.p, predicted) else None

    def remember(self, plan: _Plan, gains: tuple[float, float, float], measured: float) -> None:
        pre, post, limit = gains
        modelled = self.modelled[1] if self.modelled[0] == gains else _modelled(plan, *gains)
        self.cache.put_json("gains", self.key, {"pre": pre, "post": post, "limit": limit, "measured": measured,
                                                "modelled": modelled})


def _on_aim(p: Profile, lufs: float) -> bool:
    """Near enough the middle of the profile's window: within half its tolerance, + 0.1 LU."""
    return abs(p.loudness_lufs - lufs) <= p.tolerance_lu / 2 + 0.1 + 1e-6


def _modelled(plan: _Plan, pre: float, post: float, limit: float) -> float:
    """The loudness the gains give before encoding, as modelled: the limiter over the clips' statistics (a
    compressor is not modelled: then the input's loudness plus the gains)."""
    if plan.p.compress is None:
        return _limited_loudness(plan, pre + post, limit)
    return _input_loudness(plan) + pre + post


class _GainSearch:
    """Secant search for the make-up gain that meets a loudness target through a limiter or compressor, where
    loudness grows more slowly than gain (slope between 0.2 and 1; about 0.5 for speech into a limiter)."""

    def __init__(self, target: float, slope: float = 0.5):
        self.target, self.slope = target, slope
        self.last: tuple[float, float] | None = None

    def next(self, gain: float, loudness: float) -> float:
        if self.last is not None and gain != self.last[0]:
            self.slope = min(1.0, max(0.2, (loudness - self.last[1]) / (gain - self.last[0])))
        self.last = (gain, loudness)
        return gain + max(-12.0, min(12.0, (self.target - loudness) / self.slope))

    def restart(self) -> None:
        """Measurements now come from another stage (the encoded file): keep the slope, forget the last point."""
        self.last = None


def _format_facts(path: Path, p: Profile) -> dict:
    """Rate, channels and bitrate as read back from the written file (by mutagen / libsndfile, not ffmpeg)."""
    if p.format == "wav":
        info = sf.info(str(path))
        return {"sample_rate": info.samplerate, "channels": info.channels, "bitrate_kbps": None}
    from mutagen.mp3 import MP3  # reads MPEG layer II too

    info = MP3(str(path)).info
    return {"sample_rate": info.sample_rate, "channels": info.channels, "bitrate_kbps": round(info.bitrate / 1000)}
