"""A fake speech engine for the synthesis worker's hang and crash tests, plugged in the way any engine is:
a voice whose `engine` is "fake_engine:FakeEngine" (this folder on PYTHONPATH). Its behaviour is chosen by the text."""

import math
import os
import signal
import struct
import time


class FakeEngine:
    sample_rate = 16000

    def __init__(self, settings):
        self.settings = settings

    def synth(self, text: str) -> bytes:
        if "HANG" in text:
            time.sleep(3600)
        if "CRASH" in text:
            os.kill(os.getpid(), signal.SIGSEGV)  # what a fault in the engine's C code looks like
        if "REFUSE" in text:
            raise ValueError("cannot say that")
        # "THREADS": as many quarter seconds as the worker was given threads ($PIPELINE_SPEECH_THREADS)
        n = self.sample_rate // 4 * (int(os.environ["PIPELINE_SPEECH_THREADS"]) if "THREADS" in text else 1)
        return struct.pack(f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / self.sample_rate)) for i in range(n)))
