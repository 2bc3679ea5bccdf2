#!/usr/bin/env python3
"""Interoperability checks of model files and `word2vec convert` outputs with gensim and numpy.

    python3 .ci/interop_convert.py BINARY

Trains a model (`train --save-model`, both objectives) on the Lee corpus that gensim ships, converts it
to every target of `word2vec convert`, and checks that gensim's KeyedVectors reads the text and binary
outputs, that numpy reads vectors.npy (also memory-mapped) with the model's shape and the same values
as the binary file, that vocab.txt and the projector's metadata.tsv list the words in order, that
vectors.tsv holds the same values, and that queries on the model file answer like gensim on the same
vectors. Prints one line per check and a closing count line; exits non-zero on failure.
"""
import json
import os
import subprocess
import sys
import tempfile

GENSIM_VERSION = "4.4.0"


def ensure_gensim():
    try:
        import gensim  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", f"gensim=={GENSIM_VERSION}"])
    import gensim
    return gensim


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(argv[1])
    gensim = ensure_gensim()
    import numpy as np
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    work = tempfile.mkdtemp(prefix="interop-convert-")
    corpus = os.path.join(work, "lee.txt")
    with open(datapath("lee_background.cor"), encoding="latin-1") as source, open(corpus, "w") as target:
        for line in source:
            target.write(" ".join(line.lower().split()) + "\n")

    def run(*arguments):
        subprocess.run([binary, *arguments], check=True, capture_output=True, timeout=300)

    model = os.path.join(work, "lee.w2v")
    run("train", "--input", corpus, "--save-model", model, "--dim", "32", "--epochs", "3", "--min-count", "2",
        "--hs", "--negative", "3", "--threads", "1", "--seed", "3", "--quiet")
    paths = {name: os.path.join(work, name) for name in ["v.txt", "v.bin", "npy", "projector", "back.w2v"]}
    run("convert", model, "--to", "text", "--output", paths["v.txt"])
    run("convert", model, "--to", "binary", "--output", paths["v.bin"])
    run("convert", model, "--to", "npy", "--output", paths["npy"])
    run("convert", model, "--to", "projector", "--output", paths["projector"])
    run("convert", paths["v.bin"], "--to", "model", "--output", paths["back.w2v"])

    passed, failed = 0, 0

    def check(name, condition, detail=""):
        nonlocal passed, failed
        if condition:
            passed += 1
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name} {detail}")

    kv_bin = KeyedVectors.load_word2vec_format(paths["v.bin"], binary=True)
    kv_text = KeyedVectors.load_word2vec_format(paths["v.txt"], binary=False)
    check("gensim reads the converted binary and text files",
          kv_bin.index_to_key == kv_text.index_to_key and np.allclose(kv_bin.vectors, kv_text.vectors, atol=1e-5))

    matrix = np.load(os.path.join(paths["npy"], "vectors.npy"))
    mapped = np.load(os.path.join(paths["npy"], "vectors.npy"), mmap_mode="r")
    check("numpy reads vectors.npy: float32, the model's shape, the binary file's values",
          matrix.dtype == np.float32 and matrix.shape == kv_bin.vectors.shape
          and np.array_equal(matrix, kv_bin.vectors) and np.array_equal(mapped, matrix),
          f"{matrix.dtype} {matrix.shape} vs {kv_bin.vectors.shape}")
    with open(os.path.join(paths["npy"], "vocab.txt"), encoding="utf-8") as f:
        vocab = [line.split() for line in f]
    counts = [int(fields[1]) for fields in vocab]
    check("vocab.txt: 'word count' lines in vocabulary order, counts descending",
          [fields[0] for fields in vocab] == kv_bin.index_to_key and counts == sorted(counts, reverse=True))

    with open(os.path.join(paths["projector"], "metadata.tsv"), encoding="utf-8") as f:
        metadata = f.read().split("\n")[:-1]
    tsv = np.loadtxt(os.path.join(paths["projector"], "vectors.tsv"), delimiter="\t", dtype=np.float64)
    check("projector: metadata.tsv lists the words, vectors.tsv holds their values",
          metadata == kv_bin.index_to_key and tsv.shape == matrix.shape and np.allclose(tsv, matrix, atol=1e-6))

    back = os.path.join(work, "back.bin")
    run("convert", paths["back.w2v"], "--to", "binary", "--output", back)
    with open(back, "rb") as a, open(paths["v.bin"], "rb") as b:
        check("binary -> model -> binary is byte-identical", a.read() == b.read())

    words = kv_bin.index_to_key[:5]
    agree = True
    for word in words:
        out = subprocess.run([binary, "similar", model, word, "--top", "5", "--json"], check=True,
                             capture_output=True, text=True).stdout

        ours = [n["word"] for n in json.loads(out)["neighbours"]]
        theirs = [w for w, _ in kv_bin.most_similar(word, topn=5)]
        agree = agree and ours == theirs
    check("similar on the model file answers as gensim on its vectors", agree)

    print(f"interop_convert: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
