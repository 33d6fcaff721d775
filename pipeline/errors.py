"""The one exception type the CLI turns into a one-line message and a non-zero exit."""

import errno
import os


class PipelineError(Exception):
    """A problem the user can fix; `str()` is one line naming the problem and, where known, the fix."""

    exit_code = 1

    def __init__(self, problem: str, fix: str | None = None):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} ({fix})" if fix else problem)


_OS_FIXES = {
    errno.ENOSPC: "free some space on that disk, or choose --out/--cache folders on another one",
    errno.EDQUOT: "free some space within your quota, or choose --out/--cache folders elsewhere",
    errno.EROFS: "that file system is mounted read-only: choose a writable folder",
    errno.EACCES: "check its permissions, or choose a folder you can write to",
    errno.EPERM: "check its permissions, or choose a folder you can write to",
    errno.ENOTDIR: "a part of that path is a file, not a folder: move the file or choose another path",
    errno.EISDIR: "that path is a folder: give a file path",
    errno.EPIPE: "the program reading this output stopped early; let it read everything",
}


def from_os_error(exc: OSError, problem: str | None = None) -> PipelineError:
    """A file-system failure (full disk, read-only mount, a file where a folder should be) as one line: what could
    not be done, why, and what to do. `problem` says what was being done; by default the file(s) are named."""
    if problem is None:
        where = f" {exc.filename}" if exc.filename else ""
        if exc.filename2:
            where += f" -> {exc.filename2}"
        problem = f"cannot write or read{where}"
    reason = exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__
    return PipelineError(f"{problem}: {reason}", _OS_FIXES.get(exc.errno, "check that path"))
