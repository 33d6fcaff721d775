import dataclasses
import wave
from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import PipelineError
from pipeline.speech import Clip, speak_text, speech_input, start, synthesize
from pipeline.speech.voices import load_voice

pytestmark = pytest.mark.shipped_voices

# Tests marked with the `toolset` fixture run with the wheels' ffmpeg and eSpeak NG and again with the system's.
BOTH = pytest.mark.usefixtures("toolset")

# profile -> (sentence, its syllable count: Hangul/Han characters, kana morae, vowel groups)
SENTENCES = {
    "ko": ("북한 주민들은 외부 세계의 소식을 듣고 싶어 합니다.", 20),
    "en": ("People in North Korea want to hear news from the outside world.", 15),
    "zh": ("朝鲜人民希望听到来自外部世界的新闻。", 17),
    "ru": ("Жители Северной Кореи хотят слышать новости из внешнего мира.", 20),
    "ja": ("きたちょうせんの ひとびとは そとの ニュースを ききたいと おもっています。", 30),
}


def samples(path: Path) -> tuple[np.ndarray, int, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float), w.getframerate(), w.getnframes()


def durations(voice, texts: dict[str, str], out: Path) -> dict[str, float]:
    return {c.id: c.duration for c in synthesize(list(texts.items()), voice, out)}


RATES = {"espeak": 22050, "kokoro": 24000}
ENGINES = [(name, c.name) for name in sorted(SENTENCES) for c in load_voice(name).engines]


@BOTH
@pytest.mark.parametrize("name, engine", ENGINES)
def test_real_synthesis_per_language_and_engine(tmp_path, name, engine):
    voice = load_voice(name).using(engine)
    if not voice.engines[0].status().available:
        pytest.skip(f"{engine} is not installed here: {voice.engines[0].status().reason}")
    text, syllables = SENTENCES[name]
    (clip,) = synthesize([("s1", speech_input(text, voice))], voice, tmp_path)
    assert clip == Clip(id="s1", path=tmp_path / "s1.wav", duration=clip.duration, sample_rate=RATES[engine])
    audio, rate, frames = samples(clip.path)
    assert rate == RATES[engine] and clip.duration == frames / rate
    # a sane speaking rate: 2 to 12 syllables per second
    assert syllables / 12 <= clip.duration <= syllables / 2, clip.duration
    rms = np.sqrt(np.mean(audio**2)) / 32768
    assert rms > 0.02, f"{name}: near-silent audio (RMS {rms:.4f})"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s1.wav"]  # no temp files left


@BOTH
def test_phonemes_come_from_the_engine_lexicon_and_never_from_the_text(tmp_path):
    en = load_voice("en")
    with_phonemes = en.using("espeak", lexicon={"Hello": "h@l'oU", "world": "w'3:ld"})
    d = durations(en, {"plain": speech_input("hello world", en),
                       "text": speech_input("[[h@l'oU w'3:ld]]", en)}, tmp_path / "a")
    (lex,) = synthesize([("lex", speech_input("Hello world", with_phonemes))], with_phonemes, tmp_path / "b")
    assert 0.6 < lex.duration / d["plain"] < 1.5  # spoken as phonemes: as long as the words
    assert d["text"] > 2 * d["plain"], d  # in the text, the brackets and letters are read as text, never as phonemes


@BOTH
def test_ssml_in_text_is_never_obeyed_nor_read_as_tags(tmp_path):
    voice = load_voice("en")
    d = durations(voice, {
        "plain": speech_input("one two", voice),
        "ssml": speech_input('<speak>one <break time="3000ms"/> two</speak>', voice),
    }, tmp_path)
    # no 3 s break, and no spoken tags either (read aloud they take about 5 s)
    assert abs(d["ssml"] - d["plain"]) < 0.3, d




@BOTH
def test_lexicon_takes_effect_in_the_audio(tmp_path):
    voice = load_voice("en")
    longer = dataclasses.replace(voice, lexicon={"NATO": "the North Atlantic Treaty Organisation"})
    assert longer.cache_key() == voice.cache_key()  # the lexicon changes the engine input, not the clip key
    text = "NATO met today."
    (a,) = synthesize([("a", speech_input(text, voice))], voice, tmp_path)
    (b,) = synthesize([("b", speech_input(text, longer))], longer, tmp_path)
    assert b.duration > a.duration + 1.0, (a.duration, b.duration)


@BOTH
def test_voice_settings_change_the_audio(tmp_path):
    voice = load_voice("en")
    (normal,) = synthesize([("n", "This is a test of the speaking rate.")], voice, tmp_path)
    (fast,) = synthesize([("f", "This is a test of the speaking rate.")], voice.using("espeak", rate=300), tmp_path)
    assert fast.duration < 0.75 * normal.duration
    quiet = voice.using("espeak", volume=0.25)
    (q,) = synthesize([("q", "This is a test of the speaking rate.")], quiet, tmp_path)
    assert np.abs(samples(q.path)[0]).max() < 0.5 * np.abs(samples(normal.path)[0]).max()


@BOTH
def test_two_workers_keep_order_and_ids(tmp_path):
    voice = load_voice("ko").using("espeak")
    items = [(f"k{i}", t) for i, t in enumerate(["하나.", "둘입니다.", "셋이에요, 정말로.", "넷."])]
    clips = synthesize(items, voice, tmp_path, workers=2)
    assert [c.id for c in clips] == ["k0", "k1", "k2", "k3"]
    assert all(c.path.is_file() and c.duration > 0.2 for c in clips)


@BOTH
def test_speak_text_joins_sentences_with_the_voice_pauses(tmp_path):
    voice = load_voice("ko").using("espeak")
    one = speak_text("첫 문장입니다.", voice, tmp_path / "one.wav")
    two = speak_text("첫 문장입니다. 첫 문장입니다.", voice, tmp_path / "two.wav")
    para = speak_text("첫 문장입니다.\n\n첫 문장입니다.", voice, tmp_path / "para.wav")
    assert two.duration == pytest.approx(2 * one.duration + voice.sentence_pause_s, abs=0.01)
    assert para.duration == pytest.approx(2 * one.duration + voice.paragraph_pause_s, abs=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.wav", "para.wav", "two.wav"]


def test_bad_clip_ids_are_refused_and_blank_input_gives_an_empty_clip(tmp_path):
    voice = load_voice("en")
    for items in ([("../x", "hi")], [("a", "hi"), ("a", "ho")], [(".hidden", "hi")]):
        with pytest.raises(PipelineError, match="clip id"):
            synthesize(items, voice, tmp_path)
    assert list(tmp_path.iterdir()) == []
    clips = synthesize([("a", "Hello."), ("b", "  "), ("c", "Bye.")], voice, tmp_path)
    assert [c.id for c in clips] == ["a", "b", "c"]
    assert clips[1].duration == 0 and clips[0].duration > 0.3 and clips[2].duration > 0.3
    assert synthesize([], voice, tmp_path / "none") == ()


def test_unknown_engine_voice_is_a_clear_error(tmp_path):
    voice = load_voice("en").using("espeak", voice_id="no-such-voice")
    with pytest.raises(PipelineError, match="no voice 'no-such-voice'"):
        synthesize([("a", "hello")], voice, tmp_path)
    assert list(tmp_path.iterdir()) == []


FAKE = "fake_engine:FakeEngine"


@pytest.fixture
def fake_engine_on_path(monkeypatch):
    # the worker process gets this process's import path, so it imports the fake engine like any plug-in engine
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "data" / "speech"))


@pytest.mark.parametrize("trigger, message", [("HANG", "hung on sentence 'bad'"), ("CRASH", "crashed on sentence 'bad'"),
                                              ("REFUSE", "failed on sentence 'bad'.*cannot say that")])
def test_engine_hang_crash_or_refusal_names_the_sentence_and_leaves_no_partial_wav(
    tmp_path, fake_engine_on_path, trigger, message
):
    voice = load_voice("en").using(FAKE)
    items = [("ok", "fine"), ("bad", f"please {trigger} here"), ("later", "fine")]
    with pytest.raises(PipelineError, match=message):
        synthesize(items, voice, tmp_path, timeout_s=1.5)
    # the sentence before is whole; the failing one and those after it have no file, and no temp file is left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.wav"]
    assert samples(tmp_path / "ok.wav")[2] == 4000


def test_fake_engine_plugs_in_like_any_engine(tmp_path, fake_engine_on_path):
    voice = load_voice("en").using(FAKE)
    clips = synthesize([("a", "x"), ("b", "y")], voice, tmp_path)
    assert [(c.id, c.sample_rate, c.duration) for c in clips] == [("a", 16000, 0.25), ("b", 16000, 0.25)]


def test_a_worker_gets_the_threads_its_caller_gives_unless_the_user_chose(tmp_path, fake_engine_on_path, monkeypatch):
    # A run's single worker (an edit's one sentence) may use every core; the user's PIPELINE_SPEECH_THREADS wins.
    voice = load_voice("en").using(FAKE)
    monkeypatch.delenv("PIPELINE_SPEECH_THREADS", raising=False)
    assert synthesize([("a", "THREADS")], voice, tmp_path / "1")[0].duration == 0.25
    assert synthesize([("a", "THREADS")], voice, tmp_path / "2", threads=2)[0].duration == 0.5
    monkeypatch.setenv("PIPELINE_SPEECH_THREADS", "3")
    assert synthesize([("a", "THREADS")], voice, tmp_path / "3", threads=2)[0].duration == 0.75


def test_a_worker_started_early_is_the_pool_when_one_is_enough_and_is_closed_otherwise(tmp_path, fake_engine_on_path,
                                                                                       monkeypatch):
    # A run starts its worker before translation (an edit's engine loads meanwhile): the clip comes from that
    # worker (its 3 threads make the fake engine's clip 0.75 s), and a worker left unused does not outlive the call.
    voice = load_voice("en").using(FAKE)
    monkeypatch.delenv("PIPELINE_SPEECH_THREADS", raising=False)
    early = start(voice, threads=3)
    assert synthesize([("a", "THREADS")], voice, tmp_path / "1", started=early)[0].duration == 0.75
    assert early._proc.poll() is not None
    early = start(voice, threads=3)
    clips = synthesize([("a", "THREADS"), ("b", "THREADS")], voice, tmp_path / "2", workers=2, started=early)
    assert [c.duration for c in clips] == [0.25, 0.25] and early._proc.poll() is not None
    early = start(voice, threads=3)
    assert synthesize([("a", " ")], voice, tmp_path / "3", started=early)[0].duration == 0
    assert early._proc.poll() is not None


def test_a_synthesis_worker_starts_without_the_voice_files_or_plugin_lookup():
    # A worker's start is on the path of every run that speaks (a one-sentence edit waits for it): importing its
    # package must not load the voices (TOML, the engine registry) nor importlib.metadata.
    import subprocess
    import sys

    from pipeline.speech.worker import import_path

    code = ("import json, sys; sys.path[:] = json.loads(sys.argv[1])\n"
            "from pipeline.speech.engines import engine_class\nengine_class('espeak')\n"
            "print(json.dumps(sorted(m for m in sys.modules if m in ('pipeline.speech.voices', 'importlib.metadata',"
            " 'tomllib'))))")
    out = subprocess.run([sys.executable, "-I", "-c", code, __import__("json").dumps(import_path())],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # ... while the package still offers them to everyone else
    import pipeline.speech

    assert pipeline.speech.load_voice("en").language == "en"
    with pytest.raises(AttributeError):
        pipeline.speech.no_such_name
