
import pytest

from pipeline.audio.profiles import DEFAULT, list_profiles, load_profile
from pipeline.errors import PipelineError

GOOD = ('description = "x"\nloudness_lufs = -18\ntolerance_lu = 1\ntrue_peak_dbtp = -1\nformat = "mp3"\n'
        'bitrate_kbps = 128\nsample_rate = 44100\nchannels = 1\n')


def test_shipped_profiles_match_the_spec():
    got = {p.name: (p.loudness_lufs, p.tolerance_lu, p.true_peak_dbtp, p.format, p.bitrate_kbps, p.sample_rate,
                    p.channels, p.id3) for p in list_profiles()}
    assert got == {
        "podcast": (-16, 1, -1, "mp3", 128, 44100, 1, True),
        "ebu-r128": (-23, 0.5, -1, "mp3", 192, 48000, 2, True),
        "us-pubradio": (-24, 2, -2, "mp2", 256, 44100, 2, False),
        "am-shortwave": (-16, 1, -1, "mp3", 96, 44100, 1, True),
    }
    assert list_profiles()[0].name == DEFAULT == "podcast"
    am = load_profile("am-shortwave")
    assert (am.highpass_hz, am.lowpass_hz) == (80, 4500) and am.compress is not None


def test_user_folder_adds_and_overrides(tmp_path, monkeypatch):
    (tmp_path / "station.toml").write_text(GOOD)
    (tmp_path / "podcast.toml").write_text(GOOD.replace("-18", "-19"))
    assert load_profile("station", tmp_path).loudness_lufs == -18
    monkeypatch.setenv("PIPELINE_PROFILES_DIR", str(tmp_path))
    assert load_profile("podcast").loudness_lufs == -19
    assert {p.name for p in list_profiles()} >= {"station", "podcast", "ebu-r128"}


@pytest.mark.parametrize("edit, field", [
    (lambda t: t + "loudnes = -3\n", "loudnes"),
    (lambda t: t.replace("bitrate_kbps = 128", "bitrate_kbps = 100"), "bitrate_kbps"),
    (lambda t: t.replace("-18", '"loud"'), "loudness_lufs"),
    (lambda t: t.replace("-18", "-80"), "loudness_lufs"),
    (lambda t: t.replace("channels = 1", "channels = 6"), "channels"),
    (lambda t: t.replace('"mp3"', '"ogg"'), "format"),
    (lambda t: t.replace('"mp3"', '"mp2"') + "id3 = true\n", "id3"),
    (lambda t: t + "lowpass_hz = 30000\n", "lowpass_hz"),
    (lambda t: t + "highpass_hz = 1000\nlowpass_hz = 1000\n", "highpass_hz"),
    (lambda t: t + "[compress]\nratio = 0.5\n", "compress.ratio"),
    (lambda t: t.replace("tolerance_lu = 1\n", ""), "tolerance_lu"),
    (lambda t: t + 'name = "other"\n', "name"),
    (lambda t: t + "sentence_pause_s = 0.4\n", "sentence_pause_s"),  # pauses are the voice's
])
def test_invalid_profiles_name_the_field(tmp_path, edit, field):
    (tmp_path / "bad.toml").write_text(edit(GOOD))
    with pytest.raises(PipelineError, match=f"field '{field}'"):
        load_profile("bad", tmp_path)


def test_broken_toml_and_unknown_names(tmp_path):
    (tmp_path / "broken.toml").write_text("loudness_lufs = = 3")
    with pytest.raises(PipelineError, match="broken.toml"):
        load_profile("broken", tmp_path)
    with pytest.raises(PipelineError, match="podcast"):  # the message lists the known ones
        load_profile("nope")
    with pytest.raises(PipelineError, match="does not exist"):
        load_profile("podcast", tmp_path / "missing")
