"""Score the clean stage on a folder of cases: raw/<name>.txt|html + gold/<name>.json.

    python -m bench.clean_eval [FOLDER ...]

Per case and overall: paragraph precision/recall/F1 (a paragraph counts when it equals a gold paragraph after
normalisation: NFKC, casefold, quotes straightened, whitespace collapsed), a character-level F1 (multiset of
characters of the whole body: partial credit for a paragraph cut or merged), and metadata accuracy (title, author,
source, date: exact after the same normalisation; a null gold must be matched by null).
A gold may serve several raw files (<name>.txt and <name>.html: each is a case). A gold `{"no_article": true}`
is right when the cleaner refuses the page (PipelineError); those cases count apart from the article metrics.
Default folders: bench/clean_cases and the shipped sample (pipeline/samples + tests/data/clean).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.article import clean_source
from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "bench" / "clean_cases"
SAMPLE = (ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt",
          ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json")
META = ("title", "author", "source", "date")


def norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s).casefold()
    s = re.sub(r"[\u2018\u2019\u201b\u2032]", "'", re.sub(r"[\u201c\u201d\u201e\u2033]", '"', s))
    return " ".join(s.split())


@dataclass(frozen=True)
class Score:
    name: str
    tp: int
    n_out: int
    n_gold: int
    char_f1: float
    meta: dict  # field -> bool
    error: str | None = None
    no_article: bool = False  # the gold says the page holds no article: right when error is set
    kind: str = ""  # the raw file's suffix: txt, html

    @property
    def precision(self) -> float:
        return self.tp / self.n_out if self.n_out else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def f1_counts(out: Counter, gold: Counter) -> float:
    tp = sum((out & gold).values())
    p = tp / sum(out.values()) if out else 0.0
    r = tp / sum(gold.values()) if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(name: str, raw: Path, gold_path: Path) -> Score:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    kind = raw.suffix.lstrip(".").lower()
    if gold.get("no_article"):
        try:
            clean_source(str(raw))
        except PipelineError as exc:
            return Score(name, 0, 0, 0, 1.0, {k: True for k in META}, str(exc), no_article=True, kind=kind)
        return Score(name, 0, 0, 0, 0.0, {k: False for k in META}, None, no_article=True, kind=kind)
    gold_paras = [norm(p) for p in gold["paragraphs"]]
    try:
        art = clean_source(str(raw)).to_dict()
    except PipelineError as exc:
        return Score(name, 0, 0, len(gold_paras), 0.0, {k: False for k in META}, str(exc), kind=kind)
    out_paras = [norm(p) for p in art["paragraphs"]]
    tp = sum((Counter(out_paras) & Counter(gold_paras)).values())
    char_f1 = f1_counts(Counter("".join(out_paras).replace(" ", "")), Counter("".join(gold_paras).replace(" ", "")))
    meta = {k: norm(art.get(k)) == norm(gold.get(k)) for k in META}
    return Score(name, tp, len(out_paras), len(gold_paras), char_f1, meta, kind=kind)


def cases(folder: Path) -> list[tuple[str, Path, Path]]:
    """(name, raw, gold) for every raw file of every gold; a gold with several raws names each by its suffix."""
    out = []
    for gold in sorted((folder / "gold").glob("*.json")):
        raws = sorted((folder / "raw").glob(gold.stem + ".*"))
        if not raws:
            print(f"warning: no raw file for {gold.name}", file=sys.stderr)
        for raw in raws:
            out.append((gold.stem if len(raws) == 1 else raw.name, raw, gold))
    return out


@dataclass(frozen=True)
class Summary:
    cases: int
    para_p: float
    para_r: float
    para_f1: float
    char_f1: float
    meta: dict  # field -> accuracy over article cases
    refused: tuple[int, int]  # no-article pages refused, of all no-article pages
    failed: int  # article pages refused (an error instead of an article)


def summarise(scores: list[Score]) -> Summary:
    arts = [s for s in scores if not s.no_article]
    tp, n_out, n_gold = (sum(getattr(s, a) for s in arts) for a in ("tp", "n_out", "n_gold"))
    p, r = (tp / n_out if n_out else 0.0), (tp / n_gold if n_gold else 0.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = len(arts) or 1
    meta = {k: sum(s.meta[k] for s in arts) / n for k in META}
    none = [s for s in scores if s.no_article]
    return Summary(len(scores), p, r, f1, sum(s.char_f1 for s in arts) / n, meta,
                   (sum(1 for s in none if s.error), len(none)), sum(1 for s in arts if s.error))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    todo = [c for f in argv for c in cases(Path(f))] if argv else [
        ("why-north-koreans-need-us (sample)", *SAMPLE), *cases(DEFAULT)]
    if not todo:
        print("no cases found (expected FOLDER/raw/<name>.txt|html and FOLDER/gold/<name>.json)", file=sys.stderr)
        return 2
    scores = [score(*c) for c in todo]
    w = max(len(s.name) for s in scores)
    print(f"{'case':<{w}}  para_P  para_R  para_F1  char_F1  " + "  ".join(f"{k:>6}" for k in META))
    for s in scores:
        if s.no_article:
            print(f"{s.name:<{w}}  (no article: {'refused, right' if s.error else 'NOT refused'})")
            continue
        flags = "  ".join(f"{'ok' if s.meta[k] else 'MISS':>6}" for k in META)
        print(f"{s.name:<{w}}  {s.precision:6.3f}  {s.recall:6.3f}  {s.f1:7.3f}  {s.char_f1:7.3f}  {flags}"
              + (f"  error: {s.error}" if s.error else ""))
    groups = [("overall", scores)]
    kinds = {s.kind for s in scores}
    if len(kinds) > 1:  # text dumps and HTML pages: each apart too
        groups += [(f"  {k} only", [s for s in scores if s.kind == k]) for k in sorted(kinds)]
    for label, group in groups:
        m = summarise(group)
        print(f"{label + ' (micro; char F1 = mean)':<{w}}  {m.para_p:6.3f}  {m.para_r:6.3f}  {m.para_f1:7.3f}  "
              f"{m.char_f1:7.3f}  " + "  ".join(f"{m.meta[k]:6.2f}" for k in META))
    m = summarise(scores)
    arts = [s for s in scores if not s.no_article]
    print(f"cases: {len(scores)} ({len(arts)} articles), paragraphs: {sum(s.n_gold for s in arts)} gold, "
          f"{sum(s.n_out for s in arts)} output, {sum(s.tp for s in arts)} exact; "
          f"metadata accuracy: {sum(m.meta.values()) / len(m.meta):.3f}; articles refused: {m.failed}; "
          f"no-article pages refused: {m.refused[0]} of {m.refused[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
