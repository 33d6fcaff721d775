"""The clean stage on real pages nobody here wrote: Zyte's public article-extraction benchmark (181 pages of 126 sites,
HTML as the sites served it, with a hand-checked `articleBody` per page), scored with that benchmark's own measure.

    git clone https://github.com/scrapinghub/article-extraction-benchmark /some/where   # or any export of it
    python -m bench.extraction_benchmark /some/where [--half test|dev|all] [--dumps DIR] [--worst N]

The pages are not copied into this repository (they are the sites' text); this script reads them where they are.
Three readings of each page are scored against its `articleBody`:
- `trafilatura`: `trafilatura.extract(html, include_comments=False)`, as the benchmark's own runner calls it, the
  baseline our HTML path starts from;
- `html`: our clean stage on the HTML (`pipeline.article.clean`, kind html, the page's address given);
- `text` (with --dumps DIR): our clean stage on `DIR/<id>.txt`, the page as a reader's "select all, copy" gives it
  (`bench/text_dumps.py` makes these with Chromium).
Measure: the benchmark's `string_shingle_matching` (word 4-grams, `\\w+` tokens; precision, recall and F1 per page,
averaged over pages as its evaluate.py does). A page our stage refuses scores 0 (counted apart too).
Headlines (with --dumps): the benchmark states none, so a page's one visible `<h1>` (`DIR/<id>.meta.json`, pages
with exactly one) stands in as the headline as printed; a reading's title is right when it equals it (NFKC, case,
quotes and spaces as bench/clean_eval.py normalises them).

Halves: by site (the address's host without `www.`), a fixed hash, so one site's pages are on one side. `test` was
scored once before any code was changed for this benchmark (docs/clean.md gives that first-run number); fitting
looks at `dev` only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from bench.clean_eval import norm
from pipeline.article import clean
from pipeline.errors import PipelineError

TOKEN = re.compile(r"\w+")


def host(url: str) -> str:
    name = urlparse(url).netloc.lower()
    return name[4:] if name.startswith("www.") else name


def half(url: str) -> str:
    """'dev' or 'test', fixed per site."""
    return "test" if hashlib.sha256(host(url).encode()).digest()[0] % 2 else "dev"


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def matching(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingles, normalised to sum 1 so that long pages weigh no more (the benchmark's measure)."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summary(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*x) for x in rows if x[0] + x[2] > 0)
    return p, r, harmonic(p, r)


def f1(row: tuple[float, float, float]) -> float:
    return harmonic(precision(*row), recall(*row))


def ours(data: bytes, kind: str, url: str | None) -> tuple[str, str | None, str | None]:
    """(body, refusal message, title)."""
    try:
        article = clean(data, kind=kind, url=url)
    except PipelineError as exc:
        return "", str(exc).splitlines()[0], None
    return "\n\n".join(article.paragraphs), None, article.title


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="a checkout or export of scrapinghub/article-extraction-benchmark")
    ap.add_argument("--half", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--dumps", type=Path, help="folder of <id>.txt text dumps (bench/text_dumps.py)")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages our HTML reading scores worst on")
    ap.add_argument("--no-baseline", action="store_true", help="skip trafilatura's own reading")
    args = ap.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(k for k, v in truth.items() if args.half == "all" or half(v["url"]) == args.half)
    readings = ([] if args.no_baseline else ["trafilatura"]) + ["html"] + (["text"] if args.dumps else [])
    rows: dict[str, list] = {r: [] for r in readings}
    refused: dict[str, list[str]] = {r: [] for r in readings}
    per_page = []
    titles: dict[str, list[bool]] = {"html": [], "text": []}
    missed: list[str] = []
    for key in ids:
        html = gzip.decompress((args.data / "html" / f"{key}.html.gz").read_bytes())
        true, url = truth[key]["articleBody"], truth[key]["url"]
        got = {}
        if "trafilatura" in readings:
            import trafilatura

            got["trafilatura"] = (trafilatura.extract(html.decode("utf-8"), include_comments=False) or "", None, None)
        got["html"] = ours(html, "html", url)
        if args.dumps:
            dump = args.dumps / f"{key}.txt"
            got["text"] = ours(dump.read_bytes(), "text", None) if dump.exists() else ("", "no dump", None)
            meta = args.dumps / f"{key}.meta.json"
            h1 = json.loads(meta.read_text(encoding="utf-8"))["h1"] if meta.exists() else []
            if len(h1) == 1:
                for r in ("html", "text"):
                    titles[r].append(norm(got[r][2]) == norm(h1[0]))
                    if r == "text" and not titles[r][-1]:
                        missed.append(f"{host(url)} {key[:12]}: {got[r][2]!r} (h1: {h1[0]!r})")
        for r, (body, error, _) in got.items():
            rows[r].append(matching(true, body))
            if error:
                refused[r].append(f"{host(url)}: {error}")
        per_page.append((f1(rows["html"][-1]), host(url), key[:12], {r: round(f1(rows[r][-1]), 3) for r in got}))
    print(f"{len(ids)} pages of {len({host(truth[k]['url']) for k in ids})} sites (half: {args.half})")
    print(f"{'reading':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'refused':>8}")
    for r in readings:
        p, rc, f = summary(rows[r])
        print(f"{r:<12} {p:9.3f} {rc:7.3f} {f:6.3f} {len(refused[r]):8d}")
    for r, right in titles.items():
        if right:
            print(f"headline = the page's one visible <h1> ({r}): {sum(right)} of {len(right)}, {sum(right) / len(right):.2f}")
    for line in missed[:args.worst]:
        print(f"  headline missed (text): {line}")
    for r in readings:
        for line in refused[r]:
            print(f"  refused ({r}): {line}")
    for score, site, key, scores in sorted(per_page)[:args.worst]:
        print(f"  {score:.3f} {site:<32} {key} {scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
