"""Mastering: sentence clips -> one broadcast-ready file that meets a profile, measured after encoding.

How (and why this way):
- Clips are streamed block by block as float32 PCM into ffmpeg's stdin; nothing holds the whole programme, so a
  2-hour programme needs about as much memory as a 10-second one. The stream is generated again for each pass
  rather than kept in a temp file (a 2-hour 48 kHz stereo float file would be 2.8 GB of disk).
- Loudness is set with plain gain plus a lookahead limiter, never with ffmpeg's `loudnorm` (one pass is dynamic and
  pumps; two-pass linear mode silently falls back to dynamic when the true-peak target cannot be met).
- Pass A measures integrated loudness (ITU-R BS.1770-4, ffmpeg ebur128) after the profile's filters and sets the
  gain in front of the compressor, so compression acts the same whatever the input level. If a compressor or the
  limiter will act, measure-only passes (no encoding) search the make-up gain that still meets the target. Then a
  render applies filters, gains, compressor, limiter and fades and encodes, and the encoded (and tagged) file is
  decoded and measured. If it misses the target by more than half the tolerance (+0.1 LU), or its true peak is over
  the ceiling, it is rendered again with corrected gain and limiter ceiling (at most 3 renders). The result is
  judged on the encoded file only.
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

from pipeline.audio import ffmpeg
from pipeline.audio.profiles import Profile
from pipeline.errors import PipelineError
from pipeline.files import atomic_path, temp_dir

if TYPE_CHECKING:
    from pipeline.export import Tags

SILENT_DBFS = -70.0  # a clip whose peak is below this is silent
TRIM_BELOW_PEAK_DB = 40.0  # trim edges quieter than peak - 40 dB (or -70 dBFS, whichever is higher)
MIN_INPUT_LUFS = -50.0  # quieter programmes are refused: the gain needed would mostly amplify noise
TRIM_KEEP_S = (0.010, 0.030)  # kept before the first / after the last audible sample (onsets, decays)
EDGE_FADE_S = 0.005  # per-clip fade at the trimmed edges: no clicks
MAX_RENDERS = 3
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


@dataclass(frozen=True)
class _Part:
    path: Path  # file streamed (the original, or a converted copy)
    start: int  # first frame kept
    stop: int  # frame after the last one kept
    peak: float  # highest absolute sample value
    pause: int  # frames of silence after it
    clip: int | None  # index in `clips`; None for intro/outro


def master(
    clips: Sequence[Path],
    profile: Profile,
    out: Path,
    *,
    pauses: Sequence[float] | None = None,
    intro: Path | None = None,
    outro: Path | None = None,
    tags: Tags | None = None,
    strict: bool = True,
) -> Programme:
    """Assemble `clips` (with `pauses[i]` seconds of silence after clip i), master them to `profile`, write `out`.

    `pauses` has one value per clip (the last one is the gap before the outro) or one fewer; default: the profile's
    sentence pause. The intro is followed by, and the outro preceded by, the profile's paragraph pause by default.
    Tags are written (ID3v2.3) when the profile asks for ID3. With `strict`, a file that misses its targets raises
    PipelineError and nothing is written; otherwise it is kept with `passed=False`.
    """
    clips = [Path(c) for c in clips]
    out = Path(out)
    if not clips:
        raise PipelineError("nothing to master: no clips given", "pass at least one audio file")
    if out.suffix.lower() != profile.suffix:
        raise PipelineError(f"output {out.name} does not end in {profile.suffix}, the format of profile {profile.name}",
                            f"name the output *{profile.suffix}")
    gaps = _pauses(pauses, len(clips), profile, outro is not None)
    ffmpeg.find_ffmpeg().build()  # fail before any work
    if profile.format in ffmpeg.FORMAT_ENCODERS:
        ffmpeg.require_encoder(ffmpeg.FORMAT_ENCODERS[profile.format],
                               "MPEG Layer II without frame padding (PRSS ContentDepot)")
    entries = ([(Path(intro), None, profile.paragraph_pause_s)] if intro else [])
    entries += [(clip, i, gap) for i, (clip, gap) in enumerate(zip(clips, gaps))]
    entries += [(Path(outro), None, 0.0)] if outro else []
    infos = {src: _info(src) for src, _, _ in entries}
    rates = collections.Counter(i.samplerate for i in infos.values() if i is not None)
    rate = rates.most_common(1)[0][0] if rates else profile.sample_rate
    out.parent.mkdir(parents=True, exist_ok=True)
    with temp_dir(out.parent, "master") as tmp:
        scanned: dict[Path, tuple[Path, int, int, float]] = {}  # a repeated file (a jingle) is read once
        for src, info in infos.items():
            path = src
            if info is None or info.samplerate != rate:  # other rate, or a format only ffmpeg reads
                path = _convert(src, tmp / f"{len(scanned)}.wav", rate, profile.channels)
            scanned[src] = (path, *_trim(path, rate, src))
        parts = [_Part(*scanned[src], round(pause * rate), index) for src, index, pause in entries]
        return _render(parts, rate, profile, out, tags, strict, len(clips))


def _pauses(pauses, n: int, profile: Profile, outro: bool) -> list[float]:
    if pauses is None:
        gaps = [profile.sentence_pause_s] * (n - 1) + [profile.paragraph_pause_s]
    else:
        gaps = [float(p) for p in pauses]
        if len(gaps) == n - 1:
            gaps.append(profile.paragraph_pause_s)
        if len(gaps) != n:
            raise PipelineError(f"{len(pauses)} pauses for {n} clips", "give one pause per clip (or one fewer)")
        if any(not 0 <= g <= 60 or math.isnan(g) for g in gaps):
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


def _pcm(parts: Sequence[_Part], rate: int, channels: int) -> Iterator[bytes]:
    """The assembled programme as interleaved float32 bytes, one block at a time."""
    fade = max(1, round(EDGE_FADE_S * rate))
    for part in parts:
        length = part.stop - part.start
        with sf.SoundFile(str(part.path)) as f:
            for pos, x in _blocks(f, part.start, part.stop):
                x = _fit_channels(x, channels)
                offset = pos - part.start
                if offset < fade or offset + len(x) > length - fade:
                    idx = np.arange(offset, offset + len(x))
                    ramp = np.minimum(1.0, np.minimum(idx + 1, length - idx) / fade).astype(np.float32)
                    x = x * ramp[:, None]
                yield x.tobytes()
        for left in range(part.pause, 0, -BLOCK):
            yield bytes(4 * channels * min(left, BLOCK))


def _filters(profile: Profile, rate: int, resample: bool = True) -> list[str]:
    chain = []
    if resample and rate != profile.sample_rate:
        # soxr where the build has it (better stop band); a build without libsoxr uses ffmpeg's own resampler.
        soxr = ffmpeg.find_ffmpeg().build().soxr
        chain.append(f"aresample={profile.sample_rate}" + (":resampler=soxr" if soxr else ""))
    # High-pass: one 2-pole section (12 dB/octave); a steeper one shifts the phase of low voice harmonics enough to
    # raise peaks by several dB. Low-pass: two sections (24 dB/octave) for a clear band edge on AM.
    if profile.highpass_hz:
        chain.append(f"highpass=f={profile.highpass_hz:g}")
    if profile.lowpass_hz:
        chain += [f"lowpass=f={profile.lowpass_hz:g}"] * 2
    return chain


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


def _measure_stream(parts, rate: int, profile: Profile, chain: list[str], timeout: float) -> float:
    log = ffmpeg.run(
        ["-f", "f32le", "-ar", str(rate), "-ac", str(profile.channels), "-i", "pipe:0",
         "-af", ",".join(chain + ["ebur128=framelog=verbose"]), "-f", "null", "-"],
        feed=_pcm(parts, rate, profile.channels), timeout=timeout, what="measuring loudness")
    return _loudness(log)[0]


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


def _render(parts: list[_Part], rate: int, p: Profile, out: Path, tags, strict: bool, n_clips: int) -> Programme:
    total = sum(x.stop - x.start + x.pause for x in parts)
    seconds = total / rate
    timeout = 120 + seconds / 4
    head = round(p.head_silence_s * rate)
    timings, pos = [None] * n_clips, head
    for x in parts:
        if x.clip is not None:
            timings[x.clip] = (round(pos / rate, 3), round((pos + x.stop - x.start) / rate, 3))
        pos += x.stop - x.start + x.pause

    filters = _filters(p, rate)
    # Measure-only passes run at the stream's rate: same loudness, half the work when the output rate is double.
    measure_filters = _filters(p, rate, resample=False)
    measured = _measure_stream(parts, rate, p, measure_filters, timeout)
    if measured < MIN_INPUT_LUFS:
        raise PipelineError(
            f"input is too quiet to master: {measured:.1f} LUFS, below {MIN_INPUT_LUFS:g} LUFS; reaching "
            f"{p.loudness_lufs:g} LUFS would amplify noise by {p.loudness_lufs - measured:.0f} dB",
            "check the clips (silent or near-silent synthesis?)")
    pre = p.loudness_lufs - measured
    # The limiter sees samples, not inter-sample peaks, and codecs overshoot: start a little below the ceiling.
    limit = p.true_peak_dbtp - 0.5
    fade = min(p.fade_s, seconds / 4)

    def chain(post: float, limit: float, fades: bool) -> list[str]:
        steps = (filters if fades else measure_filters) + [f"volume={pre:.3f}dB"] + _compressor(p) + [
            f"volume={post:.3f}dB", *ffmpeg.limiter(10 ** (limit / 20), p.sample_rate if fades else rate, p.channels)]
        if fades and fade > 0:
            steps += [f"afade=t=in:d={fade:.3f}", f"afade=t=out:st={seconds - fade:.6f}:d={fade:.3f}"]
        if fades and p.head_silence_s:
            steps.append(f"adelay=delays={p.head_silence_s * 1000:g}:all=1")
        if fades and p.tail_silence_s:  # + 30 ms: the encoder's delay moves the audio that much later
            steps.append(f"apad=pad_dur={p.tail_silence_s + 0.03:g}")
        return steps

    # Compressor and limiter lower the loudness by an amount that depends on the gain in front of them: find the
    # make-up gain on cheap measure-only passes (no encoding), by the secant method.
    post = 0.0
    limiting = p.compress is not None or pre + 20 * math.log10(max(x.peak for x in parts)) > limit
    search = _GainSearch(p.loudness_lufs, slope=0.5 if limiting else 1.0)
    if limiting:
        for _ in range(4):
            loudness = _measure_stream(parts, rate, p, chain(post, limit, fades=False), timeout)
            if abs(p.loudness_lufs - loudness) <= p.tolerance_lu / 4:
                break
            post = search.next(post, loudness)
    search.restart()
    with atomic_path(out) as tmp:
        for attempt in range(1, MAX_RENDERS + 1):
            ffmpeg.run(
                ["-f", "f32le", "-ar", str(rate), "-ac", str(p.channels), "-i", "pipe:0",
                 "-af", ",".join(chain(post, limit, fades=True)),
                 "-ar", str(p.sample_rate), "-ac", str(p.channels), "-map_metadata", "-1", "-fflags", "+bitexact",
                 "-flags:a", "+bitexact", *_codec_args(p), "-y", ffmpeg.file_arg(tmp)],
                feed=_pcm(parts, rate, p.channels), timeout=timeout, what="encoding")
            if tags is not None and p.id3:
                from pipeline.export import write_tags

                write_tags(tmp, tags)
            m = measure_file(tmp, timeout)
            loudness, peak = m.loudness_lufs, m.true_peak_dbtp
            error = p.loudness_lufs - loudness
            over = peak - p.true_peak_dbtp
            if abs(error) <= p.tolerance_lu / 2 + 0.1 + 1e-6 and over <= 0:  # aim near the middle
                break
            if attempt < MAX_RENDERS:
                if over > -0.1:
                    limit -= over + 0.3
                post = search.next(post, loudness)
        passed = abs(error) <= p.tolerance_lu and over <= 0
        if not passed and strict:
            raise PipelineError(
                f"mastered audio misses profile {p.name}: {loudness:.1f} LUFS (target {p.loudness_lufs:g} "
                f"±{p.tolerance_lu:g}), true peak {peak:.1f} dBTP (ceiling {p.true_peak_dbtp:g})",
                "the input may be extremely dynamic or clipped; check it, or relax the profile")
        fmt = _format_facts(tmp, p)
    return Programme(path=out, profile=p.name, duration=m.duration, **fmt, loudness_lufs=loudness,
                     true_peak_dbtp=peak, passed=passed, timings=tuple(timings), target_lufs=p.loudness_lufs,
                     tolerance_lu=p.tolerance_lu, ceiling_dbtp=p.true_peak_dbtp, ffmpeg=ffmpeg.find_ffmpeg().to_dict())


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
