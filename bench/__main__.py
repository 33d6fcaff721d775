"""`python -m bench [NAME ...]`: run the benchmarks (all by default) and print their numbers."""

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (module, arguments), cheapest first; intelligibility runs two speech recognisers and takes minutes.
ALL = [
    ("clean_eval", None),
    ("clean_eval", [str(HERE / f"clean_heldout{n}") for n in ("", "2", "3")]),  # pages written after the rules
    # issue 15: real pages of many sites, split by site (bench/clean_corpus/README.md); dev was fitted on
    ("clean_eval", [str(HERE / "clean_corpus" / split) for split in ("dev",)]),
    ("clean_eval", [str(HERE / "clean_corpus" / split) for split in ("test",)]),
    ("clean_eval", [str(HERE / "clean_corpus" / split) for split in ("final",)]),
    ("normalise_check", None),
    ("translate_bench", None),
    ("speech_bench", None),
    ("audio_bench", None),
    ("e2e_bench", None),
    ("cluster_bench", None),  # local --jobs 2 against a two-worker Dask cluster on loopback
    ("intelligibility", None),
]


def main(argv: list[str]) -> int:
    todo = [(name, None) for name in argv] or ALL
    failed = []
    for name, args in todo:
        print(f"\n=== bench.{name} {' '.join(Path(a).name for a in args or [])} ===", flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            sys.argv = [f"bench.{name}"]  # each bench runs with its defaults, not with this runner's arguments
            module.main(args) if args else module.main()
        except Exception as exc:  # noqa: BLE001 - report and go on: one broken bench must not hide the others
            print(f"bench.{name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
        print(f"(bench.{name}: {time.perf_counter() - start:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
