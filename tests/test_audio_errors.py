"""Bad inputs: a clear PipelineError or a correct result; never a crash, an output file or a temp file."""

import stat
from pathlib import Path

import numpy as np
import pytest

from audio_signals import leftovers, near_silence, speechlike, write
from pipeline.audio.ffmpeg import find_ffmpeg
from pipeline.audio.master import master
from pipeline.audio.profiles import load_profile
from pipeline.errors import PipelineError


def fails(tmp_path: Path, clips, match: str, profile: str = "podcast", **kw) -> None:
    out = tmp_path / "out" / "prog.mp3"
    with pytest.raises(PipelineError, match=match):
        master(clips, load_profile(profile), out, **kw)
    assert not out.exists()
    assert not out.parent.exists() or leftovers(out.parent) == []


def test_digital_silence(tmp_path):
    good = write(tmp_path / "a.wav", speechlike(1.0))
    fails(tmp_path, [good, write(tmp_path / "s.wav", np.zeros(22050, np.float32))], "silent")


def test_nan_samples(tmp_path):
    x = speechlike(1.0)
    x[100] = np.nan
    fails(tmp_path, [write(tmp_path / "nan.wav", x, subtype="FLOAT")], "NaN")


def test_near_silence_is_refused_not_amplified(tmp_path):
    fails(tmp_path, [write(tmp_path / "n.wav", near_silence())], "too quiet")


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVE", b"not audio at all" * 100,
                                     b"RIFF\xff\xff\xff\x7fWAVEfmt \x10\x00\x00\x00\x01\x00"])
def test_corrupt_wav(tmp_path, content):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    fails(tmp_path, [write(tmp_path / "a.wav", speechlike(1.0)), bad], "bad.wav")


def test_truncated_wav_is_used_as_far_as_it_goes(tmp_path):
    # A WAV cut short mid-data (a killed synthesiser): the audio that is there is real, so it is mastered.
    full = write(tmp_path / "full.wav", speechlike(3.0))
    cut = tmp_path / "cut.wav"
    cut.write_bytes(full.read_bytes()[: len(full.read_bytes()) // 2])
    prog = master([cut], load_profile("podcast"), tmp_path / "p.mp3")
    assert prog.passed and 1.0 < prog.duration < 2.0


def test_missing_file_and_wrong_suffix(tmp_path):
    fails(tmp_path, [tmp_path / "nope.wav"], "not found")
    with pytest.raises(PipelineError, match=r"\.mp2"):
        master([write(tmp_path / "a.wav", speechlike(1.0))], load_profile("us-pubradio"), tmp_path / "x.mp3")


def test_missing_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_FFMPEG", "/nonexistent/ffmpeg")
    monkeypatch.setenv("PATH", str(tmp_path))
    fails(tmp_path, [write(tmp_path / "a.wav", speechlike(1.0))], "ffmpeg not found")


def test_bundled_ffmpeg_is_used_when_path_has_none(tmp_path, monkeypatch):
    monkeypatch.delenv("PIPELINE_FFMPEG", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_ffmpeg().source == "imageio-ffmpeg"
    assert master([write(tmp_path / "a.wav", speechlike(1.0))], load_profile("podcast"), tmp_path / "p.mp3").passed


def test_crashing_ffmpeg(tmp_path, monkeypatch):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault' >&2\nkill -SEGV $$\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PIPELINE_FFMPEG", str(fake))
    fails(tmp_path, [write(tmp_path / "a.wav", speechlike(1.0))], "ffmpeg failed")


def test_bad_pauses(tmp_path):
    clip = write(tmp_path / "a.wav", speechlike(1.0))
    fails(tmp_path, [clip, clip], "pauses", pauses=[0.1, 0.2, 0.3])
    fails(tmp_path, [clip, clip], "negative", pauses=[-1.0])
    fails(tmp_path, [], "no clips")


def test_hung_ffmpeg_is_stopped(tmp_path, monkeypatch):
    from pipeline.audio import ffmpeg

    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PIPELINE_FFMPEG", str(fake))
    with pytest.raises(PipelineError, match="longer than"):
        ffmpeg.run(["-i", "x"], feed=iter([b"\0" * 16]), timeout=0.5)


def test_pydub_uses_the_same_ffmpeg():
    from pipeline.audio.ffmpeg import configure_pydub
    from pydub import AudioSegment

    used = configure_pydub()
    assert AudioSegment.converter == used.path == find_ffmpeg().path
