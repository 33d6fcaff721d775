"""Pronunciation rules per language: written (normalised) text -> how it is pronounced. The speech engines turn the
result into their own input (IPA for Kokoro, phoneme mnemonics for eSpeak NG): see pipeline/speech/engines/."""
