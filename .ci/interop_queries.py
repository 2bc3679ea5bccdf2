#!/usr/bin/env python3
"""Checks that the query and evaluation commands agree with gensim on the same vector files.

Usage: .ci/interop_queries.py BINARY

BINARY is the built `word2vec` executable. The script trains small vectors with it on gensim's
Lee corpus (lower-cased) and compares, against gensim 4.4.0:

  * `evaluate analogies --json`: the same correct/incorrect counts in every section and in total,
    for restrict 30000 and 300, and on a copy of the vectors with capitalised variants of question
    words inserted (gensim's case-insensitive rules: the first spelling in the file wins);
  * `evaluate similarity --json` on wordsim353.tsv and simlex999.txt: the same pair and
    out-of-vocabulary counts, Pearson and Spearman within 1e-6;
  * `similar` and `analogy` (add and mul) spot checks: the same neighbours and scores within 1e-5;
  * reading vector files written by other tools (gensim binary without newlines, fastText .vec,
    GloVe without header, the C tool's layout with and without --limit).

Exits non-zero with a message naming the first mismatch. Takes well under a minute.
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import gensim  # noqa: F401
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "gensim==4.4.0"], check=True)

import logging

import numpy as np
from gensim.models import KeyedVectors

logging.disable(logging.CRITICAL)

if len(sys.argv) != 2:
    sys.exit("usage: interop_queries.py BINARY")
BINARY = os.path.abspath(sys.argv[1])
DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
QUESTIONS = os.path.join(DATA, "questions-words.txt")
failures = []
checks = 0


def fail(message):
    failures.append(message)
    print("MISMATCH: " + message, file=sys.stderr)


def ours(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"interop_queries: '{' '.join(args)}' failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def compare_analogies(label, path, kv, restrict):
    global checks
    checks += 1
    mine = ours("evaluate", "analogies", path, QUESTIONS, "--restrict", str(restrict), "--json")
    _, sections = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=restrict)
    theirs = [(s["section"], len(s["correct"]), len(s["incorrect"])) for s in sections]
    got = [(s["name"], s["correct"], s["incorrect"]) for s in mine["sections"]]
    got.append(("Total accuracy", mine["total"]["correct"], mine["total"]["incorrect"]))
    if got != theirs:
        diff = [(a, b) for a, b in zip(got, theirs) if a != b]
        fail(f"evaluate analogies {label} --restrict {restrict}: (ours, gensim) differ: {diff}")
    else:
        print(f"ok  evaluate analogies {label} --restrict {restrict}: "
              f"{theirs[-1][1]}/{theirs[-1][1] + theirs[-1][2]} correct, {mine['oov']} skipped")


def compare_similarity(label, path, kv, pairs):
    global checks
    checks += 1
    mine = ours("evaluate", "similarity", path, os.path.join(DATA, pairs), "--json")
    pearson, spearman, oov = kv.evaluate_word_pairs(os.path.join(DATA, pairs))
    problems = []
    if abs(mine["pearson"] - pearson[0]) > 1e-6:
        problems.append(f"pearson {mine['pearson']} vs {pearson[0]}")
    if abs(mine["spearman"] - spearman[0]) > 1e-6:
        problems.append(f"spearman {mine['spearman']} vs {spearman[0]}")
    if abs(100 * mine["oov_ratio"] - oov) > 1e-9:
        problems.append(f"oov ratio {100 * mine['oov_ratio']}% vs {oov}%")
    if problems:
        fail(f"evaluate similarity {label} {pairs}: " + "; ".join(problems))
    else:
        print(f"ok  evaluate similarity {label} {pairs}: pearson {pearson[0]:.6f} spearman {spearman[0]:.6f} "
              f"oov {oov:.1f}%")


def same_neighbours(label, mine, theirs, tolerance=1e-5):
    """Same words in the same order and scores within `tolerance`; words whose scores are within
    `tolerance` of each other may swap (float rounding decides their order)."""
    global checks
    checks += 1
    got = [(n["word"], n["score"]) for n in mine]
    if len(got) != len(theirs):
        fail(f"{label}: {len(got)} neighbours vs gensim's {len(theirs)}")
        return
    for i, ((word, score), (their_word, their_score)) in enumerate(zip(got, theirs)):
        if abs(score - their_score) > tolerance:
            fail(f"{label}: neighbour {i + 1} {word} {score} vs gensim {their_word} {their_score}")
            return
        if word != their_word:
            close = [w for w, s in theirs if abs(s - score) <= tolerance]
            if word not in close and not (i == len(got) - 1 and abs(score - theirs[-1][1]) <= tolerance):
                fail(f"{label}: neighbour {i + 1} is {word}, gensim says {their_word}")
                return
    print(f"ok  {label}: {', '.join(w for w, _ in got[:5])}...")


def check_reading(label, path, kv, limit=None, **load):
    words = list(kv.index_to_key[:3])
    args = ["similar", path, words[0], "--top", "5", "--json"]
    if limit is not None:
        args += ["--limit", str(limit)]
    for key, value in load.items():
        args += [f"--{key}", value]
    same_neighbours(f"read {label}", ours(*args)["neighbours"], kv.most_similar(words[0], topn=5))


with tempfile.TemporaryDirectory() as work:
    corpus = os.path.join(work, "lee.txt")
    with open(os.path.join(DATA, "lee_background.cor"), encoding="utf8") as f, open(corpus, "w") as out:
        out.write(f.read().lower())
    vectors = os.path.join(work, "v.txt")
    # Skip-gram without subsampling, 10 epochs: vectors spread out enough that no two similarities
    # tie to float precision, where rounding alone could reorder ranks between the two tools.
    subprocess.run([BINARY, "train", "--input", corpus, "--output", vectors, "--dim", "50", "--min-count", "2",
                    "--model", "skipgram", "--sample", "0", "--epochs", "10", "--threads", "1", "--quiet"],
                   check=True)
    kv = KeyedVectors.load_word2vec_format(vectors)

    # Analogies, plain and restricted.
    compare_analogies("lee", vectors, kv, 30000)
    compare_analogies("lee", vectors, kv, 300)

    # Case variants: capitalised copies of question words, some before and some after the
    # lower-case word, with their own vectors.
    rng = np.random.default_rng(1)
    question_words = sorted({w.lower() for line in open(QUESTIONS, encoding="utf8")
                             if not line.startswith(":") for w in line.split()} & set(kv.index_to_key))
    keys = list(kv.index_to_key)
    vecs = [kv[k] for k in keys]
    for n, word in enumerate(question_words[:60]):
        position = kv.get_index(word) + (1 if n % 2 else 0)  # odd: after the word, even: before it
        keys.insert(position, word.capitalize() if n % 3 else word.upper())
        vecs.insert(position, rng.standard_normal(kv.vector_size).astype(np.float32))
    mixed = KeyedVectors(kv.vector_size)
    mixed.add_vectors(keys, np.array(vecs))
    mixed_path = os.path.join(work, "mixed.txt")
    mixed.save_word2vec_format(mixed_path)
    mixed = KeyedVectors.load_word2vec_format(mixed_path)
    compare_analogies("mixed-case", mixed_path, mixed, 30000)
    compare_analogies("mixed-case", mixed_path, mixed, 1000)

    # Vectors in which many analogies hold: every question word gets a random vector, except that
    # the second word of each pair is made the first plus a per-section offset (where not yet
    # fixed), so many answers are right and the comparison covers correct answers too.
    planted_words, planted = [], {}
    section = 0
    for line in open(QUESTIONS, encoding="utf8"):
        if line.startswith(":"):
            section += 1
            offset = rng.standard_normal(kv.vector_size).astype(np.float32)
            continue
        a, b, c, d = line.lower().split()
        for first, second in [(a, b), (c, d)]:
            for w in (first, second):
                if w not in planted:
                    planted_words.append(w)
                    planted[w] = rng.standard_normal(kv.vector_size).astype(np.float32)
            if section > 0 and (first, second) not in planted:
                planted[second] = planted[first] + offset + 0.3 * rng.standard_normal(kv.vector_size).astype(np.float32)
                planted[(first, second)] = True
    planted_kv = KeyedVectors(kv.vector_size)
    planted_kv.add_vectors(planted_words, np.array([planted[w] for w in planted_words]))
    planted_path = os.path.join(work, "planted.bin")
    planted_kv.save_word2vec_format(planted_path, binary=True)
    planted_kv = KeyedVectors.load_word2vec_format(planted_path, binary=True)
    compare_analogies("planted", planted_path, planted_kv, 30000)

    # Word similarity.
    for pairs in ["wordsim353.tsv", "simlex999.txt"]:
        compare_similarity("lee", vectors, kv, pairs)
        compare_similarity("mixed-case", mixed_path, mixed, pairs)

    # Queries.
    for word in ["government", "police", "australia"]:
        same_neighbours(f"similar {word}", ours("similar", vectors, word, "--json")["neighbours"],
                        kv.most_similar(word, topn=10))
    same_neighbours("similar police fire --negative said",
                    ours("similar", vectors, "police", "fire", "--negative", "said", "--top", "8", "--json")["neighbours"],
                    kv.most_similar(positive=["police", "fire"], negative=["said"], topn=8))
    same_neighbours("similar --restrict 500", ours("similar", vectors, "minister", "--restrict", "500", "--json")["neighbours"],
                    kv.most_similar("minister", topn=10, restrict_vocab=500))
    same_neighbours("analogy --method add",
                    ours("analogy", vectors, "man", "king", "woman", "--json")["neighbours"],
                    kv.most_similar(positive=["king", "woman"], negative=["man"], topn=10))
    same_neighbours("analogy --method mul",
                    ours("analogy", vectors, "man", "king", "woman", "--method", "mul", "--json")["neighbours"],
                    kv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=10))

    # Reading files written by other tools.
    gensim_binary = os.path.join(work, "gensim.bin")
    kv.save_word2vec_format(gensim_binary, binary=True)  # no newline after each vector
    check_reading("gensim binary", gensim_binary, kv)
    our_binary = os.path.join(work, "ours.bin")
    subprocess.run([BINARY, "train", "--input", corpus, "--output", our_binary, "--dim", "20", "--min-count", "3",
                    "--epochs", "1", "--threads", "1", "--quiet", "--binary"], check=True)
    check_reading("C-layout binary", our_binary, KeyedVectors.load_word2vec_format(our_binary, binary=True))
    check_reading("text --limit 200", vectors, KeyedVectors.load_word2vec_format(vectors, limit=200), limit=200)
    check_reading("binary --limit 200", gensim_binary,
                  KeyedVectors.load_word2vec_format(gensim_binary, binary=True, limit=200), limit=200)
    for name in ["lee_fasttext.vec", "EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt", "high_precision.kv.txt"]:
        path = os.path.join(DATA, name)
        check_reading(name, path, KeyedVectors.load_word2vec_format(path))
    check_reading("euclidean_vectors.bin", os.path.join(DATA, "euclidean_vectors.bin"),
                  KeyedVectors.load_word2vec_format(os.path.join(DATA, "euclidean_vectors.bin"), binary=True))
    glove = os.path.join(DATA, "test_glove.txt")
    check_reading("test_glove.txt (no header)", glove, KeyedVectors.load_word2vec_format(glove, no_header=True))

if failures:
    sys.exit(f"interop_queries: {len(failures)} of {checks} checks differ from gensim (first: {failures[0]})")
print(f"interop_queries: all {checks} checks agree with gensim")
