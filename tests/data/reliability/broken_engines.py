"""Speech engines that fail the way a native engine can, plugged in like any engine: a voice profile with
engine = "broken_engines:CrashingEngine" (this folder on PYTHONPATH)."""

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
