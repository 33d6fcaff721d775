"""Translation throughput: one batched call per article vs a naive loop of one call per sentence.

Uses a copy model of real argos size (6+6 layers, d_model 512, FFN 2048, 8 heads, vocabulary 8,000, int8), built
from numpy (weights chosen so it copies its input exactly: outputs are checked, and it stops like a trained model
would, unlike a random one). Built once into .cache/bench/. Same model, settings and threads for both paths.

    python -m bench translate_bench        (or: python bench/translate_bench.py [SENTENCES])
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json"
CACHE = ROOT / ".cache" / "bench" / "translate-en_xx-copy-6x6-512"
SIZE = dict(layers=(6, 6), d_model=512, heads=8, copy_heads=3, ffn=2048, vocab_size=8000, quantization="int8")


def _sentences(n: int) -> list[str]:
    from pipeline.segment import split_sentences

    paragraphs = json.loads(GOLD.read_text(encoding="utf-8"))["paragraphs"]
    base = [s for p in paragraphs for s in split_sentences(p, "en")]
    # Mixed lengths as in a real article: whole sentences, their first halves and first clauses.
    variants = base + [" ".join(s.split()[: max(3, len(s.split()) // 2)]) + "." for s in base] \
        + [s.split(",")[0].rstrip(".") + "." for s in base]
    return [variants[i % len(variants)] for i in range(n)]


def _package() -> Path:
    folder = CACHE / f"translate-en_xx-{SIZE['d_model']}"
    if not (folder / "model" / "model.bin").exists():
        sys.path.insert(0, str(ROOT / "tests"))
        import zipfile

        from argos_model import build_package

        paragraphs = json.loads(GOLD.read_text(encoding="utf-8"))["paragraphs"]
        CACHE.mkdir(parents=True, exist_ok=True)
        dest = build_package(CACHE / "bench.argosmodel", "en", "xx", corpus=paragraphs, sp_vocab=1000,
                             top=folder.name, **SIZE)
        with zipfile.ZipFile(dest) as zf:
            zf.extractall(CACHE)
    return folder


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(n: int = 200) -> None:
    from pipeline.translate import engine

    settings = engine.EngineSettings()
    folder = _package()
    sentences = _sentences(n)

    start = time.perf_counter()
    eng = engine.Engine(folder, settings)
    load_s = time.perf_counter() - start
    tokens = [len(eng.sp.encode(s)) for s in sentences]

    # CPU time as well as wall time: on a shared machine other jobs inflate wall time, not our CPU seconds.
    batched, batched_s, batched_cpu = _timed(lambda: eng.translate(sentences))
    naive, naive_s, naive_cpu = _timed(lambda: [eng.translate([s])[0] for s in sentences])

    exact = sum(a == b == s for a, b, s in zip(batched, naive, sentences))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model: copy Transformer 6+6 layers, d_model 512, FFN 2048, 8 heads, vocab 8000, "
          f"{engine._compute_type(settings.compute_type)}, beam {settings.beam_size}, "
          f"intra_threads {settings.intra_threads}, max_batch_size {settings.max_batch_size}")
    print(f"article: {n} sentences, {min(tokens)}-{max(tokens)} tokens (mean {sum(tokens) / n:.1f})")
    print(f"model load: {load_s:.2f} s")
    print(f"batched (one call, length-sorted): {n / batched_s:6.1f} sentences/s wall, "
          f"{n / batched_cpu:6.1f} per CPU-second")
    print(f"naive (one call per sentence):     {n / naive_s:6.1f} sentences/s wall, {n / naive_cpu:6.1f} per CPU-second")
    print(f"speed-up: {naive_s / batched_s:.1f}x wall, {naive_cpu / batched_cpu:.1f}x CPU")
    print(f"exact copies: {exact}/{n}")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
