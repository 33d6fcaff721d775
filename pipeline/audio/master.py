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
  limiter over the same statistics, or (a compressor is not modelled) on measure-only ffmpeg passes. (3) Encode:
  filters, gains, compressor, limiter and fades, then the encoder. (4) Measure the encoded file; if it misses the
  target by more than half the tolerance (+0.1 LU), or its true peak is over the ceiling, encode again with
  corrected gain and limiter ceiling (at most 3 encodes). The result is judged on the encoded file only.
- The file is written untagged: tags are export's, so a station, title or transcript change never re-masters.
"""

from __future__ import annotations

import collections
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
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

    def to_dict(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        d["timings"] = [list(t) for t in self.timings]
        return d


@dataclass(frozen=True, eq=False)
class _Scan:
    """What one input file contributes, whatever its place: the frames kept and its loudness statistics."""

    path: Path  # file streamed (the original, or a converted copy)
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
) -> Programme:
    """Assemble `clips` (with `pauses[i]` seconds of silence after clip i), master them to `profile`, write `out`.

    `pauses` has one value per clip (the last one is the gap before the outro) or one fewer (then that gap is
    `ident_pause`); default: none. The intro is followed by `ident_pause`. Pauses are the caller's: a voice owns them
    (speech/voices.py), a profile does not.
    The file is written untagged: tags are export's (pipeline.export.write_tags), so a title or station change
    never re-masters. Each clip's loudness statistics are kept in `cache` (area `loudness`) when one is given, so a
    programme with one new clip reads and filters only that clip before the encode. With `strict`, a file that
    misses its targets raises PipelineError and nothing is written; otherwise it is kept with `passed=False`.
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
        scans = _scan_all(files, rate, profile, cache)
        parts = [_Part(scans[src], round(pause * rate), index) for src, index, pause in entries]
        return _render(parts, rate, profile, out, strict, len(clips))


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


def _info(path: Path):
    """libsndfile's view of a file we can stream directly, or None (then ffmpeg converts it, or says why not)."""
    if not path.is_file():
        raise PipelineError(f"audio file {path} not found", "check the path")
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


def _scan_all(files: dict[Path, Path], rate: int, p: Profile, cache: Cache | None) -> dict[Path, _Scan]:
    """Each input file (original -> file streamed) trimmed and metered, or taken from `cache` (keyed by the file's
    content and everything that shapes the figures): only files not seen before are read and filtered."""
    from pipeline import cache as cache_mod

    scans, todo = {}, {}
    for src, path in files.items():
        key = None
        if cache is not None:
            key = cache_mod.key("loudness", STATS_VERSION, sha256(src), rate, p.channels, _profile_filters(p),
                                SILENT_DBFS, TRIM_BELOW_PEAK_DB, TRIM_KEEP_S, EDGE_FADE_S, loudness.SUB,
                                loudness.TAIL_S)
            hit = cache.get_file("loudness", key, ".npz")
            if hit is not None:
                with np.load(hit) as z:
                    scans[src] = _Scan(path, int(z["start"]), int(z["stop"]), float(z["peak"]), z["energy"],
                                       z["peaks"])
                continue
        todo[src] = (path, *_trim(path, rate, src), key)
    metered = _meter([(path, start, stop) for path, start, stop, _, _ in todo.values()], rate, p)
    for (src, (path, start, stop, peak, key)), (energy, peaks) in zip(todo.items(), metered):
        scans[src] = _Scan(path, start, stop, peak, energy, peaks)
        if key is not None:
            with cache.temp_dir("loudness") as tmp:
                np.savez(tmp / "stats.npz", start=start, stop=stop, peak=peak, energy=energy, peaks=peaks)
                cache.put_file("loudness", key, ".npz", tmp / "stats.npz")
    return scans


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
    state = {"span": 0, "done": 0, "rest": b""}  # span being filled, its frames so far, bytes of a partial frame

    def feed() -> Iterator[bytes]:
        for path, start, stop in spans:
            for x in _part_audio(path, start, stop, rate, ch):
                yield x.tobytes()
            yield bytes(4 * ch * tail)

    def take(chunk: bytes) -> None:
        data = state["rest"] + chunk
        usable = len(data) - len(data) % (8 * ch)
        frames, state["rest"] = np.frombuffer(data[:usable], np.float32).reshape(-1, 2 * ch), data[usable:]
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
               feed=feed(), output=take, timeout=120 + sum(lengths) / rate / 4, what="measuring loudness")
    if state["span"] != len(spans):
        raise PipelineError(f"ffmpeg returned {state['span']} of {len(spans)} clips when measuring loudness",
                            "check the ffmpeg build with `pipeline doctor`")
    return [m.finish() for m in meters]


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


def _pcm(parts: Sequence[_Part], rate: int, channels: int) -> Iterator[bytes]:
    """The assembled programme as interleaved float32 bytes, one block at a time."""
    for part in parts:
        for x in _part_audio(part.scan.path, part.scan.start, part.scan.stop, rate, channels):
            yield x.tobytes()
        for left in range(part.pause, 0, -BLOCK):
            yield bytes(4 * channels * min(left, BLOCK))


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


def _codec_args(profile: Profile) -> list[str]:
    if profile.format == "mp3":  # -b:a with libmp3lame is CBR; ID3 is added by mutagen (v2.3), not ffmpeg (v2.4)
        return ["-c:a", "libmp3lame", "-b:a", f"{profile.bitrate_kbps}k", "-id3v2_version", "0", "-f", "mp3"]
    if profile.format == "mp2":
        # twolame, not ffmpeg's own mp2 encoder: that one pads frames at 44.1 kHz (92% of them at 256 kbps) and has
        # no switch to stop, while PRSS ContentDepot requires frame padding off; twolame's default is off.
        mode = "mono" if profile.channels == 1 else "stereo"
        return ["-c:a", "libtwolame", "-b:a", f"{profile.bitrate_kbps}k", "-mode", mode, "-f", "mp2"]
    return ["-c:a", f"pcm_s{profile.bit_depth}le", "-f", "wav"]


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

    def timings(self, n_clips: int) -> tuple[tuple[float, float], ...]:
        """(start, end) of each clip in the final audio, in seconds."""
        head, found = round(self.p.head_silence_s * self.rate), [None] * n_clips
        for x, pos in zip(self.parts, self.offsets()):
            if x.clip is not None:
                found[x.clip] = (round((head + pos) / self.rate, 3), round((head + pos + x.frames) / self.rate, 3))
        return tuple(found)

    def chain(self, pre: float, post: float, limit: float, final: bool) -> list[str]:
        """ffmpeg's filters: the profile's, gain, compressor, make-up gain, limiter; and when `final` (the encode)
        resampling to the profile's rate first, then fades and the head and tail silence."""
        p, seconds = self.p, self.seconds
        fade = min(p.fade_s, seconds / 4)
        # Measure-only passes run at the stream's rate: same loudness, half the work when the output rate is double.
        steps = _filters(p, self.rate, resample=final) + [f"volume={pre:.3f}dB"] + _compressor(p) + [
            f"volume={post:.3f}dB", *ffmpeg.limiter(10 ** (limit / 20), p.sample_rate if final else self.rate,
                                                    p.channels)]
        if final and fade > 0:
            steps += [f"afade=t=in:d={fade:.3f}", f"afade=t=out:st={seconds - fade:.6f}:d={fade:.3f}"]
        if final and p.head_silence_s:
            steps.append(f"adelay=delays={p.head_silence_s * 1000:g}:all=1")
        if final and p.tail_silence_s:  # + 30 ms: the encoder's delay moves the audio that much later
            steps.append(f"apad=pad_dur={p.tail_silence_s + 0.03:g}")
        return steps

    def stream(self, chain: list[str], output: list[str], what: str) -> str:
        return ffmpeg.run(["-f", "f32le", "-ar", str(self.rate), "-ac", str(self.p.channels), "-i", "pipe:0",
                           "-af", ",".join(chain), *output],
                          feed=_pcm(self.parts, self.rate, self.p.channels), timeout=self.timeout, what=what)


def _render(parts: list[_Part], rate: int, p: Profile, out: Path, strict: bool, n_clips: int) -> Programme:
    """Gain from the clips' statistics, make-up gain for the limiter or compressor, then encode and measure the
    encoded file until it meets the profile: the encode is the only pass over the whole programme for a profile
    without a compressor."""
    plan = _Plan(parts, rate, p)
    pre = p.loudness_lufs - _input_loudness(plan)
    # The limiter sees samples, not inter-sample peaks, and codecs overshoot: start a little below the ceiling.
    limit = p.true_peak_dbtp - 0.5
    limiting = p.compress is not None or pre + 20 * math.log10(max(x.scan.peak for x in parts)) > limit
    search = _GainSearch(p.loudness_lufs, slope=0.5 if limiting else 1.0)
    post = _makeup_gain(plan, pre, limit, search) if limiting else 0.0
    search.restart()
    with atomic_path(out) as tmp:
        m, passed = _encode_to_target(plan, tmp, pre, post, limit, search, strict)
        fmt = _format_facts(tmp, p)
    return Programme(path=out, profile=p.name, duration=m.duration, **fmt, loudness_lufs=m.loudness_lufs,
                     true_peak_dbtp=m.true_peak_dbtp, passed=passed, timings=plan.timings(n_clips),
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
                      strict: bool) -> tuple[Measurement, bool]:
    """Encode to `tmp` and measure the encoded file; if it misses the target by more than half the tolerance
    (+0.1 LU) or its true peak is over the ceiling, encode again with corrected gain and limiter ceiling."""
    p = plan.p
    for attempt in range(1, MAX_RENDERS + 1):
        plan.stream(plan.chain(pre, post, limit, final=True),
                    ["-ar", str(p.sample_rate), "-ac", str(p.channels), "-map_metadata", "-1", "-fflags", "+bitexact",
                     "-flags:a", "+bitexact", *_codec_args(p), "-y", ffmpeg.file_arg(tmp)], "encoding")
        m = measure_file(tmp, plan.timeout)
        error = p.loudness_lufs - m.loudness_lufs
        over = m.true_peak_dbtp - p.true_peak_dbtp
        if abs(error) <= p.tolerance_lu / 2 + 0.1 + 1e-6 and over <= 0:  # aim near the middle
            break
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
    return m, passed


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
