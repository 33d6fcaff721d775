"""Every bad input: one line on stderr starting 'error:', a non-zero exit, no traceback, no empty article."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.article import MAX_BYTES, clean
from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
MENUS_ONLY = ("Example Site\nHome | News | Sport | Weather | Contact\nHome > News\nBack to top\n"
              "© 2024 Example Site. All rights reserved.\nPrivacy Policy | Terms of Use\n")


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", "clean", *args], capture_output=True, text=True,
                          cwd=ROOT, **kw)


def assert_one_line_error(r, *words):
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    assert "Traceback" not in r.stderr
    for w in words:
        assert w in lines[0]


@pytest.fixture
def files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n \r\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "menus.txt").write_text(MENUS_ONLY)
    (tmp_path / "menus.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"
                                         "<footer>© 2024 Example. All rights reserved.</footer></body></html>")
    with open(tmp_path / "huge.txt", "wb") as fh:  # sparse: the size is real, the disk use is not
        fh.truncate(MAX_BYTES + 1)
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize("name, words", [
    ("empty.txt", ["empty"]),
    ("blank.txt", ["empty"]),
    ("image.png", ["PNG"]),
    ("noise.bin", ["binary"]),
    ("menus.txt", ["no article"]),
    ("menus.html", ["no article"]),
    ("huge.txt", ["50 MB"]),
    ("folder", ["folder"]),
    ("missing.txt", ["no such file"]),
])
def test_bad_file_gives_one_line_error(files, name, words):
    assert_one_line_error(cli(str(files / name)), *words)


def test_empty_stdin():
    assert_one_line_error(cli("-", input=""), "empty")


def test_unreachable_url_names_the_offline_alternative():
    # Port 9 (discard) on this machine's loopback: refused at once, no outside network involved.
    assert_one_line_error(cli("http://127.0.0.1:9/article"), "cannot fetch", "save the page")


def test_stdin_over_the_limit_is_refused_without_reading_it_all():
    r = subprocess.run(f"head -c {MAX_BYTES + 10} /dev/zero | {sys.executable} -m pipeline clean -", shell=True,
                       capture_output=True, text=True, cwd=ROOT)
    assert_one_line_error(r, "50 MB")


@pytest.mark.parametrize("data", [b"", "   \n\n", b"\x00\x01\x02" * 100, MENUS_ONLY, "\u0000\u0001" * 50])
def test_function_raises_pipeline_error(data):
    with pytest.raises(PipelineError):
        clean(data)


def test_bytes_over_the_limit_are_refused():
    with pytest.raises(PipelineError, match="50 MB"):
        clean(b"a" * (MAX_BYTES + 1))


def test_url_is_fetched_and_cleaned(tmp_path):
    """A URL read over loopback (a local server, no outside network): same article as the file."""
    import functools
    import http.server
    import threading

    from pipeline.article import clean_source

    sample = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
    (tmp_path / "page.txt").write_bytes(sample.read_bytes())
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        art = clean_source(f"http://127.0.0.1:{server.server_port}/page.txt")
    finally:
        server.shutdown()
    assert art == clean_source(str(sample))
