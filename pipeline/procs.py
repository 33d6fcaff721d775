"""Child processes die with their parent: a killed run must leave nothing running that could write afterwards.

Linux has PR_SET_PDEATHSIG (the kernel sends a signal to a process when the thread that started it exits);
Python has no wrapper for it (the `prctl` package on PyPI is unmaintained), so it is called through ctypes.
Elsewhere a thread watches the parent's id.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
_LINUX = sys.platform.startswith("linux")
_prctl = ctypes.CDLL(None, use_errno=True).prctl if _LINUX else None


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when `parent` (its parent's pid) exits. Checked after setting it: a parent that died
    just before is already gone, and then so is this process."""
    if _prctl is None or _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGKILL)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


def preexec_die_with_parent():
    """A `preexec_fn` for subprocess.Popen that makes the child (an ffmpeg) die with the calling process, or None
    where there is no PR_SET_PDEATHSIG (an exec'd program cannot run our watcher thread)."""
    if _prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:  # runs in the forked child before exec: two system calls, nothing that takes a lock
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec
