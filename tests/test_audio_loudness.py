"""A programme's loudness from cached per-clip statistics (pipeline.audio.loudness), checked against ffmpeg's own
ebur128 meter on real speech, and what the cache saves: an edit meters only the new clip; a tag never re-masters."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import master as mastering
from pipeline.audio.profiles import load_profile
from pipeline.cache import Cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SAMPLE_PO = SAMPLE.with_name("why-north-koreans-need-us.ko.po")
BOTH = pytest.mark.usefixtures("toolset")


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """Real speech: sentences of the sample article spoken by eSpeak NG, in English and in Korean (22.05 kHz)."""
    from pipeline.article import clean
    from pipeline.segment import segment
    from pipeline.speech import speech_input, synthesize
    from pipeline.speech.voices import load_voice
    from pipeline.translate import translate

    tmp = tmp_path_factory.mktemp("speech")
    segments = segment(clean(SAMPLE.read_bytes()))
    ko = translate(segments, "ko", approved=[SAMPLE_PO], cache_dir=tmp / "tr")
    clips = []
    for lang, texts in (("en", [s.text for s in segments[:14]]), ("ko", [s.text for s in ko.sentences[:8]])):
        voice = load_voice(lang)
        items = [(f"{lang}{i}", speech_input(t, voice)) for i, t in enumerate(texts)]
        clips += [c.path for c in synthesize(items, voice, tmp / lang)]
    return clips


def plan(scans, clips, pauses, rate, profile):
    parts = [mastering._Part(scans[c], round(p * rate), i) for i, (c, p) in enumerate(zip(clips, pauses))]
    return mastering._Plan(parts, rate, profile)


def ffmpeg_loudness(p: mastering._Plan, chain: list[str]) -> float:
    """ffmpeg's integrated loudness of the stream after `chain`, to 3 decimals (its summary prints one)."""
    log = p.stream(chain + ["ebur128=metadata=1", "ametadata=mode=print:key=lavfi.r128.I"], ["-f", "null", "-"],
                   "measuring")
    return float(re.findall(r"lavfi\.r128\.I=(-?[\d.]+)", log)[-1])


@BOTH
@pytest.mark.parametrize("name", ["podcast", "am-shortwave", "ebu-r128"])  # mono, band-limited, stereo
def test_programme_loudness_from_clip_statistics_matches_ffmpeg(tmp_path, speech, name):
    profile = load_profile(name)
    rate = 22050
    scans = mastering._scan_all({c: c for c in speech}, rate, profile, Cache(tmp_path / "cache"))
    # The same statistics, assembled into two programmes: the clips in order with pauses of every kind (none: a
    # gating block spans two clips' sound; shorter than a block; longer), and reversed with other pauses.
    orders = [(speech, [(0.0, 0.13, 0.4, 1.4, 0.25)[i % 5] for i in range(len(speech))]),
              (speech[::-1], [(0.7, 0.05, 0.0)[i % 3] for i in range(len(speech))])]
    for clips, pauses in orders:
        p = plan(scans, clips, pauses, rate, profile)
        ours = mastering._input_loudness(p)
        theirs = ffmpeg_loudness(p, mastering._filters(profile, rate, resample=False))
        assert abs(ours - theirs) <= 0.1, (ours, theirs)


@BOTH
def test_limiter_model_is_near_ffmpegs_limiter(tmp_path, speech):
    # The model only sets the first encode's make-up gain (the encoded file is measured, and re-encoded if it
    # misses); it must be close enough that the first encode usually lands inside the profile's window.
    profile = load_profile("podcast")
    rate = 22050
    scans = mastering._scan_all({c: c for c in speech}, rate, profile, None)
    p = plan(scans, speech, [0.4] * len(speech), rate, profile)
    pre = profile.loudness_lufs - mastering._input_loudness(p)
    limit = profile.true_peak_dbtp - 0.5
    for post in (0.0, 2.0, 5.0, 8.0):
        model = mastering._limited_loudness(p, pre + post, limit)
        chain = p.chain(pre, post, limit, final=False)
        real = ffmpeg_loudness(p, chain)
        assert abs(model - real) <= 0.15, (post, model, real)
    # and it does limit: 5 dB more gain into the limiter gives clearly less than 5 LU more loudness
    assert mastering._limited_loudness(p, pre + 5, limit) - mastering._limited_loudness(p, pre, limit) < 4.5


@BOTH
def test_an_edit_meters_only_the_new_clip_and_the_result_is_measured(tmp_path, speech):
    profile = load_profile("podcast")
    cache = Cache(tmp_path / "cache")

    def entries() -> set[Path]:
        return set((tmp_path / "cache" / "loudness").glob("*/*.arrays"))

    first = mastering.master(speech[:-1], profile, tmp_path / "a.mp3", cache=cache)
    metered = entries()
    assert len(metered) == len(speech) - 1
    stamps = {e: e.stat().st_mtime_ns for e in metered}
    # One sentence replaced: its statistics are the only new entry; the others are read, not recomputed.
    second = mastering.master(speech[:-2] + speech[-1:], profile, tmp_path / "b.mp3", cache=cache)
    assert len(entries() - metered) == 1 and {e: e.stat().st_mtime_ns for e in metered} == stamps
    for prog in (first, second):
        assert prog.passed and abs(prog.loudness_lufs - profile.loudness_lufs) <= profile.tolerance_lu
        # The programme's figures are a measurement of the encoded audio, not the estimate: ffmpeg's meter over the
        # whole file reads the same, to its one decimal.
        m = mastering.measure_file(prog.path)
        assert m.loudness_lufs == pytest.approx(prog.loudness_lufs, abs=0.11)
        assert m.true_peak_dbtp == pytest.approx(prog.true_peak_dbtp, abs=0.11)
    # Cached statistics give the very programme uncached ones do.
    fresh = mastering.master(speech[:-2] + speech[-1:], profile, tmp_path / "c.mp3")
    assert (fresh.loudness_lufs, fresh.timings) == (second.loudness_lufs, second.timings)
    assert (tmp_path / "c.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_cached_statistics_hold_what_the_meter_computed(tmp_path, speech):
    profile = load_profile("podcast")
    cold = mastering._scan_all({speech[0]: speech[0]}, 22050, profile, Cache(tmp_path))
    warm = mastering._scan_all({speech[0]: speech[0]}, 22050, profile, Cache(tmp_path))
    a, b = cold[speech[0]], warm[speech[0]]
    assert (a.start, a.stop, a.peak) == (b.start, b.stop, b.peak)
    assert np.array_equal(a.energy, b.energy) and np.array_equal(a.peaks, b.peaks)


# --- tags are export's: changing them re-tags, never re-masters ---------------------------------------------------


def cli(*args, **kw):
    r = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, env={**os.environ}, **kw)
    assert r.returncode == 0, r.stderr
    return r


def test_station_date_and_transcript_typo_retag_without_remastering(tmp_path):
    from mutagen.id3 import ID3

    src = tmp_path / "story.txt"
    src.write_text("A Typo Story\n\nBy Kim Min-ji, Reporter\nMarch 3, 2024\n\nListeners in the north heard it on "
                   "shortwave radio , every night. It was clear.\n\nThe signal held until dawn.\n", "utf-8")
    station = tmp_path / "station.toml"
    out, cache = tmp_path / "out", tmp_path / "cache"
    mp3 = out / "a-typo-story" / "en" / "a-typo-story.en.mp3"

    def run(*extra) -> dict:
        return json.loads(cli("run", src, "--lang", "en", "--out", out, "--cache", cache, "--json", *extra).stdout)[0]

    def renders() -> int:  # mastered programmes in the cache: one per render that was kept
        return len(list((cache / "master").glob("*/*.mp3")))

    first = run()
    assert first["mastered"] and renders() == 1
    station.write_text('name = "Example Radio"\nauthor = "Another Desk"\n', "utf-8")
    src.write_text(src.read_text("utf-8").replace("radio , every", "radio, every"), "utf-8")  # not heard
    for extra in ((), ("--station", station), ("--station", station, "--date", "2024-03-04")):
        again = run(*extra)
        assert again["synthesized"] == 0 and not again["mastered"] and renders() == 1, extra
    tags = ID3(mp3)
    assert "radio, every night" in str(tags.getall("USLT")[0]) and str(tags["TPE1"]) == "Another Desk"
    assert "2024-03-04" in str(tags.getall("COMM")[0])
