#!/usr/bin/env python3
"""Approximate nearest neighbours: `word2vec index` + `similar --index hnsw` ("ours") against
exact search (`--index exact`) and hnswlib 0.8.0 (PyPI), on the same vectors.

Sets (generated or trained here, never committed; under --work, default data/ann/):
  mixture  ROWS x DIM Gaussian mixture (default 400,000 x 300, 1,000 clusters, seed 1): centres
           N(0, 1); each row its centre plus noise of standard deviation 1.5 / sqrt(d + 1) along
           axis d (a decaying spectrum, as word vectors have), words r0, r1, ...; written as
           word2vec binary, then converted to a model file (mapped when read).
  trained  a model trained by our binary on data/corpus-small.txt (Scripts/fetch-corpus.sh small),
           skip-gram, dimension 100, min-count 1, 5 epochs.

Protocol: the queries are Q rows of the set (seeded), each asking for its 10 nearest other rows;
ground truth is numpy's exact cosine top-10 excluding the row itself. Both indexes use M 16 and
efConstruction 200 and are built with --threads threads (default 2); hnswlib uses its 'ip' space
on the unit rows, asked for 11 neighbours with the row itself dropped. Searches run on ONE thread,
in process, both pinned to the same CPU (--cpu): ours by `word2vec-ann-search` (Benchmarks/
ANNSearch, built beside --binary), which maps the model and its index and times the library call
`similar` and `serve` make per query (`SimilarityIndex.mostSimilar(positive:top:using:)`), without
the command line's reading and printing; hnswlib by knn_query one query at a time (hnswlib
set_num_threads(1)). Each ef gets an untimed warm-up pass, then one timed pass over all queries, for
each tool in turn; --rounds rounds (default 3) of that, and the median queries/s of the rounds is
reported. Exact search (ours, --index exact's code) is timed on --exact-queries of the queries.
"At equal recall" is hnswlib's queries/s interpolated (log-linear) at our recall.

    Scripts/build.sh && swift build -c release -Xcc -march=native --static-swift-stdlib \
        --scratch-path .build-native --product word2vec-ann-search
    python3 Benchmarks/ann.py --binary .build-native/release/word2vec               # 400k x 300
    python3 Benchmarks/ann.py --binary B --rows 100000 --sets mixture               # smaller
    python3 Benchmarks/ann.py --binary B --sets trained
    python3 Benchmarks/ann.py --binary B --reuse                                    # searches only

Needs numpy and hnswlib (pip install hnswlib; compiles with g++ in about a minute).
"""
import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def mixture(rows, dim, clusters, seed):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    scale = (1.5 / np.sqrt(np.arange(1, dim + 1, dtype=np.float32))).astype(np.float32)
    data = np.empty((rows, dim), dtype=np.float32)
    step = 50_000
    for start in range(0, rows, step):
        n = min(step, rows - start)
        labels = rng.integers(0, clusters, n)
        data[start:start + n] = centres[labels] + rng.standard_normal((n, dim), dtype=np.float32) * scale
    return data


def write_word2vec_binary(path, words, data):
    with open(path, "wb") as out:
        out.write(f"{data.shape[0]} {data.shape[1]}\n".encode())
        for word, row in zip(words, data):
            out.write(word.encode() + b" " + row.astype("<f4").tobytes() + b"\n")


def read_word2vec_text(path):
    with open(path, encoding="utf-8") as f:
        rows, dim = map(int, f.readline().split())
        words = []
        data = np.empty((rows, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip("\n").rstrip(" ").split(" ")
            words.append(parts[0])
            data[i] = np.asarray(parts[1:], dtype=np.float32)
    return words, data


def unit(data):
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return (data / norms).astype(np.float32)


def exact_top(units, queries, k):
    truth = []
    for start in range(0, len(queries), 256):
        block = queries[start:start + 256]
        scores = units[block] @ units.T
        scores[np.arange(len(block)), block] = -np.inf
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        truth.extend(set(row) for row in top)
    return truth


def timed(command, stdin_text=None):
    start = time.perf_counter()
    run = subprocess.run(command, input=stdin_text, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"failed ({run.returncode}): {' '.join(command)}\n{run.stderr}")
    return elapsed, run.stdout, run.stderr


def max_rss_of(command):
    """Runs `command` and returns (seconds, peak resident MiB, stderr) from GNU time."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M"] + command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{run.stderr}")
    rss = [int(line.split()[1]) for line in run.stderr.splitlines() if line.startswith("MAXRSS")]
    return elapsed, rss[-1] / 1024 if rss else float("nan"), run.stderr


def ours_searches(search_binary, model, queries, efs, exact, cpu, work):
    """Runs word2vec-ann-search once: {ef or "exact": ((seconds, CPU seconds) of its timed pass, rows found per query)}."""
    pinned = ["taskset", "-c", str(cpu)] if cpu is not None else []
    query_file = os.path.join(work, "queries.txt")
    with open(query_file, "w") as f:
        f.write("".join(f"{q}\n" for q in queries))
    out = os.path.join(work, "found")
    os.makedirs(out, exist_ok=True)
    _, stdout, _ = timed(pinned + [search_binary, model, query_file, out, "--efs", ",".join(map(str, efs)),
                                   "--passes", "1", "--exact", str(exact)])
    results = {}
    for line in stdout.splitlines():
        record = json.loads(line)
        key = record["ef"] if record["ef"] is not None else "exact"
        with open(os.path.join(out, f"ef-{key}.txt" if key != "exact" else "exact.txt")) as f:
            found = [[int(v) for v in line.split()] for line in f]
        results[key] = ((record["seconds"][0], record["cpu_seconds"][0]), found)
    return results


def recall(found_ids, truth):
    hits = sum(len(set(f) & t) for f, t in zip(found_ids, truth))
    return hits / (10 * len(truth))


def interpolate_qps(points, target):
    """hnswlib's queries/s at recall `target` from its (recall, qps) curve, log-linear."""
    points = sorted(points)
    for (r0, q0), (r1, q1) in zip(points, points[1:]):
        if r0 <= target <= r1:
            if r1 == r0:
                return max(q0, q1)
            t = (target - r0) / (r1 - r0)
            return math.exp(math.log(q0) + t * (math.log(q1) - math.log(q0)))
    return None


HNSWLIB_BUILD = r"""
import sys, time, resource, numpy as np, hnswlib
units = np.load(sys.argv[1]); threads = int(sys.argv[2]); out = sys.argv[3]
start = time.perf_counter()
index = hnswlib.Index(space="ip", dim=units.shape[1])
index.init_index(max_elements=units.shape[0], M=16, ef_construction=200, random_seed=1)
index.set_num_threads(threads)
index.add_items(units, np.arange(units.shape[0]))
print(time.perf_counter() - start)
index.save_index(out)
"""


def bench(name, binary, model, words, units, args):
    work = args.work
    rng = np.random.default_rng(2)
    queries = np.sort(rng.choice(len(words), size=min(args.queries, len(words)), replace=False))
    truth = exact_top(units, queries, 10)
    result = {"set": name, "rows": len(words), "dimension": units.shape[1], "queries": len(queries), "threads": args.threads}

    hnswlib_path = os.path.join(work, f"{name}.hnswlib")
    if not (args.reuse and os.path.exists(model + ".hnsw")):
        seconds, rss, stderr = max_rss_of([binary, "index", model, "--threads", str(args.threads)])
        result["ours_build_s"], result["ours_build_peak_mib"] = round(seconds, 1), round(rss)
        log(f"[{name}] ours built in {seconds:.1f} s, peak {rss:.0f} MiB: {stderr.strip().splitlines()[0]}")
    if not (args.reuse and os.path.exists(hnswlib_path)):
        # In its own process for its peak memory.
        npy = os.path.join(work, f"{name}-units.npy")
        np.save(npy, units)
        # Under GNU time too: a child's own ru_maxrss on Linux starts from its parent's at fork.
        run = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M", sys.executable, "-c", HNSWLIB_BUILD, npy, str(args.threads),
                              hnswlib_path], capture_output=True, text=True, check=True)
        os.remove(npy)
        seconds = float(run.stdout.split()[0])
        rss = [int(line.split()[1]) / 1024 for line in run.stderr.splitlines() if line.startswith("MAXRSS")][-1]
        result["hnswlib_build_s"], result["hnswlib_build_peak_mib"] = round(seconds, 1), round(rss)
        log(f"[{name}] hnswlib built in {seconds:.1f} s, peak {rss:.0f} MiB")

    import hnswlib
    graph = hnswlib.Index(space="ip", dim=units.shape[1])
    graph.load_index(hnswlib_path, max_elements=len(words))
    graph.set_num_threads(1)

    def hnswlib_pass(ef):
        graph.set_ef(max(ef, 11))
        start, cpu_start = time.perf_counter(), time.process_time()
        ids = [graph.knn_query(units[q:q + 1], k=11)[0][0] for q in queries]
        seconds = (time.perf_counter() - start, time.process_time() - cpu_start)
        return seconds, [[i for i in row if i != q][:10] for row, q in zip(ids, queries)]

    ours_seconds = {ef: [] for ef in args.efs}
    hnswlib_seconds = {ef: [] for ef in args.efs}
    exact_seconds = []
    for turn in range(args.rounds):
        # Ours (a process of its own, pinned), then hnswlib (this process, pinned to the same CPU).
        ours = ours_searches(args.search_binary, model, queries, args.efs, args.exact_queries, args.cpu, work)
        exact_seconds.append(ours["exact"][0])
        if args.cpu is not None:
            os.sched_setaffinity(0, {args.cpu})
        for ef in args.efs:
            ours_seconds[ef].append(ours[ef][0])
            hnswlib_pass(ef)  # warm-up
            seconds, hnswlib_found = hnswlib_pass(ef)
            hnswlib_seconds[ef].append(seconds)
            if turn == 0:
                ours_recall = recall(ours[ef][1], truth)
                hnswlib_recall = recall(hnswlib_found, truth)
                result.setdefault("recalls", {})[ef] = (ours_recall, hnswlib_recall)
        if args.cpu is not None:
            os.sched_setaffinity(0, set(range(os.cpu_count())))
        log(f"[{name}] round {turn + 1} (load {os.getloadavg()[0]:.1f}): " + ", ".join(
            f"ef {ef} ours {len(queries) / ours[ef][0][0]:.0f} hnswlib {len(queries) / hnswlib_seconds[ef][-1][0]:.0f}"
            for ef in args.efs) + " q/s")
    exact_count = min(args.exact_queries, len(queries))
    result["exact_qps"] = round(exact_count / statistics.median(s for s, _ in exact_seconds), 1)
    result["exact_cpu_qps"] = round(exact_count / statistics.median(c for _, c in exact_seconds), 1)
    result["exact_recall"] = recall(ours["exact"][1], truth[:exact_count])
    result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    # Queries/s from the median elapsed time of the rounds ("qps"), and from the median CPU time of
    # the searching process ("cpu_qps": less distorted by other work on a shared machine).
    curve = []
    for which, clock in (("qps", 0), ("cpu_qps", 1)):
        hnswlib_points = [(result["recalls"][ef][1], len(queries) / statistics.median(t[clock] for t in hnswlib_seconds[ef]))
                          for ef in args.efs]
        for i, ef in enumerate(args.efs):
            if len(curve) <= i:
                curve.append({"ef": ef, "ours_recall": round(result["recalls"][ef][0], 4),
                              "hnswlib_recall": round(result["recalls"][ef][1], 4)})
            point = curve[i]
            ours_qps = len(queries) / statistics.median(t[clock] for t in ours_seconds[ef])
            at = interpolate_qps(hnswlib_points, result["recalls"][ef][0])
            point[f"ours_{which}"] = round(ours_qps)
            point[f"hnswlib_{which}"] = round(hnswlib_points[i][1])
            point[f"hnswlib_{which}_at_our_recall"] = round(at) if at else None
            point[f"ours_over_hnswlib_{which}_at_equal_recall"] = round(ours_qps / at, 2) if at else None
            point[f"{which}_over_exact"] = round(ours_qps / result[f"exact_{which}"], 1)
    del result["recalls"]
    result["curve"] = curve
    log(f"[{name}] ef | recall ours hnswlib | q/s ours hnswlib (CPU-time q/s) | ours / hnswlib at our recall | ours / exact")
    for p in curve:
        log(f"[{name}] {p['ef']} | {p['ours_recall']:.4f} {p['hnswlib_recall']:.4f} | {p['ours_qps']} {p['hnswlib_qps']} "
            f"({p['ours_cpu_qps']} {p['hnswlib_cpu_qps']}) | {p['ours_over_hnswlib_qps_at_equal_recall']} "
            f"({p['ours_over_hnswlib_cpu_qps_at_equal_recall']}) | {p['qps_over_exact']} ({p['cpu_qps_over_exact']})")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="word2vec (builds the indexes, trains the model)")
    parser.add_argument("--search-binary", help="word2vec-ann-search (default: beside --binary)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes per ef and tool (median reported)")
    parser.add_argument("--sets", default="mixture,trained")
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--exact-queries", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2, help="build threads (both)")
    parser.add_argument("--cpu", type=int, default=0, help="CPU the searches are pinned to")
    parser.add_argument("--efs", default="10,16,24,32,48,64,96,128")
    parser.add_argument("--reuse", action="store_true", help="build only the indexes that are missing")
    parser.add_argument("--work", default=os.path.join(REPO, "data", "ann"))
    parser.add_argument("--corpus", default=os.path.join(REPO, "data", "corpus-small.txt"))
    args = parser.parse_args()
    args.efs = [int(v) for v in args.efs.split(",")]
    args.binary = os.path.abspath(args.binary)
    args.search_binary = os.path.abspath(args.search_binary or os.path.join(os.path.dirname(args.binary), "word2vec-ann-search"))
    os.makedirs(args.work, exist_ok=True)
    results = []
    for name in args.sets.split(","):
        if name == "mixture":
            tag = f"mixture-{args.rows}x{args.dim}"
            model = os.path.join(args.work, tag + ".w2v")
            words = [f"r{i}" for i in range(args.rows)]
            start = time.perf_counter()
            data = mixture(args.rows, args.dim, args.clusters, seed=1)
            if not os.path.exists(model):
                binary_path = os.path.join(args.work, tag + ".bin")
                write_word2vec_binary(binary_path, words, data)
                timed([args.binary, "convert", binary_path, "--to", "model", "--output", model])
                os.remove(binary_path)
            log(f"[{tag}] vectors ready in {time.perf_counter() - start:.1f} s")
            results.append(bench(tag, args.binary, model, words, unit(data), args))
        elif name == "trained":
            if not os.path.exists(args.corpus):
                raise SystemExit(f"{args.corpus} is missing: run Scripts/fetch-corpus.sh small")
            model = os.path.join(args.work, "trained")
            if not os.path.exists(model + ".w2v"):
                timed([args.binary, "train", "--input", args.corpus, "--output", model + ".txt", "--save-model", model + ".w2v",
                       "--model", "skipgram", "--dim", "100", "--min-count", "1", "--epochs", "5",
                       "--threads", str(args.threads)])
            text = model + ".txt"
            words, data = read_word2vec_text(text)
            results.append(bench("trained", args.binary, model + ".w2v", words, unit(data), args))
        else:
            raise SystemExit(f"unknown set {name}")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
