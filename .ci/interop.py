#!/usr/bin/env python3
"""Interoperability checks of our word2vec output against gensim.

    python3 .ci/interop.py BINARY

BINARY is the built `word2vec` executable.  The script makes sure gensim
4.4.0 is installed, builds a small corpus from the copy of the Lee corpus
that gensim ships (lowercased), trains twice with one thread and a fixed seed
(once writing the text format, once the binary format), loads both outputs
with gensim's KeyedVectors.load_word2vec_format and compares them.

Each check is a function `check_...(ctx)` listed in CHECKS; a check fails by
raising CheckFailed (or any exception).  Checks whose inputs are missing
because an earlier check failed are reported as skipped.  Prints one line
per check, an 'interop PASS' or 'interop FAIL' line and the counts;
exits non-zero on failure.
"""
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

GENSIM_VERSION = "4.4.0"
DIM = 50
TRAIN_ARGS = ["--dim", str(DIM), "--epochs", "2", "--min-count", "2",
              "--threads", "1", "--seed", "7", "--quiet"]
# The text format prints 6 decimals, so equality holds to about 5e-7;
# allow 1e-5 (plus a small relative part for large components).
ATOL, RTOL = 1e-5, 1e-6
MIN_VOCAB = 100
TRAIN_TIMEOUT = 300


class CheckFailed(Exception):
    pass


class Skip(Exception):
    pass


class Context:
    """What the checks share; filled in by the checks as they run."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.corpus = None
        self.text_path = os.path.join(workdir, "t.txt")
        self.bin_path = os.path.join(workdir, "t.bin")
        self.kv_text = None
        self.kv_bin = None

    def need(self, *names):
        for n in names:
            if getattr(self, n) is None:
                raise Skip(f"needs {n}")


# ---------------------------------------------------------------- helpers
def ensure_gensim():
    try:
        import gensim
        if gensim.__version__ == GENSIM_VERSION:
            return gensim
    except ImportError:
        pass
    print(f"installing gensim=={GENSIM_VERSION} ...", flush=True)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                           f"gensim=={GENSIM_VERSION}"])
    importlib.invalidate_caches()
    for m in [m for m in sys.modules if m == "gensim" or
              m.startswith("gensim.")]:
        del sys.modules[m]
    import gensim
    if gensim.__version__ != GENSIM_VERSION:
        raise CheckFailed(f"gensim {gensim.__version__} is installed, "
                          f"need {GENSIM_VERSION}")
    return gensim


def train(ctx, output, extra=()):
    argv = [ctx.binary, "train", "--input", ctx.corpus, "--output", output,
            *TRAIN_ARGS, *extra]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=TRAIN_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"timed out after {TRAIN_TIMEOUT} s: "
                          + " ".join(argv))
    if p.returncode != 0:
        raise CheckFailed(f"exit {p.returncode}: {' '.join(argv)}\n"
                          f"{(p.stderr or p.stdout)[-2000:]}")
    if not os.path.exists(output) or os.path.getsize(output) == 0:
        raise CheckFailed(f"no output written to {output}")
    return f"{time.perf_counter() - t0:.1f} s"


def load(path, binary):
    from gensim.models import KeyedVectors
    return KeyedVectors.load_word2vec_format(path, binary=binary)


# ---------------------------------------------------------------- checks
def check_corpus(ctx):
    """Lowercased Lee background corpus shipped with gensim."""
    from gensim.test.utils import datapath
    src = datapath("lee_background.cor")
    ctx.corpus = os.path.join(ctx.workdir, "lee.txt")
    n = 0
    with open(src, encoding="utf-8", errors="replace") as f, \
            open(ctx.corpus, "w", encoding="utf-8") as out:
        for line in f:
            toks = line.lower().split()
            n += len(toks)
            out.write(" ".join(toks) + "\n")
    return f"{n} tokens"


def check_train_text(ctx):
    return train(ctx, ctx.text_path)


def check_train_binary(ctx):
    return train(ctx, ctx.bin_path, ["--binary"])


def load_output(ctx, path, binary, attribute):
    ctx.need("corpus")
    if not os.path.exists(path):
        raise Skip(f"no {'binary' if binary else 'text'} output")
    kv = load(path, binary=binary)
    setattr(ctx, attribute, kv)
    return f"{len(kv)} x {kv.vector_size}"


def check_load_text(ctx):
    return load_output(ctx, ctx.text_path, False, "kv_text")


def check_load_binary(ctx):
    return load_output(ctx, ctx.bin_path, True, "kv_bin")


def check_dimension(ctx):
    ctx.need("kv_text", "kv_bin")
    for name, kv in (("text", ctx.kv_text), ("binary", ctx.kv_bin)):
        if kv.vector_size != DIM:
            raise CheckFailed(f"{name}: dimension {kv.vector_size} != {DIM}")


def check_vocab_size(ctx):
    ctx.need("kv_text")
    if len(ctx.kv_text) <= MIN_VOCAB:
        raise CheckFailed(f"vocabulary has {len(ctx.kv_text)} words, "
                          f"expected > {MIN_VOCAB}")
    return f"{len(ctx.kv_text)} words"


def check_same_words(ctx):
    ctx.need("kv_text", "kv_bin")
    a, b = ctx.kv_text.index_to_key, ctx.kv_bin.index_to_key
    if len(a) != len(b):
        raise CheckFailed(f"text has {len(a)} words, binary {len(b)}")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            raise CheckFailed(f"word #{i} differs: text {x!r}, binary {y!r}")
    if len(set(a)) != len(a):
        raise CheckFailed("duplicate words in the vocabulary")


def check_same_vectors(ctx):
    ctx.need("kv_text", "kv_bin")
    import numpy as np
    a, b = ctx.kv_text.vectors, ctx.kv_bin.vectors
    if a.shape != b.shape:
        raise CheckFailed(f"shapes differ: {a.shape} vs {b.shape}")
    for name, m in (("text", a), ("binary", b)):
        if not np.all(np.isfinite(m)):
            raise CheckFailed(f"{name} vectors contain NaN/inf")
    if not np.any(a):
        raise CheckFailed("all vectors are zero")
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    bad = diff > ATOL + RTOL * np.abs(b)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CheckFailed(
            f"{int(bad.sum())} components differ; first: word "
            f"{ctx.kv_text.index_to_key[i]!r} [{j}] text {float(a[i, j])!r} vs "
            f"binary {float(b[i, j])!r}")
    return f"max |diff| {diff.max():.2e}"


CHECKS = [
    check_corpus,
    check_train_text,
    check_train_binary,
    check_load_text,
    check_load_binary,
    check_dimension,
    check_vocab_size,
    check_same_words,
    check_same_vectors,
]


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"interop FAIL: {argv[1]} is not an executable file")
        return 1
    try:
        gensim = ensure_gensim()
    except Exception as e:  # noqa: BLE001
        print(f"interop FAIL: cannot get gensim {GENSIM_VERSION}: {e}")
        return 1
    import logging
    logging.getLogger("gensim").setLevel(logging.ERROR)
    print(f"interop: {binary} vs gensim {gensim.__version__}")
    workdir = tempfile.mkdtemp(prefix="w2v-interop-")
    passed = failed = skipped = 0
    try:
        ctx = Context(binary, workdir)
        for check in CHECKS:
            name = check.__name__[len("check_"):]
            try:
                note = check(ctx)
                passed += 1
                print(f"  ok    {name}" + (f"  ({note})" if note else ""))
            except Skip as e:
                skipped += 1
                print(f"  skip  {name}  ({e})")
            except Exception as e:  # noqa: BLE001 - report every failure
                failed += 1
                msg = str(e) or type(e).__name__
                print(f"  FAIL  {name}: {msg}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    verdict = "PASS" if failed == 0 and skipped == 0 else "FAIL"
    print(f"interop {verdict}")
    print(f"interop: {passed} passed, {failed} failed"
          + (f", {skipped} skipped" if skipped else ""))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
