#!/usr/bin/env python3
"""The speed-quality frontier: analogy accuracy against wall time for ours, gensim, fastText and the
word2vec C tool, each trained at several epoch counts on the same text with bench.py's settings
(dim 100, window 5, sample 1e-4, min-count 5, negative 5 or hierarchical softmax, 2 threads; each
tool's own starting rate as bench.py passes it).

    python3 Benchmarks/frontier.py run --corpus data/corpus-bench.txt --binary .build-native/release/word2vec
        [--combos cbow-ns,sg-ns,cbow-hs,sg-hs] [--tools ours,gensim,fasttext,ctool]
        [--ours-epochs 1,2,3,5,8] [--peer-epochs 1,3,5] [--ours-floors default,1e-4] [--runs 1]
    python3 Benchmarks/frontier.py chart [--output docs/frontier]   # SVGs from the results so far

`run` appends one JSON line per training run to WORKDIR/results.jsonl (default data/frontier/) and
skips the cells it already holds, so an interrupted run goes on where it stopped (--fresh starts
over). Runs go tool by tool inside each (combo, epochs) so that load from elsewhere hits every tool
alike. Wall time is the whole command, as in bench.py: start-up, counting, training, writing the
text vectors. Accuracy is gensim's evaluate_word_analogies on questions-words, restrict 30,000.

Printed per combo: every run, then the goal the issue sets: at gensim's wall time for 5 epochs,
ours, with the most accurate of its runs that fit in that time, is at least 2 analogy points above
every peer's 5-epoch result. `--ours-floors` adds our runs at other learning-rate floors (the
final rate as a fraction of the starting one; `default` is the binary's own), to choose defaults.

`chart` draws one SVG per combo with our plotting code (Word2VecPlotting's LineChart, through the
`frontier-chart` benchmark executable, built here when missing): accuracy against wall time, a line
per tool through its epoch counts, dashed guides at gensim's 5-epoch time and at the best peer's
5-epoch accuracy + 2.

Tools: gensim from .build/venv (Scripts/test.sh makes it), `fasttext` from Debian (installed when
missing), the C tool built as Benchmarks/scaling.sh builds it (word2vec.c from PyPI's `word2vec`
0.11.1 sdist, gcc -O3 -march=native), never committed.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the shared settings, commands and the analogy evaluation)

REPO = bench.REPO
TOOLS = ("ours", "gensim", "fasttext", "ctool")
GOAL_MARGIN = 2.0


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def alpha(tool, combo):
    model = bench.COMBOS[combo][0]
    if tool == "fasttext":
        return bench.LR["fasttext"][model]
    return 0.05 if model == "cbow" else 0.025


def ensure_ctool(workdir):
    path = os.path.join(workdir, "word2vec-c")
    if os.path.exists(path):
        return path
    if shutil.which("gcc") is None:
        subprocess.check_call("apt-get update -qq && apt-get install -y -qq gcc", shell=True)
    src = os.path.join(workdir, "ctool-src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                           "word2vec==0.11.1", "-d", src])
    subprocess.check_call(["tar", "xzf", os.path.join(src, "word2vec-0.11.1.tar.gz"), "-C", src])
    subprocess.check_call(["gcc", "-O3", "-march=native", "-funroll-loops", "-pthread", "-Wno-unused-result",
                           os.path.join(src, "word2vec-0.11.1", "word2vec", "includes", "word2vec.c"), "-o", path, "-lm"])
    return path


def ensure_fasttext():
    if shutil.which("fasttext") is None:
        subprocess.check_call("apt-get update -qq && apt-get install -y -qq fasttext", shell=True)


def command(tool, combo, epochs, floor, run, corpus, prefix, binary, ctool):
    """(argv, text vectors it writes) for one run; ours' run k trains with seed k."""
    model, hs = bench.COMBOS[combo]
    if tool == "ours":
        argv, out = bench.command("ours", combo, corpus, prefix, binary)
        argv[argv.index("--epochs") + 1] = str(epochs)
        argv += ["--seed", str(run)]
        if floor != "default":
            argv += ["--min-alpha", repr(float(floor) * alpha("ours", combo))]
        return argv, out
    if tool == "gensim":
        argv, out = bench.command("gensim", combo, corpus, prefix, binary)
        return argv + ["--epochs", str(epochs)], out
    if tool == "fasttext":
        argv, out = bench.command("fasttext", combo, corpus, prefix, binary)
        argv[argv.index("-epoch") + 1] = str(epochs)
        return argv, out
    out = prefix + ".txt"
    return [ctool, "-train", corpus, "-output", out, "-binary", "0", "-cbow", "1" if model == "cbow" else "0",
            "-hs", "1" if hs else "0", "-negative", "0" if hs else str(bench.NEGATIVE), "-size", str(bench.DIM),
            "-window", str(bench.WINDOW), "-sample", str(bench.SAMPLE), "-min-count", str(bench.MIN_COUNT),
            "-alpha", str(alpha("ctool", combo)), "-iter", str(epochs), "-threads", str(bench.THREADS)], out


def run_one(cell, corpus, workdir, binary, ctool, questions):
    tool, combo, epochs, floor, run = cell
    prefix = os.path.join(workdir, f"{combo}.{tool}.e{epochs}.f{floor}.r{run}")
    argv, vectors = command(tool, combo, epochs, floor, run, corpus, prefix, binary, ctool)
    with open(prefix + ".log", "w") as out:
        t0 = time.perf_counter()
        rc = subprocess.call(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
    result = {"tool": tool, "combo": combo, "epochs": epochs, "floor": floor, "run": run, "rc": rc,
              "wall": wall, "load": os.getloadavg()[0]}
    if rc == 0 and os.path.exists(vectors):
        accuracy, questions_seen = bench.analogy(vectors, questions)
        result.update(accuracy=100 * accuracy, questions=questions_seen)
    else:
        log(f"  {tool} {combo} {epochs} epochs FAILED (exit {rc}); see {prefix}.log")
    for path in (vectors, prefix + ".bin", prefix + ".stats.json"):
        if os.path.exists(path):
            os.remove(path)
    return result


def load_results(workdir):
    path = os.path.join(workdir, "results.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def series(results, combo):
    """{name: [(epochs, median wall, median accuracy)]} for one combo, epochs ascending."""
    groups = {}
    for r in results:
        if r["combo"] == combo and r["rc"] == 0 and "accuracy" in r:
            name = r["tool"] if r["tool"] != "ours" or r["floor"] == "default" else f"ours, floor {r['floor']}"
            groups.setdefault(name, {}).setdefault(r["epochs"], []).append(r)
    return {name: [(e, statistics.median(x["wall"] for x in rs), statistics.median(x["accuracy"] for x in rs))
                   for e, rs in sorted(by_epochs.items())]
            for name, by_epochs in groups.items()}


def goal(lines):
    """(gensim's 5-epoch time, ours' best accuracy within it and its epochs, best peer 5-epoch
    accuracy and its name), or None when a needed run is missing."""
    gensim5 = [wall for e, wall, _ in lines.get("gensim", []) if e == 5]
    peers5 = [(acc, name) for name in ("gensim", "fasttext", "ctool") for e, _, acc in lines.get(name, []) if e == 5]
    if not gensim5 or not peers5:
        return None
    budget = gensim5[0]
    fitting = [(acc, e) for e, wall, acc in lines.get("ours", []) if wall <= budget]
    best_ours = max(fitting) if fitting else None
    return budget, best_ours, max(peers5)


def report(results, combos):
    for combo in combos:
        lines = series(results, combo)
        if not lines:
            continue
        print(f"\n{combo}")
        print(f"  {'tool':24} {'epochs':>6} {'wall s':>8} {'analogy %':>9}")
        for name, points in lines.items():
            for e, wall, acc in points:
                print(f"  {name:24} {e:>6} {wall:>8.1f} {acc:>9.2f}")
        outcome = goal(lines)
        if outcome is None:
            print("  goal: needs gensim's and the peers' 5-epoch runs")
            continue
        budget, best_ours, (peer_acc, peer) = outcome
        if best_ours is None:
            print(f"  goal: no run of ours fits in gensim's 5-epoch time ({budget:.1f} s): NOT MET")
            continue
        margin = best_ours[0] - peer_acc
        verdict = "met" if margin >= GOAL_MARGIN else "NOT MET"
        print(f"  goal: within gensim's 5-epoch time ({budget:.1f} s) ours reaches {best_ours[0]:.2f} "
              f"({best_ours[1]} epochs); best peer at 5 epochs: {peer} {peer_acc:.2f}; margin {margin:+.2f} "
              f"(needs >= +{GOAL_MARGIN:.1f}): {verdict}")


def chart(results, combos, output, chart_binary):
    if not os.path.exists(chart_binary):
        log("building frontier-chart ...")
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "frontier-chart"], cwd=REPO)
    os.makedirs(output, exist_ok=True)
    for combo in combos:
        lines = series(results, combo)
        if not lines:
            continue
        spec = {"title": f"{combo}: analogy accuracy against wall time (2 threads)",
                "xTitle": "wall time of the whole command (s)", "yTitle": "analogy accuracy (%)",
                "series": [{"name": name, "points": [{"x": wall, "y": acc, "label": str(e)} for e, wall, acc in pts]}
                           for name, pts in lines.items()],
                "guides": []}
        outcome = goal(lines)
        if outcome is not None:
            budget, _, (peer_acc, peer) = outcome
            spec["guides"] = [{"axis": "x", "value": budget, "label": "gensim, 5 epochs"},
                              {"axis": "y", "value": peer_acc + GOAL_MARGIN, "label": f"{peer} 5 epochs + {GOAL_MARGIN:g}"}]
        path = os.path.join(output, f"frontier-{combo}.svg")
        subprocess.run([chart_binary, path], input=json.dumps(spec), text=True, check=True)
        print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--corpus", required=True)
    r.add_argument("--binary", default=os.path.join(REPO, ".build-native", "release", "word2vec"))
    r.add_argument("--combos", default=",".join(bench.COMBOS))
    r.add_argument("--tools", default=",".join(TOOLS))
    r.add_argument("--ours-epochs", default="1,2,3,5,8")
    r.add_argument("--peer-epochs", default="1,3,5")
    r.add_argument("--ours-floors", default="default")
    r.add_argument("--runs", type=int, default=1)
    r.add_argument("--questions")
    r.add_argument("--fresh", action="store_true")
    c = sub.add_parser("chart")
    c.add_argument("--combos", default=",".join(bench.COMBOS))
    c.add_argument("--output", default=os.path.join(REPO, "docs", "frontier"))
    c.add_argument("--chart-binary", default=os.path.join(REPO, ".build", "release", "frontier-chart"))
    for p in (r, c):
        p.add_argument("--workdir", default=os.path.join(REPO, "data", "frontier"))
    a = parser.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    combos = a.combos.split(",")
    if a.cmd == "chart":
        chart(load_results(a.workdir), combos, a.output, a.chart_binary)
        return 0

    tools = a.tools.split(",")
    unknown = [t for t in tools if t not in TOOLS] + [c for c in combos if c not in bench.COMBOS]
    if unknown:
        parser.error(f"unknown tool or combo: {', '.join(unknown)}")
    if a.fresh and os.path.exists(os.path.join(a.workdir, "results.jsonl")):
        os.remove(os.path.join(a.workdir, "results.jsonl"))
    ctool = ensure_ctool(a.workdir) if "ctool" in tools else None
    if "fasttext" in tools:
        ensure_fasttext()
    questions = bench.questions_path(a.questions)
    done = {(x["tool"], x["combo"], x["epochs"], x["floor"], x["run"]) for x in load_results(a.workdir) if x["rc"] == 0}
    ours_epochs = [int(e) for e in a.ours_epochs.split(",")]
    peer_epochs = [int(e) for e in a.peer_epochs.split(",")]
    cells = []
    for run in range(1, a.runs + 1):
        for combo in combos:
            for epochs in sorted(set(ours_epochs) | set(peer_epochs)):
                for tool in tools:
                    if tool == "ours":
                        if epochs in ours_epochs:
                            cells += [(tool, combo, epochs, floor, run) for floor in a.ours_floors.split(",")]
                    elif epochs in peer_epochs:
                        cells.append((tool, combo, epochs, "default", run))
    todo = [cell for cell in cells if cell not in done]
    log(f"{len(todo)} runs to do ({len(cells) - len(todo)} already in {a.workdir}/results.jsonl); "
        f"corpus {a.corpus}; load {os.getloadavg()[0]:.2f}")
    with open(os.path.join(a.workdir, "results.jsonl"), "a") as out:
        for i, cell in enumerate(todo, 1):
            result = run_one(cell, a.corpus, a.workdir, a.binary, ctool, questions)
            out.write(json.dumps(result) + "\n")
            out.flush()
            log(f"[{i}/{len(todo)}] {cell[0]} {cell[1]} {cell[2]} epochs floor {cell[3]}: {result['wall']:.1f} s, "
                f"{result.get('accuracy', float('nan')):.2f} %, load {result['load']:.2f}")
    report(load_results(a.workdir), combos)
    return 0


if __name__ == "__main__":
    sys.exit(main())
