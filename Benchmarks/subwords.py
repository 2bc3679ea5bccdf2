#!/usr/bin/env python3
"""Subword vectors against fastText 0.9.2 and gensim 4.4 FastText, at equal settings.

    Benchmarks/subwords.py --corpus FILE [--runs 1] [--combos sg,cbow] [--tools ours,fasttext,gensim]
                           [--binary .build-native/release/word2vec] [--bucket 2000000] [--epochs 5]

Each (combo, tool) trains with dim 100, window 5, negative 5, sample 1e-4, min-count 5,
minn 3, maxn 6, the given bucket count and epochs, learning rate 0.05 (fastText's default for
both architectures, given to all three), 2 threads, and negatives drawn from count^0.5 (fastText's
constant; `--ns-exponent 0.5` for ours, which `word2vec skipgram|cbow -input` sets, and `ns_exponent`
for gensim). Run k gives every tool seed k. Runs alternate tools within each round, so that
a slow spell of the machine hits every tool alike. Reported per run, then as medians:

- wall time of the whole command and words/s (tokens x epochs / wall), peak RSS (/usr/bin/time);
- analogy accuracy (gensim's evaluator, 30k restriction) in all, semantic and syntactic sections;
- out-of-vocabulary analogies: questions of questions-words.txt with a word absent from the training
  vocabulary (but with an answer inside the 30k most frequent words), answered from each tool's
  n-gram vectors by 3CosAdd over its 30k most frequent words: how many and how many right;
- misspellings: for 300 words of rank 500-3000 (length >= 5), a dropped, a doubled and a swapped
  letter (only spellings outside the vocabulary): mean cosine with the correct word.
The vocabulary and ranks of those two are the text's own (whitespace tokens seen 5 times or more,
by count), so every tool gets the same questions and the same misspelt words.

Ours and fastText are run as commands; gensim in a child process of this script (`gensim-train`).
Needs gensim (the venv of Scripts/test.sh) and `fasttext` (Debian: apt-get install fasttext).
"""
import argparse
import collections
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIM, WINDOW, NEGATIVE, SAMPLE, MIN_COUNT, THREADS, MINN, MAXN, LR = 100, 5, 5, 1e-4, 5, 2, 3, 6, 0.05
RESTRICT = 30000


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def command(tool, combo, corpus, prefix, a, seed):
    model = "skipgram" if combo == "sg" else "cbow"
    if tool == "ours":
        return [a.binary, "train", "--input", corpus, "--output", prefix + ".vec", "--save-model", prefix + ".w2v",
                "--model", model, "--dim", str(DIM), "--window", str(WINDOW), "--negative", str(NEGATIVE),
                "--sample", str(SAMPLE), "--epochs", str(a.epochs), "--min-count", str(MIN_COUNT),
                "--threads", str(THREADS), "--alpha", str(LR), "--minn", str(MINN), "--maxn", str(MAXN),
                "--bucket", str(a.bucket), "--ns-exponent", "0.5", "--seed", str(seed), "--quiet"] + a.ours_extra.split()
    if tool == "fasttext":
        return ["fasttext", model, "-input", corpus, "-output", prefix, "-dim", str(DIM), "-ws", str(WINDOW),
                "-neg", str(NEGATIVE), "-t", str(SAMPLE), "-epoch", str(a.epochs), "-minCount", str(MIN_COUNT),
                "-thread", str(THREADS), "-lr", str(LR), "-minn", str(MINN), "-maxn", str(MAXN),
                "-bucket", str(a.bucket), "-seed", str(seed), "-verbose", "0"]
    return [sys.executable, os.path.abspath(__file__), "gensim-train", "--input", corpus, "--output", prefix,
            "--sg", "1" if combo == "sg" else "0", "--epochs", str(a.epochs), "--bucket", str(a.bucket),
            "--seed", str(seed)]


def gensim_train(a):
    from gensim.models import FastText
    m = FastText(corpus_file=a.input, vector_size=DIM, window=WINDOW, sg=a.sg, negative=NEGATIVE, sample=SAMPLE, ns_exponent=0.5,
                 epochs=a.epochs, min_count=MIN_COUNT, workers=THREADS, alpha=LR, min_n=MINN, max_n=MAXN,
                 bucket=a.bucket, seed=a.seed)
    m.wv.save_word2vec_format(a.output + ".vec", binary=False)
    m.wv.save(a.output + ".kv")


class Vectors:
    """A tool's vectors for any word: its .vec file for the vocabulary, its own OOV lookup beside."""

    def __init__(self, tool, prefix, binary):
        import numpy as np
        self.tool, self.prefix, self.binary = tool, prefix, binary
        self.words, rows = [], []
        with open(prefix + ".vec", encoding="utf-8", errors="replace") as f:
            f.readline()
            for line in f:
                parts = line.rstrip().split(" ")
                self.words.append(parts[0])
                rows.append([float(x) for x in parts[1:]])
        self.matrix = np.array(rows, dtype=np.float32)
        self.index = {w: i for i, w in enumerate(self.words)}

    def lookup(self, words):
        """{word: vector} for `words` (OOV ones built from n-grams by the tool itself)."""
        import numpy as np
        words = sorted(set(words))
        if not words:
            return {}
        if self.tool == "gensim":
            from gensim.models import KeyedVectors
            kv = KeyedVectors.load(self.prefix + ".kv")
            return {w: np.asarray(kv[w], dtype=np.float32) for w in words}
        if self.tool == "ours":
            argv = [self.binary, "vector", self.prefix + ".w2v"]
        else:
            argv = ["fasttext", "print-word-vectors", self.prefix + ".bin"]
        out = subprocess.run(argv, input="\n".join(words) + "\n", capture_output=True, text=True).stdout
        result = {}
        for line in out.splitlines():
            parts = line.rstrip().split(" ")
            if len(parts) == DIM + 1:
                result[parts[0]] = np.array([float(x) for x in parts[1:]], dtype=np.float32)
        return result


def analogy_sections(vec_path, questions):
    import logging
    from gensim.models import KeyedVectors
    logging.getLogger("gensim").setLevel(logging.ERROR)
    kv = KeyedVectors.load_word2vec_format(vec_path, binary=False, limit=RESTRICT)
    score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=RESTRICT)
    def acc(names):
        c = sum(len(s["correct"]) for s in sections if s["section"] in names)
        n = c + sum(len(s["incorrect"]) for s in sections if s["section"] in names)
        return (100.0 * c / n if n else None), n
    all_names = {s["section"] for s in sections if s["section"] != "Total accuracy"}
    syntactic = {n for n in all_names if n.startswith("gram")}
    return {"all": acc(all_names), "semantic": acc(all_names - syntactic), "syntactic": acc(syntactic)}


def oov_questions(questions, vocabulary, searched):
    """Questions with a word outside `vocabulary` whose answer is among `searched`."""
    result = []
    with open(questions, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                continue
            words = line.lower().split()
            if len(words) != 4:
                continue
            a, b, c, d = words
            if d in searched and any(w not in vocabulary for w in (a, b, c)):
                result.append(words)
    return result


def unit(x):
    import numpy as np
    n = np.linalg.norm(x)
    return x / n if n > 0 else x


def oov_analogy(vectors, questions):
    import numpy as np
    candidates = vectors.words[:RESTRICT]
    matrix = np.array([unit(v) for v in vectors.matrix[:RESTRICT]])
    lookup = vectors.lookup({w for q in questions for w in q[:3]})
    answered = correct = 0
    for a, b, c, d in questions:
        if not all(w in lookup for w in (a, b, c)):
            continue
        answered += 1
        query = unit(unit(lookup[b]) - unit(lookup[a]) + unit(lookup[c]))
        scores = matrix @ query
        for w in (a, b, c):
            if w in vectors.index and vectors.index[w] < RESTRICT:
                scores[vectors.index[w]] = -np.inf
        correct += candidates[int(np.argmax(scores))] == d
    return answered, correct


def misspellings(words, vocabulary, seed=1):
    random.seed(seed)
    pool = [w for w in words[500:3000] if len(w) >= 5 and w.isalpha()]
    random.shuffle(pool)
    pairs = []
    for w in pool[:300]:
        i = random.randrange(1, len(w) - 1)
        for wrong in (w[:i] + w[i + 1:], w[:i] + w[i] + w[i:], w[:i] + w[i + 1] + w[i] + w[i + 2:]):
            if wrong not in vocabulary and wrong != w:
                pairs.append((wrong, w))
    return pairs


def misspelling_similarity(vectors, pairs):
    import numpy as np
    lookup = vectors.lookup({p[0] for p in pairs})
    cosines = [float(unit(lookup[wrong]) @ unit(vectors.matrix[vectors.index[right]]))
               for wrong, right in pairs if wrong in lookup and right in vectors.index]
    return (statistics.mean(cosines) if cosines else None), len(cosines)


def peak_rss_mb(path):
    with open(path) as f:
        for line in f:
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1]) / 1024
    return None


def cmd_run(a):
    from gensim.test.utils import datapath
    questions = a.questions or (os.path.join(REPO, "..", "shared", "data", "questions-words.txt")
                                if os.path.exists(os.path.join(REPO, "..", "shared", "data", "questions-words.txt"))
                                else datapath("questions-words.txt"))
    # The vocabulary every tool should have (whitespace tokens, min-count 5), ranked by count: the
    # misspelt words and the out-of-vocabulary questions come from it, so that every tool is asked
    # the same ones (each tool's own list orders ties differently, and fastText's starts with its
    # end-of-line token, which would shift the ranks a sample is drawn from).
    counts = collections.Counter()
    with open(a.corpus, encoding="utf-8", errors="replace") as f:
        for line in f:
            counts.update(line.split())
    tokens = sum(counts.values())
    canonical = sorted((w for w, c in counts.items() if c >= MIN_COUNT), key=lambda w: (-counts[w], w))
    canonical_vocabulary = set(canonical)
    oov = oov_questions(questions, canonical_vocabulary, set(canonical[:RESTRICT]))
    pairs = misspellings(canonical, canonical_vocabulary)
    os.makedirs(a.workdir, exist_ok=True)
    tools = [t for t in a.tools.split(",") if t]
    if "fasttext" in tools and not shutil.which("fasttext"):
        sys.exit("fasttext not found (Debian: apt-get install fasttext)")
    results = []
    for run in range(a.first_run, a.first_run + a.runs):
        for combo in a.combos.split(","):
            for tool in tools:
                prefix = os.path.join(a.workdir, f"{combo}.{tool}.{run}")
                argv = command(tool, combo, a.corpus, prefix, a, seed=run)
                t0 = time.perf_counter()
                rc = subprocess.call(["/usr/bin/time", "-v", "-o", prefix + ".time"] + argv,
                                     stdout=subprocess.DEVNULL, stderr=open(prefix + ".log", "w"))
                wall = time.perf_counter() - t0
                if rc != 0:
                    log(f"{tool} {combo} failed ({rc}); see {prefix}.log")
                    continue
                r = {"tool": tool, "combo": combo, "run": run, "wall": wall, "wps": tokens * a.epochs / wall,
                     "rss_mb": peak_rss_mb(prefix + ".time")}
                r["analogy"] = analogy_sections(prefix + ".vec", questions)
                vectors = Vectors(tool, prefix, a.binary)
                r["oov_questions"] = len(oov)
                r["oov_answered"], r["oov_correct"] = oov_analogy(vectors, oov)
                r["misspelt"], r["misspelt_pairs"] = misspelling_similarity(vectors, pairs)
                results.append(r)
                log(f"{combo} {tool} run {run}: {wall:.1f} s, {r['wps']:,.0f} w/s, {r['rss_mb']:.0f} MB, "
                    f"analogy {r['analogy']['all'][0]:.2f} (sem {r['analogy']['semantic'][0]:.2f}, "
                    f"syn {r['analogy']['syntactic'][0]:.2f}), oov {r['oov_correct']}/{r['oov_answered']} "
                    f"of {r['oov_questions']}, misspelt cos {r['misspelt']:.3f} ({r['misspelt_pairs']})")
                for suffix in (".bin", ".w2v", ".kv", ".kv.vectors_ngrams.npy", ".kv.vectors_vocab.npy"):
                    if os.path.exists(prefix + suffix) and not a.keep:
                        os.remove(prefix + suffix)
                with open(os.path.join(a.workdir, "results.json"), "w") as f:
                    json.dump(results, f, indent=1)
    print(f"corpus {a.corpus}: {tokens:,} tokens; dim {DIM}, window {WINDOW}, neg {NEGATIVE}, sample {SAMPLE}, "
          f"epochs {a.epochs}, min-count {MIN_COUNT}, minn {MINN}, maxn {MAXN}, bucket {a.bucket:,}, lr {LR}, "
          f"{THREADS} threads; medians of {a.runs} run(s)")
    print("combo | tool     | words/s   | ours/tool | peak MB | analogy | semantic | syntactic | OOV right/answered | misspelt cos")
    for combo in a.combos.split(","):
        ours = [r["wps"] for r in results if r["combo"] == combo and r["tool"] == "ours"]
        for tool in tools:
            rs = [r for r in results if r["combo"] == combo and r["tool"] == tool]
            if not rs:
                continue
            med = lambda f: statistics.median([f(r) for r in rs])
            ratio = "-" if tool == "ours" or not ours else f"{statistics.median(ours) / med(lambda r: r['wps']):.2f}"
            print(f"{combo:5s} | {tool:8s} | {med(lambda r: r['wps']):9,.0f} | {ratio:>9s} | {med(lambda r: r['rss_mb']):7.0f} | "
                  f"{med(lambda r: r['analogy']['all'][0]):7.2f} | {med(lambda r: r['analogy']['semantic'][0]):8.2f} | "
                  f"{med(lambda r: r['analogy']['syntactic'][0]):9.2f} | "
                  f"{med(lambda r: r['oov_correct']):.0f}/{med(lambda r: r['oov_answered']):.0f} of {med(lambda r: r['oov_questions']):.0f} | "
                  f"{med(lambda r: r['misspelt']):.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--corpus", required=True)
    r.add_argument("--runs", type=int, default=1)
    r.add_argument("--first-run", type=int, default=1, help="number (and seed) of the first run")
    r.add_argument("--combos", default="sg,cbow")
    r.add_argument("--tools", default="ours,fasttext,gensim")
    # The optimised build users are told to make (Scripts/build.sh: -march=native), as bench.py uses;
    # the portable .build/release binary runs the kernels on SSE2.
    r.add_argument("--binary", default=os.path.join(REPO, ".build-native", "release", "word2vec"))
    r.add_argument("--bucket", type=int, default=2_000_000)
    r.add_argument("--epochs", type=int, default=5)
    r.add_argument("--questions")
    r.add_argument("--workdir", default=os.path.join(REPO, "data", "subwords-work"))
    r.add_argument("--keep", action="store_true")
    r.add_argument("--ours-extra", default="", help="more options for ours, e.g. '--min-alpha 0.00005'")
    g = sub.add_parser("gensim-train")
    for name in ("--input", "--output"):
        g.add_argument(name, required=True)
    g.add_argument("--sg", type=int, default=1)
    g.add_argument("--epochs", type=int, default=5)
    g.add_argument("--bucket", type=int, default=2_000_000)
    g.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    {"run": cmd_run, "gensim-train": gensim_train}[a.cmd](a)


if __name__ == "__main__":
    main()
