"""How well the headline's confidence and the run's warning (pipeline/article.py `WARN_BELOW`) tell a wrong headline.

    python -m bench.warn_eval                                   # calibration, ten folds by site, every corpus split
    python -m bench.warn_eval --pages bench/clean_corpus/final13 [...]  # warnings on these splits' text pages
    python -m bench.warn_eval --benchmark DIR --dumps DIR       # ... and on the extraction benchmark's test half

Calibration: the headline weights are fitted again per fold without the fold's sites (bench/fit_header.py, from the
hand weights); each held-out page where a headline is chosen gives the chosen line's margin over THRESHOLD and over the
runner-up, and whether it is right. The shipped `CONFIDENCE` is applied to those margins and compared, bin by bin,
with how often the line is right; a logistic regression on them gives the coefficients a fit on held-out scores would
ship.

Warnings: each page is cleaned with the code as it is; a headline is wrong when it differs from the gold (the
benchmark: the page's one visible `<h1>`), and warned when its confidence is under a level. Printed for 0.5 and for
the level the run uses.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from bench import clean_eval
from bench import fit_header as fh
from pipeline.article import WARN_BELOW, WARN_DEFAULT, clean
from pipeline.errors import PipelineError
from pipeline.pageheader import CONFIDENCE

SPLITS = ("dev", "test", "final", *(f"final{k}" for k in range(2, 16)))
FOLDS = 10
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


def margins(p: fh.Page, w: np.ndarray) -> tuple[list[float], bool] | None:
    """([1, best - THRESHOLD, best - runner-up], right) for a page where W chooses a headline, else None."""
    col = {k: j for j, k in enumerate(fh.keys())}
    scored = sorted(((sum(w[col[n]] * v for n, v in f.items()), p.lines[k], k) for k, f in enumerate(p.feats)),
                    reverse=True)
    threshold = w[col[fh.NULL]]
    if not scored or scored[0][0] < threshold:
        return None
    second = scored[1][0] if len(scored) > 1 else threshold - 1.0
    return [1.0, scored[0][0] - threshold, scored[0][0] - second], scored[0][2] in p.right


def logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    c = np.zeros(x.shape[1])
    for _ in range(50):
        prob = 1 / (1 + np.exp(-(x @ c)))
        step = np.linalg.solve(x.T @ (x * (prob * (1 - prob))[:, None]) + 0.1 * np.eye(len(c)), x.T @ (prob - y) + 0.1 * c)
        c -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return c


def calibration() -> None:
    pages = [p for p in fh.collect([fh.ROOT / "bench" / "clean_corpus" / s for s in SPLITS]) if p.article]
    groups = sorted({p.group for p in pages})
    random.Random(1).shuffle(groups)
    fold = {g: k % FOLDS for k, g in enumerate(groups)}
    rows, right = [], []
    for k in range(FOLDS):
        w = fh.fit([p for p in pages if fold[p.group] != k])
        for p in pages:
            if fold[p.group] == k and (m := margins(p, w)):
                rows.append(m[0])
                right.append(float(m[1]))
    x, y = np.array(rows), np.array(right)
    conf = 1 / (1 + np.exp(-(x @ np.array(CONFIDENCE))))
    print(f"{len(pages)} article pages, {len(groups)} sites, {FOLDS} folds by site: a headline chosen on {len(y)}, "
          f"right on {int(y.sum())}")
    print(f"  the shipped CONFIDENCE {CONFIDENCE} on held-out scores: mean confidence -> share right, by bin")
    for lo, hi in BINS:
        m = (conf >= lo) & (conf < hi)
        if m.any():
            print(f"    {lo:.2f}-{min(hi, 1.0):.2f}: {int(m.sum()):3} pages, {conf[m].mean():.2f} -> {y[m].mean():.2f}")
    print(f"  fitted on these held-out scores: CONFIDENCE = {tuple(round(float(v), 2) for v in logistic(x, y))}")


def warned(rows: list[tuple[float, bool]], label: str) -> None:
    wrong = [c for c, ok in rows if not ok]
    good = [c for c, ok in rows if ok]
    cells = []
    for level in sorted({WARN_DEFAULT, WARN_BELOW.get("title", WARN_DEFAULT)}):
        cells.append(f"under {level}: wrong warned {sum(c < level for c in wrong)} of {len(wrong)}, "
                     f"right warned {sum(c < level for c in good)} of {len(good)}")
    print(f"  {label}: " + "; ".join(cells))


def corpus_rows(folder: Path) -> list[tuple[float, bool]]:
    rows = []
    for _, raw, gold_path in clean_eval.cases(folder):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold.get("no_article") or raw.suffix != ".txt":
            continue
        try:
            article = clean(raw.read_bytes(), kind="text")
        except PipelineError:
            continue
        rows.append((article.confidence.title, clean_eval.norm(article.title) == clean_eval.norm(gold["title"])))
    return rows


def benchmark_rows(data: Path, dumps: Path) -> list[tuple[float, bool]]:
    from bench import extraction_benchmark as eb

    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for key, page in sorted(truth.items()):
        meta = dumps / f"{key}.meta.json"
        if eb.half(page["url"]) != "test" or not meta.exists():
            continue
        h1 = json.loads(meta.read_text(encoding="utf-8"))["h1"]
        if len(h1) != 1:
            continue
        try:
            article = clean((dumps / f"{key}.txt").read_bytes(), kind="text")
        except PipelineError:
            continue
        rows.append((article.confidence.title, clean_eval.norm(article.title) == clean_eval.norm(h1[0])))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, nargs="*", default=[], help="corpus splits to count warnings on")
    ap.add_argument("--benchmark", type=Path, help="scrapinghub/article-extraction-benchmark (its test half is read)")
    ap.add_argument("--dumps", type=Path, help="its text dumps (bench/text_dumps.py)")
    args = ap.parse_args(argv)
    if not args.pages and not args.benchmark:
        calibration()
        return 0
    if args.pages:
        warned([r for folder in args.pages for r in corpus_rows(folder)], " + ".join(f.name for f in args.pages))
    if args.benchmark and args.dumps:
        warned(benchmark_rows(args.benchmark, args.dumps), "extraction benchmark, test half (text dumps, one <h1>)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
