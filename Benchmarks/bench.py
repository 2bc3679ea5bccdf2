#!/usr/bin/env python3
"""Benchmark driver: swift-word2vec ("ours") vs gensim vs fastText.

Usually started through Benchmarks/compare.sh, which installs the tools,
fetches the corpus and builds our binary first.  Sub-commands:

  bench.py run --corpus FILE [--runs N] [--combos cbow-ns,sg-hs,...]
               [--tools ours,gensim,fasttext] [--binary PATH] ...
      trains every (combo, tool) pair N times under /usr/bin/time -v and
      prints the table of medians.
  bench.py gensim-train ...
      one gensim training run (the command that `run` times for gensim).
  bench.py eval VECTORS.txt [--questions FILE]
      analogy accuracy of one word2vec-format text file.

Every tool is timed the same way: wall time of the whole command (process
start, vocabulary scan, training, writing the text vectors).  words/s is
corpus tokens x epochs / that wall time.  For gensim the time spent inside
the Word2Vec(corpus_file=...) call alone is reported as well.
"""
import argparse
import collections
import heapq
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

# One BLAS thread for numpy/gensim (the analogy evaluation here and the gensim
# training processes, which inherit it) unless the caller set otherwise: the
# evaluation is one matrix-vector product per question, too small to gain from
# BLAS threads, and idle BLAS threads spinning next to the measured process
# only slow things down on 2 cores.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The shared settings.  Learning rates are each tool's own default for the
# architecture: word2vec.c/ours 0.05 cbow, 0.025 skip-gram (gensim is told the
# same explicitly, its own default being 0.025 for both); fastText's CLI
# default is 0.05 for both cbow and skipgram and is passed explicitly.
DIM, WINDOW, NEGATIVE, SAMPLE, EPOCHS, MIN_COUNT, THREADS = 100, 5, 5, 1e-4, 5, 5, 2
COMBOS = {  # name: (model, hierarchical softmax?)
    "cbow-ns": ("cbow", False),
    "cbow-hs": ("cbow", True),
    "sg-ns": ("skipgram", False),
    "sg-hs": ("skipgram", True),
}
TOOLS = ("ours", "gensim", "fasttext")
LR = {"ours": {"cbow": None, "skipgram": None},        # binary's defaults
      "gensim": {"cbow": 0.05, "skipgram": 0.025},
      "fasttext": {"cbow": 0.05, "skipgram": 0.05}}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ commands
def command(tool, combo, corpus, out_prefix, binary):
    """(argv, path of the text vectors it writes) for one training run."""
    model, hs = COMBOS[combo]
    neg = 0 if hs else NEGATIVE
    if tool == "ours":
        out = out_prefix + ".txt"
        argv = [binary, "train", "--input", corpus, "--output", out,
                "--model", model] + (["--hs"] if hs else []) + [
                "--negative", str(neg), "--dim", str(DIM),
                "--window", str(WINDOW), "--sample", str(SAMPLE),
                "--epochs", str(EPOCHS), "--min-count", str(MIN_COUNT),
                "--threads", str(THREADS), "--quiet"]
        return argv, out
    if tool == "gensim":
        out = out_prefix + ".txt"
        argv = [sys.executable, os.path.abspath(__file__), "gensim-train",
                "--input", corpus, "--output", out,
                "--sg", "1" if model == "skipgram" else "0",
                "--hs", "1" if hs else "0", "--negative", str(neg),
                "--alpha", str(LR["gensim"][model]),
                "--stats", out_prefix + ".stats.json"]
        return argv, out
    if tool == "fasttext":
        argv = ["fasttext", model, "-input", corpus, "-output", out_prefix,
                "-dim", str(DIM), "-ws", str(WINDOW), "-neg", str(NEGATIVE),
                "-loss", "hs" if hs else "ns", "-t", str(SAMPLE),
                "-epoch", str(EPOCHS), "-minCount", str(MIN_COUNT),
                "-minn", "0", "-maxn", "0", "-thread", str(THREADS),
                "-lr", str(LR["fasttext"][model]), "-verbose", "0"]
        return argv, out_prefix + ".vec"
    raise ValueError(tool)


def gensim_train(a):
    from gensim.models import Word2Vec
    t0 = time.perf_counter()
    m = Word2Vec(corpus_file=a.input, vector_size=DIM, window=WINDOW,
                 sg=a.sg, hs=a.hs, negative=a.negative, alpha=a.alpha,
                 sample=SAMPLE, epochs=a.epochs, min_count=MIN_COUNT,
                 workers=THREADS)
    t1 = time.perf_counter()
    m.wv.save_word2vec_format(a.output, binary=False)
    t2 = time.perf_counter()
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump({"call_seconds": t1 - t0, "save_seconds": t2 - t1,
                       "corpus_words": m.corpus_total_words,
                       "vocab": len(m.wv)}, f)


# ------------------------------------------------------------------ analogy
def questions_path(explicit=None):
    if explicit:
        return explicit
    shared = os.path.join(REPO, "..", "shared", "data", "questions-words.txt")
    if os.path.exists(shared):
        return os.path.normpath(shared)
    from gensim.test.utils import datapath
    return datapath("questions-words.txt")


RESTRICT = 30000


def analogy(vectors, questions):
    """(accuracy in [0,1], number of questions evaluated).  Only the first
    RESTRICT vectors are loaded: evaluate_word_analogies(restrict_vocab=
    RESTRICT) looks at nothing else, so the result is the same, sooner."""
    import logging
    from gensim.models import KeyedVectors
    logging.getLogger("gensim").setLevel(logging.ERROR)
    kv = KeyedVectors.load_word2vec_format(vectors, binary=False,
                                           limit=RESTRICT)
    score, sections = kv.evaluate_word_analogies(questions,
                                                 restrict_vocab=RESTRICT)
    total = [s for s in sections if s["section"] == "Total accuracy"]
    n = len(total[0]["correct"]) + len(total[0]["incorrect"]) if total else 0
    return float(score), n


# ------------------------------------------------------------------ corpus
def corpus_info(corpus, workdir):
    """Token count, vocabulary size and a memory estimate of the vocabulary,
    cached next to the results (keyed by the corpus' path, size and mtime)."""
    st = os.stat(corpus)
    key = f"{os.path.abspath(corpus)}:{st.st_size}:{int(st.st_mtime)}"
    cache = os.path.join(workdir, "corpus-info.json")
    if os.path.exists(cache):
        with open(cache) as f:
            info = json.load(f)
        if info.get("key") == key:
            return info
    log(f"counting tokens of {corpus} ...")
    counts = collections.Counter()
    with open(corpus, encoding="utf-8", errors="replace") as f:
        for line in f:
            counts.update(line.split())
    tokens = sum(counts.values())
    vocab = {w: c for w, c in counts.items() if c >= MIN_COUNT}
    # Sum of the Huffman code lengths (size of the hierarchical-softmax
    # paths): every merge of two subtrees adds one bit to each of their leaves.
    heap = [(c, i, 1) for i, c in enumerate(vocab.values())]
    heapq.heapify(heap)
    depth_sum, nxt = 0, len(heap)
    while len(heap) > 1:
        c1, _, n1 = heapq.heappop(heap)
        c2, _, n2 = heapq.heappop(heap)
        depth_sum += n1 + n2
        heapq.heappush(heap, (c1 + c2, nxt, n1 + n2))
        nxt += 1
    info = {"key": key, "tokens": tokens, "types": len(counts),
            "vocab": len(vocab),
            "vocab_chars": sum(len(w.encode()) for w in vocab),
            "code_len_sum": depth_sum}
    os.makedirs(workdir, exist_ok=True)
    with open(cache, "w") as f:
        json.dump(info, f)
    return info


def memory_estimate(info, hs):
    """Bytes of what ours must hold: two V x dim float32 matrices (input
    vectors + output weights, syn1neg for NS or syn1 for HS) plus the
    vocabulary: the words' bytes, ~32 B per word for count/index/hash slot,
    and for HS each word's Huffman code and path (1 B + 4 B per code bit)."""
    V = info["vocab"]
    weights = 2 * V * DIM * 4
    vocab = info["vocab_chars"] + 32 * V
    if hs:
        vocab += 5 * info["code_len_sum"]
    return weights, vocab


# ------------------------------------------------------------------ running
def parse_time_v(path):
    rss_kb, user, sys_ = None, 0.0, 0.0
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Maximum resident set size"):
                rss_kb = int(line.rsplit(":", 1)[1])
            elif line.startswith("User time (seconds)"):
                user = float(line.rsplit(":", 1)[1])
            elif line.startswith("System time (seconds)"):
                sys_ = float(line.rsplit(":", 1)[1])
    return rss_kb, user + sys_


def run_one(tool, combo, corpus, workdir, binary, run, tokens, questions,
            keep):
    prefix = os.path.join(workdir, f"{combo}.{tool}.run{run}")
    argv, vec = command(tool, combo, corpus, prefix, binary)
    for p in (vec, prefix + ".bin", prefix + ".stats.json"):
        if os.path.exists(p):
            os.remove(p)
    tfile, lfile = prefix + ".time", prefix + ".log"
    with open(lfile, "w") as lf:
        lf.write(" ".join(argv) + "\n")
        lf.flush()
        t0 = time.perf_counter()
        rc = subprocess.call(["/usr/bin/time", "-v", "-o", tfile] + argv,
                             stdout=lf, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
    res = {"tool": tool, "combo": combo, "run": run, "rc": rc, "wall": wall}
    if rc != 0 or not os.path.exists(vec):
        with open(lfile, errors="replace") as f:
            tail = f.read()[-1500:]
        log(f"  {tool} {combo} run {run} FAILED (exit {rc}); log {lfile}:\n"
            f"{tail}")
        res["rc"] = rc or 1
        return res
    rss_kb, cpu = parse_time_v(tfile)
    res.update(rss_mb=rss_kb / 1024 if rss_kb else None, cpu=cpu,
               wps=tokens * EPOCHS / wall)
    if os.path.exists(prefix + ".stats.json"):
        with open(prefix + ".stats.json") as f:
            st = json.load(f)
        res["call_wps"] = tokens * EPOCHS / st["call_seconds"]
    with open(vec, errors="replace") as f:
        header = f.readline().split()
    res["vocab"] = int(header[0]) if header else None
    t0 = time.perf_counter()
    try:
        res["acc"], res["nq"] = analogy(vec, questions)
    except Exception as e:  # noqa: BLE001 - report, keep benchmarking
        log(f"  analogy evaluation of {vec} failed: {e}")
    res["eval_s"] = time.perf_counter() - t0
    if not keep:
        for p in (vec, prefix + ".bin"):
            if os.path.exists(p):
                os.remove(p)
    return res


def baseline_rss(binary, workdir):
    """Peak RSS (MB) of `BINARY --help`: the process' fixed overhead."""
    tfile = os.path.join(workdir, "baseline.time")
    rc = subprocess.call(["/usr/bin/time", "-v", "-o", tfile, binary,
                          "--help"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    rss_kb, _ = parse_time_v(tfile) if os.path.exists(tfile) else (None, 0)
    return rss_kb / 1024 if rc == 0 and rss_kb else None


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec, na="n/a"):
    return na if x is None else format(x, spec)


def table(results, combos, tools, info, runs):
    out = []
    out.append(f"corpus: {info['corpus']}  ({info['tokens']:,} tokens, "
               f"{info['vocab']:,} words with count >= {MIN_COUNT})")
    out.append(f"settings: dim {DIM}, window {WINDOW}, sample {SAMPLE:g}, "
               f"epochs {EPOCHS}, min-count {MIN_COUNT}, threads {THREADS}; "
               f"ns = negative {NEGATIVE}, hs = hierarchical softmax only; "
               f"medians of {runs} run(s)")
    out.append("words/s = tokens x epochs / wall time of the whole command "
               "(start-up, vocabulary, training, writing vectors)")
    out.append("")
    hdr = ("combo", "tool", "words/s", "ours/peer", "peak RSS MB",
           "analogy %", "#q", "gensim in-call w/s")
    rows = [hdr]
    for combo in combos:
        med = {}
        for tool in tools:
            rs = [r for r in results
                  if r["tool"] == tool and r["combo"] == combo
                  and r["rc"] == 0]
            med[tool] = {k: median([r.get(k) for r in rs])
                         for k in ("wps", "rss_mb", "acc", "nq", "call_wps")}
        ours = med.get("ours", {}).get("wps")
        for tool in tools:
            m = med[tool]
            ratio = "-" if tool == "ours" else (
                "n/a" if not ours or not m["wps"] else f"{ours / m['wps']:.2f}")
            rows.append((
                combo, tool, fmt(m["wps"], ",.0f"), ratio,
                fmt(m["rss_mb"], ".1f"),
                fmt(None if m["acc"] is None else 100 * m["acc"], ".2f"),
                fmt(m["nq"], ".0f"),
                fmt(m["call_wps"], ",.0f", "") if tool == "gensim" else ""))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(hdr))]
    for i, r in enumerate(rows):
        out.append(" | ".join(str(c).ljust(w) if j < 2 else str(c).rjust(w)
                              for j, (c, w) in enumerate(zip(r, widths))
                              ).rstrip())
        if i == 0:
            out.append("-+-".join("-" * w for w in widths))
    out.append("")
    out.append("memory target for ours: peak RSS <= 1.5 x (weights + vocab)"
               + ("" if info.get("ours_baseline_mb") is None else
                  f"; `word2vec --help` alone peaks at "
                  f"{info['ours_baseline_mb']:.1f} MB"))
    for combo in combos:
        hs = COMBOS[combo][1]
        w, v = memory_estimate(info, hs)
        tot = (w + v) / 2**20
        rss = median([r.get("rss_mb") for r in results
                      if r["tool"] == "ours" and r["combo"] == combo
                      and r["rc"] == 0])
        verdict = "n/a" if rss is None else (
            f"{rss:.1f} MB = {rss / tot:.2f}x -> "
            + ("OK" if rss <= 1.5 * tot else "OVER"))
        out.append(f"  {combo}: V={info['vocab']:,} weights 2xVx{DIM}x4 B = "
                   f"{w / 2**20:.1f} MB + vocab ~{v / 2**20:.1f} MB = "
                   f"{tot:.1f} MB; 1.5x = {1.5 * tot:.1f} MB; ours: {verdict}")
    return "\n".join(out)


def cmd_run(a):
    combos = [c.strip() for c in a.combos.split(",") if c.strip()]
    bad = [c for c in combos if c not in COMBOS]
    if bad:
        sys.exit(f"unknown combo(s) {bad}; choose from {list(COMBOS)}")
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOLS]
    if bad:
        sys.exit(f"unknown tool(s) {bad}; choose from {list(TOOLS)}")
    if a.skip_ours and "ours" in tools:
        tools.remove("ours")
    skipped = set()
    if "ours" in tools and not (a.binary and os.access(a.binary, os.X_OK)):
        log(f"our binary {a.binary!r} is missing: ours = n/a")
        skipped.add("ours")
    if "fasttext" in tools and not shutil.which("fasttext"):
        log("fasttext not found: fasttext = n/a")
        skipped.add("fasttext")
    os.makedirs(a.workdir, exist_ok=True)
    questions = questions_path(a.questions)
    info = corpus_info(a.corpus, a.workdir)
    info["corpus"] = a.corpus
    log(f"questions: {questions}")
    log(f"corpus: {info['tokens']:,} tokens, vocabulary {info['vocab']:,}")
    results = []
    jobs = [(run, combo, tool) for run in range(1, a.runs + 1)
            for combo in combos for tool in tools if tool not in skipped]
    t_start = time.perf_counter()
    for i, (run, combo, tool) in enumerate(jobs, 1):
        r = run_one(tool, combo, a.corpus, a.workdir, a.binary, run,
                    info["tokens"], questions, a.keep_vectors)
        results.append(r)
        if r["rc"] == 0:
            log(f"[{i}/{len(jobs)}] {combo:7s} {tool:8s} run {run}: "
                f"{r['wall']:6.1f} s  {r['wps']:>11,.0f} w/s  "
                f"cpu {r['cpu'] / r['wall']:.2f}  "
                f"rss {fmt(r.get('rss_mb'), '.0f')} MB  "
                f"analogy {fmt(None if r.get('acc') is None else 100 * r['acc'], '.2f')}% "
                f"({fmt(r.get('nq'), 'd')} q, eval {r['eval_s']:.0f} s)")
        with open(os.path.join(a.workdir, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    log(f"total {time.perf_counter() - t_start:.0f} s")
    if "ours" in tools and "ours" not in skipped:
        info["ours_baseline_mb"] = baseline_rss(a.binary, a.workdir)
    text = table(results, combos, tools, info, a.runs)
    print(text)
    with open(os.path.join(a.workdir, "table.txt"), "w") as f:
        f.write(text + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the benchmark and print the table")
    r.add_argument("--corpus", required=True)
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--combos", default=",".join(COMBOS))
    r.add_argument("--tools", default=",".join(TOOLS))
    r.add_argument("--skip-ours", action="store_true")
    r.add_argument("--binary", default=os.path.join(
        REPO, ".build", "release", "word2vec"))
    r.add_argument("--questions")
    r.add_argument("--workdir", default=os.path.join(REPO, "data",
                                                     "bench-work"))
    r.add_argument("--keep-vectors", action="store_true",
                   help="keep every run's vectors (default: deleted after "
                        "evaluation)")
    g = sub.add_parser("gensim-train")
    g.add_argument("--input", required=True)
    g.add_argument("--output", required=True)
    g.add_argument("--sg", type=int, required=True)
    g.add_argument("--hs", type=int, required=True)
    g.add_argument("--negative", type=int, required=True)
    g.add_argument("--alpha", type=float, required=True)
    g.add_argument("--stats")
    g.add_argument("--epochs", type=int, default=EPOCHS)
    e = sub.add_parser("eval")
    e.add_argument("vectors")
    e.add_argument("--questions")
    a = p.parse_args()
    if a.cmd == "run":
        cmd_run(a)
    elif a.cmd == "gensim-train":
        gensim_train(a)
    else:
        acc, n = analogy(a.vectors, questions_path(a.questions))
        print(f"{100 * acc:.2f}% of {n} questions")


if __name__ == "__main__":
    main()
