"""The producer's report, opened in a real headless Chromium: pictures drawn, audio playable, unapproved and
flagged sentences marked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import argos_model

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SLUG = "why-north-koreans-need-us"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (CI installs Debian's chromium; `apt-get install chromium`)"
)


def cli(*args, env):
    r = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, env={**os.environ, **env})
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The sample with one sentence edited: that sentence comes from a (test) machine model, the rest approved.
    The copy model's output fails the checks (English in Korean): aired with --air flagged."""
    base = tmp_path_factory.mktemp("report")
    env = {"ARGOS_PACKAGES_DIR": str(base / "packages")}
    cli("models", "install", "--file", argos_model.package("en", "ko"), env=env)
    src = base / f"{SLUG}.txt"
    shutil.copy(SAMPLE, src)
    shutil.copy(SAMPLE.with_name(f"{SLUG}.ko.po"), base / f"{SLUG}.ko.po")
    src.write_text(src.read_text().replace("Pluralistic societies benefit", "Open societies benefit"))
    out = base / "out"
    cli("run", src, "--lang", "ko", "--out", out, "--cache", base / "cache", "--air", "flagged", env=env)
    return out


def test_report_renders_in_headless_chromium(report):
    from playwright.sync_api import sync_playwright

    manifest = json.loads((report / SLUG / "ko" / "manifest.json").read_text("utf-8"))
    duration = next(f["duration_s"] for f in manifest["files"] if "duration_s" in f)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.goto((report / "index.html").as_uri())
            page.wait_for_load_state("load")
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.alt, e.complete && e.naturalWidth])")
            assert sorted(alt.split(" of ")[0] for alt, _ in images) == ["short-term loudness", "waveform"]
            assert all(width == 900 for _, width in images), images
            # The player really loads the MP3 (a wrong path or an unplayable file leaves duration NaN).
            played = page.evaluate(
                """() => new Promise(done => { const a = document.querySelector('audio');
                       a.addEventListener('loadedmetadata', () => done(a.duration)); a.addEventListener('error', () => done(-1));
                       a.preload = 'metadata'; a.load(); })"""
            )
            assert abs(played - duration) < 0.5
            machine = page.eval_on_selector_all("span.machine", "els => els.map(e => e.textContent)")
            assert machine == ["Open societies benefit their citizens and also improve international stability."]
            # The copy model's English in a Korean programme failed the checks: marked as such.
            flagged = page.eval_on_selector_all("span.flagged", "els => els.map(e => e.title)")
            assert flagged == ["FAILED the translation checks: untranslated: a copy of the source"]
            assert page.locator("td.pass, td.fail").first.inner_text() in ("PASS", "FAIL")
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
            # Korean wraps between words (issue 13.6): the browser applies keep-all to every Korean cell.
            breaks = page.eval_on_selector_all('td[lang="ko"]', "els => els.map(e => getComputedStyle(e).wordBreak)")
            assert breaks and set(breaks) == {"keep-all"}
            source = page.eval_on_selector_all('td[lang="en"]', "els => els.map(e => getComputedStyle(e).wordBreak)")
            assert source and set(source) == {"normal"}
            # The article page, narrow as on a phone, kept as an artifact to look at.
            page.set_viewport_size({"width": 420, "height": 1600})
            page.goto((report / SLUG / "index.html").as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").count() == 1
            widths = page.eval_on_selector_all("td", "els => els.map(e => e.scrollWidth - e.clientWidth)")
            assert max(widths) <= 1  # nothing overflows its cell at that width
            page.screenshot(path=str(ARTIFACTS / "report-article-narrow.png"), full_page=False)
        finally:
            browser.close()
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
