"""Normaliser output vs the spoken references of the dev sets: Korean CER on Hangul only, English WER.

Run: python -m bench.normalise_check  (prints per-line mismatches, then the means).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jiwer

from pipeline.speech.normalise import normalise

EVAL = Path(os.environ.get("EVAL_DIR", "/work/shared/eval"))
# Without the shared eval folder (a fresh clone), use the dev lines copied into the golden case files.
GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "data" / "normalise"


def hangul_only(text: str) -> str:
    return re.sub(r"[^\uac00-\ud7a3]", "", text)


def english_words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9']", " ", text.lower()).split())


def dev_pairs(lang: str) -> list[tuple[str, str]]:
    files = {"ko": ("ko_dev_written.txt", "ko_dev_spoken.txt"), "en": ("en_dev.txt", "en_dev_spoken.txt")}
    written, spoken = files[lang]
    if (EVAL / written).exists():
        return list(zip(*((EVAL / f).read_text(encoding="utf-8").splitlines() for f in (written, spoken))))
    lines = (GOLDEN / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# the ") and "dev" in line) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    return [tuple(line.split("\t")) for line in lines[start:end]]


def korean_cer() -> list[tuple[int, float, str, str]]:
    rows = []
    for i, (written, spoken) in enumerate(dev_pairs("ko"), 1):
        out = normalise(written, "ko")
        rows.append((i, jiwer.cer(hangul_only(spoken), hangul_only(out)), out, spoken))
    return rows


def english_wer() -> list[tuple[int, float, str, str]]:
    rows = []
    for i, (written, spoken) in enumerate(dev_pairs("en"), 1):
        out = normalise(written, "en")
        rows.append((i, jiwer.wer(english_words(spoken), english_words(out)), out, spoken))
    return rows


def main() -> None:
    for label, rows, metric in (("ko", korean_cer(), "CER (Hangul only)"), ("en", english_wer(), "WER")):
        for i, score, out, ref in rows:
            if score:
                print(f"{label} line {i}: {metric} {score:.3f}\n  got  {out}\n  want {ref}")
        exact = sum(out == ref for _, _, out, ref in rows)
        mean = sum(score for _, score, _, _ in rows) / len(rows)
        print(f"normalise {label}: mean {metric} {mean:.4f} over {len(rows)} lines; "
              f"identical strings {exact}/{len(rows)}")


if __name__ == "__main__":
    main()
