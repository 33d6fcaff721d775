"""`python -m bench [NAME ...]`: run the benchmarks (all by default) and print their numbers."""

import importlib
import sys
import time

# Cheapest first; intelligibility runs two speech recognisers and takes minutes.
ALL = ["clean_eval", "normalise_check", "translate_bench", "speech_bench", "audio_bench", "e2e_bench", "intelligibility"]


def main(argv: list[str]) -> int:
    names = argv or ALL
    failed = []
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            module.main()
        except Exception as exc:  # noqa: BLE001 - report and go on: one broken bench must not hide the others
            print(f"bench.{name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
        print(f"(bench.{name}: {time.perf_counter() - start:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
