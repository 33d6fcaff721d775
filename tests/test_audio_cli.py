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
    assert round(prog["timings"][1][0] - prog["timings"][0][1], 3) == 0.7
    assert prog["ffmpeg"]["source"] in ("PATH", "imageio-ffmpeg", "PIPELINE_FFMPEG")


@BOTH
def test_master_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"garbage")
    r = run("master", str(bad), "-o", str(tmp_path / "p.mp3"))
    assert r.returncode == 1
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert leftovers(tmp_path) == [] and not (tmp_path / "p.mp3").exists()
