import json

import pytest

from pipeline.errors import PipelineError
from pipeline.speech import speech_input, spoken_text
from pipeline.speech.engines import PHONEMES_OPEN, builtin_names, engine_class
from pipeline.speech.voices import DEFAULT_VOICE, list_voices, load_voice, voices_dir

pytestmark = pytest.mark.shipped_voices

PROFILED = {"ko": "ko", "en": "en", "zh": "zh", "ru": "ru", "ja": "ja"}  # profile name -> language


def test_every_shipped_profile_loads_with_its_engines_and_what_they_cannot_do():
    assert set(PROFILED) <= set(list_voices())
    for name, lang in PROFILED.items():
        voice = load_voice(name)
        assert voice.name == name and voice.language == lang
        assert voice.engines[-1].name == "espeak"  # eSpeak NG runs everywhere: always the last resort
        for choice in voice.engines:
            assert len(choice.notes) > 80, f"{name}/{choice.name}: say what the engine cannot do"
    assert DEFAULT_VOICE == "ko"
    assert [c.name for c in load_voice("ko").engines] == ["kokoro", "espeak"]
    assert load_voice("zh").using("espeak").settings()["voice_id"] == "cmn"
    assert "kanji" in load_voice("ja").engines[-1].notes


def test_the_built_in_engines_are_found_by_module():
    assert {"espeak", "kokoro", "piper"} <= set(builtin_names())
    for name in ("espeak", "kokoro", "piper"):
        assert engine_class(name).name == name


def test_load_by_path_and_voices_dir_from_env(tmp_path, monkeypatch):
    (tmp_path / "studio.toml").write_text('language = "ru"\nengines = ["espeak"]\n[engine.espeak]\nrate = 150\n')
    voice = load_voice(tmp_path / "studio.toml")
    assert voice.settings()["rate"] == 150 and voice.settings()["voice_id"] == "ru"  # defaults to the language
    monkeypatch.setenv("PIPELINE_VOICES_DIR", str(tmp_path))
    monkeypatch.setenv("PIPELINE_DATA_DIR", str(tmp_path / "data"))
    assert voices_dir() == tmp_path and list_voices() == ("studio",)
    assert load_voice("studio").name == "studio"
    with pytest.raises(PipelineError, match="known voices: studio"):
        load_voice("ko")
    for bad in ("../etc/passwd", ".hidden", "a b"):
        with pytest.raises(PipelineError, match="voice name|no voice profile"):
            load_voice(bad)


BAD = [
    ("[engine.espeak]\nrate = 900", "rate", "80 to 450"),
    ("[engine.espeak]\nrate = 'fast'", "rate", "80 to 450"),
    ("[engine.espeak]\nrate = 170.5", "rate", "80 to 450"),
    ("[engine.espeak]\npitch = -1", "pitch", "0 to 100"),
    ("[engine.espeak]\nvolume = 1.5", "volume", "0 to 1"),
    ("[engine.espeak]\nvolume = true", "volume", "0 to 1"),
    ("[engine.espeak]\nvoice_id = 'ko klatt'", "voice_id", "eSpeak NG voice"),
    ("[engine.espeak]\nfrontend = 'ko-phonemes'", "frontend", "only with language"),
    ("[engine.espeak]\nfrontend = 'magic'", "frontend", "plain or ko-phonemes"),
    ("[engine.espeak]\nspeed = 3", "unknown setting", "allowed: voice_id"),
    ("[engine.espeak.lexicon]\nPyongyang = '[[pj0N]]'", "Pyongyang", "without [[ ]]"),
    ("sentence_pause_s = -0.2", "'sentence_pause_s'", "seconds"),
    ("intro = 3", "'intro'", "a string"),
    ("speed = 3", "unknown field", "allowed: language"),
    ("language = 'de'", "'language'", "ko"),
    ("engines = []", "'engines'", "in order of preference"),
    ("engines = ['espeak', 'espeak']", "'engines'", "in order of preference"),
    ("engines = ['festival']", "no speech engine 'festival'", "known engines: espeak, kokoro, piper"),
    ("engines = ['espeak']\n[engine.kokoro]\nvoice = 'jf_alpha'", "[engine.kokoro] is not in engines", "add it"),
    ("language = 'ko'\nengines = ['kokoro']\n[engine.kokoro]\nvoice = 'af_heart'", "voice", "one of jf_alpha"),
    ("language = 'ko'\nengines = ['kokoro']\n[engine.kokoro]\nvoice = { jf_alpha = 0 }", "voice", "with weights"),
    ("language = 'ko'\nengines = ['kokoro']\n[engine.kokoro]\nvoice = { af_heart = 1 }", "voice", "with weights"),
    ("language = 'ko'\nengines = ['kokoro']\n[engine.kokoro]\nspeed = 9", "speed", "0.5 to 2.0"),
    ("engines = ['piper']", "needs model", "pipeline voices install"),
    ("[lexicon]\nPyongyang = '[[pj0N]]'", "eSpeak phonemes", "[engine.espeak.lexicon]"),
    ("[lexicon]\nPyongyang = ''", "lexicon entry", "non-empty"),
    ("engine = 'pyttsx3'\nrate = 150", "old voice format", "[engine.espeak]"),
]


@pytest.mark.parametrize("line, field, allowed", BAD)
def test_bad_profile_values_name_file_field_and_allowed_range(tmp_path, line, field, allowed):
    path = tmp_path / "bad.toml"
    path.write_text(line if line.startswith("language") else f'language = "en"\n{line}\n')
    with pytest.raises(PipelineError) as err:
        load_voice(path)
    assert str(path) in str(err.value) and field in str(err.value) and allowed in str(err.value), str(err.value)


def test_kokoro_speaks_only_languages_it_has_phonemes_for(tmp_path):
    path = tmp_path / "ru.toml"
    path.write_text('language = "ru"\nengines = ["kokoro", "espeak"]\n')
    with pytest.raises(PipelineError, match="cannot speak language 'ru'"):
        load_voice(path)


def test_missing_language_and_broken_toml(tmp_path):
    (tmp_path / "a.toml").write_text("engines = ['espeak']\n")
    with pytest.raises(PipelineError, match="missing field 'language'"):
        load_voice(tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("rate = = 150\n")
    with pytest.raises(PipelineError, match="not valid TOML"):
        load_voice(tmp_path / "b.toml")


def test_cache_key_covers_engine_build_and_settings_not_text_side_settings():
    import dataclasses

    voice = load_voice("en")
    key = json.loads(voice.cache_key())
    assert key["engine"] == "espeak" and "eSpeak NG" in key["engine_build"] and key["settings"]["rate"] == 165
    for change in ({"rate": 120}, {"pitch": 10}, {"volume": 0.5}, {"voice_id": "en"}):
        assert voice.using("espeak", **change).cache_key() != voice.cache_key()
    # lexicon and pauses change the engine input or the programme, not a clip for a given input
    assert dataclasses.replace(voice, lexicon={}, sentence_pause_s=2.0).cache_key() == voice.cache_key()
    assert voice == load_voice("en") and hash(voice) == hash(load_voice("en"))


def test_kokoro_cache_key_holds_the_model_checksum_and_voice_pack():
    from pipeline.speech.engines.kokoro import expected_sha256

    ko = load_voice("ko").using("kokoro")
    key = json.loads(ko.cache_key())
    assert key["engine"] == "kokoro" and expected_sha256() in key["engine_build"] and "onnxruntime" in key["engine_build"]
    assert ko.using("kokoro", voice="jf_alpha").cache_key() != ko.cache_key()
    blend = ko.using("kokoro", voice={"jf_nezumi": 0.5, "jm_kumo": 0.5})
    assert blend.cache_key() != ko.using("kokoro", voice={"jf_nezumi": 0.6, "jm_kumo": 0.4}).cache_key()
    assert "jf_nezumi 50% + jm_kumo 50%" in blend.speaker().note()
    assert ko.using("kokoro", speed=1.1).cache_key() != ko.cache_key()


def test_first_available_engine_speaks_and_a_fallback_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "v.toml"
    path.write_text('language = "en"\nengines = ["piper", "espeak"]\n[engine.piper]\nmodel = "not-installed"\n')
    speaker = load_voice(path).speaker()
    assert speaker.engine == "espeak" and speaker.fallback
    assert "piper unavailable" in speaker.note() and "not-installed" in speaker.note()
    path.write_text('language = "en"\nengines = ["piper"]\n[engine.piper]\nmodel = "not-installed"\n')
    with pytest.raises(PipelineError, match="no speech engine is available"):
        load_voice(path).speaker()


def test_engine_lexicon_gives_phonemes_only_to_its_engine_and_text_never_does():
    en = load_voice("en")
    assert "[[pj'0N j'aN]]" in speech_input("He flew to Pyongyang.", en)
    # phoneme syntax and the private-use markers in the text itself are never phoneme input
    out = speech_input("a [[t'Est]] b \uf8f0h'@loU\uf8f1 c", en)
    assert "[[" not in out and "]]" not in out and PHONEMES_OPEN not in out
    assert "Pyongyang" in spoken_text("He flew to Pyongyang.", en)  # spoken text shows words, not phonemes


@pytest.mark.parametrize("dist", ["pyttsx3", "onnxruntime", "pysbd", "kiwipiepy", "kiwipiepy-model", "numpy", "PyYAML",
                                  "piper_tts", "pipeline"])
def test_installed_versions_read_from_dist_info_names_agree_with_importlib_metadata(dist):
    from importlib import metadata

    from pipeline import dists

    assert dists.version(dist) == metadata.version(dist)


def test_a_dist_info_first_on_the_import_path_wins_and_a_missing_package_has_no_version(tmp_path, monkeypatch):
    from pipeline import dists

    (tmp_path / "PyTTSx3-9.9.dist-info").mkdir()  # names compare normalised (PEP 503)
    monkeypatch.syspath_prepend(str(tmp_path))
    dists._listing.cache_clear()
    assert dists.version("pyttsx3") == "9.9" and dists.version("no-such-package-here") is None
