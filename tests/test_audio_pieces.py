"""Mastering encodes a programme in pieces cut inside pauses and joins them byte for byte: the joined file is what
was measured, every clip is where the timings say, and an edit re-encodes only the pieces it touched."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from audio_signals import decode, sine, speechlike, write
from pipeline.audio import master as mastering
from pipeline.audio.master import master, measure_file
from pipeline.audio.profiles import load_profile
from pipeline.cache import Cache

BOTH = pytest.mark.usefixtures("toolset")
WAV = ('description = "EBU R128 as 24-bit WAV"\nloudness_lufs = -23\ntolerance_lu = 0.5\ntrue_peak_dbtp = -1\n'
       'format = "wav"\nbit_depth = 24\nsample_rate = 48000\nchannels = 2\nhighpass_hz = 70\n')


def profile_named(name: str, tmp_path: Path, monkeypatch):
    if name == "wav":
        (tmp_path / "profiles").mkdir()
        (tmp_path / "profiles" / "wav.toml").write_text(WAV)
        monkeypatch.setenv("PIPELINE_PROFILES_DIR", str(tmp_path / "profiles"))
    return load_profile(name)


def pieces(cache: Path) -> set[Path]:
    return set((cache / "pieces").glob("*/*.audio"))


def burst(i: int, rate: int = 44100) -> np.ndarray:
    """A tone that starts and stops at once, in 0.3 s of silence: its onset is unmistakable after mastering."""
    pad = np.zeros(int(0.3 * rate), np.float32)
    return np.concatenate([pad, sine(1.0 + 0.1 * (i % 4), -12.0, 300.0 + 40 * i, rate), pad])


def onset(x: np.ndarray, rate: int, after: float) -> float:
    """The first sample after `after` seconds above 0.05 (the tones peak near 0.25 once mastered), in seconds."""
    level = np.abs(x).max(axis=1) if x.ndim > 1 else np.abs(x)
    start = int(after * rate)
    return (start + int(np.argmax(level[start:] > 0.05))) / rate


@BOTH
@pytest.mark.parametrize("name", ["podcast", "us-pubradio", "wav"])
def test_the_joined_pieces_are_the_file_that_was_measured(tmp_path, monkeypatch, name):
    profile = profile_named(name, tmp_path, monkeypatch)
    clips = [write(tmp_path / f"c{i}.wav", burst(i)) for i in range(12)]
    prog = master(clips, profile, tmp_path / f"p{profile.suffix}", pauses=[0.5] * 11 + [0.0],
                  cache=Cache(tmp_path / "cache"))
    assert len(pieces(tmp_path / "cache")) == 12  # a cut in every pause
    # ffmpeg's own meter over the whole file agrees with what was measured piece by piece
    whole = measure_file(prog.path)
    assert whole.loudness_lufs == pytest.approx(prog.loudness_lufs, abs=0.1)
    assert whole.true_peak_dbtp == pytest.approx(prog.true_peak_dbtp, abs=0.1)
    assert whole.duration == pytest.approx(prog.duration, abs=0.001)
    # every clip is heard where its timing says (the trim keeps 10 ms before the first audible sample; the first
    # clip is under the programme's fade-in)
    x, rate = decode(prog.path)
    for (_, end), (start, _) in zip(prog.timings, prog.timings[1:]):
        assert onset(x, rate, end + 0.1) == pytest.approx(start + 0.01, abs=0.003)
    pauses = [b[0] - a[1] for a, b in zip(prog.timings, prog.timings[1:])]
    assert max(abs(p - 0.5) for p in pauses) <= 0.014  # half a frame at a cut, exact elsewhere


@BOTH
def test_an_edit_re_encodes_only_the_pieces_it_touched(tmp_path):
    profile = load_profile("podcast")
    store = Cache(tmp_path / "cache")
    clips = [write(tmp_path / f"c{i}.wav", speechlike(1.5, seed=i)) for i in range(20)]
    pauses = [0.5] * 19 + [0.0]
    first = master(clips, profile, tmp_path / "a.mp3", pauses=pauses, cache=store, identity="story/en")
    before = pieces(tmp_path / "cache")
    clips[12] = write(tmp_path / "edited.wav", speechlike(1.8, seed=99))  # a sentence said another way
    second = master(clips, profile, tmp_path / "b.mp3", pauses=pauses, cache=store, identity="story/en")
    new = pieces(tmp_path / "cache") - before
    assert len(new) == 1 < len(before)  # the edited clip's piece
    assert second.timings[:12] == first.timings[:12]
    # up to the edited clip's piece the two files decode to the same samples: those pieces were not encoded again
    a, rate = decode(first.path)
    b, _ = decode(second.path)
    same = int((first.timings[11][0]) * rate)
    assert np.array_equal(a[:same], b[:same])
    assert second.passed and measure_file(second.path).loudness_lufs == pytest.approx(second.loudness_lufs, abs=0.1)
    # a clip that moves the programme's loudness out of the aim gets new gains, and so every piece again
    clips[3] = write(tmp_path / "loud.wav", speechlike(12.0, seed=7, peak=0.95))
    third = master(clips, profile, tmp_path / "c.mp3", pauses=pauses, cache=store, identity="story/en")
    assert third.passed and abs(third.loudness_lufs - profile.loudness_lufs) <= profile.tolerance_lu / 2 + 0.1


def test_a_cut_follows_every_long_enough_pause_and_nothing_else():
    # Cuts depend on the pauses alone: not on a clip's length or bytes, so an edited or re-synthesised clip moves no
    # cut (eSpeak NG's output differs by a few samples with what its process spoke before).
    profile = load_profile("podcast")

    def part(i: int, seconds: float, pause: float):
        scan = mastering._Scan(Path("x"), hashlib.sha256(str(i).encode()).hexdigest(), 0, round(seconds * 44100),
                               0.5, np.zeros(1, np.float32), np.zeros(1, np.float32))
        return mastering._Part(scan, round(pause * 44100), 0)

    def cuts(lengths, pauses):
        pieces = mastering._Plan([part(i, s, p) for i, (s, p) in enumerate(zip(lengths, pauses))], 44100,
                                 profile).pieces()
        return [len(piece.parts) for piece in pieces]

    pauses = [0.5, 0.2, 1.0, 0.1, 0.1, 0.5, 0.25, 0.0]
    assert cuts([1.0, 5.0, 2.0, 1.5, 7.0, 0.8, 1.2, 2.5], pauses) == [1, 2, 3, 1, 1]
    assert cuts([9.0, 0.5, 2.0, 1.5, 7.0, 3.8, 1.2, 2.5], pauses) == [1, 2, 3, 1, 1]
    assert cuts([5.0] * 10, [0.2] * 9 + [0.0]) == [10]  # no pause long enough to cut in


@BOTH
@pytest.mark.parametrize("name", ["podcast", "us-pubradio"])
def test_a_programme_of_one_piece_is_measured_as_the_file(tmp_path, name):
    # No pause long enough to cut in: one piece, whose Xing/LAME frame (MP3) trims the encoder's delay and padding
    # for players; what was measured is still exactly what they decode.
    profile = load_profile(name)
    clips = [write(tmp_path / f"c{i}.wav", burst(i)) for i in range(3)]
    prog = master(clips, profile, tmp_path / f"p{profile.suffix}", pauses=[0.1, 0.1, 0.0])
    whole = measure_file(prog.path)
    assert whole.duration == pytest.approx(prog.duration, abs=0.001)
    assert whole.loudness_lufs == pytest.approx(prog.loudness_lufs, abs=0.1)
    x, rate = decode(prog.path)
    assert onset(x, rate, prog.timings[0][1] + 0.02) == pytest.approx(prog.timings[1][0] + 0.01, abs=0.003)


def test_kept_gains_that_miss_give_way_to_fresh_ones(tmp_path, monkeypatch):
    # A memory whose gains no longer meet the target (a model that mispredicts, a record from elsewhere): the first
    # encode says so, and the gains found afresh take over; the file still meets the profile.
    profile = load_profile("podcast")
    store = Cache(tmp_path / "cache")
    clips = [write(tmp_path / f"c{i}.wav", speechlike(1.5, seed=i)) for i in range(6)]
    good = master(clips, profile, tmp_path / "a.mp3", pauses=[0.5] * 6, cache=store, identity="story/en")
    monkeypatch.setattr(mastering._Gains, "recall", lambda self, plan: (-10.0, 0.0, profile.true_peak_dbtp - 0.5))
    second = master(clips, profile, tmp_path / "b.mp3", pauses=[0.5] * 6, cache=store, identity="story/en")
    assert second.passed and abs(second.loudness_lufs - profile.loudness_lufs) <= profile.tolerance_lu / 2 + 0.1
    assert second.loudness_lufs == good.loudness_lufs


def test_a_wav_of_pieces_has_ffmpegs_own_header(tmp_path, monkeypatch):
    # 24-bit mono with an odd number of frames: WAVE_FORMAT_EXTENSIBLE and a padded data chunk, as ffmpeg writes them
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "mono24.toml").write_text(
        'description = "24-bit mono WAV"\nloudness_lufs = -23\ntolerance_lu = 0.5\ntrue_peak_dbtp = -1\n'
        'format = "wav"\nbit_depth = 24\nsample_rate = 44100\nchannels = 1\n')
    monkeypatch.setenv("PIPELINE_PROFILES_DIR", str(tmp_path / "profiles"))
    profile = load_profile("mono24")
    clips = [write(tmp_path / f"c{i}.wav", burst(i)) for i in range(5)]
    prog = master(clips, profile, tmp_path / "p.wav", pauses=[0.5] * 5, cache=Cache(tmp_path / "cache"))
    import soundfile as sf

    info = sf.info(str(prog.path))
    assert (info.subtype, info.channels, info.samplerate) == ("PCM_24", 1, 44100)
    assert prog.path.read_bytes()[20:22] == b"\xfe\xff"  # WAVE_FORMAT_EXTENSIBLE
    assert prog.path.stat().st_size % 2 == 0
    assert measure_file(prog.path).duration == pytest.approx(prog.duration, abs=0.001)


def test_clips_the_caller_has_checked_are_not_read_to_key_their_statistics(tmp_path, monkeypatch):
    # A run hands master the sha256 its cache recorded for each clip: the same programme, and no clip is hashed.
    profile = load_profile("podcast")
    clips = [write(tmp_path / f"c{i}.wav", speechlike(1.2, seed=i)) for i in range(4)]
    clips.append(write(tmp_path / "float.wav", speechlike(1.0, seed=9), subtype="FLOAT"))  # libsndfile reads it
    digests = {c: hashlib.sha256(c.read_bytes()).hexdigest() for c in clips}
    plain = master(clips, profile, tmp_path / "a.mp3", pauses=[0.4] * 5, cache=Cache(tmp_path / "c1"))
    monkeypatch.setattr(mastering, "sha256", lambda path: pytest.fail(f"{path} was read again to hash it"))
    given = master(clips, profile, tmp_path / "b.mp3", pauses=[0.4] * 5, cache=Cache(tmp_path / "c2"), digests=digests)
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
    assert given.timings == plain.timings and given.loudness_lufs == plain.loudness_lufs


def test_an_edit_encodes_with_the_kept_gains_while_the_new_clip_is_metered(tmp_path, monkeypatch):
    # The early encode (last gains, on another core) is the render when the gains are kept, and is dropped when
    # they are not: either way the file is the one the plain path makes, byte for byte.
    import shutil

    profile = load_profile("podcast")
    clips = [write(tmp_path / f"c{i}.wav", speechlike(1.5, seed=i)) for i in range(20)]
    pauses = [0.5] * 19 + [0.0]
    master(clips, profile, tmp_path / "a.mp3", pauses=pauses, cache=Cache(tmp_path / "c1"), identity="story/en")
    shutil.copytree(tmp_path / "c1", tmp_path / "c2")
    calls = []
    real = mastering._encode_pieces
    monkeypatch.setattr(mastering, "_encode_pieces", lambda *a: calls.append(a[3] is not None) or real(*a))
    for n, edit in enumerate([speechlike(1.8, seed=99), speechlike(40.0, seed=7, peak=0.02)]):  # kept, then not
        clips[12 - 9 * n] = write(tmp_path / f"edit{n}.wav", edit)
        calls.clear()
        early = master(clips, profile, tmp_path / f"early{n}.mp3", pauses=pauses, cache=Cache(tmp_path / "c1"),
                       identity="story/en")
        assert len(calls) == (1 if n == 0 else 2)  # kept: the early encode is the render; not kept: one more
        with monkeypatch.context() as m:
            m.setattr(mastering, "_early_encode", lambda *a: None)
            plain = master(clips, profile, tmp_path / f"plain{n}.mp3", pauses=pauses, cache=Cache(tmp_path / "c2"),
                           identity="story/en")
        assert (tmp_path / f"early{n}.mp3").read_bytes() == (tmp_path / f"plain{n}.mp3").read_bytes()
        assert early.timings == plain.timings and early.passed and plain.passed
        assert not list((tmp_path).glob("*.tmp*")) and not list((tmp_path).glob(".*master*"))
    # Many clips new (another voice, a rewritten article): no early encode, which would mostly be thrown away
    started = []
    real_early = mastering._early_encode
    monkeypatch.setattr(mastering, "_early_encode", lambda *a: started.append(real_early(*a)) or started[-1])
    clips[:8] = [write(tmp_path / f"new{i}.wav", speechlike(1.6, seed=50 + i)) for i in range(8)]
    master(clips, profile, tmp_path / "many.mp3", pauses=pauses, cache=Cache(tmp_path / "c1"), identity="story/en")
    assert started == [None]


def test_a_wav_that_libsndfile_cannot_read_still_goes_through_ffmpeg(tmp_path):
    # The WAV header is read with `wave` for speed, but only PCM libsndfile streams (8-32 bit, as long as its header
    # says) is streamed directly: a 64-bit ident or a truncated clip is converted, or refused, as before.
    import struct

    rate = 22050
    x = (speechlike(2.0, rate=rate, seed=3) * 2**62).astype("<i8").tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 8, 8, 64)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(x)) + x
    wide = tmp_path / "s64.wav"
    wide.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert mastering._info(wide) is None
    prog = master([wide, write(tmp_path / "c.wav", speechlike(2.0, seed=1))], load_profile("podcast"),
                  tmp_path / "a.mp3", pauses=[0.5, 0.0])
    assert prog.passed and prog.duration > 4
    short = tmp_path / "short.wav"
    short.write_bytes(write(tmp_path / "full.wav", speechlike(2.0, seed=2)).read_bytes()[:2000])
    assert not isinstance(mastering._info(short), mastering._PcmInfo)  # libsndfile's view of it, not the header's
    assert isinstance(mastering._info(tmp_path / "full.wav"), mastering._PcmInfo)
