"""Build real argos packages whose output is known exactly, in well under a second, without torch.

A character-level SentencePiece model plus a CTranslate2 Transformer whose weights are chosen, not trained:
cross-attention reads the source token at the decoder's own position and the output projection maps token i to
perm[i]. So the model copies its input, or rewrites every letter through a fixed cipher (rot13, atbash), exactly,
in float32 and int8, greedy and beam search. d_model is split into [token | position | copied token | padding].
"""

from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import string
import tempfile
import zipfile
from pathlib import Path

import numpy as np

# argostranslate fixes its folders (and creates them under ~) when first imported: point it at a scratch
# home before anything imports it. One folder per test session; `clear_packages()` resets it between tests.
ROOT = Path(tempfile.mkdtemp(prefix="pipeline-argos-test-"))
for var, sub in (("ARGOS_PACKAGES_DIR", "packages"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                 ("XDG_CACHE_HOME", "cache")):
    os.environ[var] = str(ROOT / sub)
PACKAGES = ROOT / "packages"
atexit.register(shutil.rmtree, ROOT, True)


def clear_packages() -> None:
    from pipeline.translate import engine

    engine.unload()
    shutil.rmtree(PACKAGES, ignore_errors=True)
    PACKAGES.mkdir(parents=True)

LETTERS = string.ascii_lowercase + string.ascii_uppercase
CIPHERS = {
    "copy": str.maketrans("", ""),
    "rot13": str.maketrans(LETTERS, "".join(c[13:] + c[:13] for c in (string.ascii_lowercase, string.ascii_uppercase))),
    "atbash": str.maketrans(LETTERS, string.ascii_lowercase[::-1] + string.ascii_uppercase[::-1]),
}
_CORPUS = (LETTERS + string.digits + " .,;:!?'\"-()$%&/—“”’").strip()


def cipher(text: str, name: str) -> str:
    return text.translate(CIPHERS[name])


def _sentencepiece(model_type: str, vocab_size: int, corpus: list[str]) -> bytes:
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus), model_writer=out, model_type=model_type, vocab_size=vocab_size,
        byte_fallback=True, character_coverage=1.0, normalization_rule_name="identity",
        remove_extra_whitespaces=False, hard_vocab_limit=False, minloglevel=2, num_threads=1,
    )
    return out.getvalue()


def _codes(rng, n: int, dim: int) -> np.ndarray:
    c = rng.standard_normal((n, dim)).astype(np.float32)
    c -= c.mean(axis=1, keepdims=True)  # zero mean keeps the direction through LayerNorm
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def build_model(
    out_dir: Path, pieces: list[str], perm: list[int], *, layers=(1, 1), d_model=192, heads=1, copy_heads=1,
    ffn=8, vocab_size=None, max_len=1024, quantization="int8", seed=0, bias: tuple[tuple[str, float], ...] = (),
) -> None:
    """Write a CTranslate2 model that maps source token i to target token perm[i] position by position.

    BIAS adds to the output logit of a piece: (("</s>", 1e4),) ends every output at once (an empty translation),
    (("a", 1e4), ("</s>", -1e4)) makes a decoder that repeats "a" and never stops (a runaway)."""
    import ctranslate2
    from ctranslate2.specs import transformer_spec

    vocab = list(pieces) + [f"<pad{i}>" for i in range(max(0, (vocab_size or 0) - len(pieces)))]
    perm = list(perm) + list(range(len(perm), len(vocab)))
    hd = d_model // heads
    dt = dc = hd * copy_heads if heads > 1 else (d_model // 3)
    dp = min(hd, d_model // 3) if heads > 1 else d_model // 3
    tok, pos, cop = slice(0, dt), slice(dt, dt + dp), slice(dt + dp, dt + dp + dc)
    assert cop.stop <= d_model
    rng = np.random.default_rng(seed)
    d = d_model
    z = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731

    emb = z(len(vocab), d)
    emb[:, tok] = _codes(rng, len(vocab), dt)
    positions = z(max_len, d)
    positions[:, pos] = _codes(rng, max_len, dp)

    spec = transformer_spec.TransformerSpec.from_config(layers, num_heads=heads, pre_norm=True)
    spec.config.add_source_eos = True

    def norm(ln):
        ln.gamma, ln.beta = np.ones(d, np.float32), z(d)

    def zero_linear(lin, rows, cols):
        lin.weight, lin.bias = z(rows, cols), z(rows)

    def zero_layer(layer, cross: bool):
        norm(layer.self_attention.layer_norm)
        zero_linear(layer.self_attention.linear[0], 3 * d, d)
        zero_linear(layer.self_attention.linear[1], d, d)
        if cross:
            norm(layer.attention.layer_norm)
            zero_linear(layer.attention.linear[0], d, d)
            zero_linear(layer.attention.linear[1], 2 * d, d)
            zero_linear(layer.attention.linear[2], d, d)
        norm(layer.ffn.layer_norm)
        zero_linear(layer.ffn.linear_0, ffn, d)
        zero_linear(layer.ffn.linear_1, d, ffn)

    for side in (spec.encoder, spec.decoder):
        (side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings).weight = emb
        side.scale_embeddings = False
        side.position_encodings.encodings = positions
        norm(side.layer_norm)
    for layer in spec.encoder.layer:
        zero_layer(layer, cross=False)
    for layer in spec.decoder.layer:
        zero_layer(layer, cross=True)

    # Layer 0 cross-attention: each copy head queries with the decoder's position, keys are source positions,
    # values carry the source token code (its slice of it) into the copied subspace.
    attn = spec.decoder.layer[0].attention
    q, kv, o = attn.linear[0].weight, attn.linear[1].weight, attn.linear[2].weight
    gain = 12.0 * np.sqrt(hd) / d
    for h in range(copy_heads):
        base = h * hd
        for j in range(dp):
            q[base + j, pos.start + j] = gain * 40
            kv[base + j, pos.start + j] = 1.0
        width = dt // copy_heads
        for j in range(width):
            kv[d + base + j, tok.start + h * width + j] = 1.0
            o[cop.start + h * width + j, base + j] = 1.0

    proj = z(len(vocab), d)
    proj[perm, cop] = 4.0 * emb[:, tok]
    logit_bias = z(len(vocab))
    for piece, value in bias:
        logit_bias[vocab.index(piece)] = value
    spec.decoder.projection.weight, spec.decoder.projection.bias = proj, logit_bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)

    class _Fixed(ctranslate2.converters.Converter):
        def _load(self):
            return spec

    _Fixed().convert(str(out_dir), quantization=quantization, force=True)


def build_package(
    dest: Path, from_code: str, to_code: str, *, cipher_name: str = "copy", version: str = "1.0",
    top: str | None = None, corpus: list[str] | None = None, sp_vocab: int = 1000, **model_kw,
) -> Path:
    """Write DEST (an .argosmodel zip) translating from_code -> to_code with the given letter cipher.

    With CORPUS, the tokenizer is a subword (unigram) model trained on it, as in real packages (copy only);
    without, it is character-level, which lets a cipher act letter by letter.
    """
    import sentencepiece as spm

    if corpus is not None:
        assert cipher_name == "copy", "ciphers need the character-level tokenizer"
        sp_bytes = _sentencepiece("unigram", sp_vocab, [_CORPUS, *corpus])
    else:
        sp_bytes = _sentencepiece("char", 400, [_CORPUS, _CORPUS[::-1]])
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    index = {p: i for i, p in enumerate(pieces)}
    table = CIPHERS[cipher_name]
    perm = [index.get(p.translate(table), i) if len(p) == 1 else i for i, p in enumerate(pieces)]
    top = top or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    build_dir = Path(dest).with_suffix(".build")
    build_model(build_dir / "model", pieces, perm, **model_kw)
    metadata = {
        "package_version": version, "argos_version": "1.9.0", "from_code": from_code, "to_code": to_code,
        "from_name": from_code, "to_name": to_code, "type": "translate", "links": [],
    }
    with zipfile.ZipFile(dest, "w") as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(metadata))
        zf.writestr(f"{top}/sentencepiece.model", sp_bytes)
        for f in sorted((build_dir / "model").iterdir()):
            zf.write(f, f"{top}/model/{f.name}")
    return Path(dest)


def package(from_code: str, to_code: str, cipher_name: str = "copy", **kw) -> Path:
    """A built package file, made once per session."""
    dest = ROOT / "built" / f"{from_code}_{to_code}_{cipher_name}_{abs(hash(tuple(sorted(kw.items()))))}.argosmodel"
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        build_package(dest, from_code, to_code, cipher_name=cipher_name, **kw)
    return dest
