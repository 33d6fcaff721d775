"""Argos translation packages: where they live, validate, install (file, folder, index), list, remove.

Packages go to argostranslate's own packages folder (ARGOS_PACKAGES_DIR or its default), so `argospm` and this
tool see the same set. We read argostranslate's settings but install ourselves: its `install_from_path` extracts
without any check and then imports `argostranslate.translate` (stanza, torch) just to clear a cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import PipelineError
from pipeline.files import atomic_path

MAX_MEMBER_BYTES = 2 * 1024**3  # the largest argos models are ~0.5 GB
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_RATIO = 200  # compressed -> uncompressed; beyond this it is a zip bomb, not a model
# Matched whole (fullmatch): with re.match, "$" also matches before a final newline, and "en\n" passed.
_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]+)?")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,31}")  # it goes into cache keys, manifests and PO comments
_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Package:
    from_code: str
    to_code: str
    version: str
    path: Path
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""

    @property
    def model_id(self) -> str:
        return f"argos:{self.from_code}-{self.to_code}@{self.version}"


def _settings():
    import argostranslate.settings as settings  # reads ARGOS_PACKAGES_DIR; creates its folders

    return settings


def packages_dir() -> Path:
    return Path(_settings().package_data_dir)


def _read_metadata(folder: Path) -> dict:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError(f"{folder.name}: no metadata.json", "not an argos translation package") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{folder.name}: metadata.json is not valid JSON ({exc})", "rebuild the package") from None
    if not isinstance(meta, dict):
        raise PipelineError(f"{folder.name}: metadata.json is not an object", "rebuild the package")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not _CODE.fullmatch(meta[key]):
            raise PipelineError(f"{folder.name}: metadata.json has no valid {key} ({meta.get(key)!r})",
                                "rebuild the package")
    if not _VERSION.fullmatch(str(meta.get("package_version", "0"))):
        raise PipelineError(f"{folder.name}: metadata.json has no valid package_version "
                            f"({meta.get('package_version')!r})", "rebuild the package")
    if not isinstance(meta.get("target_prefix") or "", str):
        raise PipelineError(f"{folder.name}: metadata.json has no valid target_prefix", "rebuild the package")
    if meta.get("type", "translate") != "translate":
        raise PipelineError(f"{folder.name}: package type {meta.get('type')!r} is not a translation package")
    return meta


def _package(folder: Path) -> Package:
    meta = _read_metadata(folder)
    return Package(
        meta["from_code"], meta["to_code"], str(meta.get("package_version", "0")), folder,
        meta.get("from_name", ""), meta.get("to_name", ""), meta.get("target_prefix", "") or "",
    )


def validate_folder(folder: Path) -> Package:
    """Check an unpacked package: metadata, a CTranslate2 model and a SentencePiece tokenizer that load and
    translate a sentence (once, at install: a broken file found later would fail a broadcast run instead)."""
    import ctranslate2

    pkg = _package(folder)
    if not ctranslate2.contains_model(str(folder / "model")):
        raise PipelineError(f"{folder.name}: no CTranslate2 model in model/", "not an argos translation package")
    if not (folder / "sentencepiece.model").is_file():
        reason = "its BPE tokenizer is not supported" if (folder / "bpe.model").exists() else "no tokenizer"
        raise PipelineError(f"{folder.name}: no sentencepiece.model ({reason})", "use a SentencePiece argos package")
    for p in folder.rglob("*"):
        if p.is_symlink():
            raise PipelineError(f"{folder.name}: contains a symbolic link ({p.name})", "rebuild the package")
    _try_loading(folder, pkg)
    return pkg


def _try_loading(folder: Path, pkg: Package) -> None:
    from pipeline.translate import engine

    try:
        engine.Engine(folder, engine.EngineSettings(beam_size=1), pkg.target_prefix).translate(["Test."])
    except Exception as exc:  # noqa: BLE001 - sentencepiece and CTranslate2 raise OSError, RuntimeError, ValueError...
        first_line = (str(exc).strip().splitlines() or [""])[0].replace(str(folder), folder.name)  # not the temp path
        raise PipelineError(f"{folder.name}: the model or its tokenizer does not load ({type(exc).__name__}: "
                            f"{first_line})", "the package is damaged or not an argos package: get it again") from None


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)  # bad CRC, truncated, unknown method


def _damaged(path: Path, exc: Exception) -> PipelineError:
    return PipelineError(f"{path.name} is damaged ({exc})",
                         "copy or download it again: the file on this disk is not what was published")


def _check_zip(path: Path) -> str:
    """Return the single top folder of a safe package zip, or raise saying why it is refused."""
    if not zipfile.is_zipfile(path):
        raise PipelineError(f"{path.name} is not a zip archive", "an .argosmodel file is a zip of one package folder")
    try:
        return _check_members(path)
    except _DAMAGED as exc:
        raise _damaged(path, exc) from None


def _check_members(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        tops, total = set(), 0
        for info in infos:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or re.match(r"^[A-Za-z]:", info.filename):
                raise PipelineError(f"{path.name}: member {info.filename!r} escapes the package folder",
                                    "refusing a path-traversal (zip-slip) archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PipelineError(f"{path.name}: member {info.filename!r} is a symbolic link", "rebuild the package")
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                    info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20):
                raise PipelineError(f"{path.name}: member {info.filename!r} is implausibly large", "not a model")
            tops.add(name.parts[0])
        if len(tops) != 1 or not any(len(PurePosixPath(i.filename).parts) > 1 for i in infos):
            raise PipelineError(f"{path.name}: expected one top folder, found {len(tops)}", "rebuild the package")
        return tops.pop()


def install_file(path: Path | str) -> Package:
    """Validate and install one .argosmodel file; nothing is left behind when it is refused."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"no such package file: {path}")
    top = _check_zip(path)
    dest_root = packages_dir()
    with tempfile.TemporaryDirectory(prefix=".tmp-install-", dir=dest_root) as tmp:
        try:
            with zipfile.ZipFile(path) as zf:
                zf.extractall(tmp)  # checks each member's CRC as it goes
        except _DAMAGED as exc:
            raise _damaged(path, exc) from None
        return _move_in(Path(tmp) / top, dest_root)


def install_dir(folder: Path | str) -> list[Package]:
    """Install an unpacked package folder, or every .argosmodel file in a folder (a USB stick)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PipelineError(f"no such folder: {folder}")
    if (folder / "metadata.json").exists():
        _package(folder)  # a quick look before copying; the copy is validated in full before it is moved in
        dest_root = packages_dir()
        with tempfile.TemporaryDirectory(prefix=".tmp-install-", dir=dest_root) as tmp:
            copy = Path(tmp) / folder.name
            shutil.copytree(folder, copy, symlinks=True)
            return [_move_in(copy, dest_root)]
    files = sorted(folder.glob("*.argosmodel"))
    if not files:
        raise PipelineError(f"{folder} holds no package", "give a package folder or a folder of .argosmodel files")
    return [install_file(f) for f in files]


def _move_in(staged: Path, dest_root: Path) -> Package:
    pkg = validate_folder(staged)
    old = [p for p in installed() if (p.from_code, p.to_code) == (pkg.from_code, pkg.to_code)
           and p.path.parent == dest_root]
    target = _install_name(staged.name, pkg, dest_root, {o.path for o in old})
    # Swap in: move any old copy aside first and put it back if the move fails.
    with tempfile.TemporaryDirectory(prefix=".tmp-old-", dir=dest_root) as trash:
        moved = []
        for i, p in enumerate(sorted({*(o.path for o in old), *([target] if target.exists() else [])})):
            os.replace(p, Path(trash) / str(i))
            moved.append(p)
        try:
            os.replace(staged, target)
        except OSError:
            for i, p in enumerate(moved):
                os.replace(Path(trash) / str(i), p)
            raise
    _invalidate()
    return _package(target)


def _install_name(name: str, pkg: Package, dest_root: Path, replaced: set[Path]) -> Path:
    """The package's folder: the name it came with, unless that is taken by anything but an older copy of the same
    pair (another pair's package, a user's folder) or is no plain name; then one made from its metadata."""
    if _FOLDER.fullmatch(name) and ((dest_root / name) in replaced or not (dest_root / name).exists()):
        return dest_root / name
    base = f"translate-{pkg.from_code}_{pkg.to_code}-{pkg.version.replace('.', '_')}"
    for n in range(1000):
        target = dest_root / (base if n == 0 else f"{base}-{n}")
        if target in replaced or not target.exists():
            return target
    raise PipelineError(f"no free folder name for {base} in {dest_root}", "remove old package folders there")


def installed() -> list[Package]:
    """Installed translation packages, in every folder argostranslate looks in; broken folders are skipped."""
    found = []
    for root in map(Path, _settings().package_dirs):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").exists():
                try:
                    found.append(_package(folder))
                except PipelineError:
                    continue
    return found


def remove(from_code: str, to_code: str) -> list[Package]:
    gone = [p for p in installed() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not gone:
        raise PipelineError(f"no {from_code} -> {to_code} package is installed", "see `pipeline models list`")
    for p in gone:
        trash = p.path.with_name(f".tmp-remove-{p.path.name}")
        os.replace(p.path, trash)
        shutil.rmtree(trash)
    _invalidate()
    return gone


def _invalidate() -> None:
    from pipeline.translate import engine

    engine.unload()


# --- the online index (only `pipeline models install FROM TO` touches the network) ---


def install_from_index(from_code: str, to_code: str,
                       progress: Callable[[int, int | None], None] | None = None) -> Package:
    import urllib.error
    import urllib.request

    settings = _settings()
    offline = PipelineError(
        f"cannot reach the argos package index to download {from_code} -> {to_code}",
        "this machine seems offline; carry the .argosmodel file in and run "
        "`pipeline models install --file PATH.argosmodel` (or `--dir FOLDER`)")
    try:
        with urllib.request.urlopen(settings.remote_package_index, timeout=30) as r:
            index_bytes = r.read()
        index = json.loads(index_bytes)
    except (OSError, urllib.error.URLError, ValueError):
        raise offline from None
    with atomic_path(settings.local_package_index) as tmp:
        tmp.write_bytes(index_bytes)
    matches = [m for m in index if m.get("from_code") == from_code and m.get("to_code") == to_code
               and m.get("type", "translate") == "translate"]
    if not matches:
        raise PipelineError(f"the argos index has no {from_code} -> {to_code} package",
                            "pivoting through English needs {0} -> en and en -> {1}".format(from_code, to_code))
    meta = matches[0]
    dest = Path(settings.downloads_dir) / f"translate-{from_code}_{to_code}.argosmodel"
    for link in meta.get("links", []):
        try:
            with urllib.request.urlopen(link, timeout=60) as r, atomic_path(dest) as tmp:
                size = int(r.headers.get("Content-Length") or 0) or None
                done = 0
                with open(tmp, "wb") as fh:
                    while chunk := r.read(1 << 20):
                        fh.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, size)
            break
        except (OSError, urllib.error.URLError):
            continue
    else:
        raise offline
    try:
        return install_file(dest)
    finally:
        dest.unlink(missing_ok=True)
