"""Fit the headline scorer's weights (pipeline/pageheader.py `W`, `THRESHOLD`) to the labelled pages, and measure
how well they carry to sites they were not fitted on.

    python -m bench.fit_header [--benchmark DIR --dumps DIR]        # fit on every labelled page; print the table
    python -m bench.fit_header [--benchmark DIR --dumps DIR] --cv   # + leave-one-site-out, hand vs fitted

Data: every case of bench/clean_corpus/* and bench/clean_cases, bench/clean_heldout* (raw/<name>.txt|html +
gold/<name>.json); with --benchmark/--dumps also the `dev` half of the article-extraction benchmark as text dumps
(bench/extraction_benchmark.py, bench/text_dumps.py), where the page's one visible `<h1>` is the gold headline (its
test half is never read here). Each case is cleaned once with the code as it is; `choose_title`'s candidates
(`title_candidates`: line, raw features) are recorded. A candidate is right when its text equals the gold title
(bench.clean_eval's normalisation); "no headline" (score under THRESHOLD: the text's first words stand in) is right
when the gold title is the text's first words. Pages where nothing is right are left out of the fit (but are still
scored in the cross-validation).

Model: conditional logit. A page's candidates get score w . x (x the raw features, w the table `W`), "no headline" the
score THRESHOLD; P(candidate) = softmax over the page. Loss = -sum over pages of log P(a right candidate)
+ sum of lam_k/2 * (w_k - hand_k)^2 (hand: the hand-set weights the fit starts from, so a feature the data says
nothing about keeps its hand value). lam_k is `--lam` (10) for a feature with a hand-set weight, and LAM_FREE (1) for
THRESHOLD and the features added with no hand value (PRIOR 0.0, listed in FREE): the data sets those, and moves the
others only where it has much to say. Newton's method with a line search, numpy only.

Cross-validation: sites are groups (a registrable domain: un.org and press.un.org are one site, and so are a page's
.txt and .html); for each site the weights are fitted on all the other sites' pages, then that site's pages are
cleaned with them (the whole clean stage: the headline also moves the byline and date reading) and scored with
bench.clean_eval; a benchmark page by its headline only. The synthetic cases (clean_cases, clean_heldout*) are each
their own group.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import clean_eval
from pipeline import pageheader
from pipeline.article import first_words

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("dev", "test", "final", *(f"final{k}" for k in range(2, 10)))
BENCHMARK = "benchmark-dev"  # the folder name given to the extraction benchmark's pages
FOLDERS = [ROOT / "bench" / "clean_corpus" / s for s in SPLITS] + [
    ROOT / "bench" / s for s in ("clean_cases", "clean_heldout", "clean_heldout2", "clean_heldout3")]
NULL = "THRESHOLD"  # the "no headline" option's score
LAMBDAS = (3.0, 10.0, 30.0)
LAM = 3.0  # the one used for the shipped weights (--cv: the best leave-one-site-out total)
LAM_FREE = 1.0
FREE = ("len_6", "overlap_zero", "overlap_best", "alone", NULL)  # features with no hand-set weight, and THRESHOLD


@dataclass
class Page:
    name: str
    folder: str
    group: str
    case: tuple | None  # clean_eval.cases() entry; None for a benchmark page (headline only)
    texts: list[str]  # candidates' line texts
    lines: list[int]  # their line indices (a tie goes to the later line, as in choose_title)
    feats: list[dict[str, float]]
    right: list[int]  # indices of right candidates
    null_right: bool
    article: bool  # False: a no-article page (no candidates, not fitted)


def site_group(site: str) -> str:
    """The registrable domain of a gold's `site` ('press.un.org' -> 'un.org', 'news.zum.com' -> 'zum.com')."""
    host = site.split()[0].lower()
    labels = host.split(".")
    second = ("co", "go", "or", "ne", "ac", "com", "org", "gov", "net")  # 'co.kr', 'go.kr', 'com.np'
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in second:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@contextmanager
def recording():
    """While open, every `title_candidates` call appends its candidates, as (line, text, features), to the list it
    yields."""
    seen: list = []
    real = pageheader.title_candidates

    def spy(items, *args):
        out = real(items, *args)
        seen.append([(i, items[i].text, f) for i, f in out])
        return out

    pageheader.title_candidates = spy
    try:
        yield seen
    finally:
        pageheader.title_candidates = real


def collect(folders=FOLDERS) -> list[Page]:
    """Clean every case once, recording the headline candidates of its (last) header reading."""
    pages = []
    with recording() as seen:
        for folder in folders:
            for case in clean_eval.cases(Path(folder)):
                name, raw, gold_path = case
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                seen.clear()
                try:
                    clean_eval.score(*case)
                except Exception:  # noqa: BLE001 - a crash is scored by clean_eval too; no candidates then
                    pass
                cands = seen[-1] if seen else []
                group = (site_group(gold["site"]) if gold.get("site") else f"{Path(folder).name}/{gold_path.stem}")
                if gold.get("no_article"):
                    pages.append(Page(name, Path(folder).name, group, case, [], [], [], [], False, False))
                    continue
                want = clean_eval.norm(gold["title"])
                right = [k for k, (_, t, _) in enumerate(cands) if clean_eval.norm(t) == want]
                null_right = bool(gold["paragraphs"]) and clean_eval.norm(first_words(gold["paragraphs"][0])) == want
                pages.append(Page(name, Path(folder).name, group, case, [t for _, t, _ in cands],
                                  [i for i, _, _ in cands], [f for _, _, f in cands], right, null_right, True))
    return pages


def collect_benchmark(data: Path, dumps: Path) -> list[Page]:
    """The benchmark's dev half as text dumps, each page with exactly one visible <h1> (its gold headline)."""
    from bench import extraction_benchmark as eb
    from pipeline.article import clean
    from pipeline.errors import PipelineError

    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    with recording() as seen:
        for key in sorted(truth):
            url = truth[key]["url"]
            meta = dumps / f"{key}.meta.json"
            if eb.half(url) != "dev" or not meta.exists():
                continue
            h1 = json.loads(meta.read_text(encoding="utf-8"))["h1"]
            if len(h1) != 1:
                continue
            seen.clear()
            try:
                clean((dumps / f"{key}.txt").read_bytes(), kind="text")
            except PipelineError:
                pass  # a refused page: no candidates, scored as a miss
            cands = seen[-1] if seen else []
            want = clean_eval.norm(h1[0])
            right = [k for k, (_, t, _) in enumerate(cands) if clean_eval.norm(t) == want]
            pages.append(Page(key[:12], BENCHMARK, site_group(eb.host(url)), None, [t for _, t, _ in cands],
                              [i for i, _, _ in cands], [f for _, _, f in cands], right, False, True))
    return pages


# The hand-set weights (pageheader.W and THRESHOLD as they were before any fit): the prior the fit is pulled towards,
# kept here so that fitting again gives the same table whatever pageheader.W holds now.
PRIOR = {
    "pos_above_0": 2.0, "pos_above_1": 1.6, "pos_above_2": 1.2, "pos_above_3": 0.8, "pos_above_4": 0.5,
    "pos_above_5": 0.2, "pos_far": -0.4, "below": -1.2, "below_dist": -0.4, "crossed_furniture": -1.5,
    "meta_between": 1.3, "meta_above_only": -1.5, "meta_just_above": 1.0, "len_ok": 0.8, "len_3": 0.0, "len_2": -1.0,
    "len_1": -2.5, "len_long": -1.5, "len_huge": -4.0, "ends_period": -1.8, "ends_colon": -2.5, "ends_ellipsis": -0.2,
    "lower_start": -1.5, "separators": -1.0, "label": -2.5, "bare_name": -1.2, "overlap": 2.5, "prefix": 2.0,
    "hint": 4.0, "hint_part": 1.5, "repeat_near": 1.0, "repeat_far": -2.0, "dek": -1.0, "bracketed": -2.0,
    "fragment": -1.0, "variant": -2.0, "caps": -0.3, "under_byline": -1.0, "numbered": -1.5, "no_function": -1.0,
    "place": -2.0,
    "name_list": -2.0, "self_repeat": -2.0, "meta_value": -2.0, "points": -1.5,
    "len_6": 0.0, "overlap_zero": 0.0, "overlap_best": 0.0, "alone": 0.0,
    NULL: 0.5,
}


def keys() -> list[str]:
    assert list(PRIOR)[:-1] == list(pageheader.W), "pageheader.W and PRIOR must list the same features"
    return list(PRIOR)


def hand() -> np.ndarray:
    return np.array([PRIOR[k] for k in keys()])


def current() -> np.ndarray:
    """The weights pageheader uses now."""
    return np.array([pageheader.W[k] for k in keys()[:-1]] + [pageheader.THRESHOLD])


class Design:
    """All fitted pages' options stacked: X (options x features), the page of each option, and which are right."""

    def __init__(self, pages: list[Page], names: list[str]):
        col = {k: j for j, k in enumerate(names)}
        rows, right = [], []
        for p in pages:
            if not p.article or not (p.right or p.null_right):
                continue
            for k, f in enumerate(p.feats):
                x = np.zeros(len(names))
                for name, v in f.items():
                    x[col[name]] = v
                rows.append(x)
                right.append(k in p.right)
            x = np.zeros(len(names))
            x[col[NULL]] = 1.0
            rows.append(x)
            right.append(p.null_right)
        self.X = np.array(rows) if rows else np.zeros((0, len(names)))
        self.right = np.array(right, dtype=bool)
        starts, n = [], 0
        for p in pages:
            if not p.article or not (p.right or p.null_right):
                continue
            starts.append(n)
            n += len(p.feats) + 1
        self.starts = np.array(starts, dtype=int)
        self.page = np.repeat(np.arange(len(starts)), np.diff(np.append(self.starts, n)))


def seg_logsumexp(s: np.ndarray, starts: np.ndarray, page: np.ndarray, mask: np.ndarray | None = None):
    """Per page log-sum-exp of S (over the rows in MASK), and each row's probability within its page."""
    s = np.where(mask, s, -np.inf) if mask is not None else s
    m = np.maximum.reduceat(s, starts)
    e = np.exp(s - m[page])
    z = np.add.reduceat(e, starts)
    return m + np.log(z), e / z[page]


def penalty(lam: float, names: list[str]) -> np.ndarray:
    """Each weight's pull towards its hand value: LAM_FREE for FREE, LAM for the others."""
    return np.array([LAM_FREE if k in FREE else lam for k in names])


def loss_grad_hess(w, d: Design, w0, lam):
    s = d.X @ w
    lse_all, p_all = seg_logsumexp(s, d.starts, d.page)
    lse_right, p_right = seg_logsumexp(s, d.starts, d.page, d.right)
    loss = float(np.sum(lse_all - lse_right)) + 0.5 * float(np.sum(lam * (w - w0) ** 2))
    mean_all = np.add.reduceat(d.X * p_all[:, None], d.starts)
    mean_right = np.add.reduceat(d.X * p_right[:, None], d.starts)
    grad = mean_all.sum(0) - mean_right.sum(0) + lam * (w - w0)
    hess = (d.X.T @ (d.X * p_all[:, None]) - mean_all.T @ mean_all
            - d.X.T @ (d.X * p_right[:, None]) + mean_right.T @ mean_right + np.diag(lam * np.ones(len(w))))
    return loss, grad, hess


def fit(pages: list[Page], lam: float = LAM, names: list[str] | None = None, w0: np.ndarray | None = None,
        pull: np.ndarray | None = None) -> np.ndarray:
    """The weights (NAMES, by default W's keys then THRESHOLD) minimising the conditional-logit loss + L2 towards W0
    (by default the hand weights, PRIOR), each weight pulled by PULL (by default `penalty(lam, names)`)."""
    names, w0 = (keys(), hand()) if names is None else (names, w0)
    lam = penalty(lam, names) if pull is None else pull
    d = Design(pages, names)
    if not len(d.starts):
        return w0.copy()
    w = w0.copy()
    loss, g, h = loss_grad_hess(w, d, w0, lam)
    for _ in range(100):
        try:
            step = np.linalg.solve(h, g)
            if step @ g <= 0:  # not a descent direction (the right-set term is not convex): plain gradient
                step = g / lam
        except np.linalg.LinAlgError:
            step = g / lam
        t = 1.0
        while True:
            new = w - t * step
            nl, ng, nh = loss_grad_hess(new, d, w0, lam)
            if nl <= loss - 1e-4 * t * (step @ g) or t < 1e-8:
                break
            t /= 2
        done = loss - nl < 1e-10
        w, loss, g, h = new, nl, ng, nh
        if done or np.max(np.abs(g)) < 1e-8:
            break
    return w


def choose(p: Page, w: np.ndarray, names: list[str] | None = None) -> int | None:
    """The candidate the weights choose (index), or None for no headline (the proxy for the whole clean stage)."""
    col = {k: j for j, k in enumerate(names or keys())}
    best, arg = None, None
    for k, f in enumerate(p.feats):
        s = (sum(w[col[n]] * v for n, v in f.items()), p.lines[k])  # ties: the later line wins, as choose_title's
        if best is None or s > best:
            best, arg = s, k
    best = best[0] if best else None
    return arg if best is not None and best >= w[col[NULL]] else None


def proxy_right(p: Page, w: np.ndarray, names: list[str] | None = None) -> bool:
    k = choose(p, w, names)
    return p.null_right if k is None else k in p.right


def apply(w: np.ndarray) -> tuple[dict, float]:
    """Set pageheader's weights to W (returns the old ones)."""
    old = (dict(pageheader.W), pageheader.THRESHOLD)
    names = keys()
    pageheader.W.update({k: float(v) for k, v in zip(names[:-1], w[:-1])})
    pageheader.THRESHOLD = float(w[-1])
    return old


def restore(old: tuple[dict, float]) -> None:
    pageheader.W.clear()
    pageheader.W.update(old[0])
    pageheader.THRESHOLD = old[1]


@dataclass
class HeadlineOnly:
    """A benchmark page's score: its gold states a headline only."""

    meta: dict
    no_article: bool = False


def end_to_end(pages: list[Page], w: np.ndarray) -> list:
    old = apply(w)
    try:
        return [clean_eval.score(*p.case) if p.case else HeadlineOnly({"title": proxy_right(p, w)}) for p in pages]
    finally:
        restore(old)


def acc(scores, field) -> tuple[int, int]:
    arts = [s for s in scores if not s.no_article and field in s.meta]
    return sum(s.meta[field] for s in arts), len(arts)


def report(label: str, rows: dict[str, list]) -> None:
    print(f"  {label}")
    for part, scores in rows.items():
        cells = []
        for k in ("title", "author", "date"):
            r, n = acc(scores, k)
            if n:
                cells.append(f"{k} {r / n if n else 0:.3f} ({r}/{n})")
        print(f"    {part:<10} " + "  ".join(cells))


def parts(pages: list[Page], scores: list) -> dict[str, list]:
    by = defaultdict(list)
    for p, s in zip(pages, scores):
        corpus = p.folder in SPLITS
        if p.folder == BENCHMARK:
            by[BENCHMARK].append(s)
            continue
        by["all"].append(s)
        by["corpus" if corpus else "synthetic"].append(s)
        if corpus:
            by[p.folder].append(s)
    return {k: by[k] for k in ("all", "corpus", "synthetic", BENCHMARK, *SPLITS) if k in by}


def cross_validate(pages: list[Page], lams=LAMBDAS) -> None:
    groups = sorted({p.group for p in pages})
    print(f"{len(pages)} cases ({sum(p.article for p in pages)} articles), {len(groups)} sites/groups; "
          f"fitted on {sum(1 for p in pages if p.article and (p.right or p.null_right))} pages that have a right "
          "option")
    report("hand weights, on all pages (tuned on them: optimistic)", parts(pages, end_to_end(pages, hand())))
    for lam in lams:
        scores: list = [None] * len(pages)
        proxy = []
        for g in groups:
            held = [k for k, p in enumerate(pages) if p.group == g]
            w = fit([p for p in pages if p.group != g], lam)
            for k, s in zip(held, end_to_end([pages[k] for k in held], w)):
                scores[k] = s
            proxy += [proxy_right(pages[k], w) for k in held if pages[k].article]
        report(f"fitted, leave-one-site-out, lam={lam} (candidate-level title accuracy {np.mean(proxy):.3f})",
               parts(pages, scores))
        w = fit(pages, lam)
        report(f"fitted on all pages, lam={lam} (training accuracy)", parts(pages, end_to_end(pages, w)))


def calibrate(pages: list[Page], w: np.ndarray) -> np.ndarray:
    """The headline confidence's coefficients (a, b, c) for pageheader.CONFIDENCE: P(the chosen headline is right) =
    sigmoid(a + b (best - THRESHOLD) + c (best - runner-up)), a logistic regression over the real pages where W chooses
    a headline (a small ridge keeps it finite when the data separate)."""
    col = {k: j for j, k in enumerate(keys())}
    rows, right = [], []
    for p in pages:
        if not p.article or not p.feats or p.folder not in (*SPLITS, BENCHMARK):
            continue  # (real pages only: the made-up cases are easy, and would make it sure of itself)
        scores = sorted(((sum(w[col[n]] * v for n, v in f.items()), p.lines[k], k) for k, f in enumerate(p.feats)),
                        reverse=True)
        best, _, k = scores[0]
        if best < w[col[NULL]]:
            continue
        second = scores[1][0] if len(scores) > 1 else w[col[NULL]] - 1.0
        rows.append([1.0, best - w[col[NULL]], best - second])
        right.append(float(k in p.right))
    x, y = np.array(rows), np.array(right)
    c = np.zeros(3)
    for _ in range(50):
        prob = 1 / (1 + np.exp(-(x @ c)))
        step = np.linalg.solve(x.T @ (x * (prob * (1 - prob))[:, None]) + 0.1 * np.eye(3), x.T @ (prob - y) + 0.1 * c)
        c -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return c


def table(w: np.ndarray, lam: float) -> str:
    lines = ["W = {  # fitted by bench/fit_header.py (lam=%g, %g for FREE) on every labelled page" % (lam, LAM_FREE)]
    for k, v in zip(keys()[:-1], w[:-1]):
        lines.append(f'    "{k}": {v:.2f},  # hand {PRIOR[k]}')
    lines.append("}")
    lines.append(f"THRESHOLD = {w[-1]:.2f}  # hand {PRIOR[NULL]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv", action="store_true", help="leave-one-site-out cross-validation, hand vs fitted")
    ap.add_argument("--lam", type=float, default=LAM, help="L2 strength towards the hand weights")
    ap.add_argument("--benchmark", type=Path, help="scrapinghub/article-extraction-benchmark (its dev half is read)")
    ap.add_argument("--dumps", type=Path, help="its text dumps (bench/text_dumps.py)")
    args = ap.parse_args(argv)
    if bool(args.benchmark) != bool(args.dumps):
        ap.error("--benchmark and --dumps go together")
    pages = collect() + (collect_benchmark(args.benchmark, args.dumps) if args.benchmark else [])
    if args.cv:
        cross_validate(pages)
    w = fit(pages, args.lam)
    print(table(w, args.lam))
    a, b, c = calibrate(pages, w)
    print(f"CONFIDENCE = ({a:.2f}, {b:.2f}, {c:.2f})  # a + b (best - THRESHOLD) + c (best - runner-up), logistic")
    return 0


if __name__ == "__main__":
    sys.exit(main())
