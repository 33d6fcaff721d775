"""Every bad input of issue 7 through the real CLI: a non-zero exit, one `error:` line naming the problem and the
fix, no traceback, and the outputs of an earlier run left exactly as they were (still matching their manifest).

CASES is the one table: the tests run it, and docs/reliability.md is generated from it
(`python tests/test_reliability_inputs.py` rewrites the doc; a test checks the committed doc is current).
In an expected message, `<tmp>` is the case's temp folder, `<repo>` the checkout, and `…` matches anything.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SLUG = "why-north-koreans-need-us"
FAKE_ENGINE_DIR = ROOT / "tests" / "data" / "reliability"
DOC = ROOT / "docs" / "reliability.md"
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Ctx:
    """One case's world: its temp folder, an output folder holding an earlier run's outputs, and a cache."""

    tmp: Path
    out: Path
    cache: Path
    env: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    name: str
    what: str  # the case, as a reader would say it
    command: str  # shown in the doc
    args: Callable[[Ctx], list]  # after `python -m pipeline`
    expect: str  # the error line ('…' = anything), or for exit 0 what the run must produce
    intact: str = "every earlier output file, byte for byte, still matching its manifest"
    setup: Callable[[Ctx], None] = lambda ctx: None
    exit: int = 1
    needs: str = ""  # "root": mounts a tmpfs; "no-system-espeak"
    partial: bool = False  # a batch where the other articles finish: new outputs appear beside the earlier ones
    cold: bool = False  # the stages after translation must really run (nothing of mastering in the cache)
    check: Callable[[Ctx], None] = lambda ctx: None  # more to assert after the run


def run_args(ctx: Ctx, *extra) -> list:
    return ["run", SAMPLE, "--lang", "ko", "--out", ctx.out, "--cache", ctx.cache, "--quiet", *extra]


def input_args(name: str, lang: str = "ko"):
    return lambda ctx: ["run", ctx.tmp / name, "--lang", lang, "--out", ctx.out, "--cache", ctx.cache, "--quiet"]


def write(name: str, data: bytes | str):
    def setup(ctx: Ctx) -> None:
        p = ctx.tmp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return setup


def sparse(name: str, size: int):
    def setup(ctx: Ctx) -> None:
        with open(ctx.tmp / name, "wb") as fh:  # the size is real, the disk use is not
            fh.truncate(size)
    return setup


def env(**values):
    def setup(ctx: Ctx) -> None:
        ctx.env.update({k: v.replace("<tmp>", str(ctx.tmp)) for k, v in values.items()})
    return setup


def steps(*fns):
    def setup(ctx: Ctx) -> None:
        for fn in fns:
            fn(ctx)
    return setup


def executable(name: str, script: str):
    def setup(ctx: Ctx) -> None:
        p = ctx.tmp / name
        p.write_text(script)
        p.chmod(0o755)
    return setup


FAKE_VERSION = '#!/bin/sh\ncase "$1" in -version) echo "ffmpeg version 6.1-fake Copyright"; exit 0;; esac\n'


def lame_less_ffmpeg(ctx: Ctx) -> None:
    """PIPELINE_FFMPEG: the wheel's ffmpeg asked for an encoder it lacks, as with a build without libmp3lame."""
    from pipeline.audio.ffmpeg import wheel_ffmpeg

    executable("ffmpeg", f"#!/bin/sh\nfor a; do shift; [ \"$a\" = libmp3lame ] && a=libmp3lame_absent; set -- \"$@\" \"$a\"; done\n"
                         f"exec '{wheel_ffmpeg().path}' \"$@\"\n")(ctx)
    ctx.env["PIPELINE_FFMPEG"] = str(ctx.tmp / "ffmpeg")


def voice(engine: str = "espeak", **settings):
    """A voices folder whose ko.toml speaks with `engine` and these engine settings (PIPELINE_VOICES_DIR), with the
    fake engines importable."""
    def setup(ctx: Ctx) -> None:
        folder = ctx.tmp / "voices"
        folder.mkdir()
        table = "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
        (folder / "ko.toml").write_text(f'language = "ko"\nengines = [{json.dumps(engine)}]\n'
                                        + (f'[engine."{engine}"]\n{table}' if settings else ""))
        ctx.env["PIPELINE_VOICES_DIR"] = str(folder)
        ctx.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FAKE_ENGINE_DIR), os.environ.get("PYTHONPATH")]))
    return setup


def mount_tmpfs(ctx: Ctx, size: str) -> Path:
    mnt = ctx.tmp / "mnt"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], check=True, capture_output=True)
    return mnt


def move_out_to(ctx: Ctx, folder: Path) -> None:
    shutil.copytree(ctx.out, folder / "out", symlinks=True)
    shutil.rmtree(ctx.out)
    ctx.out = folder / "out"


def read_only_out(ctx: Ctx) -> None:
    move_out_to(ctx, mount_tmpfs(ctx, "32m"))
    subprocess.run(["mount", "-o", "remount,ro", str(ctx.out.parent)], check=True, capture_output=True)


def full_disk_out(ctx: Ctx) -> None:
    used = sum(p.stat().st_size for p in ctx.out.rglob("*") if p.is_file())
    move_out_to(ctx, mount_tmpfs(ctx, f"{used // 1024 + 2048}k"))  # the earlier outputs and 2 MB more
    with open(ctx.out.parent / "filler", "wb") as fh:  # then fill it up
        try:
            while True:
                fh.write(b"\0" * (1 << 16))
        except OSError:
            pass


HOSTILE_HTML = """<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "http://127.0.0.1:9/x">
  <!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<html><head><title>Border Radio Keeps Broadcasting</title>
<script>document.write('SCRIPTTEXT'); fetch('http://127.0.0.1:9/beacon')</script>
<link rel="stylesheet" href="http://127.0.0.1:9/a.css"></head>
<body><iframe src="http://127.0.0.1:9/frame">IFRAMETEXT</iframe>
<h1>Border Radio Keeps Broadcasting</h1>
<p>The station near the border kept broadcasting through the winter, its engineers said on Monday. &xxe; &net;</p>
<p>Listeners wrote letters describing how they tuned in at night to hear the news from the south. &lol4;</p>
<p>The engineers plan to add a second transmitter next year so the signal reaches farther north.</p>
<script>var s = 'SCRIPTTEXT';</script><img src="http://127.0.0.1:9/pixel.gif" onerror="alert(1)">
</body></html>
"""
SCRIPTS_ONLY_HTML = ("<html><head><script>var a = 'x'.repeat(1000);</script></head><body>"
                     "<iframe src='http://127.0.0.1:9/'></iframe><script>document.write('hello')</script>"
                     "<noscript>Please enable JavaScript.</noscript></body></html>")
BROKEN_PO = '"a string outside any entry"\nmsgctxt "title"\nmsgid "Why North Koreans Need Us"\nmsgstr "x"\n'


def hostile_html_was_read_safely(ctx: Ctx) -> None:
    folder = ctx.out / "border-radio-keeps-broadcasting" / "en"
    text = (folder / "border-radio-keeps-broadcasting.en.txt").read_text("utf-8")
    assert "second transmitter" in text
    for leak in ("SCRIPTTEXT", "IFRAMETEXT", "root:", "lollol", "alert"):
        assert leak not in text, leak


def beside_input_po(ctx: Ctx) -> None:
    (ctx.tmp / "in").mkdir()
    shutil.copy(SAMPLE, ctx.tmp / "in" / SAMPLE.name)
    (ctx.tmp / "in" / f"{SLUG}.ko.po").write_text(BROKEN_PO)


SAMPLE_PO = SAMPLE.with_name(f"{SLUG}.ko.po")


def sample_po(old: str, new: str, count: int = 1):
    """The sample's approved Korean PO with one edit, as the --review folder's file."""
    def setup(ctx: Ctx) -> None:
        text = SAMPLE_PO.read_text("utf-8")
        assert old in text
        (ctx.tmp / "rev").mkdir()
        (ctx.tmp / "rev" / f"{SLUG}.ko.po").write_text(text.replace(old, new, count), "utf-8")
    return setup


def argos_package(name: str, *, edit=None, install_first: tuple = (), **kw):
    """A built test package as <tmp>/NAME (EDIT(path) may damage it) and ARGOS_PACKAGES_DIR=<tmp>/packages, holding
    the packages INSTALL_FIRST names ((from, to), ...), unpacked as an install would leave them."""
    pair = kw.pop("pair", ("en", "ko"))

    def setup(ctx: Ctx) -> None:
        import zipfile

        import argos_model

        packages = ctx.tmp / "packages"
        packages.mkdir()
        for first in install_first:
            with zipfile.ZipFile(argos_model.package(*first)) as zf:
                zf.extractall(packages)
        shutil.copyfile(argos_model.package(*pair, **kw), ctx.tmp / name)
        if edit:
            edit(ctx.tmp / name)
        ctx.env["ARGOS_PACKAGES_DIR"] = str(packages)
    return setup


def rezip(edit):
    """Rewrite a package zip, passing (member name, bytes) pairs through EDIT."""
    def apply(path: Path) -> None:
        import zipfile

        with zipfile.ZipFile(path) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist()]
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in members:
                zf.writestr(name, edit(name, data))
    return apply


def flip_bytes(path: Path) -> None:
    """A bad copy: bytes in the middle of a stored member change, its recorded CRC does not."""
    from test_translate_models import corrupt

    corrupt(path, "sentencepiece.model")


def installed(ctx: Ctx) -> list[tuple[str, str, str]]:
    """(folder, from_code, to_code) of each package in the case's packages folder."""
    return sorted((p.parent.name, *(json.loads(p.read_text("utf-8"))[k] for k in ("from_code", "to_code")))
                  for p in (ctx.tmp / "packages").glob("*/metadata.json"))


def nothing_installed(ctx: Ctx) -> None:
    assert sorted(p.name for p in (ctx.tmp / "packages").iterdir()) == []


def both_packages_installed(ctx: Ctx) -> None:
    assert installed(ctx) == [("translate-en_ko-1_0", "en", "ko"), ("translate-en_zh-1_0", "en", "zh")]


def english_finished(ctx: Ctx) -> None:
    assert (ctx.out / SLUG / "en" / "manifest.json").is_file()


def models_install(name: str):
    return lambda ctx: ["models", "install", "--file", ctx.tmp / name]


def undecodable_read_as_text(ctx: Ctx) -> None:
    text = (ctx.out / "radio-news-today" / "en" / "radio-news-today.en.txt").read_text("utf-8")
    assert "The second one is fine." in text and "\ufffd" not in text


CASES: list[Case] = [
    # --- the input article -------------------------------------------------------------------------------------
    Case("empty", "empty input file", "pipeline run empty.txt --lang ko", input_args("empty.txt"),
         "error: the input is empty (pass a file that holds the article's text or HTML)", setup=write("empty.txt", b"")),
    Case("blank", "whitespace-only input", "pipeline run blank.txt --lang ko", input_args("blank.txt"),
         "error: the input is empty (pass a file that holds the article's text or HTML)", setup=write("blank.txt", " \n\t\r\n  \n")),
    Case("binary", "binary file (PNG) given as the article", "pipeline run image.png --lang ko", input_args("image.png"),
         "error: the input is a PNG image, not a web page or text (convert it to text or HTML first)",
         setup=write("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)),
    Case("huge", "input over 50 MB (a 50 MB + 1 byte file)", "pipeline run huge.txt --lang ko", input_args("huge.txt"),
         "error: <tmp>/huge.txt is 50 MB, over the 50 MB limit (pass the article page alone)", setup=sparse("huge.txt", MAX_BYTES + 1)),
    Case("missing-input", "input file that does not exist", "pipeline run missing.txt --lang ko",
         input_args("missing.txt"), "error: no such file: <tmp>/missing.txt (check the path)"),
    Case("undecodable", "text with bytes invalid in UTF-8 (\\xff \\xfe \\x80 ...) among English",
         "pipeline run undecodable.txt --lang en", input_args("undecodable.txt", "en"),
         "exit 0: decoded with charset-normalizer's best guess (the stray bytes become a few odd letters, no U+FFFD); "
         "every sentence around them is kept",
         setup=write("undecodable.txt", b"Radio News Today\n\nThe first sentence has bad bytes \xff\xfe\xc3\x28 in it. "
                     b"The second one is fine.\n\nAnother paragraph \x80\x81 here with plain words in it.\n"),
         exit=0, check=undecodable_read_as_text, intact="the earlier language folder, byte for byte"),
    Case("hostile-html", "HTML with scripts, iframes, an entity bomb, external entities (file:// and http://)",
         "pipeline run hostile.html --lang en", input_args("hostile.html", "en"),
         "exit 0: the article's paragraphs only; no script or iframe text, no file contents, no entity expansion, "
         "no network", setup=write("hostile.html", HOSTILE_HTML), exit=0, check=hostile_html_was_read_safely,
         intact="the earlier language folder, byte for byte"),
    Case("scripts-only", "HTML that is only scripts, an iframe and noscript", "pipeline run scripts.html --lang ko",
         input_args("scripts.html"),
         "error: no article text found in the input (only menus, links or footers) (pass the page that holds the "
         "article itself)",
         setup=write("scripts.html", SCRIPTS_ONLY_HTML)),
    # --- languages, translations, voices, profiles ----------------------------------------------------------------
    Case("lang-unknown", "unknown language code", "pipeline run <sample> --lang xx",
         lambda ctx: run_args(ctx)[:3] + ["xx"] + run_args(ctx)[4:],
         "error: no voice profile 'xx' (…/xx.toml not found) (known voices: en, ja, ko, ru, zh)"),
    Case("lang-path", "language code that is a path", "pipeline run <sample> --lang ../ko",
         lambda ctx: run_args(ctx)[:3] + ["../ko"] + run_args(ctx)[4:],
         "error: '../ko' is not a language code (use an ISO 639 code such as ko, en or zh)"),
    Case("lang-no-voice", "a real language with no voice profile", "pipeline run <sample> --lang de",
         lambda ctx: run_args(ctx)[:3] + ["de"] + run_args(ctx)[4:],
         "error: no voice profile 'de' (…/de.toml not found) (known voices: en, ja, ko, ru, zh)"),
    Case("no-model", "a pair with no model and no approved translation", "pipeline run <sample> --lang ja",
         lambda ctx: run_args(ctx)[:3] + ["ja"] + run_args(ctx)[4:],
         "error: no en -> ja translation for 42 sentence(s): title 'Why North Koreans Need Us'; … and 39 more: "
         "no model installed for en -> ja (direct or through English) (install one (`pipeline models install en ja`, "
         "or `--file`/`--dir` offline) or approve a translation of each: a PO file `<article>.<lang>.po` beside the "
         "article or `<slug>.<lang>.po` in `--review DIR` (run, batch), or `--approved FILE.po` (translate))",
         setup=env(ARGOS_PACKAGES_DIR="<tmp>/no-models")),
    Case("po-review", "malformed PO file in the --review folder", "pipeline run <sample> --lang ko --review rev/",
         lambda ctx: run_args(ctx, "--review", ctx.tmp / "rev"),
         f"error: cannot read PO file <tmp>/rev/{SLUG}.ko.po: Syntax error in po file … (fix or remove the file)",
         setup=write(f"rev/{SLUG}.ko.po", BROKEN_PO)),
    Case("po-beside", "malformed PO file beside the input", f"pipeline run in/{SLUG}.txt --lang ko",
         lambda ctx: ["run", ctx.tmp / "in" / SAMPLE.name] + run_args(ctx)[2:],
         f"error: cannot read PO file <tmp>/in/{SLUG}.ko.po: Syntax error in po file … (fix or remove the file)",
         setup=beside_input_po),
    Case("po-unclosed", "PO file with an unclosed string (polib alone would drop its last character)",
         "pipeline run <sample> --lang ko --review rev/", lambda ctx: run_args(ctx, "--review", ctx.tmp / "rev"),
         f"error: PO file <tmp>/rev/{SLUG}.ko.po line 3: the string is not closed or has an unescaped quote (close it "
         'with a " (write a quote inside as \\"), or open the file in a PO editor)',
         setup=write(f"rev/{SLUG}.ko.po", 'msgctxt "title"\nmsgid "Why North Koreans Need Us"\n'
                                         'msgstr "북한 주민들에게 우리가 필요한 이유\n')),
    # issue 12.7: a PO file is checked whole before anything is written
    Case("po-charset", "PO file declaring charset=ISO-8859-1 over UTF-8 text (it would air as mojibake)",
         "pipeline run <sample> --lang ko --review rev/", lambda ctx: run_args(ctx, "--review", ctx.tmp / "rev"),
         f"error: PO file <tmp>/rev/{SLUG}.ko.po declares charset=ISO-8859-1 but its text is UTF-8 (save the file "
         "as UTF-8 with `charset=UTF-8` in its Content-Type header (any PO editor does))",
         setup=sample_po("charset=UTF-8", "charset=ISO-8859-1")),
    Case("po-control", "approved msgstr holding a control character (U+0001)",
         "pipeline run <sample> --lang ko --review rev/", lambda ctx: run_args(ctx, "--review", ctx.tmp / "rev"),
         f"error: PO file <tmp>/rev/{SLUG}.ko.po line 17: entry 'Why North Koreans Need Us' holds U+0001 (a control "
         "character), which cannot be spoken, subtitled or published (delete that character in a PO editor)",
         setup=sample_po("북한 주민들에게 우리가", "북한 주민들에게\x01 우리가")),
    Case("po-language", "`<slug>.ko.po` whose Language header says ja", "pipeline run <sample> --lang ko --review rev/",
         lambda ctx: run_args(ctx, "--review", ctx.tmp / "rev"),
         f"error: PO file <tmp>/rev/{SLUG}.ko.po is a ja translation (its Language header) but is used for ko "
         "(name the file for ja, or correct its Language header to ko)",
         setup=sample_po('"Language: ko\\n"', '"Language: ja\\n"')),
    Case("voice-values", "voice profile with a bad value (rate = 9000)", "PIPELINE_VOICES_DIR=voices/ pipeline run …",
         run_args, "error: <tmp>/voices/ko.toml: [engine.espeak] rate = 9000 is not valid "
         "(allowed: an integer from 80 to 450 words per minute)", setup=voice(rate=9000)),
    Case("voice-toml", "voice profile that is not TOML", "PIPELINE_VOICES_DIR=voices/ pipeline run …", run_args,
         "error: <tmp>/voices/ko.toml: not valid TOML: … (fix the file's syntax)",
         setup=steps(voice(), write("voices/ko.toml", "language = ko\nrate = [\n"))),
    Case("profile", "unknown mastering profile", "pipeline run <sample> --lang ko --profile radio-x",
         lambda ctx: run_args(ctx, "--profile", "radio-x"),
         "error: unknown profile 'radio-x' (choose one of: podcast, am-shortwave, ebu-r128, us-pubradio, or add "
         "radio-x.toml to a profiles folder)"),
    Case("profile-values", "mastering profile with a bad value (loudness_lufs = 12)",
         "PIPELINE_PROFILES_DIR=profiles/ pipeline run …", run_args,
         "error: profile podcast (<tmp>/profiles/podcast.toml): field 'loudness_lufs' must be between -40 and -5, "
         "got 12 (see docs/profiles.md)", setup=steps(
             write("profiles/podcast.toml", re.sub(r"(?m)^loudness_lufs.*$", "loudness_lufs = 12", (
                 ROOT / "pipeline" / "audio" / "profiles" / "podcast.toml").read_text("utf-8"))),
             env(PIPELINE_PROFILES_DIR="<tmp>/profiles"))),
    Case("profiles-dir", "profiles folder that does not exist", "PIPELINE_PROFILES_DIR=nowhere/ pipeline run …",
         run_args, "error: profiles folder <tmp>/nowhere does not exist (create it, or fix PIPELINE_PROFILES_DIR "
         "(or `pipeline master/profiles --profiles-dir`))", setup=env(PIPELINE_PROFILES_DIR="<tmp>/nowhere")),
    # --- the station file and the feeds' address -----------------------------------------------------------------
    Case("station-missing", "station file that does not exist", "pipeline run <sample> --lang ko --station nowhere.toml",
         lambda ctx: run_args(ctx, "--station", ctx.tmp / "nowhere.toml"),
         "error: station file <tmp>/nowhere.toml not found (check the --station path)"),
    Case("station-category", "station file with a category Apple Podcasts does not have",
         "pipeline run <sample> --lang ko --station station.toml",
         lambda ctx: run_args(ctx, "--station", ctx.tmp / "station.toml"),
         "error: station file <tmp>/station.toml: 'category' is not an Apple Podcasts category: 'Newz' (one of: "
         "Arts, …) (see docs/station.md)", setup=write("station.toml", 'name = "Test Radio"\ncategory = "Newz"\n')),
    Case("station-ident", "station file whose ident is not text",
         "pipeline run <sample> --lang ko --station station.toml",
         lambda ctx: run_args(ctx, "--station", ctx.tmp / "station.toml"),
         "error: station file <tmp>/station.toml: 'languages.ko.intro' must be text, got 5 (see docs/station.md)",
         setup=write("station.toml", "[languages.ko]\nintro = 5\n")),
    Case("base-url", "--base-url that is not an http(s) address", "pipeline run <sample> --lang ko --base-url ftp://…",
         lambda ctx: run_args(ctx, "--base-url", "ftp://example.org/pod"),
         "error: --base-url 'ftp://example.org/pod' is not an http(s) address (give the public address of the output "
         "folder, e.g. https://radio.example.org/pod/)"),
    # --- usage ---------------------------------------------------------------------------------------------------
    Case("usage-no-lang", "no --lang", "pipeline run <sample>", lambda ctx: run_args(ctx)[:2] + run_args(ctx)[4:],
         "error: Missing option '--lang' (see `python -m pipeline run --help`)", exit=2),
    Case("usage-jobs", "--jobs 0", "pipeline batch <sample> --lang en --jobs 0",
         lambda ctx: ["batch", SAMPLE, "--lang", "en", "--jobs", "0", "--out", ctx.out, "--quiet"],
         "error: Invalid value for '--jobs' / '-j': 0 is not in the range x>=1 (see `python -m pipeline batch --help`)",
         exit=2),
    Case("usage-review-file", "--review is a file", "pipeline run <sample> --lang ko --review afile",
         lambda ctx: run_args(ctx, "--review", ctx.tmp / "afile"),
         "error: Invalid value for '--review': Directory '<tmp>/afile' is a file (see `python -m pipeline run --help`)",
         setup=write("afile", "keep me\n"), exit=2, intact="the file given as --review, and every earlier output"),
    # --- where outputs go ----------------------------------------------------------------------------------------
    Case("out-file", "--out is a file", "pipeline run <sample> --lang ko --out afile",
         lambda ctx: run_args(ctx)[:4] + ["--out", ctx.tmp / "afile"] + run_args(ctx)[6:],
         "error: cannot create output folder <tmp>/afile: File exists (choose a writable --out folder)",
         setup=write("afile", "keep me\n"), intact="the file given as --out, and every earlier output"),
    Case("cache-file", "--cache is a file", "pipeline run <sample> --lang ko --cache afile",
         lambda ctx: run_args(ctx)[:6] + ["--cache", ctx.tmp / "afile", "--quiet"],
         "error: cannot use cache folder <tmp>/afile: File exists (choose a writable --cache folder)",
         setup=write("afile", "keep me\n"), intact="the file given as --cache, and every earlier output"),
    Case("out-read-only", "--out on a read-only file system (tmpfs remounted ro)", "pipeline run <sample> --lang ko",
         run_args, "error: cannot write <tmp>/mnt/.out.pipeline (the lock beside the output folder): Read-only file "
         "system (choose an --out folder whose parent folder you can write to)", setup=read_only_out, needs="root"),
    # Another profile, so the run has new files to write (an unchanged re-run writes nothing, and succeeds).
    Case("disk-full", "--out on a full disk (tmpfs: the earlier outputs + 2 MB, then filled)",
         "pipeline run <sample> --lang ko --profile ebu-r128", lambda ctx: run_args(ctx, "--profile", "ebu-r128"),
         f"error: cannot write the outputs in <tmp>/mnt/out/{SLUG}/ko: No space left on device (free some space on "
         "that disk, or choose --out/--cache folders on another one)", setup=full_disk_out, needs="root", cold=True),
    # --- the programs the pipeline runs --------------------------------------------------------------------------
    Case("ffmpeg-missing", "ffmpeg missing", "PIPELINE_FFMPEG=/no/ffmpeg pipeline run …", run_args,
         "error: ffmpeg not found at PIPELINE_FFMPEG=<tmp>/no-ffmpeg (point PIPELINE_FFMPEG at an ffmpeg binary, or "
         "set it to wheel or system, or unset it)", setup=env(PIPELINE_FFMPEG="<tmp>/no-ffmpeg"), cold=True),
    Case("ffmpeg-crash", "ffmpeg crashing (a fake that says its version, then segfaults)",
         "PIPELINE_FFMPEG=crashing-ffmpeg pipeline run …", run_args,
         "error: measuring loudness: ffmpeg 6.1-fake (PIPELINE_FFMPEG: <tmp>/ffmpeg) failed (killed by SIGSEGV): "
         "Segmentation fault (check it with `pipeline doctor`, or choose another ffmpeg with PIPELINE_FFMPEG=wheel "
         "or a path)",
         setup=steps(executable("ffmpeg", FAKE_VERSION + "echo 'Segmentation fault' >&2\nkill -SEGV $$\n"),
                     env(PIPELINE_FFMPEG="<tmp>/ffmpeg")), cold=True),
    Case("ffmpeg-hang", "ffmpeg hanging (a fake that says its version, then sleeps)",
         "PIPELINE_FFMPEG=hanging-ffmpeg PIPELINE_FFMPEG_TIMEOUT=2 pipeline run …", run_args,
         "error: measuring loudness: ffmpeg 6.1-fake (PIPELINE_FFMPEG: <tmp>/ffmpeg) took longer than 2 s and was "
         "stopped (check that it is a working ffmpeg, or allow more time with PIPELINE_FFMPEG_TIMEOUT)",
         setup=steps(executable("ffmpeg", FAKE_VERSION + "exec sleep 3600\n"),
                     env(PIPELINE_FFMPEG="<tmp>/ffmpeg", PIPELINE_FFMPEG_TIMEOUT="2")), cold=True),
    Case("ffmpeg-no-mp3", "an ffmpeg build without the MP3 encoder (the wheel's, behind a script that hides it)",
         "PIPELINE_FFMPEG=ffmpeg-without-libmp3lame pipeline run …", run_args,
         "error: encoding: ffmpeg … (PIPELINE_FFMPEG: <tmp>/ffmpeg) failed (exit …): …Unknown encoder "
         "'libmp3lame_absent' (check it with `pipeline doctor`, or choose another ffmpeg with PIPELINE_FFMPEG=wheel "
         "or a path)", setup=lambda ctx: lame_less_ffmpeg(ctx), cold=True),
    Case("espeak-missing", "eSpeak NG missing (no system library, the wheel's loader gone)",
         "PYTHONPATH=no-espeak/ pipeline run …", run_args,
         "error: voice 'ko': no speech engine is available (espeak: eSpeak NG not found: no system libespeak-ng.so.1 "
         "and no espeakng-loader wheel (pip install espeakng-loader (no root needed) or apt-get install espeak-ng)) "
         "(install what the first reason names, or run pipeline doctor)",
         setup=steps(write("no-espeak/espeakng_loader.py", "raise ImportError('not installed')\n"),
                     env(PYTHONPATH="<tmp>/no-espeak")), needs="no-system-espeak"),
    Case("espeak-bad-setting", "PIPELINE_ESPEAK naming no library", "PIPELINE_ESPEAK=/no/lib pipeline run …",
         run_args, "error: voice 'ko': no speech engine is available (espeak: PIPELINE_ESPEAK='<tmp>/no-lib' is neither "
         "'wheel', 'system' nor a library file (set PIPELINE_ESPEAK to wheel, system or the path of libespeak-ng.so.1, "
         "or unset it)) (install what the first reason names, or run pipeline doctor)",
         setup=env(PIPELINE_ESPEAK="<tmp>/no-lib"), cold=True),
    Case("engine-crash", "speech engine crashing (segfault in the engine)", "voice engines = [\"broken_engines:CrashingEngine\"]",
         run_args, "error: speech engine 'broken_engines:CrashingEngine' crashed on sentence '…' ('북한 주민들에게 우리가 필요한 "
         "이유') (killed by signal 11) (check that sentence for unusual input; other sentences are unaffected)",
         setup=voice(engine="broken_engines:CrashingEngine")),
    Case("engine-hang", "speech engine hanging", "voice engines = [\"broken_engines:HangingEngine\"], PIPELINE_SPEECH_TIMEOUT=2",
         run_args, "error: speech engine 'broken_engines:HangingEngine' hung on sentence '…' ('북한 주민들에게 우리가 필요한 이유'): no audio after "
         "2 s (check that sentence for unusual input, or raise the timeout)",
         setup=steps(voice(engine="broken_engines:HangingEngine"), env(PIPELINE_SPEECH_TIMEOUT="2"))),
    Case("engine-unknown", "speech engine that does not exist", "voice engines = [\"no_such_engine:Engine\"]", run_args,
         "error: <tmp>/voices/ko.toml: cannot load speech engine 'no_such_engine:Engine': No module named "
         "'no_such_engine' (check the engine name in the voice file)", setup=voice(engine="no_such_engine:Engine")),
    Case("engine-none", "no engine of the voice available (a Piper voice that is not installed)",
         "voice engines = [\"piper\"], model not installed", run_args,
         "error: voice 'ko': no speech engine is available (piper: no Piper voice 'not-installed' installed in "
         "<tmp>/data/piper (pipeline voices install --file VOICE.onnx)) (install what the first reason names, or run "
         "pipeline doctor)", setup=steps(voice(engine="piper", model="not-installed"), env(PIPELINE_DATA_DIR="<tmp>/data"))),
    Case("bad-timeout", "a timeout setting that is not a number", "PIPELINE_FFMPEG_TIMEOUT=soon pipeline run …",
         run_args, "error: PIPELINE_FFMPEG_TIMEOUT='soon' is not a number of seconds (set PIPELINE_FFMPEG_TIMEOUT to "
         "a positive number or unset it)", setup=env(PIPELINE_FFMPEG_TIMEOUT="soon"), cold=True),
]

def batch_folder(ctx: Ctx) -> None:
    (ctx.tmp / "batch").mkdir()
    for i in range(2):
        (ctx.tmp / "batch" / f"good{i}.txt").write_text(f"Good Bulletin {i}\n\nThe relay station is working again. "
                                                       "Listeners can hear it tonight.\n")
    (ctx.tmp / "batch" / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)


def good_articles_finished(ctx: Ctx) -> None:
    for i in range(2):
        assert (ctx.out / f"good-bulletin-{i}" / "en" / "manifest.json").is_file()


CASES += [
    Case("batch-one-bad", "batch: one binary file among good articles", "pipeline batch folder/ --lang en --jobs 2",
         lambda ctx: ["batch", ctx.tmp / "batch", "--lang", "en", "--jobs", "2", "--out", ctx.out, "--cache", ctx.cache,
                      "--quiet"],
         "error: 1 of 3 jobs failed: <tmp>/batch/broken.txt [en]: the input is a binary file, not a web page or text "
         "(pass a .txt or .html file) (fix those inputs and run again: finished jobs are kept and a re-run resumes)",
         setup=batch_folder, partial=True, check=good_articles_finished,
         intact="the earlier language folder, byte for byte; the good articles are finished"),
    Case("batch-empty", "batch: a folder with no articles", "pipeline batch empty/ --lang en",
         lambda ctx: ["batch", ctx.tmp / "empty", "--lang", "en", "--out", ctx.out, "--cache", ctx.cache, "--quiet"],
         "error: no articles found in the inputs (give files or folders holding .htm, .html, .txt, .xhtml)",
         setup=lambda ctx: (ctx.tmp / "empty").mkdir()),
    Case("batch-lang-path", "batch: language code that is a path", "pipeline batch folder/ --lang en,../../etc",
         lambda ctx: ["batch", ctx.tmp / "batch", "--lang", "en,../../etc", "--out", ctx.out, "--cache", ctx.cache,
                      "--quiet"],
         "error: '../../etc' is not a language code (use an ISO 639 code such as ko, en or zh)", setup=batch_folder),
]

CASES += [
    # --- translation packages (issue 12.10): checked whole, loaded once, before anything is installed ----------------
    Case("package-crc", "translation package with a bad CRC (a byte-flipped copy)",
         "pipeline models install --file damaged.argosmodel", models_install("damaged.argosmodel"),
         "error: damaged.argosmodel is damaged (Bad CRC-32 for file 'translate-en_ko-1_0/sentencepiece.model') (copy "
         "or download it again: the file on this disk is not what was published)",
         setup=argos_package("damaged.argosmodel", edit=flip_bytes), check=nothing_installed,
         intact="the packages folder (nothing installed), and every earlier output"),
    Case("package-tokenizer", "translation package whose sentencepiece.model is garbage",
         "pipeline models install --file garbage.argosmodel", models_install("garbage.argosmodel"),
         "error: translate-en_ko-1_0: the model or its tokenizer does not load (…) (the package is damaged or not an "
         "argos package: get it again)",
         setup=argos_package("garbage.argosmodel", edit=rezip(
             lambda name, data: b"not a model" if name.endswith("sentencepiece.model") else data)),
         check=nothing_installed, intact="the packages folder (nothing installed), and every earlier output"),
    Case("package-code", "translation package whose from_code is \"en\\n\"",
         "pipeline models install --file newline.argosmodel", models_install("newline.argosmodel"),
         "error: translate-en_ko-1_0: metadata.json has no valid from_code ('en\\n') (rebuild the package)",
         setup=argos_package("newline.argosmodel", edit=rezip(lambda name, data: json.dumps(
             {**json.loads(data), "from_code": "en\n"}).encode() if name.endswith("metadata.json") else data)),
         check=nothing_installed, intact="the packages folder (nothing installed), and every earlier output"),
    Case("package-clash", "en -> ko package whose top folder is named like the installed en -> zh package",
         "pipeline models install --file clash.argosmodel", models_install("clash.argosmodel"),
         "exit 0: installed as translate-en_ko-1_0; the en -> zh package stays installed",
         setup=argos_package("clash.argosmodel", install_first=(("en", "zh"),), top="translate-en_zh-1_0"),
         exit=0, check=both_packages_installed, intact="the en -> zh package, and every earlier output"),
    # --- several languages: one failing does not stop the others (issue 14.3) ---------------------------------------
    Case("lang-one-fails", "several languages, the first with no model", "pipeline run <sample> --lang ja,en",
         lambda ctx: run_args(ctx)[:3] + ["ja,en"] + run_args(ctx)[4:],
         "error: 1 of 2 languages failed: [ja] no en -> ja translation for 42 sentence(s): … (fix those and run "
         "again: the finished languages are kept)",
         setup=env(ARGOS_PACKAGES_DIR="<tmp>/no-models"), partial=True, check=english_finished,
         intact="the earlier language folder, byte for byte; English is finished"),
]

# Bad inputs of the issue that other test modules already drive through the CLI or the library.
ELSEWHERE = [
    ("corrupt, truncated or hostile .argosmodel (zip-slip, symlinks, huge members)",
     "tests/test_translate_models.py::test_bad_packages_are_refused_and_leave_nothing, test_cli_refuses_bad_file_in_one_line"),
    ("translation package: garbage model.bin, a package_version that is no plain version, a top folder named like "
     "a folder that is not a package", "tests/test_translate_models.py::test_bad_packages_are_refused_and_leave_nothing, "
     "test_a_package_named_like_another_pairs_folder_is_installed_beside_it"),
    ("PO file: bytes that are not UTF-8, an escape sequence (U+001B), a noncharacter (U+FFFE), duplicate entries; a "
     "file really in the charset it declares (EUC-KR) is read", "tests/test_translate_review.py::"
     "test_a_bad_po_file_is_refused_before_anything_is_written, test_a_po_file_in_the_charset_it_declares_is_read"),
    ("machine output in the wrong script, copied, empty, runaway or garbled (real test models: cipher, copy, "
     "decoder that ends at once, decoder that never ends)", "tests/test_translate_checks.py"),
    ("`pipeline translate --lang ja,ko` with no ja model: ko still translated", "tests/test_translate_cli.py::"
     "test_translate_gives_every_language_its_turn"),
    ("every encoding the clean stage claims", "tests/test_clean_cases.py, tests/test_clean_text.py"),
    ("entity bomb and external entities, in the clean stage alone", "tests/test_clean_html.py"),
    ("XHTML with `<?xml ... encoding=...?>` (read, not refused; the declaration never re-decodes the text)",
     "tests/test_clean_html.py::test_xhtml_with_an_encoding_declaration_is_read"),
    ("a bad `<name>.meta.toml` sidecar or a bad --title/--date (not TOML, unknown field, not a string, not a date, "
     "empty title, too long), and --title for several articles in a batch",
     "tests/test_clean_corrections.py"),
    ("a page that lists teasers of several articles (tag, category, search page)",
     "tests/test_clean_text.py::test_a_page_of_teasers_is_refused_as_a_listing"),
    ("URL that cannot be fetched", "tests/test_clean_bad_input.py::test_unreachable_url_names_the_offline_alternative"),
    ("corrupt, truncated, silent or NaN audio given to `pipeline master`", "tests/test_audio_errors.py"),
    ("a second run on a locked output folder", "tests/test_run_e2e.py::test_second_run_on_a_locked_output_folder_is_refused"),
    ("kill -9 at many points of a batch", "tests/test_reliability_crash.py"),
    ("Ctrl-C during `pipeline run` or `batch`: exit 130, one line saying a re-run resumes, and it does",
     "tests/test_compat_matrix.py::test_ctrl_c_says_so_exits_130_and_a_rerun_resumes"),
    ("ffmpeg 4.2 to 9.0 and eSpeak NG 1.51/1.52; an ffmpeg lacking an option; a damaged input blamed in ffmpeg's words",
     "tests/test_compat_matrix.py"),
    ("any network use at run time", "tests/test_reliability_offline.py"),
]


# --- running the table ---------------------------------------------------------------------------------------------


def pipeline(args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout)


def checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".pipeline.lock"}


def verify_manifests(out: Path) -> int:
    manifests = list(out.glob("*/*/manifest.json"))
    for m in manifests:
        for entry in json.loads(m.read_text("utf-8"))["files"]:
            f = m.parent / entry["path"]
            assert f.stat().st_size == entry["bytes"], f
            assert hashlib.sha256(f.read_bytes()).hexdigest() == entry["sha256"], f
    return len(manifests)


def pattern(expect: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in expect.split("…")), re.S)


def normalise(line: str, ctx: Ctx) -> str:
    return line.replace(str(ctx.tmp), "<tmp>").replace(str(ROOT), "<repo>")


def skip_reason(case: Case) -> str | None:
    if case.needs == "root":
        if os.geteuid() != 0:
            return "needs root to mount a tmpfs"
        probe = Path(f"/tmp/.reliability-probe-{os.getpid()}")
        probe.mkdir(exist_ok=True)
        try:
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)], capture_output=True)
            if r.returncode != 0:
                return f"mounting a tmpfs is not permitted here: {r.stderr.strip()}"
            subprocess.run(["umount", str(probe)], check=True)
        finally:
            probe.rmdir()
    if case.needs == "no-system-espeak" and ctypes.util.find_library("espeak-ng"):
        return "a system libespeak-ng is installed, so hiding the wheel cannot make eSpeak NG missing"
    return None


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """The sample run into Korean once: its output folder, and its cache with and without the mastered programme."""
    base = tmp_path_factory.mktemp("earlier")
    out, cache = base / "out", base / "cache"
    r = pipeline(["run", SAMPLE, "--lang", "ko", "--out", out, "--cache", cache, "--quiet"])
    assert r.returncode == 0, r.stderr
    cold = base / "cache-unmastered"  # nothing of mastering: no programme, no clip's loudness statistics
    shutil.copytree(cache, cold, ignore=lambda d, names: ["master", "loudness"] if Path(d) == cache else [])
    return out, cache, cold


def run_case(case: Case, earlier, tmp_path: Path):
    out0, cache0, cold0 = earlier
    ctx = Ctx(tmp=tmp_path, out=tmp_path / "out", cache=tmp_path / "cache")
    shutil.copytree(out0, ctx.out, symlinks=True)
    shutil.copytree(cold0 if case.cold else cache0, ctx.cache, symlinks=True)
    try:
        case.setup(ctx)
        before = checksums(ctx.out)
        afile = tmp_path / "afile"
        afile_before = afile.read_bytes() if afile.is_file() else None
        r = pipeline(case.args(ctx), env=ctx.env)
        lines = r.stderr.strip().splitlines()
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode == case.exit, r.stderr
        if case.exit:
            assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
            assert re.search(r" \(.{8,}\)$", lines[0]), "no fix named"
            assert pattern(case.expect).fullmatch(normalise(lines[0], ctx)), normalise(lines[0], ctx)
        else:
            assert r.stderr == "", r.stderr
        if case.exit and not case.partial:
            assert checksums(ctx.out) == before  # nothing changed, nothing added
        else:
            after = checksums(ctx.out)
            kept = {k: v for k, v in before.items() if k.startswith(f"{SLUG}/ko/")}
            assert kept and all(after.get(k) == v for k, v in kept.items())
        assert verify_manifests(ctx.out) >= 1
        assert not [p for p in ctx.out.rglob(".tmp-*")]
        if afile_before is not None:
            assert afile.read_bytes() == afile_before
        case.check(ctx)
        return normalise(lines[0], ctx) if lines else ""
    finally:
        if (tmp_path / "mnt").is_mount():  # also when the setup failed half-way
            subprocess.run(["umount", "-l", str(tmp_path / "mnt")], capture_output=True)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, earlier, tmp_path):
    reason = skip_reason(case)
    if reason:
        pytest.skip(reason)
    run_case(case, earlier, tmp_path)


def test_case_names_are_unique():
    assert len({c.name for c in CASES}) == len(CASES)


# --- the doc ------------------------------------------------------------------------------------------------------


def render_doc() -> str:
    from test_reliability_crash import PLANS
    from test_reliability_hostile import HERE, HOSTILE

    kill_points = sum(len(points) for _, points in PLANS)
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    rows = [
        f"| {cell(c.what)} | `{cell(c.command)}` | {c.exit if c.exit == 0 else f'≠ 0 ({c.exit})'} | "
        f"{cell(c.expect if c.exit == 0 else '`' + c.expect + '`')} | {cell(c.intact)} |"
        for c in CASES
    ]
    elsewhere = [f"| {cell(what)} | {cell(where)} |" for what, where in ELSEWHERE]
    hostile = [f"| {cell(what)} | {cell(', '.join(HERE + t.strip() for t in tests.split(',')))} |"
               for what, tests in HOSTILE]
    return "\n".join([
        "# Reliability: bad input, crashes, the network",
        "",
        "<!-- Generated by `python tests/test_reliability_inputs.py` from the CASES table in that file;",
        "     tests/test_reliability_inputs.py::test_doc_is_current fails when this file and the table differ. -->",
        "",
        "Every case below is run by `tests/test_reliability_inputs.py` through the real CLI (`python -m pipeline`,",
        "with `--quiet`, as a scheduled job would run it), after the sample article has been run into Korean in the",
        "same output folder. Each failing case must exit non-zero (1, or 2 for a usage error) with exactly one line on stderr, starting with",
        "`error:` and naming the problem and the fix (in brackets), without a traceback; the earlier outputs must be",
        "unchanged byte for byte, nothing added, no `.tmp-*` file left, every `manifest.json` still matching its",
        "files. In a message, `<tmp>` is the test's temp folder, `<repo>` the checkout, `…` any text.",
        "",
        "| case | command | exit | error message (checked) | stays intact |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Cases that need root (a tmpfs mounted read-only, or a small one filled up) are skipped with the reason",
        "when not run as root or when mounting is not permitted.",
        "",
        "## Covered by other tests",
        "",
        "| case | where |",
        "|---|---|",
        *elsewhere,
        "",
        "## Hostile input, killed processes, damaged caches",
        "",
        "Each case below failed before its fix (issue 12) and is run by the test named, through the CLI or the",
        "library, on real files, ffmpeg and eSpeak NG. The rules they check: only this program's temp files",
        "(`.tmp-pipeline-<16 hex>-…`) are ever swept, without following a link or leaving the folder; temp work",
        "lives in the cache or output folder, never `$TMPDIR`; nothing is written or deleted through a symbolic",
        "link below `--out`; only manifests this program wrote are read; every cache entry carries its size and",
        "sha256 (`<entry>.sum`) and a damaged one is recomputed with a `warning:` line; batch workers and ffmpeg",
        "die with the process that started them, and a swap happens only in a process holding the folder's lock",
        "(checked at the swap); ffmpeg gets local paths as `file:` URLs.",
        "",
        "| case | test |",
        "|---|---|",
        *hostile,
        "",
        "## Crash safety",
        "",
        "`tests/test_reliability_crash.py` runs a real `pipeline batch` of small articles (`--lang en`, `--jobs 1`",
        f"and `--jobs 2`) and kills its whole process group with SIGKILL at {kill_points} points (`PLANS` there: times",
        "after the start, the moment a temp file shows, the moment one or all folders are finished), re-running",
        "after each kill; each round first edits every article, so each kill meets a new version replacing an old one.",
        "After every kill, each language folder with a `manifest.json` holds exactly the files its manifest lists,",
        "with their checksums; a folder without one is unfinished and the next run completes it. After the final",
        "run no `.tmp-*` file is left in the output or the cache folder.",
        "",
        "How: every file is written to a temp file beside it and renamed over it (`pipeline/files.py`); a",
        "language folder's deliverables are all staged first and swapped in together, the manifest last, so a",
        "failed or killed re-run leaves the earlier outputs and their manifest whole. The output folder's lock",
        "(`flock`, dropped by the kernel when a process dies) sweeps what killed runs left; the cache is swept by",
        "the first run that finds no other run using it, when a run was killed: each run keeps a marker in the cache's",
        "`.running/` while it runs and removes it when it ends (an error or Ctrl-C included), so a marker left there means",
        "a kill, and a cache whose runs all ended is not walked (a sweep reads every entry folder: about a second per run",
        "for a cache of 50,000 files). Cache entries are written once (the first writer wins), so",
        "parallel jobs that synthesise the same clip never swap it under a job that is reading it.",
        "",
        "## Offline",
        "",
        "`tests/test_reliability_offline.py` runs the sample into Korean inside a network namespace with no",
        "interface up (`unshare -n`, as root) and checks the outputs equal a normal run's; checks that no module",
        "under `pipeline/` imports a network API except the URL fetch of `pipeline/article.py` and the model index",
        "of `pipeline/translate/models.py`; and runs clean, segment, translate (approved PO), speech and mastering",
        "in-process with `socket.socket` made to raise.",
        "",
        "## Hostile text and the speech engines",
        "",
        "`tests/test_speech_security.py` speaks sentences carrying markup (`<audio src=\"/a/private/file.wav\"/>`,",
        "a `src` that is not a WAV, which eSpeak NG's SSML mode hands to `sh -c sox ...`, `<break>`, `<voice>`,",
        "`<prosody>`, entity-escaped tags, `[[...]]` phoneme brackets) with every voice and every engine installed,",
        "next to the same sentence without the markup: the durations match, and under `strace` the engine opens no",
        "file and starts no process the text names. Markup is dropped by the normaliser (a lone `<script>` in prose",
        "is read as the word), eSpeak NG never runs in SSML mode, and phoneme input (eSpeak `[[...]]`) comes only",
        "from the engine's own lexicon table in the voice file. The synthesis worker starts with `python -I` and",
        "the parent's import path minus the current folder, so a `queue.py` or `json.py` where the command runs is",
        "never imported (tested too). The same holds for approved translations: they reach the engine through the",
        "same `speech_input`.",
        "",
        "## Settings for slow machines",
        "",
        "| variable | default | what |",
        "|---|---|---|",
        "| `PIPELINE_SPEECH_TIMEOUT` | 60 | seconds per 100 characters of a sentence (at least this) before the engine is stopped; starting an engine may take 120 s or this, whichever is longer |",
        "| `PIPELINE_SPEECH_THREADS` | 1 per worker; a run's single worker one per core | onnxruntime threads per synthesis worker (Kokoro) |",
        "| `OPENBLAS_NUM_THREADS` | 1 (set by the CLI unless set already) | numpy's BLAS threads; the pipeline does no linear algebra, and a thread pool cost 0.1 s of every run to start |",
        "| `PIPELINE_FFMPEG_TIMEOUT` | scaled to the programme (≥ 120 s) | seconds any one ffmpeg call may take |",
        "",
    ])


def test_doc_is_current():
    assert DOC.read_text("utf-8") == render_doc(), "run `python tests/test_reliability_inputs.py` to regenerate it"


if __name__ == "__main__":
    DOC.write_text(render_doc(), "utf-8")
    print(f"wrote {DOC}")
