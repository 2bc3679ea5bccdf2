#!/usr/bin/env python3
"""Item recommendation benchmark: `word2vec items` ("ours") vs gensim vs most-popular.

Data: MovieLens-100k as shipped in PyPI package recbole's wheel
(`recbole/dataset_example/ml-100k/ml-100k.inter`), fetched with
`pip download --no-deps recbole==1.2.1` into the cache directory (default
`data/items-cache/`, ignored by git) and never committed.

Protocol: each user's ratings sorted by timestamp (equal times keep file
order); the last item of each user is held out, the rest are the training
sequences (one line per user).  Every method ranks all items of the catalogue
for every user, minus the user's training items; HR@K, MRR@K, NDCG@K over
users and catalogue coverage (share of items recommended to at least one
user) are computed by the same code here for every method, so that only the
vectors differ.  Embedding methods score items by cosine with the mean of the
unit vectors of the user's last R training items (R = all for "whole").

    Benchmarks/items.sh                       # build, fetch, full table (3 seeds)
    python3 Benchmarks/items.py run --binary .build/release/word2vec [--seeds 1,2,3]
    python3 Benchmarks/items.py sweep ...     # gensim/ours grid for choosing defaults
    python3 Benchmarks/items.py compare --binary B --threads 1 --seeds 1-24 --log runs.jsonl
                                              # same settings, many seeds: means, standard errors

`run` and `sweep` report medians over the seeds.  Training uses --threads 2 (ours) and
workers=2 (gensim) unless --threads says otherwise.
"""
import argparse
import collections
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RECBOLE = "recbole==1.2.1"
MEMBER = "recbole/dataset_example/ml-100k/ml-100k.inter"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fetch_member(cache, name):
    """The path of ml-100k's `name` (inter, item, user) in `cache`, taken from recbole's wheel."""
    if name == "inter":
        return fetch(cache)
    target = os.path.join(cache, f"ml-100k.{name}")
    if not os.path.exists(target):
        fetch(cache)
        wheel = [f for f in os.listdir(cache) if f.startswith("recbole-1.2.1") and f.endswith(".whl")][0]
        with zipfile.ZipFile(os.path.join(cache, wheel)) as z:
            data = z.read(MEMBER.replace(".inter", f".{name}"))
        with open(target + ".part", "wb") as f:
            f.write(data)
        os.replace(target + ".part", target)
    return target


def fetch(cache):
    """The path of ml-100k.inter in `cache`, downloading recbole's wheel if needed."""
    os.makedirs(cache, exist_ok=True)
    target = os.path.join(cache, "ml-100k.inter")
    if os.path.exists(target):
        return target
    wheels = [f for f in os.listdir(cache) if f.startswith("recbole-1.2.1") and f.endswith(".whl")]
    if not wheels:
        log("downloading", RECBOLE, "into", cache)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", RECBOLE, "-d", cache,
                        "--quiet"], check=True)
        wheels = [f for f in os.listdir(cache) if f.startswith("recbole-1.2.1") and f.endswith(".whl")]
    with zipfile.ZipFile(os.path.join(cache, wheels[0])) as z:
        data = z.read(MEMBER)
    with open(target + ".part", "wb") as f:
        f.write(data)
    os.replace(target + ".part", target)
    return target


def load(path):
    """Per-user item sequences ordered by (time, file order), users in order of first appearance."""
    rows = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = [h.split(":")[0] for h in header]
        u, i, t = names.index("user_id"), names.index("item_id"), names.index("timestamp")
        for order, line in enumerate(f):
            fields = line.rstrip("\n").split("\t")
            rows.setdefault(fields[u], []).append((float(fields[t]), order, fields[i]))
    return {user: [item for _, _, item in sorted(events)] for user, events in rows.items()}


def split(sequences, validation=False):
    """Leave-last-out: (users, training sequences, held-out items); users with one item are dropped.
    `validation` first drops each user's last item, so that the second-to-last is held out (the
    split that settings are chosen on)."""
    users, train, test = [], [], []
    for user, items in sequences.items():
        if validation:
            items = items[:-1]
        if len(items) < 2:
            continue
        users.append(user)
        train.append(items[:-1])
        test.append(items[-1])
    return users, train, test


def metrics(ranked, test, catalogue, k):
    """HR@k, MRR@k, NDCG@k and coverage of per-user ranked lists (best first)."""
    hits = mrr = ndcg = 0.0
    shown = set()
    for items, target in zip(ranked, test):
        items = items[:k]
        shown.update(items)
        if target in items:
            rank = items.index(target)
            hits += 1
            mrr += 1 / (rank + 1)
            ndcg += 1 / np.log2(rank + 2)
    n = len(test)
    return {"hr": hits / n, "mrr": mrr / n, "ndcg": ndcg / n, "coverage": len(shown) / catalogue}


def most_popular(train, k):
    counts = collections.Counter(item for seq in train for item in seq)
    order = [item for item, _ in sorted(counts.items(), key=lambda e: (-e[1], e[0]))]
    ranked = []
    for seq in train:
        seen = set(seq)
        ranked.append([item for item in order if item not in seen][:k])
    return ranked, len(counts)


def read_vectors(path):
    with open(path, encoding="utf-8") as f:
        count, dim = map(int, f.readline().split())
        words, rows = [], np.zeros((count, dim), dtype=np.float32)
        for n, line in enumerate(f):
            parts = line.rstrip().split(" ")
            words.append(parts[0])
            rows[n] = np.asarray(parts[1:], dtype=np.float32)
    return words, rows


def recommend(words, vectors, train, k, recent):
    """Top-k by cosine with the mean unit vector of the last `recent` (0 = all) known history items;
    `recent` "hH" weighs all of them by 0.5^(age/H), age 0 for the last (items recommend --half-life H)."""
    index = {w: n for n, w in enumerate(words)}
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    ranked = []
    for seq in train:
        known = [index[i] for i in seq if i in index]
        if isinstance(recent, str):
            if not known:
                ranked.append([])
                continue
            ages = np.arange(len(known) - 1, -1, -1, dtype=np.float64)
            weights = np.power(0.5, ages / float(recent[1:]))
            query = (unit[known] * weights[:, None].astype(np.float32)).sum(axis=0)
        else:
            chosen = known[-recent:] if recent else known
            if not chosen:
                ranked.append([])
                continue
            query = unit[chosen].mean(axis=0)
        scores = unit @ query
        scores[known] = -np.inf
        top = np.argpartition(-scores, k)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        ranked.append([words[j] for j in top if np.isfinite(scores[j])])
    return ranked


def gensim_vectors(train, cfg, seed, threads, out):
    from gensim.models import Word2Vec
    full = cfg["window"] == "full"  # ours: every other item of the sequence, unshrunk
    model = Word2Vec(
        sentences=train, vector_size=cfg.get("dim", 100), window=10000 if full else cfg["window"], sg=1,
        shrink_windows=not (full or cfg.get("no_shrink", False)),
        negative=cfg.get("negative", 5), ns_exponent=cfg["ns"], sample=cfg.get("sample", 0),
        min_count=cfg.get("min_count", 1), epochs=cfg["epochs"], alpha=cfg.get("alpha", 0.025),
        min_alpha=cfg.get("min_alpha", 0.0001), workers=threads, seed=seed, max_vocab_size=None)
    model.wv.save_word2vec_format(out)


def ours_vectors(binary, train_file, cfg, seed, threads, out):
    command = [binary, "items", "train", "--input", train_file, "--output", out, "--seed", str(seed),
               "--threads", str(threads), "--quiet"]
    for key, flag in (("window", "--window"), ("ns", "--ns-exponent"), ("epochs", "--epochs"),
                      ("sample", "--sample"), ("dim", "--dim"), ("negative", "--negative"),
                      ("alpha", "--alpha"), ("model", "--model"), ("min_count", "--min-count"),
                      ("min_alpha", "--min-alpha"), ("context_samples", "--context-samples")):
        if key in cfg:
            command.append(f"{flag}={cfg[key]}")
    if cfg.get("no_shrink"):
        command.append("--no-shrink-window")
    if cfg.get("shared_negatives"):
        command.append("--shared-negatives")
    command += cfg.get("ours_flags", [])
    subprocess.run(command, check=True)


# name: (tool, training settings (missing = the tool's defaults), recent)
# "text defaults" = word2vec.c/gensim settings for words: window 5, ns-exponent 0.75,
# sample 1e-3, 5 epochs (min-count 1 so that every item has a vector).
TEXT = {"window": 5, "ns": 0.75, "sample": 1e-3, "epochs": 5, "min_count": 1, "model": "skipgram"}
ITEM = {"window": 20, "ns": 0.0, "sample": 0, "epochs": 5, "min_count": 1, "model": "skipgram"}
BEST = {"window": 1000, "ns": 0.0, "sample": 0, "epochs": 5, "min_count": 1, "model": "skipgram"}
# The item defaults before --context-samples: every other item of the sequence is a context of
# every item (O(L^2) predictions per sequence of L items), at skip-gram's usual rate.
PREVIOUS = {"window": "full", "ns": -0.5, "epochs": 30, "alpha": 0.025, "context_samples": 0}
# The user tower with its defaults (`items train --tower`); "flags" are added to the command.
TOWER = {"flags": []}
# key (for --rows): (name, tool, training settings (missing = the tool's defaults), queries), one table
# row per query: 0 = whole history, R = last R items, "hH" = half-life H.
CONFIGS = {
    "text-gensim": ("gensim text defaults", "gensim", TEXT, [0]),
    "text-ours": ("ours same settings", "ours", TEXT, [0]),
    "w20-gensim": ("gensim window 20, ns 0", "gensim", ITEM, [1]),
    "w20-ours": ("ours same settings", "ours", ITEM, [1]),
    "best-gensim": ("gensim best found: window 1000, ns 0", "gensim", BEST, [3, "h1"]),
    "best-ours": ("ours same settings", "ours", BEST, [3, "h1"]),
    "previous": ("ours previous defaults (every pair)", "ours", PREVIOUS, [3, "h1"]),
    "defaults": ("ours defaults", "ours", {}, [3, "h1"]),
    "tower": ("ours user tower (items train --tower)", "tower", TOWER, ["tower"]),
}


def tower_ranked(binary, train_file, cfg, seed, threads, k, work, train):
    """Trains item2vec and the user tower (`items train --tower`) and ranks with `items recommend`:
    (ranked lists in the order of `train`, training seconds)."""
    model = os.path.join(work, f"tower-{seed}.w2v")
    command = [binary, "items", "train", "--input", train_file, "--save-model", model, "--tower",
               "--seed", str(seed), "--threads", str(threads), "--quiet"] + cfg.get("flags", [])
    started, before = time.time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = time.time() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    histories = os.path.join(work, "histories.tsv")
    if not os.path.exists(histories):
        with open(histories, "w", encoding="utf-8") as f:
            for n, seq in enumerate(train):
                f.write(f"u{n}\t{' '.join(seq)}\n")
    answer = subprocess.run([binary, "items", "recommend", model, "--input", histories, "--top", str(k)],
                            check=True, capture_output=True, text=True).stdout
    ranked = []
    for line in answer.split("\n")[:len(train)]:
        _, _, items = line.partition("\t")
        ranked.append(items.split())
    os.remove(model)
    return ranked, seconds, cpu


def query_name(recent):
    if recent == "tower":
        return "user tower"
    if isinstance(recent, str):
        return f"half-life {recent[1:]}"
    return {0: "whole history", 1: "last item"}.get(recent, f"last {recent}")


def evaluate_config(tool, cfg, recent, seeds, data, binary, threads, k, work):
    """Medians over seeds of the metrics for each R in `recent` (a list), and every run."""
    users, train, test, train_file, catalogue = data
    runs = {r: [] for r in recent}
    for seed in seeds:
        if tool == "tower":
            ranked, seconds, cpu = tower_ranked(binary, train_file, cfg, seed, threads, k, work, train)
            result = metrics(ranked, test, catalogue, k)
            result["seconds"] = seconds
            result["cpu"] = cpu
            runs["tower"].append(result)
            log(f"  tower seed {seed}: HR@{k} {result['hr']:.4f} NDCG@{k} {result['ndcg']:.4f} {seconds:.1f}s wall, "
                f"{cpu:.1f}s CPU, load {os.getloadavg()[0]:.1f}")
            continue
        out = os.path.join(work, f"vectors-{tool}-{seed}.txt")
        started = time.time()
        if tool == "gensim":
            gensim_vectors(train, cfg, seed, threads, out)
        else:
            ours_vectors(binary, train_file, cfg, seed, threads, out)
        seconds = time.time() - started
        words, vectors = read_vectors(out)
        for r in recent:
            result = metrics(recommend(words, vectors, train, k, r), test, catalogue, k)
            result["seconds"] = seconds
            runs[r].append(result)
    medians = {r: {key: statistics.median(x[key] for x in rs) for key in rs[0]} for r, rs in runs.items()}
    return medians, runs


def prepare(args):
    path = fetch(args.cache)
    users, train, test = split(load(path), validation=getattr(args, "split", "test") == "validation")
    work = tempfile.mkdtemp(prefix="items-bench-", dir=args.workdir)
    train_file = os.path.join(work, "train.txt")
    with open(train_file, "w", encoding="utf-8") as f:
        for seq in train:
            f.write(" ".join(seq) + "\n")
    catalogue = len({item for seq in train for item in seq} | set(test))
    log(f"{len(users)} users, {catalogue} items, {sum(map(len, train))} training events "
        f"({getattr(args, 'split', 'test')} split); work dir {work}")
    return (users, train, test, train_file, catalogue), work


def row(name, m, extra=""):
    return (f"| {name:<50} | {m['hr']:.4f} | {m['mrr']:.4f} | {m['ndcg']:.4f} | {m['coverage']:.3f} |"
            f" {extra:>7} |")


def run(args):
    data, work = prepare(args)
    _, train, test, _, catalogue = data
    seeds = [int(s) for s in args.seeds.split(",")]
    k = args.k
    lines = [f"| {'method, query':<50} | HR@{k:<3}| MRR@{k:<2}| NDCG@{k} | cover | seconds |",
             f"|{'-' * 52}|--------|--------|---------|-------|---------|"]
    ranked, _ = most_popular(train, k)
    popular = metrics(ranked, test, catalogue, k)
    lines.append(row("most popular", popular))
    log(lines[-1])
    results = {"most popular": popular}
    if args.tower_flags:
        TOWER["flags"] = json.loads(args.tower_flags)
    keys = args.rows.split(",") if args.rows else list(CONFIGS)
    unknown = [key for key in keys if key not in CONFIGS]
    if unknown:
        sys.exit(f"items.py: unknown --rows {','.join(unknown)} (known: {','.join(CONFIGS)})")
    for key in keys:
        name, tool, cfg, recent = CONFIGS[key]
        if tool not in args.tools.split(",") or (tool in ("ours", "tower") and not args.binary):
            continue
        medians, runs = evaluate_config(tool, cfg, recent, seeds, data, args.binary, args.threads, k, work)
        for r in recent:
            label = f"{name}, {query_name(r)}"
            results[label] = {"median": medians[r], "runs": runs[r], "settings": cfg, "query": r}
            extra = f"{medians[r]['seconds']:.1f}"
            if "cpu" in medians[r]:
                extra += f" ({medians[r]['cpu']:.0f} CPU)"
            lines.append(row(label, medians[r], extra))
            log(lines[-1])
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(work, "table.txt"), "w") as f:
        f.write(table + "\n")


# The side-input ablation (`items.py side`): the user tower with an events file's text and
# categorical columns, built from ml-100k's item and user files. key: (row name, evaluate flags).
SIDE_ROWS = {
    "none": ("tower, history only", []),
    "title": ("+ title words and bigrams (text)", ["--text-col", "title"]),
    "genre": ("+ genres (item feature)", ["--feature-cols", "genre"]),
    "user": ("+ age bucket, gender, occupation", ["--feature-cols", "age,gender,occupation"]),
    "all": ("+ all of them", ["--text-col", "title", "--feature-cols", "genre,age,gender,occupation"]),
}


def age_bucket(age):
    """MovieLens-1M's age groups, for ml-100k's exact ages."""
    for bound, name in ((18, "under18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (50, "45-49"), (56, "50-55")):
        if age < bound:
            return name
    return "56plus"


def side_events(cache, path, validation):
    """Writes ml-100k's ratings as an events file with the film's title and genres and the user's
    age bucket, gender and occupation, each user's rows in time order (ties in file order, as
    `load`); `validation` drops each user's last row, so that the second-to-last is held out."""
    def table(name):
        with open(fetch_member(cache, name), encoding="latin-1") as f:
            header = [h.split(":")[0] for h in f.readline().rstrip("\n").split("\t")]
            return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    items = {r["item_id"]: r for r in table("item")}
    users = {r["user_id"]: r for r in table("user")}
    rows = collections.OrderedDict()
    for order, r in enumerate(table("inter")):
        rows.setdefault(r["user_id"], []).append((float(r["timestamp"]), order, r))
    with open(path, "w", encoding="utf-8") as f:
        f.write("user_id\titem_id\ttimestamp\ttitle\tgenre\tage\tgender\toccupation\n")
        for user, events in rows.items():
            events = sorted(events)
            if validation:
                events = events[:-1]
            u = users[user]
            for _, _, r in events:
                item = items[r["item_id"]]
                f.write("\t".join([user, r["item_id"], r["timestamp"], item["movie_title"], item["class"],
                                   age_bucket(int(u["age"])), u["gender"], u["occupation"]]) + "\n")


def side(args):
    """The ablation of the tower's side inputs: `items evaluate --events --tower` with each row's
    columns, per split and seed; medians of HR@k and NDCG@k, with the item2vec row of the same runs."""
    seeds = parse_seeds(args.seeds)
    work = tempfile.mkdtemp(prefix="items-side-", dir=args.workdir)
    results = {}
    for split_name in args.splits.split(","):
        events = os.path.join(work, f"events-{split_name}.tsv")
        side_events(args.cache, events, split_name == "validation")
        for key in args.rows.split(","):
            name, flags = SIDE_ROWS[key]
            runs = []
            for seed in seeds:
                command = [args.binary, "items", "evaluate", "--events", events, "--user-col", "user_id",
                           "--item-col", "item_id", "--time-col", "timestamp", "--tower", "--seed", str(seed),
                           "--threads", str(args.threads), "--top", str(args.k), "--json"] + flags + json.loads(args.tower_flags)
                started, before = time.time(), resource.getrusage(resource.RUSAGE_CHILDREN)
                done = subprocess.run(command, check=True, capture_output=True, text=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                report = json.loads(done.stdout)
                rows = {r["method"]: r for r in report["results"]}
                towered = [line for line in done.stderr.split("\n") if line.startswith("tower epoch")]
                tower_wall = float(towered[-1].rsplit(",", 1)[1].split()[0]) if towered else float("nan")
                run = {"seed": seed, "hr": rows["tower"]["hitRate"], "ndcg": rows["tower"]["ndcg"],
                       "item2vec_hr": rows["item2vec"]["hitRate"], "item2vec_ndcg": rows["item2vec"]["ndcg"],
                       "wall": time.time() - started, "tower_wall": tower_wall, "load": os.getloadavg()[0],
                       "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}
                runs.append(run)
                log(f"{split_name} {key} seed {seed}: tower HR@{args.k} {run['hr']:.4f} NDCG {run['ndcg']:.4f}; "
                    f"item2vec {run['item2vec_hr']:.4f} / {run['item2vec_ndcg']:.4f}; command {run['wall']:.0f} s wall, "
                    f"{run['cpu']:.0f} s CPU, tower {tower_wall:.1f} s wall, load {run['load']:.1f}")
            medians = {m: statistics.median(r[m] for r in runs) for m in runs[0]}
            results[f"{split_name} {key}"] = {"median": medians, "runs": runs}
            seeds_hr = " / ".join(f"{r['hr']:.4f}" for r in runs)
            print(f"| {split_name} | {name} | {medians['hr']:.4f} | {medians['ndcg']:.4f} | {seeds_hr} | "
                  f"{medians['item2vec_hr']:.4f} / {medians['item2vec_ndcg']:.4f} | {medians['tower_wall']:.0f} | "
                  f"{medians['cpu']:.0f} |", flush=True)
    with open(os.path.join(work, "side.json"), "w") as f:
        json.dump(results, f, indent=1)
    log("results in", os.path.join(work, "side.json"))


def number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def sweep(args):
    """Prints one line per setting: the grid behind the defaults."""
    data, work = prepare(args)
    seeds = [int(s) for s in args.seeds.split(",")]
    base = json.loads(args.base)
    for spec in args.grid:
        key, values = spec.split("=")
        for value in values.split(","):
            cfg = dict(base)
            cfg[key] = number(value)
            recents = [r if r.startswith("h") else int(r) for r in args.recent.split(",")]
            medians, _ = evaluate_config(args.tool, cfg, recents, seeds, data, args.binary, args.threads,
                                         args.k, work)
            for recent in recents:
                median = medians[recent]
                print(f"{args.tool} {json.dumps(cfg, sort_keys=True)} recent={recent}: HR@{args.k} "
                      f"{median['hr']:.4f} MRR {median['mrr']:.4f} NDCG {median['ndcg']:.4f} "
                      f"cover {median['coverage']:.3f} {median['seconds']:.1f}s", flush=True)


def mean_se(values):
    """Mean and standard error of the mean."""
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return mean, (var / n) ** 0.5


def compare(args):
    """Same settings, many seeds, both tools: mean and standard error of each metric per tool and of
    the difference of the means (ours - gensim; the runs are independent, so the two standard
    errors add in quadrature).  Every run is appended to --log (JSON lines) and runs already there
    (same tool, settings, seed, threads, query) are reused, so that variants of ours can be set
    against one set of gensim runs."""
    data, work = prepare(args)
    users, train, test, train_file, catalogue = data
    seeds = parse_seeds(args.seeds)
    recents = [r if r.startswith("h") else int(r) for r in args.recent.split(",")]
    done = {}
    if args.log and os.path.exists(args.log):
        with open(args.log) as f:
            for line in f:
                r = json.loads(line)
                done[(r["tool"], r["key"], r["seed"])] = r
    results = {}
    for tool, extra in (("gensim", {}), ("ours", json.loads(args.ours))):
        if tool not in args.tools.split(","):
            continue
        cfg = dict(json.loads(args.base))
        cfg.update(extra)
        keys = {recent: json.dumps({"cfg": cfg, "threads": args.threads, "recent": recent, "k": args.k},
                                   sort_keys=True) for recent in recents}
        for seed in seeds:
            if all((tool, keys[r], seed) in done for r in recents):
                for r in recents:
                    results.setdefault((tool, r), []).append(done[(tool, keys[r], seed)])
                continue
            if args.logged_only:
                continue
            out = os.path.join(work, f"vectors-{tool}-{seed}.txt")
            started = time.time()
            if tool == "gensim":
                gensim_vectors(train, cfg, seed, args.threads, out)
            else:
                ours_vectors(args.binary, train_file, cfg, seed, args.threads, out)
            seconds = time.time() - started
            words, vectors = read_vectors(out)
            for recent in recents:
                m = metrics(recommend(words, vectors, train, args.k, recent), test, catalogue, args.k)
                r = {"tool": tool, "key": keys[recent], "seed": seed, "seconds": seconds, **m}
                log(f"{tool} seed {seed} {query_name(recent)}: HR {m['hr']:.4f} MRR {m['mrr']:.4f} "
                    f"NDCG {m['ndcg']:.4f} {seconds:.1f}s")
                if args.log:
                    with open(args.log, "a") as f:
                        f.write(json.dumps(r) + "\n")
                results.setdefault((tool, recent), []).append(r)
    for recent in recents:
        print(f"query: {query_name(recent)}")
        for tool in ("gensim", "ours"):
            runs = results.get((tool, recent))
            if not runs:
                continue
            parts = []
            for metric in ("hr", "mrr", "ndcg", "coverage"):
                mean, se = mean_se([r[metric] for r in runs])
                parts.append(f"{metric} {mean:.4f} +- {se:.4f}")
            print(f"  {tool:6} ({len(runs)} seeds): " + ", ".join(parts), flush=True)
        if ("ours", recent) in results and ("gensim", recent) in results:
            parts = []
            for metric in ("hr", "mrr", "ndcg"):
                (a, sa), (b, sb) = (mean_se([r[metric] for r in results[(t, recent)]]) for t in ("ours", "gensim"))
                se = (sa ** 2 + sb ** 2) ** 0.5
                parts.append(f"{metric} {a - b:+.4f} +- {se:.4f} ({(a - b) / se if se else 0:+.1f} SE)")
            print("  ours - gensim: " + ", ".join(parts), flush=True)


def parse_seeds(text):
    """"1,2,5" or "1-20"."""
    seeds = []
    for part in text.split(","):
        if "-" in part:
            low, high = part.split("-")
            seeds.extend(range(int(low), int(high) + 1))
        else:
            seeds.append(int(part))
    return seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "sweep", "compare", "side"):
        p = sub.add_parser(name)
        p.add_argument("--binary", help="our word2vec binary (ours is skipped without it)")
        p.add_argument("--cache", default=os.path.join(REPO, "data", "items-cache"))
        p.add_argument("--workdir", default=None)
        p.add_argument("--seeds", default="1,2,3")
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--k", type=int, default=10)
        if name == "run":
            p.add_argument("--tools", default="gensim,ours,tower", help="which rows besides most popular")
            p.add_argument("--split", default="test", choices=("test", "validation"),
                           help="hold out the last item (test) or the second-to-last (validation)")
            p.add_argument("--tower-flags", help="JSON list of flags for the tower row (e.g. "
                           '["--tower-epochs=5"]), replacing its defaults')
            p.add_argument("--rows", help=f"comma-separated rows, in this order (default: all: {','.join(CONFIGS)})")
        if name == "compare":
            p.add_argument("--tools", default="gensim,ours")
            p.add_argument("--base", default=json.dumps(ITEM), help="JSON settings for both tools")
            p.add_argument("--ours", default="{}", help="JSON settings for ours only, over --base "
                           '(e.g. {"ours_flags": ["--min-alpha=0.0001"]})')
            p.add_argument("--recent", default="1",
                           help="comma-separated R values (0 = whole history, hH = half-life H)")
            p.add_argument("--log", help="JSON-lines file of runs, read and appended")
            p.add_argument("--logged-only", action="store_true",
                           help="summarise the runs of --seeds already in --log; train nothing")
        if name == "side":
            p.add_argument("--splits", default="validation,test", help="validation (second-to-last item) and/or test")
            p.add_argument("--rows", default=",".join(SIDE_ROWS), help=f"comma-separated, of {','.join(SIDE_ROWS)}")
            p.add_argument("--tower-flags", default="[]", help="JSON list of flags added to every tower")
        if name == "sweep":
            p.add_argument("--tool", default="gensim", choices=("gensim", "ours"))
            p.add_argument("--base", default=json.dumps(ITEM), help="JSON settings the grid changes")
            p.add_argument("--recent", default="1", help="comma-separated R values (0 = whole history, hH = half-life H)")
            p.add_argument("grid", nargs="+", help="KEY=V1,V2,... (keys: window ns epochs sample dim negative alpha)")
    args = parser.parse_args()
    {"run": run, "sweep": sweep, "compare": compare, "side": side}[args.command](args)


if __name__ == "__main__":
    main()
