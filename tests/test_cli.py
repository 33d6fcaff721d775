import subprocess
import sys


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, **kw)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0, r.stderr
    assert "clean" in r.stdout
