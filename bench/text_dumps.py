"""Text dumps of the article-extraction benchmark's pages, as a reader's "select all, copy" in a browser gives them.

The clean stage has a text path (`pipeline.article.clean(data, kind="text")`) for pages a reader pastes in rather than
hands over as HTML. `bench/extraction_benchmark.py --dumps OUT_DIR` scores that path on the same 181 pages as the
HTML path; this script makes its input: `document.body.innerText` of each page rendered by Chromium.

    python3 -m venv /tmp/dumpvenv && /tmp/dumpvenv/bin/pip install selenium
    apt-get install -y chromium chromium-driver
    /tmp/dumpvenv/bin/python bench/text_dumps.py BENCH_DIR OUT_DIR

BENCH_DIR holds `ground-truth.json` and `html/<id>.html.gz` (scrapinghub/article-extraction-benchmark). For each page
it writes `OUT_DIR/<id>.txt` (UTF-8) and `OUT_DIR/<id>.meta.json`: {"h1": visible <h1> texts, whitespace collapsed,
"og_title": meta og:title or null, "title": document.title}, for checking what a headline finder should pick.

Selenium is not a project dependency and this script does not import `pipeline`; run it from its own venv.
Nothing leaves the machine: the page's own JavaScript is off, and every host resolves to nothing through a dead
proxy, so stylesheets, images and fonts on the sites' servers are not loaded either (pages render with their inline
CSS only, which shows some things a styled page would hide: menus, dialogs, skip links).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LOAD_TIMEOUT = 20  # seconds

# One call per page. Selenium's scripts run even with the page's JavaScript switched off.
READ_PAGE = """
const squash = s => s.replace(/\\s+/g, " ").trim();
const og = document.querySelector('meta[property="og:title"]');
return {
  text: document.body ? document.body.innerText : document.documentElement.innerText,
  h1: [...document.querySelectorAll("h1")]
        .filter(h => h.checkVisibility({visibilityProperty: true}))
        .map(h => squash(h.innerText)).filter(Boolean),
  og_title: og ? og.getAttribute("content") : null,
  title: document.title,
};
"""


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # explicit paths: selenium-manager would try to download a browser
    for arg in (
        "--headless=new",
        "--no-sandbox",  # we run as root
        "--disable-gpu",
        "--window-size=1366,900",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(arg)
    # Pages' scripts would try to fetch, and some rewrite or hide the article; a copy of the served page is wanted.
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(LOAD_TIMEOUT)
    return driver


def read(driver: webdriver.Chrome, page: Path) -> tuple[dict, bool]:
    """The page's text and headline candidates; the flag says the load timed out (read anyway)."""
    timed_out = False
    try:
        driver.get(page.as_uri())
    except TimeoutException:
        timed_out = True
        driver.execute_script("window.stop();")
    return driver.execute_script(READ_PAGE), timed_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", type=Path, help="folder with ground-truth.json and html/<id>.html.gz")
    ap.add_argument("out", type=Path, help="folder for <id>.txt and <id>.meta.json")
    args = ap.parse_args(argv)
    ids = sorted(json.loads((args.bench / "ground-truth.json").read_text(encoding="utf-8")))
    args.out.mkdir(parents=True, exist_ok=True)
    failed, slow = [], []
    start = time.monotonic()
    driver = browser()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n, key in enumerate(ids, 1):
                page = Path(tmp) / f"{key}.html"
                # The benchmark stores UTF-8; a BOM makes Chromium read it so even where the page declares nothing.
                html = gzip.decompress((args.bench / "html" / f"{key}.html.gz").read_bytes())
                page.write_bytes(b"\xef\xbb\xbf" + html)
                try:
                    got, timed_out = read(driver, page)
                except WebDriverException as exc:
                    failed.append(key)
                    print(f"[{n}/{len(ids)}] {key[:12]} FAILED: {exc.msg or exc}".splitlines()[0], file=sys.stderr)
                    # A browser that failed once may be wedged; the next page gets a fresh one.
                    driver.quit()
                    driver = browser()
                    continue
                finally:
                    page.unlink()
                if timed_out:
                    slow.append(key)
                (args.out / f"{key}.txt").write_text(got.pop("text"), encoding="utf-8")
                (args.out / f"{key}.meta.json").write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n",
                                                           encoding="utf-8")
                print(f"[{n}/{len(ids)}] {key[:12]}{' (load timed out, read anyway)' if timed_out else ''}",
                      file=sys.stderr)
    finally:
        driver.quit()
    print(f"{len(ids) - len(failed)} dumps written to {args.out}, {len(failed)} failed, {len(slow)} timed out "
          f"(read anyway), {time.monotonic() - start:.0f} s")
    for key in failed:
        print(f"  failed: {key}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
