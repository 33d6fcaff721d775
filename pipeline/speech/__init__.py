"""Speech stage: text normalisation, voices, synthesis."""
