import json
import subprocess
import sys

import pytest

from audio_signals import leftovers, speechlike, write

# Tests marked with the `toolset` fixture run with the wheels' ffmpeg and eSpeak NG and again with the system's.
BOTH = pytest.mark.usefixtures("toolset")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd)


def test_profiles_lists_targets():
    r = run("profiles")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("podcast") and "-16 LUFS" in lines[0] and "MP3 128 kbps mono" in lines[0]
    assert {ln.split()[0] for ln in lines} == {"podcast", "ebu-r128", "us-pubradio", "am-shortwave"}
    data = json.loads(run("profiles", "--json").stdout)
    assert {p["name"]: p["true_peak_dbtp"] for p in data}["us-pubradio"] == -2


@BOTH
def test_master_writes_and_reports(tmp_path):
    clips = [str(write(tmp_path / f"c{i}.wav", speechlike(2.0, seed=i))) for i in range(2)]
    out = tmp_path / "p.mp3"
    r = run("master", *clips, "-o", str(out), "--pause", "0.7", "--title", "제목", "--language", "ko", "--json")
    assert r.returncode == 0, r.stderr
    prog = json.loads(r.stdout)
    assert prog["passed"] and out.is_file() and prog["profile"] == "podcast"
    assert prog["timings"][1][0] - prog["timings"][0][1] == pytest.approx(0.7, abs=0.014)  # a cut: half a frame
    assert prog["ffmpeg"]["source"] in ("PATH", "imageio-ffmpeg", "PIPELINE_FFMPEG")


@BOTH
def test_master_tags_are_id3v23_with_language_and_transcript(tmp_path):
    from mutagen.id3 import ID3

    from pipeline.audio.master import measure_file

    lyrics = "첫 문장입니다. 둘째 문장입니다."
    (tmp_path / "t.txt").write_text(lyrics, "utf-8")
    out = tmp_path / "p.mp3"
    r = run("master", str(write(tmp_path / "a.wav", speechlike(2.0))), "-o", str(out), "--title", "북한 소식",
            "--artist", "Radio Free Test", "--album", "News", "--language", "ko", "--date", "2026-11-27",
            "--comment", "test", "--transcript", str(tmp_path / "t.txt"), "--json")
    assert r.returncode == 0, r.stderr
    id3 = ID3(out, translate=False)  # the frames as stored: mutagen would otherwise upgrade them to v2.4
    assert id3.version == (2, 3, 0)
    assert id3["TIT2"].text == ["북한 소식"] and id3["TLAN"].text == ["kor"]
    assert id3.getall("USLT")[0].text == lyrics and id3.getall("USLT")[0].lang == "kor"
    # The v2.3 date frames (TYER year, TDAT DDMM), not v2.4's TDRC that v2.3 readers do not know.
    assert id3["TYER"].text == ["2026"] and id3["TDAT"].text == ["2711"] and "TDRC" not in id3
    # The tag is added after the measurement and changes no audio: the delivered file measures the same (ffmpeg's
    # meter prints one decimal; the pieces' measurement is rounded to one too).
    assert measure_file(out).loudness_lufs == pytest.approx(json.loads(r.stdout)["loudness_lufs"], abs=0.11)
    assert json.loads(r.stdout)["path"] == str(out) and leftovers(tmp_path) == []


@BOTH
def test_master_mp2_has_no_id3_even_when_tags_are_given(tmp_path):
    out = tmp_path / "p.mp2"
    r = run("master", str(write(tmp_path / "a.wav", speechlike(2.0))), "--profile", "us-pubradio", "-o", str(out),
            "--title", "x", "--language", "en")
    assert r.returncode == 0, r.stderr
    head = out.read_bytes()[:3]
    assert head != b"ID3" and head[0] == 0xFF  # starts with an MPEG frame sync


@BOTH
def test_master_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"garbage")
    r = run("master", str(bad), "-o", str(tmp_path / "p.mp3"))
    assert r.returncode == 1
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert leftovers(tmp_path) == [] and not (tmp_path / "p.mp3").exists()
