#!/usr/bin/env python3
"""Speed report for every CI log: training words/s of ours against gensim 4.4, same run, same machine.

    python3 .ci/speed_report.py BINARY [--repeat N]

Trains CBOW and skip-gram with negative sampling (dim 100, window 5, negative 5, sample 1e-4, min-count
5, 1 epoch, 2 threads) on gensim's Lee corpus repeated N times (default 25, about 1.5M words), with
our binary and with gensim's Word2Vec(corpus_file=...), and prints words/s and the ratio. It reports,
it never fails on speed: timings on shared 2-core machines vary up to 2x, so a slowdown shows up as
a ratio trend across CI logs, not as a red build. The full comparison is Benchmarks/compare.sh.
"""
import os
import subprocess
import sys
import tempfile
import time


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(argv[1])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 25
    try:
        import gensim  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "gensim==4.4.0"])
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from gensim.models import Word2Vec
    from gensim.test.utils import datapath

    work = tempfile.mkdtemp(prefix="speed-report-")
    corpus = os.path.join(work, "lee.txt")
    with open(datapath("lee_background.cor"), encoding="latin-1") as source:
        lines = [" ".join(line.lower().split()) for line in source if line.strip()]
    with open(corpus, "w") as target:
        for _ in range(repeat):
            target.write("\n".join(lines) + "\n")
    words = sum(len(line.split()) for line in lines) * repeat

    rows = []
    for name, sg in [("cbow-ns", 0), ("sg-ns", 1)]:
        start = time.perf_counter()
        subprocess.run([binary, "train", "--input", corpus, "--output", os.path.join(work, "ours.txt"),
                        "--model", "skipgram" if sg else "cbow", "--dim", "100", "--window", "5", "--negative", "5",
                        "--sample", "1e-4", "--min-count", "5", "--epochs", "1", "--threads", "2", "--quiet"],
                       check=True)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        Word2Vec(corpus_file=corpus, vector_size=100, window=5, sg=sg, negative=5, sample=1e-4, min_count=5,
                 epochs=1, workers=2)
        theirs = time.perf_counter() - start
        rows.append((name, words / ours, words / theirs))
    print(f"speed report: {words} words, 1 epoch, 2 threads (ours: whole process; gensim: the training call)")
    for name, ours, theirs in rows:
        print(f"speed {name}: ours {ours:,.0f} words/s, gensim {theirs:,.0f} words/s, ratio {ours / theirs:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
