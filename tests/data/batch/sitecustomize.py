"""Test scaffolding, loaded through PYTHONPATH: in batch worker processes only, an article whose path contains
CRASHME kills its worker the way a crash in a native library would (no Python exception, no cleanup)."""

import os
import sys
from pathlib import Path

with open("/proc/self/cmdline", "rb") as fh:
    _worker = b"spawn_main" in fh.read()

if _worker:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import pipeline.batch

    _real_job = pipeline.batch._job

    def _job(job, config):
        if "CRASHME" in job.source:
            os._exit(139)
        return _real_job(job, config)

    pipeline.batch._job = _job
