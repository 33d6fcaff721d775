import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from mutagen.mp3 import MP3, BitrateMode

from audio_signals import (clipped, decode, ffmpeg_true_peak, leftovers, numpy_true_peak, pink,
                           pyloudnorm_lufs, sine, speechlike, write)
from pipeline.audio.ffmpeg import find_ffmpeg
from pipeline.audio.master import master, measure_file
from pipeline.audio.profiles import list_profiles, load_profile
from pipeline.errors import PipelineError
from pipeline.export import Tags

# Tests marked with the `toolset` fixture run with the wheels' ffmpeg and eSpeak NG and again with the system's.
BOTH = pytest.mark.usefixtures("toolset")

PROFILES = [p.name for p in list_profiles()]
SIGNALS = {
    "sine": lambda: sine(3.0, -30.0),
    "pink": lambda: pink(3.0, -35.0),
    "speech": lambda: speechlike(3.0),
    "clipped": lambda: clipped(3.0),
}


@BOTH
def test_meter_reads_known_loudness(tmp_path):
    # BS.1770: a 997 Hz sine at A dBFS in one channel reads A - 3.01 LUFS; its true peak is A dBTP.
    m = measure_file(write(tmp_path / "sine.wav", sine(5.0, -20.0, rate=48000), 48000, "FLOAT"))
    assert m.loudness_lufs == pytest.approx(-23.0, abs=0.1)
    assert m.true_peak_dbtp == pytest.approx(-20.0, abs=0.1)
    assert m.duration == pytest.approx(5.0, abs=0.01)


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("name", PROFILES)
def test_every_profile_meets_its_targets(tmp_path, name, signal):
    profile = load_profile(name)
    clips = [write(tmp_path / f"c{i}.wav", SIGNALS[signal]()) for i in range(2)]
    out = tmp_path / "out" / f"prog{profile.suffix}"
    prog = master(clips, profile, out)

    assert prog.passed and out.is_file()
    assert abs(prog.loudness_lufs - profile.loudness_lufs) <= profile.tolerance_lu
    assert prog.true_peak_dbtp <= profile.true_peak_dbtp
    # Second opinions on the delivered file: pyloudnorm for loudness, ffmpeg's and a numpy true-peak meter.
    assert abs(pyloudnorm_lufs(out) - profile.loudness_lufs) <= profile.tolerance_lu
    assert ffmpeg_true_peak(out) <= profile.true_peak_dbtp
    assert numpy_true_peak(out) <= profile.true_peak_dbtp + 0.2
    info = MP3(out).info
    assert (info.sample_rate, info.channels) == (profile.sample_rate, profile.channels)
    assert info.layer == {"mp3": 3, "mp2": 2}[profile.format]
    assert round(info.bitrate / 1000) == profile.bitrate_kbps == prog.bitrate_kbps
    if profile.format == "mp3":
        assert info.bitrate_mode == BitrateMode.CBR
    assert leftovers(out.parent) == []


@BOTH
def test_am_profile_is_band_limited_and_denser(tmp_path):
    clips = [write(tmp_path / f"c{i}.wav", speechlike(4.0, seed=i)) for i in range(3)]
    podcast = master(clips, load_profile("podcast"), tmp_path / "p.mp3")
    am = master(clips, load_profile("am-shortwave"), tmp_path / "am.mp3")

    def band_energy(path, lo, hi):
        x, rate = decode(path)
        spectrum = np.abs(np.fft.rfft(x)) ** 2
        freqs = np.fft.rfftfreq(len(x), 1 / rate)
        return spectrum[(freqs >= lo) & (freqs < hi)].sum() / spectrum.sum()

    assert band_energy(am.path, 6000, 20000) < band_energy(podcast.path, 6000, 20000) / 20
    assert band_energy(am.path, 0, 50) < 1e-3

    def short_term_spread(path):  # 90-10 percentile spread of 50 ms levels (syllable scale): lower = denser
        x, rate = decode(path)
        n = int(0.05 * rate)
        rms = np.sqrt([np.mean(x[i:i + n] ** 2) for i in range(0, len(x) - n, n)])
        db = 20 * np.log10(rms[rms > 1e-4])
        return np.percentile(db, 90) - np.percentile(db, 10)

    assert short_term_spread(am.path) < short_term_spread(podcast.path) - 3.0


@BOTH
def test_timings_pauses_and_trimming(tmp_path):
    # Each clip carries 0.3 s of silence at both ends: trimmed, then joined with the requested pauses.
    clips = [write(tmp_path / f"c{i}.wav", speechlike(2.0, seed=i)) for i in range(3)]
    prog = master(clips, load_profile("podcast"), tmp_path / "p.mp3", pauses=[0.5, 1.2, 3.0])
    starts = [a for a, _ in prog.timings]
    ends = [b for _, b in prog.timings]
    # a pause where the encode was cut into pieces is within half an MP3 frame (13 ms) of its length
    assert starts[0] == 0.0
    assert [starts[i + 1] - ends[i] for i in range(2)] == [pytest.approx(0.5, abs=0.014),
                                                            pytest.approx(1.2, abs=0.014)]
    for a, b in prog.timings:
        assert 1.8 < b - a < 2.1  # 2 s of sound, the synthesiser's silence trimmed
    assert prog.duration == pytest.approx(ends[-1], abs=0.06)  # no dead air after the last clip
    x, rate = decode(prog.path)
    gap = x[int((ends[1] + 0.1) * rate):int((starts[2] - 0.1) * rate)]
    speech = x[int(starts[1] * rate):int(ends[1] * rate)]
    assert np.sqrt(np.mean(gap**2)) < 1e-3 < np.sqrt(np.mean(speech**2))


@BOTH
def test_mixed_rates_channels_and_intro_outro(tmp_path):
    clips = [
        write(tmp_path / "a.wav", speechlike(2.0, seed=1)),
        write(tmp_path / "b.wav", np.stack([speechlike(2.0, 48000, seed=2)] * 2, axis=1), 48000),
        write(tmp_path / "c.wav", speechlike(2.0, 16000, seed=3), 16000, "PCM_24"),
    ]
    intro = write(tmp_path / "ident.flac", np.stack([sine(1.0, -12, 440, 44100)] * 2, axis=1), 44100)
    outro = tmp_path / "outro.mp3"  # a station ident as MP3: decoded by ffmpeg
    subprocess.run([find_ffmpeg().path, "-v", "error", "-i", write(tmp_path / "o.wav", speechlike(1.5, seed=4)),
                    "-c:a", "libmp3lame", "-b:a", "64k", str(outro)], check=True)
    prog = master(clips, load_profile("ebu-r128"), tmp_path / "p.mp3", pauses=[0.4, 0.4], intro=intro, outro=outro,
                  ident_pause=0.9)
    assert prog.passed and prog.channels == 2 and prog.sample_rate == 48000
    assert prog.timings[0][0] == pytest.approx(1.0 + 0.9, abs=0.014)  # a cut in the ident's pause: 13 ms
    for a, b in prog.timings:
        assert 1.5 < b - a < 2.1  # at most 2 s of sound: the silence around it is trimmed
    assert prog.duration > prog.timings[-1][1] + 0.9 + 1.0


@BOTH
def test_mastering_writes_no_tags(tmp_path):
    # Tags are export's (and the CLI's, through export.write_tags): the mastered audio, and its cache entry, hold
    # only what shapes the sound.
    prog = master([write(tmp_path / "a.wav", speechlike(2.0))], load_profile("podcast"), tmp_path / "p.mp3")
    head = prog.path.read_bytes()[:3]
    assert head != b"ID3" and head[0] == 0xFF  # starts with an MPEG frame sync
    with pytest.raises(TypeError):
        master([tmp_path / "a.wav"], load_profile("podcast"), tmp_path / "q.mp3", tags=Tags(title="x"))


@BOTH
def test_user_profile_wav_delivery(tmp_path, monkeypatch):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "ebu-wav.toml").write_text(
        'description = "EBU R128 as 24-bit WAV"\nloudness_lufs = -23\ntolerance_lu = 0.5\ntrue_peak_dbtp = -1\n'
        'format = "wav"\nbit_depth = 24\nsample_rate = 48000\nchannels = 2\nhighpass_hz = 70\n')
    monkeypatch.setenv("PIPELINE_PROFILES_DIR", str(folder))
    profile = load_profile("ebu-wav")
    prog = master([write(tmp_path / "a.wav", speechlike(3.0))], profile, tmp_path / "p.wav")
    info = sf.info(str(prog.path))
    assert (info.samplerate, info.channels, info.subtype) == (48000, 2, "PCM_24")
    assert abs(pyloudnorm_lufs(prog.path) + 23) <= 0.5 and prog.bitrate_kbps is None


@BOTH
@pytest.mark.parametrize("name", PROFILES)
def test_real_espeak_speech(tmp_path, name):
    """eSpeak NG's own output (peak-to-loudness ratio ~20 dB: the limiter has real work) meets every profile."""
    data = Path(__file__).parent / "data" / "audio"
    profile = load_profile(name)
    clips = [data / "espeak-en.wav", data / "espeak-ko.wav"] * 3
    prog = master(clips, profile, tmp_path / f"p{profile.suffix}", intro=data / "espeak-en.wav")
    assert prog.passed
    assert abs(pyloudnorm_lufs(prog.path) - profile.loudness_lufs) <= profile.tolerance_lu
    assert ffmpeg_true_peak(prog.path) <= profile.true_peak_dbtp
    assert numpy_true_peak(prog.path) <= profile.true_peak_dbtp + 0.2


@BOTH
def test_impossible_target_fails_loudly_or_is_recorded(tmp_path):
    # -5 LUFS under a -12 dBTP ceiling cannot exist: strict refuses and writes nothing; non-strict keeps the file
    # and records the failure, for a manifest that says so.
    from dataclasses import replace

    profile = replace(load_profile("podcast"), loudness_lufs=-5.0, true_peak_dbtp=-12.0)
    clip = write(tmp_path / "a.wav", speechlike(2.0))
    with pytest.raises(PipelineError, match="misses profile"):
        master([clip], profile, tmp_path / "out" / "p.mp3")
    assert not (tmp_path / "out" / "p.mp3").exists() and leftovers(tmp_path / "out") == []
    prog = master([clip], profile, tmp_path / "out" / "p.mp3", strict=False)
    assert not prog.passed and prog.path.is_file()
    assert prog.true_peak_dbtp <= -12.0 + 0.5 and prog.loudness_lufs < -10
