"""Would a learned word model help the headline scorer? An experiment (round 13), not shipped: it did not.

    python -m bench.fit_lexical

The headline features (pipeline/pageheader.py) are shapes and positions; the words of site furniture (`View All
Events`, `크게 작게 위로 아래로`, `댓글 0건 조회`) are read by hand-written tables. This learns them instead: a naive
Bayes model over every line of the corpus's text dumps (a line is content when it is the gold headline or a gold
paragraph, furniture when it is neither nor holds the gold byline, date or source), whose mean log-odds per token
(words, digits as 0; Chinese and Japanese as character pairs) becomes one more candidate feature, `ui_odds`.

Measured by the chosen line (bench/fit_header.py's proxy) on every corpus split's article pages, ten folds by site.
The word model is trained without the held-out fold's sites, and the weights are fitted on features that the
training pages got from word models without their own fold (so the training features are as unsure as the held-out
ones). Two pairs of fits, each with and without `ui_odds`: every weight fitted again per fold from the hand weights
(`PRIOR`, as fit_header does; `ui_odds` from 0), and the shipped weights frozen with only THRESHOLD (and `ui_odds`)
fitted. The second pair sees the held-out pages through the shipped weights, which were fitted on dev to final9.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter, defaultdict

import numpy as np

from bench import clean_eval
from bench import fit_header as fh

SPLITS = ("dev", "test", "final", *(f"final{k}" for k in range(2, 16)))
FOLDS = 10
SMOOTH = 0.5
CLIP = 3.0
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def tokens(text: str) -> list[str]:
    out = []
    for w in re.findall(r"\w+", text.casefold()):
        w = re.sub(r"\d", "0", w)
        out += [w[i:i + 2] for i in range(max(1, len(w) - 1))] if CJK.search(w) else [w]
    return out


def line_counts(pages: list[fh.Page]) -> dict[str, list[Counter]]:
    """Per site, token counts of its content lines and of its furniture lines."""
    sites: dict[str, list[Counter]] = defaultdict(lambda: [Counter(), Counter()])
    for p in pages:
        _, raw, gold_path = p.case
        if raw.suffix != ".txt":
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        content = set() if gold.get("no_article") else {clean_eval.norm(t) for t in [gold["title"], *gold["paragraphs"]]}
        meta = [clean_eval.norm(gold[k]) for k in ("author", "date", "source") if gold.get(k)]
        for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
            n = clean_eval.norm(line)
            if not n or (n not in content and any(m in n for m in meta)):
                continue
            sites[p.group][n not in content].update(tokens(line))
    return sites


class WordModel:
    def __init__(self, sites: dict[str, list[Counter]], leave_out: set[str]):
        cnt = [Counter(), Counter()]
        for s, (content, furniture) in sites.items():
            if s not in leave_out:
                cnt[0].update(content)
                cnt[1].update(furniture)
        n0, n1, v = sum(cnt[0].values()), sum(cnt[1].values()), len(set(cnt[0]) | set(cnt[1]))
        self.odds = {t: math.log((cnt[1][t] + SMOOTH) / (n1 + SMOOTH * v)) - math.log((cnt[0][t] + SMOOTH) / (n0 + SMOOTH * v))
                     for t in set(cnt[0]) | set(cnt[1])}

    def __call__(self, text: str) -> float:
        ts = tokens(text)
        return max(-CLIP, min(CLIP, sum(self.odds.get(t, 0.0) for t in ts) / len(ts))) if ts else 0.0


def pull(names: list[str], free: tuple[str, ...]) -> np.ndarray:
    """Each weight's pull towards its start: fit_header's (`ui_odds` as one of its FREE features), or, for the weights
    not in FREE, so strong that they stay where they start."""
    return np.array([fh.LAM_FREE if k in (*fh.FREE, "ui_odds") else fh.LAM for k in names]) if free == () else \
        np.array([fh.LAM_FREE if k in free else 1e6 for k in names])


def with_zero(w: np.ndarray) -> np.ndarray:
    """Weights W with `ui_odds` at 0 before THRESHOLD (the order of `names` in main)."""
    return np.append(w[:-1], [0.0, w[-1]])


def with_feature(p: fh.Page, model: WordModel) -> fh.Page:
    return fh.Page(**{**p.__dict__, "feats": [dict(f, ui_odds=model(t)) for f, t in zip(p.feats, p.texts)]})


def main() -> int:
    pages = fh.collect([fh.ROOT / "bench" / "clean_corpus" / s for s in SPLITS])
    sites = line_counts(pages)
    arts = [p for p in pages if p.article]
    groups = sorted({p.group for p in arts})
    random.Random(1).shuffle(groups)
    fold = {g: k % FOLDS for k, g in enumerate(groups)}
    base, names = fh.keys(), fh.keys()[:-1] + ["ui_odds", fh.NULL]
    shipped, hand = fh.current(), fh.hand()
    right = defaultdict(list)
    for k in range(FOLDS):
        train = [p for p in arts if fold[p.group] != k]
        inner = []
        for k2 in set(range(FOLDS)) - {k}:
            model = WordModel(sites, {g for g in groups if fold[g] in (k, k2)})
            inner += [with_feature(p, model) for p in train if fold[p.group] == k2]
        fits = {
            "hand start, without ui_odds": (fh.fit(train, fh.LAM, base, hand, pull(base, ())), base),
            "hand start, with ui_odds": (fh.fit(inner, fh.LAM, names, with_zero(hand), pull(names, ())), names),
            "shipped frozen, THRESHOLD fitted": (fh.fit(train, fh.LAM, base, shipped, pull(base, (fh.NULL,))), base),
            "shipped frozen, ui_odds and THRESHOLD fitted": (
                fh.fit(inner, fh.LAM, names, with_zero(shipped), pull(names, ("ui_odds", fh.NULL))), names),
        }
        model = WordModel(sites, {g for g in groups if fold[g] == k})
        for p in (p for p in arts if fold[p.group] == k):
            q = with_feature(p, model)
            right["shipped weights, as they are (fitted on dev to final9)"].append(fh.proxy_right(p, shipped))
            for label, (w, ks) in fits.items():
                right[label].append(fh.proxy_right(q if "ui_odds" in ks else p, w, ks))
    print(f"{len(arts)} article pages, {len(groups)} sites, {FOLDS} folds by site; headline right by the chosen line:")
    for label, r in right.items():
        print(f"  {label}: {sum(r)} ({np.mean(r):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
