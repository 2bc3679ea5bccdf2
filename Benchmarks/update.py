#!/usr/bin/env python3
"""Incremental training: is `train A` then `update B` as good as training on all the text at once?

    .build/venv/bin/python Benchmarks/update.py [--corpus data/corpus-bench.txt] [--split alternate|halves]
        [--combos cbow-ns,sg-ns,cbow-hs,sg-hs] [--seeds 1,2,3] [--stream 10] [--no-gensim] [--no-split]

Split: the corpus's lines cut into A and B (`alternate`: odd and even lines, the issue's split;
`halves`: first and second half). For each combination and seed it trains A alone, A then
`word2vec update` with B, and all the text from scratch, and the same with gensim
(`build_vocab(update=True)` + `train` on B; gensim's own defaults for the learning rate). It prints
analogy accuracy (questions-words, `word2vec evaluate analogies --restrict 30000`, which equals gensim's
`evaluate_word_analogies` with `restrict_vocab=30000`),
CPU seconds of our runs (user + system: wall time on a shared machine says little; gensim's times
are wall seconds), and for the update how
well old words keep their meaning: for the words of A's vocabulary that B does not contain, the mean
cosine between each word's vector before and after the update once the after-space is rotated onto
the before-space (orthogonal Procrustes over all shared words), and how many of their 10 nearest
neighbours (among A's words) stay the same. The vocabulary after the update is checked against the
scratch one (words and counts, in order).

Stream (`--stream K`): the corpus cut into K consecutive parts, the first trained, each further one
added with `update`; the final model against scratch, and the stream's total CPU seconds against
the scratch run's. Medians over the seeds are printed last. Settings: dim 100, window 5, sample 1e-4,
min-count 5, 5 epochs, 2 threads. Work files in data/update-work/ (WORKDIR to change).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMBOS = {
    "cbow-ns": (["--model", "cbow", "--negative", "5"], dict(sg=0, hs=0, negative=5)),
    "sg-ns": (["--model", "skipgram", "--negative", "5"], dict(sg=1, hs=0, negative=5)),
    "cbow-hs": (["--model", "cbow", "--hs", "--negative", "0"], dict(sg=0, hs=1, negative=0)),
    "sg-hs": (["--model", "skipgram", "--hs", "--negative", "0"], dict(sg=1, hs=1, negative=0)),
}
COMMON = ["--dim", "100", "--window", "5", "--sample", "1e-4", "--min-count", "5", "--epochs", "5",
          "--threads", "2", "--quiet"]


def timed(command):
    """CPU seconds (user + system) of `command`: comparable across runs on a shared machine, where
    wall time depends on what else runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def load(path):
    from gensim.models import KeyedVectors
    return KeyedVectors.load_word2vec_format(path, binary=True)


def analogy(path, questions, binary):
    """Analogy accuracy of the vectors at `path`: `word2vec evaluate analogies --restrict 30000`, equal
    to gensim's `evaluate_word_analogies(restrict_vocab=30000)` (checked in CI) and much faster."""
    out = subprocess.run([binary, "evaluate", "analogies", path, questions, "--restrict", "30000", "--json"],
                         check=True, capture_output=True, text=True).stdout
    return 100 * json.loads(out)["total"]["accuracy"]


def drift(before, after, absent):
    """Mean cosine before/after (after Procrustes) and 10-NN overlap for the words in `absent`."""
    shared = [w for w in before.index_to_key if w in after.key_to_index]
    b = before[shared] / np.linalg.norm(before[shared], axis=1, keepdims=True)
    a = after[shared] / np.linalg.norm(after[shared], axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(shared)}
    rows = np.array([index[w] for w in absent if w in index])
    if len(rows) == 0:
        return float("nan"), float("nan")
    return drift_of_rows(b, a, rows)


def drift_of_rows(b, a, rows):
    """For unit rows `b` (before) and `a` (after), `a` rotated onto `b` (orthogonal Procrustes over
    all rows): the mean cosine of `rows` with their old selves, and the share of their 10 nearest
    rows kept (over 500 of them, a seeded sample)."""
    u, _, vt = np.linalg.svd(a.T @ b)
    a = a @ (u @ vt)
    cosine = float(np.mean(np.sum(a[rows] * b[rows], axis=1)))
    sample = rows[np.random.default_rng(0).permutation(len(rows))[:500]]
    overlap = []
    for i in sample:
        nb = set(np.argsort(-(b @ b[i]))[1:11])
        na = set(np.argsort(-(a @ a[i]))[1:11])
        overlap.append(len(nb & na) / 10)
    return cosine, float(np.mean(overlap))


def words_of(path):
    seen = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            seen.update(line.split())
    return seen


class Sentences:
    def __init__(self, path):
        self.path = path

    def __iter__(self):
        with open(self.path, encoding="utf-8", errors="replace") as f:
            for line in f:
                words = line.split()
                if words:
                    yield words[:10000]


def gensim_run(a_path, b_path, all_path, settings, seed, work):
    from gensim.models import Word2Vec
    kw = dict(vector_size=100, window=5, sample=1e-4, min_count=5, workers=2, epochs=5, seed=seed, **settings)
    t0 = time.time()
    model = Word2Vec(Sentences(a_path), **kw)
    t1 = time.time()
    model.wv.save_word2vec_format(f"{work}/g-A.bin", binary=True)
    b = Sentences(b_path)
    t2 = time.time()
    model.build_vocab(b, update=True)
    model.train(b, total_examples=model.corpus_count, epochs=model.epochs)
    t3 = time.time()
    model.wv.save_word2vec_format(f"{work}/g-update.bin", binary=True)
    words = len(model.wv)
    t4 = time.time()
    scratch = Word2Vec(Sentences(all_path), **kw)
    t5 = time.time()
    scratch.wv.save_word2vec_format(f"{work}/g-scratch.bin", binary=True)
    return (t1 - t0, t3 - t2, t5 - t4), words, len(scratch.wv)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=os.path.join(ROOT, "data/corpus-bench.txt"))
    parser.add_argument("--split", default="alternate", choices=["alternate", "halves"])
    parser.add_argument("--combos", default="cbow-ns,sg-ns,cbow-hs,sg-hs")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--stream", type=int, default=10, help="batches of the stream, 0 = no stream")
    parser.add_argument("--stream-combos", default=None, help="combinations for the stream (default: --combos)")
    parser.add_argument("--no-gensim", action="store_true")
    parser.add_argument("--no-split", action="store_true")
    parser.add_argument("--no-ours", action="store_true", help="only gensim's rows of the split")
    parser.add_argument("--questions", default=os.path.join(ROOT, "../shared/data/questions-words.txt"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/word2vec"))
    args = parser.parse_args()
    if not os.path.exists(args.questions):
        from gensim.test.utils import datapath
        args.questions = datapath("questions-words.txt")
    work = os.environ.get("WORKDIR", os.path.join(ROOT, "data/update-work"))
    os.makedirs(work, exist_ok=True)
    binary = args.binary
    lines = open(args.corpus, encoding="utf-8", errors="replace").read().splitlines()
    if args.split == "alternate":
        parts = [lines[0::2], lines[1::2]]
    else:
        parts = [lines[:len(lines) // 2], lines[len(lines) // 2:]]
    for name, part in zip("AB", parts):
        with open(f"{work}/{name}.txt", "w", encoding="utf-8") as f:
            f.write("\n".join(part) + "\n")
    seeds = [int(s) for s in args.seeds.split(",")]
    combos = args.combos.split(",")
    results = {}  # (combo, row) -> [values]

    def record(combo, row, value):
        results.setdefault((combo, row), []).append(value)

    print(f"corpus {args.corpus}: {args.split} split, A {sum(len(l.split()) for l in parts[0])} words, "
          f"B {sum(len(l.split()) for l in parts[1])} words; seeds {seeds}", flush=True)

    def ours(combo, seed, opts):
        t_a = timed([binary, "train", "--input", f"{work}/A.txt", "--save-model", f"{work}/A.w2v",
                     "--output", f"{work}/A.bin", "--binary"] + opts)
        t_u = timed([binary, "update", "--model", f"{work}/A.w2v", "--input", f"{work}/B.txt",
                     "--output", f"{work}/update.w2v", "--vectors", f"{work}/update.bin", "--binary", "--quiet"])
        t_s = timed([binary, "train", "--input", args.corpus, "--save-model", f"{work}/scratch.w2v",
                     "--output", f"{work}/scratch.bin", "--binary"] + opts)
        before, after, scratch = load(f"{work}/A.bin"), load(f"{work}/update.bin"), load(f"{work}/scratch.bin")
        same_vocabulary = after.index_to_key == scratch.index_to_key and all(
            after.get_vecattr(w, "count") == scratch.get_vecattr(w, "count") for w in scratch.index_to_key)
        in_b = words_of(f"{work}/B.txt")
        absent = [w for w in before.index_to_key if w not in in_b]
        cosine, overlap = drift(before, after, absent)
        row = {k: analogy(f"{work}/{k}.bin", args.questions, binary) for k in ("A", "update", "scratch")}
        print(f"{combo} seed {seed}: A {row['A']:.2f} ({t_a:.0f} cpu-s)  A+update {row['update']:.2f} ({t_u:.0f} cpu-s)  "
              f"scratch {row['scratch']:.2f} ({t_s:.0f} cpu-s)  gap {row['scratch'] - row['update']:.2f}  "
              f"vocabulary {'== scratch' if same_vocabulary else 'DIFFERS from scratch'} ({len(after)} words)  "
              f"{len(absent)} A words not in B: cosine to before {cosine:.3f}, 10-NN kept {overlap:.2f}", flush=True)
        for key, value in row.items():
            record(combo, key, value)
        record(combo, "gap", row["scratch"] - row["update"])
        record(combo, "cosine", cosine)
        record(combo, "overlap", overlap)

    for combo in ([] if args.no_split else combos):
        flags, settings = COMBOS[combo]
        for seed in seeds:
            opts = COMMON + flags + ["--seed", str(seed)]
            if not args.no_ours:
                ours(combo, seed, opts)
            if not args.no_gensim:
                (g_a, g_u, g_s), g_words, g_scratch_words = gensim_run(
                    f"{work}/A.txt", f"{work}/B.txt", args.corpus, settings, seed, work)
                g = {k: analogy(f"{work}/g-{k}.bin", args.questions, binary) for k in ("A", "update", "scratch")}
                print(f"{combo} seed {seed} gensim: A {g['A']:.2f} ({g_a:.0f}s)  A+update {g['update']:.2f} ({g_u:.0f}s, "
                      f"{g_words} words)  scratch {g['scratch']:.2f} ({g_s:.0f}s, {g_scratch_words} words)", flush=True)
                for key, value in g.items():
                    record(combo, "gensim " + key, value)

    if args.stream:
        k = args.stream
        size = (len(lines) + k - 1) // k
        batches = []
        for i in range(k):
            path = f"{work}/batch{i}.txt"
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines[i * size:(i + 1) * size]) + "\n")
            batches.append(path)
        for combo in (args.stream_combos or args.combos).split(","):
            flags, _ = COMBOS[combo]
            for seed in seeds:
                opts = COMMON + flags + ["--seed", str(seed)]
                total = timed([binary, "train", "--input", batches[0], "--save-model", f"{work}/stream.w2v",
                               "--output", f"{work}/stream.bin", "--binary"] + opts)
                for i, path in enumerate(batches[1:], start=2):
                    # Vectors only at the end: a stream keeps its model file between batches.
                    vectors = ["--vectors", f"{work}/stream.bin", "--binary"] if i == k else []
                    total += timed([binary, "update", "--model", f"{work}/stream.w2v", "--input", path,
                                    "--output", f"{work}/stream.w2v", "--quiet"] + vectors)
                t_s = timed([binary, "train", "--input", args.corpus, "--output", f"{work}/scratch.bin", "--binary"]
                            + opts)
                s, sc = analogy(f"{work}/stream.bin", args.questions, binary), analogy(f"{work}/scratch.bin", args.questions, binary)
                print(f"{combo} seed {seed} stream of {k}: {s:.2f}  scratch {sc:.2f}  gap {sc - s:.2f}  "
                      f"cost {total:.0f}s / {t_s:.0f}s = {total / t_s:.2f}x scratch", flush=True)
                record(combo, "stream", s)
                record(combo, "stream scratch", sc)
                record(combo, "stream gap", sc - s)
                record(combo, "stream cost", total / t_s)

    print("\nmedians over seeds:")
    for (combo, row), values in results.items():
        print(f"{combo:8s} {row:16s} {statistics.median(values):8.3f}   ({len(values)} seeds: "
              f"{', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    sys.exit(main())
