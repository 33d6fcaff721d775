"""Speech engines that fail the way a native engine can, plugged in like any engine: a voice profile with
engines = ["broken_engines:CrashingEngine"] (this folder on PYTHONPATH)."""

import os
import signal
import time


class CrashingEngine:
    sample_rate = 16000

    def __init__(self, settings):
        pass

    def synth(self, text: str) -> bytes:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a fault in an engine's C code looks like


class HangingEngine(CrashingEngine):
    def synth(self, text: str) -> bytes:
        time.sleep(3600)
        return b""


class SlowEngine(CrashingEngine):
    """A working engine that takes $SLOW_ENGINE_S seconds (default 2) per sentence: keeps a batch busy long enough
    to kill it mid-synthesis. Speaks a 0.6 s tone (a clip master accepts)."""

    def synth(self, text: str) -> bytes:
        import math
        import struct

        time.sleep(float(os.environ.get("SLOW_ENGINE_S", "2")))
        n = int(0.6 * self.sample_rate)
        return struct.pack(f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / self.sample_rate)) for i in range(n)))
