"""Article and translator text reaches every speech engine only as text (issue 12.1), and the synthesis worker
runs only the pipeline's code (issue 12.8).

Each hostile sentence is spoken next to the same sentence without its markup: the durations must match (markup
obeyed or read aloud changes them by seconds), and under strace the engine must neither open the file that the
markup names nor start any process.
"""

import json
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from pipeline.speech import speech_input, synthesize
from pipeline.speech.voices import load_voice

pytestmark = pytest.mark.shipped_voices

PIPELINE = str(Path(sys.executable).with_name("pipeline"))

# (voice, hostile text with {secret} and {notwav} placeholders, the same text without markup)
HOSTILE = [
    ("ru", 'Он сказал: <audio src="{secret}"/> мы вернёмся.', "Он сказал: мы вернёмся."),
    ("ru", 'Он сказал: <audio src="{notwav}">текст</audio> мы вернёмся.', "Он сказал: текст мы вернёмся."),
    ("zh", '他说<audio src="{secret}"/>我们会回来。', "他说我们会回来。"),
    ("ja", 'かれは <audio src="{secret}"/> かえると いいました。', "かれは かえると いいました。"),
    ("ko", '그는 <audio src="{secret}"/> 돌아오겠다고 말했습니다.', "그는 돌아오겠다고 말했습니다."),
    ("en", "Web pages load code with a <script> element, and the browser then runs everything that follows in "
           "the page.", "Web pages load code with a script element, and the browser then runs everything that "
                        "follows in the page."),
    ("en", 'Listen <break time="9s"/> now &lt;audio src=&quot;{secret}&quot;/&gt; here.', "Listen now here."),
    ("en", "Say [[h@l'oU]] and [[ w'3:ld]] twice.", "Say (h@l'oU) and ( w'3:ld) twice."),
    ("en", 'A <voice name="ko">test</voice> of <prosody rate="x-slow">speech</prosody>.', "A test of speech."),
]


def engines_here():
    out = []
    for name, hostile, clean in HOSTILE:
        for choice in load_voice(name).engines:
            if choice.status().available:
                out.append(pytest.param(name, choice.name, hostile, clean, id=f"{name}-{choice.name}-{len(out)}"))
    return out


@pytest.fixture(scope="module")
def bait(tmp_path_factory):
    folder = tmp_path_factory.mktemp("private")
    secret = folder / "voicemail.wav"
    rate = 22050
    with wave.open(str(secret), "wb") as w:  # 20 s of loud tone: unmistakable if it ever ends up in a clip
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        t = np.arange(20 * rate) / rate
        w.writeframes((np.sin(2 * np.pi * 440 * t) * 20000).astype("<i2").tobytes())
    notwav = folder / "notes.txt"
    notwav.write_text("not audio")
    return {"secret": str(secret), "notwav": str(notwav)}


@pytest.mark.parametrize("name, engine, hostile, clean", engines_here())
def test_markup_in_text_is_not_obeyed_by_any_engine(tmp_path, bait, name, engine, hostile, clean):
    voice = load_voice(name).using(engine)
    hostile = hostile.format(**bait)
    bad, good = synthesize([("bad", speech_input(hostile, voice)), ("good", speech_input(clean, voice))], voice, tmp_path)
    assert good.duration > 0.5
    # same words, same length; obeyed or read aloud, markup changes it by seconds (1.84 s vs 5.9 s, or 20 s more)
    assert abs(bad.duration - good.duration) <= max(0.35, 0.15 * good.duration), (bad.duration, good.duration)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt-get install strace)")
@pytest.mark.parametrize("name", ["ru", "en", "ko"])
def test_the_engine_opens_no_file_and_starts_no_process_named_by_the_text(tmp_path, bait, name):
    text = {"ru": HOSTILE[1][1], "en": HOSTILE[6][1], "ko": HOSTILE[4][1]}[name].format(**bait)
    log = tmp_path / "strace.log"
    out = tmp_path / "out.wav"
    env = {**os.environ, "PIPELINE_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=openat,open,execve,execveat,vfork,clone3", "-o", str(log),
                        PIPELINE, "speak", "--voice", name, "--text", text, "-o", str(out)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    trace = log.read_text()
    assert bait["secret"] not in trace and bait["notwav"] not in trace
    programs = {line.split('execve("', 1)[1].split('"', 1)[0] for line in trace.splitlines() if 'execve("' in line}
    # only Python itself: the CLI and its synthesis worker (no shell, no sox)
    assert programs and all(Path(p).name.startswith("python") or p == PIPELINE for p in programs), programs


def test_worker_does_not_import_modules_from_the_current_folder(tmp_path):
    """A queue.py or json.py where the user runs the command must not be executed by the synthesis worker."""
    marker = tmp_path / "imported"
    for module in ("queue", "json", "wave", "ctypes", "numpy"):
        (tmp_path / f"{module}.py").write_text(f"open({str(marker)!r}, 'a').write('{module} ')\nraise SystemExit(3)\n")
    r = subprocess.run([PIPELINE, "speak", "--voice", "en", "--text", "Hello there.", "-o", "out.wav"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PIPELINE_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    assert not marker.exists(), marker.read_text()
    assert (tmp_path / "out.wav").stat().st_size > 10_000


def test_an_approved_translation_carrying_markup_airs_as_text(tmp_path, bait):
    """Issue 12.1 through a whole run: a translator's approved Russian line with `<audio src=…>` in it (the file is
    20 s of loud tone) is spoken as its words; the programme is as long as with the clean line."""
    import polib

    from pipeline import segment
    from pipeline.run import load_article

    src = tmp_path / "border-radio.txt"
    src.write_text("Border Radio Keeps Broadcasting\n\nBy Kim Min-ji, Reporter\nMarch 3, 2024\n\n"
                   "The station said on Monday that its second transmitter was working again after repairs.\n")
    article, _ = load_article(str(src))
    said = "Станция сообщила в понедельник, что второй передатчик снова работает после ремонта."
    russian = {"Border Radio Keeps Broadcasting": "Пограничное радио продолжает вещание"}

    def programme(line: str, name: str) -> float:
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Language": "ru", "Content-Type": "text/plain; charset=UTF-8", "X-Source-Language": "en"}
        for s in segment.with_headline(article):
            po.append(polib.POEntry(msgctxt=s.id, msgid=s.text, msgstr=russian.get(s.text, line)))
        review = tmp_path / name
        review.mkdir()
        po.save(str(review / "border-radio-keeps-broadcasting.ru.po"))
        out = tmp_path / f"out-{name}"
        r = subprocess.run([PIPELINE, "run", str(src), "--lang", "ru", "--review", str(review), "--out", str(out)],
                           capture_output=True, text=True, timeout=900,
                           env={**os.environ, "PIPELINE_CACHE_DIR": str(tmp_path / "cache"),
                                "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
        assert r.returncode == 0, r.stderr
        manifest = json.loads((out / "border-radio-keeps-broadcasting" / "ru" / "manifest.json").read_text("utf-8"))
        assert {s["origin"] for s in manifest["sentences"]} == {"approved"}
        return next(f["duration_s"] for f in manifest["files"] if f["path"].endswith(".mp3"))

    hostile = programme(said.replace("что ", f'что <audio src="{bait["secret"]}"/> '), "hostile")
    clean = programme(said, "clean")
    assert abs(hostile - clean) <= 0.5, (hostile, clean)  # obeyed, the tone alone would add 20 s
