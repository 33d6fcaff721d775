"""Static HTML report a producer opens before airing: player, waveform, loudness over time, transcript vs source."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pipeline.publish import IMAGE_NAME, audio_entry, finished
from pipeline.files import atomic_path, atomic_write_text, real_folder, temp_dir

WIDTH, HEIGHT = 900, 120


def _decode(audio: Path, work: Path, rate: int = 8000) -> np.ndarray:
    """Mono samples at a low rate: enough for a picture of the waveform. Decoded into a temp folder in `work`
    (the output folder, whose sweep removes what a kill leaves), not $TMPDIR."""
    from pipeline.audio import ffmpeg

    with temp_dir(work, "report") as tmp:
        raw = tmp / "audio.raw"
        ffmpeg.run(["-i", ffmpeg.file_arg(audio), "-ac", "1", "-ar", str(rate), "-f", "s16le", ffmpeg.file_arg(raw)],
                   what="report waveform")
        return np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768.0


def short_term_loudness(audio: Path) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, LUFS) every 100 ms: ffmpeg's EBU R128 meter, short-term (3 s) window."""
    from pipeline.audio import ffmpeg

    log = ffmpeg.run(["-i", ffmpeg.file_arg(audio), "-af", "ebur128=framelog=info", "-f", "null", "-"], what="report loudness")
    pts = re.findall(r"t:\s*([\d.]+).*?S:\s*(-?[\d.]+|-inf)", log)
    t = np.array([float(a) for a, _ in pts])
    s = np.array([float(b) if b != "-inf" else -70.0 for _, b in pts])
    return t, s


def _png(draw_fn, path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw_fn(ImageDraw.Draw(img))
    with atomic_path(path) as tmp:
        img.save(tmp, format="PNG")


def waveform_png(samples: np.ndarray, path: Path) -> None:
    cols = np.array_split(samples, WIDTH) if samples.size >= WIDTH else [samples] * WIDTH
    mid = HEIGHT / 2

    def draw(d):
        for x, col in enumerate(cols):
            if col.size:
                d.line([(x, mid - col.max() * mid), (x, mid - col.min() * mid)], fill="#1f4e79")

    _png(draw, path)


def loudness_png(t: np.ndarray, s: np.ndarray, target: float, path: Path) -> None:
    lo, hi = -50.0, 0.0
    span = float(t[-1]) if t.size else 0.0

    def y(v: float) -> float:
        return HEIGHT - (min(max(v, lo), hi) - lo) / (hi - lo) * HEIGHT

    def draw(d):
        for level in (-10, -20, -30, -40):  # a labelled grid so a producer can read levels off the picture
            d.line([(0, y(level)), (WIDTH, y(level))], fill="#e4e4e4")
            d.text((2, y(level) - 11), f"{level} LUFS", fill="#888888")
        d.line([(0, y(target)), (WIDTH, y(target))], fill="#c00000")  # the profile's target
        if t.size > 1:
            xs = t / t[-1] * (WIDTH - 1)
            d.line(list(zip(xs.tolist(), [y(v) for v in s.tolist()])), fill="#1f4e79", width=2)
        d.text((WIDTH - 60, HEIGHT - 12), f"{span:.0f} s", fill="#888888")

    _png(draw, path)


def write_report(out: Path) -> Path:
    """Render `<out>/index.html` and `<out>/<slug>/index.html` from the finished language folders."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape())
    articles: dict[str, dict] = {}
    for folder, meta in finished(out):
        entry = audio_entry(meta)
        audio = folder / entry["path"]
        # Images are named by the audio's checksum: an unchanged programme is never decoded again.
        img_dir = real_folder(out, folder.parent / "report")  # never a link: pictures are written and deleted there
        stem = f"{meta['language']}.{entry['sha256'][:12]}"
        wave, loud = img_dir / f"{stem}.wave.png", img_dir / f"{stem}.loudness.png"
        if not wave.is_file():
            waveform_png(_decode(audio, out), wave)
        if not loud.is_file():
            t, s = short_term_loudness(audio)
            loudness_png(t, s, meta.get("target_lufs", -16.0), loud)
        art = articles.setdefault(meta["slug"], {"slug": meta["slug"], "title": meta.get("title"), "langs": [], "meta": meta})
        art["langs"].append({
            "lang": meta["language"],
            "audio": audio.relative_to(folder.parent).as_posix(),
            "wave": wave.relative_to(folder.parent).as_posix(),
            "loud": loud.relative_to(folder.parent).as_posix(),
            "entry": entry,
            "meta": meta,
            "paragraphs": _paragraphs(meta.get("sentences", [])),
        })
    for art in articles.values():
        keep = {l[k] for l in art["langs"] for k in ("wave", "loud")}
        for stale in (out / art["slug"] / "report").glob("*.png"):
            # Pictures of an earlier version of the programme; only names we draw (a PNG a user put there stays).
            if IMAGE_NAME.fullmatch(stale.name) and stale.relative_to(out / art["slug"]).as_posix() not in keep:
                stale.unlink()

        atomic_write_text(out / art["slug"] / "index.html", env.get_template("article.html").render(article=art, prefix=""))
    index = out / "index.html"
    atomic_write_text(index, env.get_template("index.html").render(articles=list(articles.values())))
    return index


def _paragraphs(sentences: list[dict]) -> list[dict]:
    """Group sentences by paragraph: source and translation side by side."""
    paras: dict[int, list[dict]] = {}
    for s in sentences:
        paras.setdefault(s["paragraph"], []).append(s)
    return [{"index": i, "sentences": ss} for i, ss in sorted(paras.items())]
