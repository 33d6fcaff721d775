"""ffmpeg and eSpeak NG as users have them: older ffmpeg builds from PyPI (4.2, 5.1, 6.0, 7.0) run a representative
subset (meter, every profile, limiter alignment, decoding, report, errors, a whole run); the system's and the
wheels' run the full audio, speech and end-to-end modules (conftest `toolset`). Plus the settings that choose them
and what the user is told when one fails.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import ffmpeg_builds
from audio_signals import decode, leftovers, pyloudnorm_lufs, sine, speechlike, write
from conftest import SYSTEM, WHEEL
from pipeline.audio import ffmpeg
from pipeline.audio.master import master, measure_file
from pipeline.audio.profiles import list_profiles, load_profile
from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "audio"
PROFILES = [p.name for p in list_profiles()]


def cli(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, **kw)


def one_error_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def fetch(build: ffmpeg_builds.RegistryBuild) -> Path:
    try:
        return ffmpeg_builds.fetch(build)
    except ffmpeg_builds.Unavailable as exc:
        if os.environ.get("CI"):  # CI must always run an older ffmpeg than the developer's
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture(scope="module", params=ffmpeg_builds.BUILDS, ids=lambda b: f"ffmpeg-{b.label}")
def old_ffmpeg(request):
    build = request.param
    path = fetch(build)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIPELINE_FFMPEG", str(path))
        yield build, path


# --- older builds from the registry --------------------------------------------------------------------------------


def test_identity_and_capabilities(old_ffmpeg):
    build, path = old_ffmpeg
    ff = ffmpeg.find_ffmpeg()
    assert (ff.path, ff.source) == (str(path), "PIPELINE_FFMPEG")
    assert ff.version().startswith(build.label)
    assert ff.to_dict() == {"name": "ffmpeg", "version": ff.version(), "path": str(path), "origin": "PIPELINE_FFMPEG"}
    assert ff.missing() == []


def test_meter_is_exact(old_ffmpeg, tmp_path):
    # BS.1770: a 997 Hz sine at A dBFS in one channel reads A - 3.01 LUFS, true peak A dBTP. Duration to the sample
    # (ffmpeg 6.0's own time= stops at the last 100 ms frame's start: 4.9 s here).
    m = measure_file(write(tmp_path / "sine.wav", sine(5.0, -20.0, rate=48000), 48000, "FLOAT"))
    assert (m.loudness_lufs, m.true_peak_dbtp, m.duration) == (pytest.approx(-23.0, abs=0.1), pytest.approx(-20.0, abs=0.1), 5.0)
    stereo = write(tmp_path / "st.wav", np.stack([sine(2.5, -20.0, rate=44100)] * 2, axis=1), 44100)
    assert measure_file(stereo).duration == 2.5


def test_limiter_passes_a_click_through_sample_for_sample(old_ffmpeg, tmp_path):
    """The limiter's lookahead delay is undone the same way on every version (ffmpeg 4.2 has no latency option)."""
    for rate, channels in ((22050, 1), (44100, 2), (48000, 2)):
        x = np.zeros((rate, channels), np.float32)
        x[0], x[1234], x[-1] = 0.1, 0.5, 0.25
        src, out = tmp_path / "in.wav", tmp_path / "out.wav"
        sf.write(src, x, rate, subtype="FLOAT")
        ffmpeg.run(["-i", str(src), "-af", ",".join(ffmpeg.limiter(1.0, rate, channels)), "-c:a", "pcm_f32le", "-y",
                    str(out)])
        y, _ = sf.read(out, dtype="float32", always_2d=True)
        assert y.shape == x.shape and np.array_equal(y, x)


@pytest.mark.parametrize("name", PROFILES)
def test_real_speech_meets_every_profile(old_ffmpeg, tmp_path, name):
    profile = load_profile(name)
    clips = [DATA / "espeak-en.wav", DATA / "espeak-ko.wav"] * 2
    encoder = ffmpeg.FORMAT_ENCODERS.get(profile.format)
    if encoder and not ffmpeg.find_ffmpeg().has_encoder(encoder):  # these static builds have no libtwolame
        with pytest.raises(PipelineError, match=f"has no {encoder} encoder, needed for MPEG Layer II"):
            master(clips, profile, tmp_path / f"p{profile.suffix}")
        assert leftovers(tmp_path) == [] and not (tmp_path / f"p{profile.suffix}").exists()
        return
    prog = master(clips, profile, tmp_path / f"p{profile.suffix}", intro=DATA / "espeak-en.wav")
    assert prog.passed and prog.ffmpeg["path"] == str(old_ffmpeg[1])
    assert abs(pyloudnorm_lufs(prog.path) - profile.loudness_lufs) <= profile.tolerance_lu
    assert prog.true_peak_dbtp <= profile.true_peak_dbtp


def test_mixed_rates_mp3_outro_and_timings(old_ffmpeg, tmp_path):
    clips = [write(tmp_path / "a.wav", speechlike(2.0, seed=1)),
             write(tmp_path / "b.wav", np.stack([speechlike(2.0, 48000, seed=2)] * 2, axis=1), 48000)]
    outro = tmp_path / "outro.mp3"
    ffmpeg.run(["-i", str(write(tmp_path / "o.wav", speechlike(1.5, seed=4))), "-c:a", "libmp3lame", "-b:a", "64k",
                str(outro)])
    prog = master(clips, load_profile("podcast"), tmp_path / "p.mp3", pauses=[0.5, 0.8], outro=outro)
    assert prog.passed and prog.sample_rate == 44100
    assert prog.timings[1][0] - prog.timings[0][1] == pytest.approx(0.5, abs=0.014)  # a cut: half a frame
    assert prog.duration == pytest.approx(prog.timings[1][1] + 0.8 + 1.5, abs=0.15)
    x, rate = decode(prog.path)
    assert rate == 44100 and len(x) / rate == pytest.approx(prog.duration, abs=0.001)


def test_report_pictures_decode(old_ffmpeg, tmp_path):
    from pipeline import report

    prog = master([DATA / "espeak-en.wav"] * 3, load_profile("podcast"), tmp_path / "p.mp3", pauses=[0.5, 0.5])
    samples, t, s = report.analyse(prog.path, tmp_path)
    assert len(t) >= 10 and abs(np.max(s) - -16) < 6
    assert len(samples) / 8000 == pytest.approx(prog.duration, abs=0.01)


def test_a_damaged_input_is_blamed_with_ffmpegs_own_words(old_ffmpeg, tmp_path):
    build, path = old_ffmpeg
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio at all" * 100)
    r = cli("master", bad, "-o", tmp_path / "p.mp3")
    line = one_error_line(r)
    assert r.returncode == 1 and f"reading {bad}: ffmpeg {build.label}" in line and str(path) in line
    assert "Invalid data found when processing input" in line and "check that bad.wav is a readable audio file" in line
    assert leftovers(tmp_path) == [] and not (tmp_path / "p.mp3").exists()


def test_whole_run_records_the_ffmpeg_used(old_ffmpeg, tmp_path):
    build, path = old_ffmpeg
    src = tmp_path / "story.txt"
    src.write_text("Radio Check\n\nBy Kim Min-ji\n\nThe relay station is on the air again. Listeners wrote in.\n")
    r = cli("run", src, "--lang", "en", "--out", tmp_path / "out", "--cache", tmp_path / "c", "--json")
    assert r.returncode == 0, r.stderr
    (result,) = json.loads(r.stdout)
    manifest = json.loads((Path(result["folder"]) / "manifest.json").read_text("utf-8"))
    assert manifest["tools"]["ffmpeg"] == result["tools"]["ffmpeg"]
    recorded = manifest["tools"]["ffmpeg"]
    assert os.path.expanduser(recorded["path"]) == str(path) and recorded["version"].startswith(build.label)
    if path.is_relative_to(Path.home()) and Path.home() != Path("/"):  # the test builds' cache is under ~/.cache
        assert recorded["path"] == f"~/{path.relative_to(Path.home())}"  # no user name in a published manifest
    assert result["passed"] and abs(result["loudness_lufs"] + 16) <= 1
    report = (tmp_path / "out" / "radio-check" / "index.html").read_text("utf-8")
    assert f"ffmpeg {manifest['tools']['ffmpeg']['version']}" in report


# --- the settings that choose ---------------------------------------------------------------------------------------


def test_default_is_the_wheels_then_the_system(monkeypatch, tmp_path):
    monkeypatch.delenv("PIPELINE_FFMPEG", raising=False)
    assert ffmpeg.find_ffmpeg().source == "imageio-ffmpeg"
    monkeypatch.setenv("PIPELINE_FFMPEG", "wheel")
    assert ffmpeg.find_ffmpeg() == ffmpeg.wheel_ffmpeg()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PIPELINE_FFMPEG", "system")
    with pytest.raises(PipelineError, match="PIPELINE_FFMPEG=system but there is no ffmpeg on PATH"):
        ffmpeg.find_ffmpeg()
    monkeypatch.setenv("PIPELINE_FFMPEG", "no-such-ffmpeg")
    with pytest.raises(PipelineError, match="ffmpeg not found at PIPELINE_FFMPEG=no-such-ffmpeg"):
        ffmpeg.find_ffmpeg()


@pytest.mark.skipif(SYSTEM.get("PIPELINE_FFMPEG") != "system", reason="no system ffmpeg")
def test_system_ffmpeg_is_chosen_by_name(monkeypatch):
    monkeypatch.setenv("PIPELINE_FFMPEG", "system")
    ff = ffmpeg.find_ffmpeg()
    assert ff.source == "PATH" and ff.path != ffmpeg.wheel_ffmpeg().path


def test_without_the_wheel_the_system_ffmpeg_is_used(tmp_path):
    (tmp_path / "imageio_ffmpeg.py").write_text("raise ImportError('not installed')\n")
    r = subprocess.run([sys.executable, "-c", "from pipeline.audio.ffmpeg import find_ffmpeg; print(find_ffmpeg().source)"],
                       capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(tmp_path), "PIPELINE_FFMPEG": ""})
    if SYSTEM.get("PIPELINE_FFMPEG") == "system":
        assert r.stdout.strip() == "PATH", r.stderr
    else:
        assert "ffmpeg not found (not on PATH, no imageio-ffmpeg binary)" in r.stderr


def espeak_in_a_process(choice: str) -> dict:
    """find_espeak() in a fresh process (a process keeps the first libespeak-ng it loads)."""
    r = subprocess.run([sys.executable, "-c", "import json; from pipeline.speech.engines.espeak import find_espeak; "
                        "print(json.dumps(find_espeak().to_dict()))"], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PIPELINE_ESPEAK": choice})
    if r.returncode:
        return {"error": r.stderr.strip().splitlines()[-1]}
    return json.loads(r.stdout)


def test_espeak_choice():
    import espeakng_loader

    default, wheel = espeak_in_a_process(""), espeak_in_a_process("wheel")
    assert default == wheel and wheel["origin"] == "espeakng-loader"
    assert wheel["path"] == espeakng_loader.get_library_path() and wheel["version"].startswith("1.52")
    assert "neither 'wheel', 'system' nor a library file" in espeak_in_a_process("/no/such/lib.so")["error"]
    import soundfile

    other_library = next((Path(soundfile.__file__).parent / "_soundfile_data").glob("*.so"))
    assert "is not an eSpeak NG library" in espeak_in_a_process(str(other_library))["error"]
    system = espeak_in_a_process("system")
    if SYSTEM.get("PIPELINE_ESPEAK") == "system":
        assert system["origin"] == "system" and system["path"] != wheel["path"] and system["data"] is None
        by_path = espeak_in_a_process(system["path"])
        assert (by_path["origin"], by_path["version"]) == ("PIPELINE_ESPEAK", system["version"])
    else:
        assert "PIPELINE_ESPEAK=system but this system has no libespeak-ng.so.1" in system["error"]


def test_each_espeak_speaks_korean_with_its_own_identity(tmp_path):
    """Both speak Korean; the clip cache key names the library, so switching never reuses the other one's clips."""
    code = ("import sys; from pathlib import Path; from pipeline.speech import load_voice, speech_input, synthesize\n"
            "v = load_voice('ko'); text = speech_input('북한 주민들은 외부 소식을 듣고 싶어 합니다.', v)\n"
            "(c,) = synthesize([('s1', text)], v, Path(sys.argv[1])); print(c.sample_rate, c.duration); print(v.cache_key())")
    keys = {}
    for name, env in (("wheel", WHEEL), ("system", SYSTEM)):
        if name == "system" and SYSTEM.get("PIPELINE_ESPEAK") != "system":
            continue
        r = subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], capture_output=True, text=True,
                           cwd=ROOT, env={**os.environ, **env})
        assert r.returncode == 0, r.stderr
        facts, keys[name] = r.stdout.splitlines()
        rate, seconds = facts.split()
        assert rate == "22050" and 1.5 < float(seconds) < 8
    assert len(set(keys.values())) == len(keys)


# --- what the user is told when ffmpeg fails --------------------------------------------------------------------------


def test_a_missing_feature_blames_ffmpeg_not_the_input(tmp_path, monkeypatch):
    """Regression (issue 11): ffmpeg 5.1 rejected an option and the message said `Conversion failed! (check the
    input files)`. Now: ffmpeg's decisive line, the binary and its version, and a fix about ffmpeg."""
    path = fetch(ffmpeg_builds.BUILDS[0])  # 4.2: no `latency` option
    monkeypatch.setenv("PIPELINE_FFMPEG", str(path))
    src = write(tmp_path / "a.wav", speechlike(1.0))
    with pytest.raises(PipelineError) as caught:
        ffmpeg.run(["-i", str(src), "-af", "alimiter=latency=true", "-f", "null", "-"], what="limiting", inputs=[src])
    message = str(caught.value)
    assert message.startswith(f"limiting: ffmpeg 4.2.2-static (PIPELINE_FFMPEG: {path}) failed (exit 1): ")
    assert "[alimiter] Option 'latency' not found" in message and "Conversion failed" not in message
    assert "a.wav" not in caught.value.fix and "PIPELINE_FFMPEG=wheel" in caught.value.fix


def wrapper(tmp_path: Path, body: str) -> Path:
    """A stand-in for a distribution's ffmpeg build: the real wheel ffmpeg behind a shell script."""
    real = ffmpeg.wheel_ffmpeg().path
    script = tmp_path / "ffmpeg"
    script.write_text(f"#!/bin/sh\nREAL='{real}'\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def no_lame(tmp_path: Path) -> Path:
    """A build without libmp3lame (as some distributions ship): the real ffmpeg, asked for an encoder it lacks."""
    return wrapper(tmp_path, 'case "$*" in *-encoders*) "$REAL" "$@" | grep -v libmp3lame; exit;; esac\n'
                             'for a; do shift; [ "$a" = libmp3lame ] && a=libmp3lame_absent; set -- "$@" "$a"; done\n'
                             'exec "$REAL" "$@"')


def test_a_build_without_mp3_encoder_is_named_in_the_error_and_by_doctor(tmp_path):
    fake = no_lame(tmp_path)
    clip = write(tmp_path / "a.wav", speechlike(1.0))
    r = cli("master", clip, "-o", tmp_path / "p.mp3", env={"PIPELINE_FFMPEG": str(fake)})
    line = one_error_line(r)
    assert "encoding: ffmpeg " in line and f"(PIPELINE_FFMPEG: {fake}) failed" in line
    assert "libmp3lame_absent" in line and "a.wav" not in line and "pipeline doctor" in line
    d = cli("doctor", "--json", "--voice", "en", "--out", tmp_path / "out", env={"PIPELINE_FFMPEG": str(fake)})
    assert d.returncode == 1
    checks = {c["name"]: c for c in json.loads(d.stdout)["checks"]}
    assert not checks["ffmpeg"]["ok"] and "lacks encoder libmp3lame" in checks["ffmpeg"]["detail"]
    assert "PIPELINE_FFMPEG=wheel" in checks["ffmpeg"]["fix"]
    assert not checks["render en"]["ok"] and checks["voice en"]["ok"]


# --- doctor ---------------------------------------------------------------------------------------------------------


CHECKS = ["python", "ffmpeg", "ffmpeg (others)", "eSpeak NG", "eSpeak NG (others)", "onnxruntime", "CTranslate2",
          "translation packages", "profiles", "cache folder", "output folder"]
VOICES = sorted(p.stem for p in (ROOT / "voices").glob("*.toml"))


def test_doctor_passes_and_reports_every_part(tmp_path):
    r = cli("doctor", "--out", tmp_path / "out", "--cache", tmp_path / "cache", env=WHEEL)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert all(ln.startswith("OK   ") for ln in lines[:-1]) and lines[-1] == f"all {len(lines) - 1} checks passed"
    names = [ln[5:].split(":")[0] for ln in lines[:-1]]
    assert names == CHECKS + [f"voice {v}" for v in VOICES] + [f"render {v}" for v in VOICES]
    ff, espeak = ffmpeg.wheel_ffmpeg(), espeak_in_a_process("wheel")
    assert lines[1] == f"OK   ffmpeg: {ff.describe()}; every filter and encoder needed; soxr resampler"
    assert lines[3].startswith(f"OK   eSpeak NG: eSpeak NG {espeak['version']} (espeakng-loader: {espeak['path']}; data ")
    assert not (tmp_path / "out").exists()  # checked, not created


@pytest.mark.skipif(SYSTEM == WHEEL, reason="no system ffmpeg or eSpeak NG")
def test_doctor_json_with_the_system_tools(tmp_path):
    r = cli("doctor", "--json", "--voice", "ko", "--out", tmp_path, "--cache", tmp_path / "cache", env=SYSTEM)
    data = json.loads(r.stdout)
    assert r.returncode == 0 and data["ok"], r.stdout
    checks = {c["name"]: c for c in data["checks"]}
    assert list(checks) == CHECKS + ["voice ko", "render ko"]
    origins = {"system": ("PATH", "system"), "wheel": ("imageio-ffmpeg", "espeakng-loader")}
    assert checks["ffmpeg"]["data"]["origin"] == origins[SYSTEM["PIPELINE_FFMPEG"]][0]
    assert checks["eSpeak NG"]["data"]["origin"] == origins[SYSTEM["PIPELINE_ESPEAK"]][1]
    assert os.path.isfile(os.path.join(checks["eSpeak NG"]["data"]["data"], "phontab"))
    assert checks["voice ko"]["data"]["engine"]["version"] == checks["eSpeak NG"]["data"]["version"]
    render = checks["render ko"]["data"]
    assert render["duration_s"] > 1.0 and abs(render["loudness_lufs"] + 16) <= 1 and render["true_peak_dbtp"] <= -1


def test_doctor_fails_with_the_fix(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    env = {"PIPELINE_ESPEAK": "/no/such/libespeak-ng.so.1"}
    r = cli("doctor", "--voice", "en", "--out", locked / "out", env=env)
    assert r.returncode == 1
    fails = [ln for ln in r.stdout.splitlines() if ln.startswith("FAIL")]
    assert any(ln.startswith("FAIL eSpeak NG: PIPELINE_ESPEAK='/no/such/libespeak-ng.so.1'") and "(fix: set PIPELINE_ESPEAK" in ln
               for ln in fails)
    assert any(ln.startswith("FAIL voice en:") for ln in fails) and any(ln.startswith("FAIL render en:") for ln in fails)
    if os.geteuid() != 0:  # root writes anywhere
        assert any(ln.startswith("FAIL output folder:") and "not writable" in ln for ln in fails)
    assert r.stderr.startswith(f"{len(fails)} of ")


# --- Ctrl-C ---------------------------------------------------------------------------------------------------------


def interrupt(args, wait_for, timeout=120, env=None):
    """Start the CLI in a process group of its own, wait until `wait_for()` holds, then Ctrl-C the group."""
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, env={**os.environ, **(env or {})})
    deadline = time.monotonic() + timeout
    while not wait_for() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the command ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


@pytest.mark.parametrize("command", ["run", "batch"])
def test_ctrl_c_says_so_exits_130_and_a_rerun_resumes(tmp_path, command):
    arts = tmp_path / "articles"
    arts.mkdir()
    for i in range(5):  # two run at once, three wait in the queue
        (arts / f"a{i}.txt").write_text(f"Bulletin {i} For Listeners\n\n" + " ".join(
            f"Sentence {j} of bulletin {i} is read on shortwave radio tonight." for j in range(8)) + "\n")
    # eSpeak NG says a whole article in a fraction of a second; an engine taking 0.2 s a sentence makes sure the
    # Ctrl-C lands mid-synthesis (each clip is cached as it comes, so the first one is the signal to press it).
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "en.toml").write_text('language = "en"\nengines = ["broken_engines:SlowEngine"]\n')
    slow = {"PIPELINE_VOICES_DIR": str(voices), "SLOW_ENGINE_S": "0.2",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "tests" / "data" / "reliability"),
                                                        os.environ.get("PYTHONPATH")]))}
    out, cache = tmp_path / "out", tmp_path / "cache"
    target = [arts / "a0.txt"] if command == "run" else [arts, "--jobs", "2"]
    args = [command, *target, "--lang", "en", "--out", out, "--cache", cache, "--quiet"]
    speech = cache / "speech"

    def clips() -> list[Path]:  # cache entries: a clip and its checksum record, written after it (a clip whose
        # record a Ctrl-C stopped is not an entry: a re-run makes it again), not the temp files of clips on their way in
        return [p for p in speech.rglob("*.wav") if not p.name.startswith(".tmp")
                and p.with_name(p.name + ".sum").is_file()] if speech.is_dir() else []

    code, _, err = interrupt(args, clips, env=slow)
    assert code == 130
    assert err.strip().splitlines() == [
        "error: interrupted by Ctrl-C (finished work is kept: run the same command again to resume)"], err
    assert not [p for p in out.rglob(".tmp-*")] if out.exists() else True
    cached = len(clips())
    time.sleep(1)
    assert len(clips()) == cached, "work went on after the exit"
    # The queued articles never start: at most the two running when Ctrl-C came could have finished.
    assert len(list(out.glob("*/en/manifest.json"))) <= (2 if command == "batch" else 1)
    r = cli(*args[:-1], "--json", env=slow)
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout)
    results = [j["result"] for j in results] if command == "batch" else results
    total = sum(res["synthesized"] for res in results)
    new = len(clips()) - cached  # only what was missing is made; parallel jobs may both make the shared intro/outro
    assert cached > 0 and new <= total <= new + (2 if command == "batch" else 0)
    assert total > 0, "Ctrl-C did not stop the work: it all ran to the end"
