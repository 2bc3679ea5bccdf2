#!/usr/bin/env python3
"""Incremental training of paragraph vectors and items: is `train A` then `update B` as good as
training on everything at once? The sibling of Benchmarks/update.py (word models), sharing its helpers
and the measures of Benchmarks/doc2vec.py and Benchmarks/items.py.

    .build/venv/bin/python Benchmarks/update_documents_items.py [--parts documents,items] [--seeds 1,2,3]
        [--modes dbow,dm-mean] [--stream 10] [--binary .build/release/word2vec]

documents  the fortunes classification of doc2vec.py (10 topics, 80/20 split, logistic regression on
           trained vectors of the training documents, inferred vectors of the test documents; dim 100,
           window 5, negative 5, min-count 2, sample 0, 20 epochs, 2 threads). A and B: the training
           documents alternately, each tagged by its index. Rows: A alone (a classifier on A's
           documents only), A then `doc2vec update` with B, scratch on all. For the update: A's
           document vectors before/after (after rotating the after-space onto the before-space,
           orthogonal Procrustes over A's documents): mean cosine and the share of their 10 nearest
           A documents kept; and how often a B document's nearest A document has its topic (the
           same in the scratch run): new vectors next to old ones.
           gensim: Doc2Vec's build_vocab(update=True) is probed on a 40-document toy in a
           subprocess and what happens is printed; no gensim row is made up.
items      MovieLens-100k, the leave-last-out protocol of items.py (HR@10, NDCG@10; the user is the
           half-life-1 mean of their whole training history, `items recommend`'s default). A and B:
           the training events before and after their median timestamp; each user's events in a
           part form that part's sequence. Rows: A alone, A then `items update` with B (B's new
           events only: what the command trains), the same with each continuing user's last 20 A
           items in front of their B events (the alternative a caller can build), scratch, and gensim
           (items.py's "gensim window 20, ns 0": skip-gram, ns-exponent 0, 5 epochs) A / A +
           build_vocab(update=True) + train / scratch. Old items absent from B: cosine to before
           and 10-NN kept as in update.py.
stream     (--stream K) the training documents (in order) and the training events (by time) cut
           into K parts; the first trained, the others added by `update`; the final model against
           scratch, and the CPU seconds of the stream against scratch's.

Medians over the seeds are printed last. Times are CPU seconds of our processes (user + system).
Work files in data/update-other-work/ (WORKDIR to change).
"""
import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import update as words_update  # noqa: E402  (timed, drift)
import doc2vec as d2v  # noqa: E402  (fortunes, classify, read_vectors, unit)
import items as itm  # noqa: E402  (fetch, metrics, recommend, read_vectors)

ROOT = os.path.dirname(HERE)
timed = words_update.timed


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")


def kept_meaning(before, after):
    """Mean cosine of matching rows after alignment, and the share of each row's 10 nearest rows kept."""
    return words_update.drift_of_rows(d2v.unit(before), d2v.unit(after), np.arange(len(before)))


class Results:
    def __init__(self):
        self.values = collections.OrderedDict()

    def add(self, part, row, value):
        self.values.setdefault((part, row), []).append(value)

    def print(self):
        print("\nmedians over seeds:")
        for (part, row), values in self.values.items():
            print(f"{part:16s} {row:34s} {statistics.median(values):8.4f}   ({len(values)}: "
                  f"{', '.join(f'{v:.4f}' for v in values)})")


GENSIM_DOC2VEC_PROBE = """
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
a = [TaggedDocument(["x", "y", "z"] * 5, [i]) for i in range(20)]
b = [TaggedDocument(["x", "w", "z"] * 5, [20 + i]) for i in range(20)]
m = Doc2Vec(a, vector_size=8, min_count=1, epochs=2, workers=1)
m.build_vocab(b, update=True)
print("build_vocab(update=True): dv", len(m.dv), flush=True)
m.train(b, total_examples=len(b), epochs=2)
print("train: finished", flush=True)
"""


def gensim_doc2vec_probe():
    result = subprocess.run([sys.executable, "-c", GENSIM_DOC2VEC_PROBE], capture_output=True, text=True)
    said = " / ".join(line for line in (result.stdout + result.stderr).splitlines() if "Warning" not in line)
    return f"exit status {result.returncode}: {said.strip()}"


# ----------------------------------------------------------------------------------------------------
# Paragraph vectors


def doc_lines(path, docs, tags):
    with open(path, "w", encoding="utf-8") as f:
        for tag, words in zip(tags, docs):
            f.write(f"{tag}\t{' '.join(words)}\n")


def doc_train(binary, path, model, mode, seed):
    return timed([binary, "doc2vec", "train", "--input", path, "--save-model", model, "--output", model + ".vec",
                  "--mode", mode, "--dim", "100", "--window", "5", "--negative", "5", "--min-count", "2",
                  "--sample", "0", "--epochs", "20", "--threads", "2", "--seed", str(seed), "--alpha", "0.025",
                  "--quiet"])


def doc_update(binary, model, path):
    return timed([binary, "doc2vec", "update", model, "--input", path, "--output", model + ".vec", "--quiet"])


def doc_vectors(model):
    keys, rows = d2v.read_vectors(model + ".vec")
    return dict(zip(keys, rows))


def doc_infer(binary, model, path, seed):
    out = model + ".inferred.vec"
    run([binary, "doc2vec", "infer", model, "--input", path, "--output", out, "--seed", str(seed), "--threads", "2"])
    return d2v.read_vectors(out)[1]


def documents_part(args, binary, results, work):
    train, train_y, test, test_y = d2v.fortunes(os.path.join(ROOT, "data", "doc2vec-bench"))
    tags = [f"d{i}" for i in range(len(train))]
    a_idx, b_idx = list(range(0, len(train), 2)), list(range(1, len(train), 2))
    doc_lines(f"{work}/A.txt", [train[i] for i in a_idx], [tags[i] for i in a_idx])
    doc_lines(f"{work}/B.txt", [train[i] for i in b_idx], [tags[i] for i in b_idx])
    doc_lines(f"{work}/all.txt", train, tags)
    with open(f"{work}/test.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(" ".join(words) for words in test) + "\n")
    print(f"fortunes: {len(train)} training documents (A {len(a_idx)}, B {len(b_idx)}), {len(test)} test; "
          f"gensim Doc2Vec update probe: {gensim_doc2vec_probe()}", flush=True)

    def accuracy(model, indices, seed):
        vectors = doc_vectors(model)
        x = np.array([vectors[tags[i]] for i in indices])
        return d2v.classify(x, train_y[indices], doc_infer(binary, model, f"{work}/test.txt", seed), test_y)

    def b_next_to_a(model):
        """Share of B documents whose nearest A document (cosine) has their topic."""
        vectors = doc_vectors(model)
        a = d2v.unit(np.array([vectors[tags[i]] for i in a_idx]))
        b = d2v.unit(np.array([vectors[tags[i]] for i in b_idx]))
        nearest = np.argmax(b @ a.T, axis=1)
        return float(np.mean(train_y[a_idx][nearest] == train_y[b_idx]))

    everything = list(range(len(train)))
    for mode in args.modes:
        part = f"documents {mode}"
        for seed in ([] if args.no_split else args.seeds):
            t_a = doc_train(binary, f"{work}/A.txt", f"{work}/A.model", mode, seed)
            shutil.copy(f"{work}/A.model", f"{work}/U.model")
            t_u = doc_update(binary, f"{work}/U.model", f"{work}/B.txt")
            t_s = doc_train(binary, f"{work}/all.txt", f"{work}/S.model", mode, seed)
            acc_a = accuracy(f"{work}/A.model", a_idx, seed)
            acc_u = accuracy(f"{work}/U.model", everything, seed)
            acc_s = accuracy(f"{work}/S.model", everything, seed)
            before, after = doc_vectors(f"{work}/A.model"), doc_vectors(f"{work}/U.model")
            cosine, kept = kept_meaning(np.array([before[tags[i]] for i in a_idx]),
                                        np.array([after[tags[i]] for i in a_idx]))
            near_u, near_s = b_next_to_a(f"{work}/U.model"), b_next_to_a(f"{work}/S.model")
            print(f"{part} seed {seed}: accuracy A {acc_a:.3f} ({t_a:.0f} cpu-s)  A+update {acc_u:.3f} "
                  f"({t_u:.0f} cpu-s)  scratch {acc_s:.3f} ({t_s:.0f} cpu-s)  gap {acc_s - acc_u:+.3f}  "
                  f"A documents: cosine to before {cosine:.3f}, 10-NN kept {kept:.2f}  "
                  f"B next to an A document of its topic: update {near_u:.3f}, scratch {near_s:.3f}", flush=True)
            for row, value in (("A", acc_a), ("update", acc_u), ("scratch", acc_s), ("gap", acc_s - acc_u),
                               ("cosine", cosine), ("10-NN kept", kept), ("B near A, update", near_u),
                               ("B near A, scratch", near_s)):
                results.add(part, row, value)
        if args.stream:
            k = args.stream
            size = (len(train) + k - 1) // k
            parts = []
            for i in range(k):
                path = f"{work}/stream{i}.txt"
                doc_lines(path, train[i * size:(i + 1) * size], tags[i * size:(i + 1) * size])
                parts.append(path)
            for seed in args.seeds:
                total = doc_train(binary, parts[0], f"{work}/stream.model", mode, seed)
                for path in parts[1:]:
                    total += doc_update(binary, f"{work}/stream.model", path)
                t_s = doc_train(binary, f"{work}/all.txt", f"{work}/S.model", mode, seed)
                acc, acc_s = accuracy(f"{work}/stream.model", everything, seed), accuracy(f"{work}/S.model", everything, seed)
                print(f"{part} seed {seed} stream of {k}: {acc:.3f}  scratch {acc_s:.3f}  gap {acc_s - acc:+.3f}  "
                      f"cost {total:.1f}s / {t_s:.1f}s = {total / t_s:.2f}x", flush=True)
                results.add(part, "stream", acc)
                results.add(part, "stream gap", acc_s - acc)
                results.add(part, "stream cost", total / t_s)


# ----------------------------------------------------------------------------------------------------
# Items


def timed_events(path):
    """Per-user (time, item) lists ordered by (time, file order), as items.load orders them."""
    rows = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        names = [h.split(":")[0] for h in f.readline().rstrip("\n").split("\t")]
        u, i, t = names.index("user_id"), names.index("item_id"), names.index("timestamp")
        for order, line in enumerate(f):
            fields = line.rstrip("\n").split("\t")
            rows.setdefault(fields[u], []).append((float(fields[t]), order, fields[i]))
    return {user: [(time, item) for time, _, item in sorted(events)] for user, events in rows.items()}


def write_sequences(path, sequences):
    with open(path, "w", encoding="utf-8") as f:
        for seq in sequences:
            if seq:
                f.write(" ".join(seq) + "\n")


def item_train(binary, path, model, seed):
    return timed([binary, "items", "train", "--input", path, "--save-model", model, "--output", model + ".vec",
                  "--seed", str(seed), "--threads", "2", "--quiet"])


def item_update(binary, model, path):
    return timed([binary, "items", "update", model, "--input", path, "--output", model + ".vec", "--quiet"])


def items_part(args, binary, results, work):
    events = timed_events(itm.fetch(os.path.join(ROOT, "data", "items-cache")))
    users, history, test = [], [], []
    for user, seq in events.items():
        if len(seq) < 2:
            continue
        users.append(user)
        history.append(seq[:-1])
        test.append(seq[-1][1])
    train = [[item for _, item in seq] for seq in history]
    catalogue = len({item for seq in train for item in seq} | set(test))
    cut = statistics.median(time for seq in history for time, _ in seq)
    a_seqs = [[item for time, item in seq if time < cut] for seq in history]
    b_seqs = [[item for time, item in seq if time >= cut] for seq in history]
    continued = [(a[-20:] + b) if b else [] for a, b in zip(a_seqs, b_seqs)]
    write_sequences(f"{work}/A.txt", a_seqs)
    write_sequences(f"{work}/B.txt", b_seqs)
    write_sequences(f"{work}/B-continued.txt", continued)
    write_sequences(f"{work}/all.txt", train)
    both = sum(1 for a, b in zip(a_seqs, b_seqs) if a and b)
    print(f"MovieLens-100k: {len(users)} users, {catalogue} items; A {sum(map(len, a_seqs))} events, "
          f"B {sum(map(len, b_seqs))} events; {both} users in both parts", flush=True)

    def score(vectors_path):
        words, vectors = itm.read_vectors(vectors_path)
        m = itm.metrics(itm.recommend(words, vectors, train, 10, "h1"), test, catalogue, 10)
        return m["hr"], m["ndcg"]

    def load(path):
        from gensim.models import KeyedVectors
        return KeyedVectors.load_word2vec_format(path, binary=False)

    part = "items"
    for seed in ([] if args.no_split else args.seeds):
        t_a = item_train(binary, f"{work}/A.txt", f"{work}/A.model", seed)
        shutil.copy(f"{work}/A.model", f"{work}/U.model")
        t_u = item_update(binary, f"{work}/U.model", f"{work}/B.txt")
        shutil.copy(f"{work}/A.model", f"{work}/C.model")
        item_update(binary, f"{work}/C.model", f"{work}/B-continued.txt")
        t_s = item_train(binary, f"{work}/all.txt", f"{work}/S.model", seed)
        row = {name: score(f"{work}/{m}.model.vec") for name, m in
               (("A", "A"), ("update", "U"), ("update continued", "C"), ("scratch", "S"))}
        in_b = {item for seq in b_seqs for item in seq}
        before, after = load(f"{work}/A.model.vec"), load(f"{work}/U.model.vec")
        absent = [w for w in before.index_to_key if w not in in_b]
        cosine, kept = words_update.drift(before, after, absent)
        print(f"items seed {seed}: HR@10 / NDCG@10  A {row['A'][0]:.4f} / {row['A'][1]:.4f} ({t_a:.0f} cpu-s)  "
              f"A+update {row['update'][0]:.4f} / {row['update'][1]:.4f} ({t_u:.0f} cpu-s)  "
              f"A+update continued {row['update continued'][0]:.4f} / {row['update continued'][1]:.4f}  "
              f"scratch {row['scratch'][0]:.4f} / {row['scratch'][1]:.4f} ({t_s:.0f} cpu-s)  "
              f"{len(absent)} A items not in B: cosine to before {cosine:.3f}, 10-NN kept {kept:.2f}", flush=True)
        for name, (hr, ndcg) in row.items():
            results.add(part, f"HR@10 {name}", hr)
            results.add(part, f"NDCG@10 {name}", ndcg)
        results.add(part, "HR@10 gap", row["scratch"][0] - row["update"][0])
        results.add(part, "NDCG@10 gap", row["scratch"][1] - row["update"][1])
        results.add(part, "cosine", cosine)
        results.add(part, "10-NN kept", kept)
        if not args.no_gensim:
            from gensim.models import Word2Vec
            # items.py's "gensim window 20, ns 0" (its window 1000 row costs minutes per run).
            kw = dict(vector_size=100, window=20, sg=1, negative=5, ns_exponent=0.0, sample=0, min_count=1,
                      epochs=5, alpha=0.025, min_alpha=0.0001, workers=2, seed=seed, max_vocab_size=None)
            a = [s for s in a_seqs if s]
            b = [s for s in b_seqs if s]
            model = Word2Vec(sentences=a, **kw)
            model.wv.save_word2vec_format(f"{work}/g-A.vec")
            model.build_vocab(b, update=True)
            model.train(b, total_examples=len(b), epochs=model.epochs)
            model.wv.save_word2vec_format(f"{work}/g-U.vec")
            Word2Vec(sentences=train, **kw).wv.save_word2vec_format(f"{work}/g-S.vec")
            g = {name: score(f"{work}/g-{m}.vec") for name, m in (("A", "A"), ("update", "U"), ("scratch", "S"))}
            print(f"items seed {seed} gensim: HR@10 / NDCG@10  A {g['A'][0]:.4f} / {g['A'][1]:.4f}  "
                  f"A+update {g['update'][0]:.4f} / {g['update'][1]:.4f}  scratch {g['scratch'][0]:.4f} / "
                  f"{g['scratch'][1]:.4f}", flush=True)
            for name, (hr, ndcg) in g.items():
                results.add(part, f"gensim HR@10 {name}", hr)
                results.add(part, f"gensim NDCG@10 {name}", ndcg)
    if args.stream:
        k = args.stream
        times = sorted(time for seq in history for time, _ in seq)
        bounds = [times[len(times) * i // k] for i in range(1, k)]
        paths = []
        for i in range(k):
            low = bounds[i - 1] if i > 0 else -np.inf
            high = bounds[i] if i < k - 1 else np.inf
            path = f"{work}/stream{i}.txt"
            write_sequences(path, [[item for time, item in seq if low <= time < high] for seq in history])
            paths.append(path)
        for seed in args.seeds:
            total = item_train(binary, paths[0], f"{work}/stream.model", seed)
            for path in paths[1:]:
                total += item_update(binary, f"{work}/stream.model", path)
            t_s = item_train(binary, f"{work}/all.txt", f"{work}/S.model", seed)
            (hr, ndcg), (hr_s, ndcg_s) = score(f"{work}/stream.model.vec"), score(f"{work}/S.model.vec")
            print(f"items seed {seed} stream of {k}: HR@10 {hr:.4f} NDCG@10 {ndcg:.4f}  scratch {hr_s:.4f} / "
                  f"{ndcg_s:.4f}  cost {total:.1f}s / {t_s:.1f}s = {total / t_s:.2f}x", flush=True)
            results.add(part, "stream HR@10", hr)
            results.add(part, "stream NDCG@10", ndcg)
            results.add(part, "stream HR@10 gap", hr_s - hr)
            results.add(part, "stream cost", total / t_s)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="documents,items")
    parser.add_argument("--modes", default="dbow,dm-mean")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--stream", type=int, default=10, help="batches of the stream, 0 = no stream")
    parser.add_argument("--no-gensim", action="store_true")
    parser.add_argument("--no-split", action="store_true", help="the stream only")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/word2vec"))
    args = parser.parse_args()
    args.modes = args.modes.split(",")
    args.seeds = [int(s) for s in args.seeds.split(",")]
    work = os.environ.get("WORKDIR", os.path.join(ROOT, "data/update-other-work"))
    results = Results()
    for name, function in (("documents", documents_part), ("items", items_part)):
        if name in args.parts.split(","):
            os.makedirs(f"{work}/{name}", exist_ok=True)
            function(args, args.binary, results, f"{work}/{name}")
    results.print()


if __name__ == "__main__":
    sys.exit(main())
