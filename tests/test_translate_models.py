import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from argos_model import PACKAGES, clear_packages, package

from pipeline.errors import PipelineError
from pipeline.translate import backends, models


@pytest.fixture(autouse=True)
def _clean():
    clear_packages()
    yield
    clear_packages()


def test_install_list_remove_roundtrip():
    pkg = models.install_file(package("en", "ko", "rot13"))
    assert (pkg.from_code, pkg.to_code, pkg.version) == ("en", "ko", "1.0")
    assert pkg.path == PACKAGES / "translate-en_ko-1_0"
    assert sorted(p.name for p in pkg.path.iterdir()) == ["metadata.json", "model", "sentencepiece.model"]
    assert [(p.from_code, p.to_code) for p in models.installed()] == [("en", "ko")]
    models.remove("en", "ko")
    assert models.installed() == []
    assert list(PACKAGES.iterdir()) == []


def test_argostranslate_sees_our_packages():
    models.install_file(package("en", "ko", "rot13"))
    import argostranslate.package

    assert [(p.from_code, p.to_code) for p in argostranslate.package.get_installed_packages()] == [("en", "ko")]


def test_reinstall_replaces_same_pair():
    models.install_file(package("en", "ko", "rot13"))
    models.install_file(package("en", "ko", "atbash"))
    assert len(models.installed()) == 1
    assert [p.name for p in PACKAGES.iterdir()] == ["translate-en_ko-1_0"]


def test_install_dir_of_files_and_unpacked_folder(tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    for pair in (("es", "en"), ("en", "ko")):
        (stick / f"{pair[0]}_{pair[1]}.argosmodel").write_bytes(package(*pair).read_bytes())
    assert sorted((p.from_code, p.to_code) for p in models.install_dir(stick)) == [("en", "ko"), ("es", "en")]
    clear_packages()
    with zipfile.ZipFile(package("en", "ru")) as zf:
        zf.extractall(tmp_path / "unpacked")
    [pkg] = models.install_dir(tmp_path / "unpacked" / "translate-en_ru-1_0")
    assert (pkg.from_code, pkg.to_code) == ("en", "ru")


def test_route_direct_pivot_and_list():
    for pair in (("es", "en"), ("en", "ko"), ("en", "zh")):
        models.install_file(package(*pair))
    argos = backends.load(["argos"])
    assert backends.route("es", "ko", argos).id == "argos:es-en@1.0 > argos:en-ko@1.0"
    assert backends.route("en", "ko", argos).id == "argos:en-ko@1.0"
    assert backends.route("ko", "en", argos) is None
    assert backends.pivot_pairs(argos) == [("es", "ko"), ("es", "zh")]


def _rezip(src: Path, dest: Path, edit) -> Path:
    """Copy package SRC to DEST, passing the member list through EDIT(list of (ZipInfo, bytes))."""
    with zipfile.ZipFile(src) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(dest, "w") as out:
        for info, data in edit(members):
            out.writestr(info, data)
    return dest


def _named(name, data=b"x", mode=None, deflate=False):
    info = zipfile.ZipInfo(name)
    if mode is not None:
        info.external_attr = mode << 16
    if deflate:
        info.compress_type = zipfile.ZIP_DEFLATED
    return info, data


BAD = {
    "not-a-zip": (None, "is not a zip archive"),
    "zip-slip": (lambda m: m + [_named("translate-en_ko-1_0/../../evil.txt")], "escapes the package folder"),
    "absolute": (lambda m: m + [_named("/tmp/evil.txt")], "escapes the package folder"),
    "symlink": (lambda m: m + [_named("translate-en_ko-1_0/link", b"/etc/passwd", stat.S_IFLNK | 0o777)],
                "symbolic link"),
    "zip-bomb": (lambda m: m + [_named("translate-en_ko-1_0/pad.bin", bytes(8 << 20), deflate=True)],
                 "implausibly large"),
    "two-tops": (lambda m: m + [_named("other/readme.txt")], "expected one top folder"),
    "no-metadata": (lambda m: [x for x in m if not x[0].filename.endswith("metadata.json")], "no metadata.json"),
    "bad-metadata": (lambda m: [(i, b"{not json" if i.filename.endswith("metadata.json") else d) for i, d in m],
                     "not valid JSON"),
    "no-codes": (lambda m: [(i, json.dumps({"type": "translate"}).encode() if i.filename.endswith("metadata.json")
                             else d) for i, d in m], "no valid from_code"),
    "no-model": (lambda m: [x for x in m if "/model/" not in x[0].filename], "no CTranslate2 model"),
    "no-tokenizer": (lambda m: [x for x in m if not x[0].filename.endswith("sentencepiece.model")],
                     "no sentencepiece.model"),
}


def _metadata(**changes):
    def edit(members):
        return [(i, json.dumps({**json.loads(d), **changes}).encode() if i.filename.endswith("metadata.json") else d)
                for i, d in members]
    return edit


def corrupt(path: Path, member: str = "sentencepiece.model") -> Path:
    """Flip bytes inside a stored member's data, as a bad copy would: the zip still opens, its CRC no longer fits."""
    with zipfile.ZipFile(path) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(member))
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    data[start:start + 8] = bytes(b ^ 0xFF for b in data[start:start + 8])
    path.write_bytes(bytes(data))
    return path


BAD.update({  # issue 12.10
    "newline-code": (_metadata(from_code="en\n"), r"no valid from_code \('en\\n'\)"),
    "odd-version": (_metadata(package_version="1.0]: x\ny"), "no valid package_version"),
    "garbage-tokenizer": (lambda m: [(i, b"not a sentencepiece model" if i.filename.endswith("sentencepiece.model")
                                      else d) for i, d in m], "the model or its tokenizer does not load"),
    "garbage-model": (lambda m: [(i, b"\0" * 64 if i.filename.endswith("model.bin") else d) for i, d in m],
                      "the model or its tokenizer does not load"),
    "bad-crc": ("corrupt", r"is damaged \(Bad CRC-32"),
})


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_packages_are_refused_and_leave_nothing(case, tmp_path):
    edit, reason = BAD[case]
    bad = tmp_path / f"{case}.argosmodel"
    if edit is None:
        bad.write_bytes(b"this is not a zip file")
    elif edit == "corrupt":
        corrupt(_rezip(package("en", "ko"), bad, lambda m: m))
    else:
        _rezip(package("en", "ko"), bad, edit)
    with pytest.raises(PipelineError, match=reason):
        models.install_file(bad)
    assert list(PACKAGES.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_package_named_like_another_pairs_folder_is_installed_beside_it(tmp_path):
    """Issue 12.10: an en -> ko zip whose top folder is named like the installed en -> zh package replaced it."""
    models.install_file(package("en", "zh", "rot13"))
    clash = package("en", "ko", "atbash", top="translate-en_zh-1_0")
    pkg = models.install_file(clash)
    assert pkg.path == PACKAGES / "translate-en_ko-1_0"
    assert sorted((p.from_code, p.to_code, p.path.name) for p in models.installed()) == [
        ("en", "ko", "translate-en_ko-1_0"), ("en", "zh", "translate-en_zh-1_0")]
    (PACKAGES / "my-notes").mkdir()  # a folder that is not a package at all is not touched either
    assert models.install_file(package("en", "ru", top="my-notes")).path.name == "translate-en_ru-1_0"
    assert (PACKAGES / "my-notes").is_dir()
    # An upgrade of the same pair under its own name still replaces the old copy.
    models.install_file(package("en", "zh", "atbash", version="2.0"))
    assert sorted(p.path.name for p in models.installed()) == [
        "translate-en_ko-1_0", "translate-en_ru-1_0", "translate-en_zh-2_0"]


def test_failed_reinstall_keeps_the_old_package(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    bad = _rezip(package("en", "ko"), tmp_path / "bad.argosmodel",
                 lambda m: [x for x in m if "/model/" not in x[0].filename])
    with pytest.raises(PipelineError):
        models.install_file(bad)
    assert [p.name for p in PACKAGES.iterdir()] == ["translate-en_ko-1_0"]
    assert models.validate_folder(PACKAGES / "translate-en_ko-1_0").to_code == "ko"


def test_remove_missing_pair_is_a_clear_error():
    with pytest.raises(PipelineError, match="no en -> ja package is installed"):
        models.remove("en", "ja")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          env=os.environ.copy(), cwd=Path(__file__).parent.parent)


def test_cli_models_install_list_remove():
    r = _cli("models", "install", "--file", str(package("es", "en")))
    assert r.returncode == 0, r.stderr
    assert "installed es -> en" in r.stdout
    assert _cli("models", "install", "--file", str(package("en", "ko"))).returncode == 0
    r = _cli("models", "list")
    assert r.returncode == 0, r.stderr
    assert "es -> en" in r.stdout and "en -> ko" in r.stdout
    assert "es -> ko (through en)" in r.stdout
    r = _cli("models", "remove", "en", "ko")
    assert r.returncode == 0 and "removed en -> ko" in r.stdout
    r = _cli("models", "remove", "en", "ko")
    assert r.returncode == 1 and r.stderr.startswith("error: no en -> ko package") and "Traceback" not in r.stderr


def test_cli_refuses_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "x.argosmodel"
    bad.write_text("nope")
    r = _cli("models", "install", "--file", str(bad))
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "not a zip archive" in r.stderr


@pytest.fixture
def local_index(tmp_path, monkeypatch):
    """A package index served over HTTP on the loopback interface, as argos serves its own."""
    import functools
    import http.server
    import threading

    import argostranslate.settings as settings

    (tmp_path / "pkg.argosmodel").write_bytes(package("en", "ko", "rot13").read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_port}/"
    (tmp_path / "index.json").write_text(json.dumps([
        {"type": "translate", "from_code": "en", "to_code": "ko", "package_version": "1.0",
         "links": [url + "pkg.argosmodel"]}]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(settings, "remote_package_index", url + "index.json")
    yield url
    server.shutdown()


def test_install_from_index_with_progress(local_index):
    seen = []
    pkg = models.install_from_index("en", "ko", progress=lambda done, size: seen.append((done, size)))
    assert (pkg.from_code, pkg.to_code) == ("en", "ko")
    size = package("en", "ko", "rot13").stat().st_size
    assert seen[-1] == (size, size)
    with pytest.raises(PipelineError, match="the argos index has no en -> ja package"):
        models.install_from_index("en", "ja")


def test_install_from_index_offline_names_the_offline_way(monkeypatch):
    import argostranslate.settings as settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    with pytest.raises(PipelineError, match=r"offline.*install --file PATH.argosmodel"):
        models.install_from_index("en", "ko")
    assert list(PACKAGES.iterdir()) == []
