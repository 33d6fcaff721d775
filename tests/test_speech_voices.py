import dataclasses
import json
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.speech import speech_input
from pipeline.speech.voices import DEFAULT_VOICE, list_voices, load_voice, voice_from_dict, voices_dir

PROFILED = {"ko": "ko", "en": "en", "zh": "zh", "ru": "ru", "ja": "ja"}  # profile name -> language


def test_every_shipped_profile_loads_with_its_language_and_notes():
    assert set(PROFILED) <= set(list_voices())
    for name, lang in PROFILED.items():
        voice = load_voice(name)
        assert voice.name == name and voice.language == lang and voice.engine == "pyttsx3"
        assert len(voice.notes) > 80, f"{name}: say what the engine voice cannot do"
    assert DEFAULT_VOICE == "ko"
    assert load_voice("zh").voice_id == "cmn"
    assert "kanji" in load_voice("ja").notes


def test_load_by_path_and_voices_dir_from_env(tmp_path, monkeypatch):
    (tmp_path / "studio.toml").write_text('language = "ru"\nrate = 150\n')
    assert load_voice(tmp_path / "studio.toml").rate == 150
    assert load_voice(tmp_path / "studio.toml").voice_id == "ru"  # defaults to the language
    monkeypatch.setenv("PIPELINE_VOICES_DIR", str(tmp_path))
    assert voices_dir() == tmp_path and list_voices() == ("studio",)
    assert load_voice("studio").name == "studio"
    with pytest.raises(PipelineError, match="known voices: studio"):
        load_voice("ko")


BAD = [
    ("rate = 900", "'rate'", "80 to 450"),
    ("rate = 'fast'", "'rate'", "integer"),
    ("rate = 170.5", "'rate'", "integer"),
    ("pitch = -1", "'pitch'", "0 to 100"),
    ("volume = 1.5", "'volume'", "0 to 1"),
    ("volume = true", "'volume'", "0 to 1"),
    ("sentence_pause_s = -0.2", "'sentence_pause_s'", "seconds"),
    ("engine = 'festival'", "'engine'", "pyttsx3"),
    ("voice_id = 'ko klatt'", "'voice_id'", "eSpeak NG voice"),
    ("frontend = 'ko-phonemes'", "'frontend'", "only with language"),
    ("frontend = 'magic'", "'frontend'", "plain or ko-phonemes"),
    ("intro = 3", "'intro'", "a string"),
    ("speed = 3", "unknown field", "allowed: language"),
    ("language = 'de'", "'language'", "ko"),
    ("[lexicon]\nPyongyang = '[[pj0N'", "unbalanced", "[[...]]"),
    ("[lexicon]\nPyongyang = ''", "lexicon entry", "non-empty"),
]


@pytest.mark.parametrize("line, field, allowed", BAD)
def test_bad_profile_values_name_file_field_and_allowed_range(tmp_path, line, field, allowed):
    path = tmp_path / "bad.toml"
    path.write_text(line if line.startswith("language") else f'language = "en"\n{line}\n')
    with pytest.raises(PipelineError) as err:
        load_voice(path)
    assert str(path) in str(err.value) and field in str(err.value) and allowed in str(err.value)


def test_missing_language_and_broken_toml(tmp_path):
    (tmp_path / "a.toml").write_text("rate = 150\n")
    with pytest.raises(PipelineError, match="missing field 'language'"):
        load_voice(tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("rate = = 150\n")
    with pytest.raises(PipelineError, match="not valid TOML"):
        load_voice(tmp_path / "b.toml")


def test_cache_key_covers_engine_settings_and_build_not_text_side_settings():
    voice = load_voice("en")
    key = json.loads(voice.cache_key())
    assert "eSpeak NG" in key["engine_build"] and key["rate"] == voice.rate
    for change in ({"rate": 120}, {"pitch": 10}, {"volume": 0.5}, {"voice_id": "en"}):
        assert dataclasses.replace(voice, **change).cache_key() != voice.cache_key()
    # lexicon and pauses change the engine input or the programme, not a clip for a given input
    assert dataclasses.replace(voice, lexicon={}, sentence_pause_s=2.0).cache_key() == voice.cache_key()
    assert voice == load_voice("en") and hash(voice) == hash(load_voice("en"))


def test_lexicon_changes_engine_input_and_phonemes_pass_untouched():
    voice = load_voice("en")
    with_lexicon = dataclasses.replace(voice, lexicon={"Pyongyang": "[[pj'0N j'aN]]", "NATO": "the Alliance"})
    assert "[[pj'0N j'aN]]" in speech_input("He flew to Pyongyang.", with_lexicon)
    assert "the Alliance" in speech_input("NATO met.", with_lexicon)
    assert "Pyongyang" in speech_input("He flew to Pyongyang.", dataclasses.replace(voice, lexicon={}))
    assert "[[t'Est]]" in speech_input("a [[t'Est]] b", voice)  # phonemes in the text pass untouched


def test_engine_id_names_the_espeak_build_in_use():
    from pipeline.speech import engine_id

    ident = engine_id()
    assert ident.startswith("pyttsx3 ") and "eSpeak NG 1." in ident and "libespeak-ng" in ident
    assert ident in load_voice("ko").cache_key()
