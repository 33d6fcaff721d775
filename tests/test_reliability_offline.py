"""The offline guarantee: the whole sample pipeline runs in a network namespace with no interface up; no module
reaches for the network except the two places a user asks it to (fetching an article URL, downloading a model);
and the stages, run in-process with internet sockets made to raise, never open one."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SAMPLE_PO = SAMPLE.with_name("why-north-koreans-need-us.ko.po")
SLUG = "why-north-koreans-need-us"
TRIPWIRE = ROOT / "tests" / "data" / "reliability" / "tripwire"

NETWORK_MODULES = ("socket", "ssl", "urllib.request", "urllib3", "http.client", "requests", "httpx", "aiohttp",
                   "ftplib", "smtplib", "xmlrpc.client", "websocket", "huggingface_hub")
# Calls into libraries that download when asked (argostranslate's index and packages, NLTK/stanza data).
NETWORK_CALLS = ("urlopen", "update_package_index", "get_available_packages", "download", "install_from_index")
# The only places allowed to touch the network: an article given as a URL, and `pipeline models install FROM TO`
# (the library function and the CLI command calling it).
ALLOWED = {("pipeline/article.py", "read_bytes"), ("pipeline/translate/models.py", "install_from_index"),
           ("pipeline/cli.py", "models_install")}


def network_uses(path: Path) -> list[tuple[str, str, int, str]]:
    """(module file, enclosing function, line, what) for every network import or download call in a module."""
    rel = path.relative_to(ROOT).as_posix()
    found = []

    def visit(node: ast.AST, func: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module:
                names = [child.module] + [f"{child.module}.{a.name}" for a in child.names]
            for name in names:
                if any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES):
                    found.append((rel, func, child.lineno, f"import {name}"))
            if isinstance(child, ast.Call):
                called = child.func.attr if isinstance(child.func, ast.Attribute) else getattr(child.func, "id", "")
                if called in NETWORK_CALLS:
                    found.append((rel, func, child.lineno, f"call {called}()"))
            visit(child, inner)

    visit(ast.parse(path.read_text("utf-8")), "<module>")
    return found


def test_no_module_reaches_the_network_outside_the_two_allowed_places():
    uses = [u for p in sorted((ROOT / "pipeline").rglob("*.py")) for u in network_uses(p)]
    unexpected = [u for u in uses if (u[0], u[1]) not in ALLOWED]
    assert not unexpected, unexpected
    # The scan itself finds what it should: both allowed places are seen.
    assert {(u[0], u[1]) for u in uses} == ALLOWED


def test_the_scan_catches_a_network_call(tmp_path):
    bad = ROOT / "pipeline" / "__scan_probe__.py"  # never committed: written and removed here
    bad.write_text("def f():\n    from urllib.request import urlopen\n    return urlopen('http://x')\n")
    try:
        assert [(u[1], u[3]) for u in network_uses(bad)] == [("f", "import urllib.request"),
                                                              ("f", "import urllib.request.urlopen"),
                                                              ("f", "call urlopen()")]
    finally:
        bad.unlink()


@pytest.fixture
def tripwire(monkeypatch):
    """Internet sockets and name lookups raise, here (until the test ends) and in every Python process started
    from here (through PYTHONPATH)."""
    real = {name: getattr(socket, name) for name in ("socket", "getaddrinfo", "gethostbyname")}
    spec = importlib.util.spec_from_file_location("reliability_tripwire", TRIPWIRE / "sitecustomize.py")
    wire = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wire)  # arms itself on import, as it must in a child process...
    for name, value in real.items():  # ...so disarm, and arm again through monkeypatch, which undoes it after
        setattr(socket, name, value)
    monkeypatch.setattr(socket, "socket", wire.NoNetwork)
    monkeypatch.setattr(socket, "getaddrinfo", wire._no_lookup)
    monkeypatch.setattr(socket, "gethostbyname", wire._no_lookup)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TRIPWIRE), os.environ.get("PYTHONPATH")])))
    with pytest.raises(RuntimeError, match="tripwire"):
        socket.create_connection(("127.0.0.1", 9))
    yield


def test_the_tripwire_is_gone_after_its_test():
    assert socket.socket.__name__ == "socket" and socket.getaddrinfo.__module__ == "socket"


def test_stages_in_process_never_open_a_socket(tripwire, tmp_path):
    from pipeline.article import clean
    from pipeline.audio.master import master
    from pipeline.audio.profiles import load_profile
    from pipeline.segment import segment
    from pipeline.speech import speech_input, synthesize
    from pipeline.speech.voices import load_voice
    from pipeline.translate import translate

    from test_reliability_inputs import HOSTILE_HTML  # external entities and links to fetch: none is

    assert "second transmitter" in " ".join(clean(HOSTILE_HTML.encode(), kind="html").paragraphs)
    article = clean(SAMPLE.read_bytes())
    segments = segment(article)
    ko = translate(segments, "ko", approved=[SAMPLE_PO], cache_dir=tmp_path / "tr")
    assert {s.origin for s in ko.sentences} == {"approved"}
    voice = load_voice("ko")
    items = [(s.id, speech_input(s.text, voice)) for s in ko.sentences[:3]]
    clips = synthesize(items, voice, tmp_path / "clips")  # in a worker process, with the tripwire too
    programme = master([c.path for c in clips], load_profile("podcast"), tmp_path / "p.mp3")
    assert programme.passed and programme.path.stat().st_size > 0


def test_a_worker_with_the_tripwire_does_trip(tripwire):
    """The worker side of the tripwire is armed: a Python child that opens a socket fails."""
    r = subprocess.run([sys.executable, "-c", "import socket; socket.socket()"], capture_output=True, text=True)
    assert r.returncode != 0 and "tripwire" in r.stderr


def _unshare_reason() -> str | None:
    if not shutil.which("unshare"):
        return "unshare is not installed"
    r = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if r.returncode != 0:
        return f"cannot create a network namespace here (needs root or user namespaces): {r.stderr.strip()}"
    return None


def test_sample_runs_in_a_network_namespace_with_no_interface_up(tmp_path):
    reason = _unshare_reason()
    if reason:
        pytest.skip(reason)
    probe = subprocess.run(["unshare", "-n", sys.executable, "-c",
                            "import socket; socket.create_connection(('127.0.0.1', 9), timeout=2)"],
                           capture_output=True, text=True)
    assert probe.returncode != 0 and "Network is unreachable" in probe.stderr  # not even loopback is up

    def run(prefix: list[str], name: str) -> subprocess.Popen:
        return subprocess.Popen(
            [*prefix, sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--lang", "ko", "--out",
             str(tmp_path / name / "out"), "--cache", str(tmp_path / name / "cache"), "--quiet"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    offline, online = run(["unshare", "-n"], "offline"), run([], "online")  # both cold: every stage runs
    for proc in (offline, online):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err

    def files(name: str) -> dict:
        m = json.loads((tmp_path / name / "out" / SLUG / "ko" / "manifest.json").read_text("utf-8"))
        return {f["path"]: f["sha256"] for f in m["files"]}, m["sentences"]

    assert files("offline") == files("online")
