#!/usr/bin/env python3
"""Paragraph vectors against gensim 4.4 Doc2Vec, same settings, same tokens, in one run.

    python3 Benchmarks/doc2vec.py [--binary B] [--parts lee,self,classify,speed] [--modes dbow,...] [--seeds 3]

lee       gensim's Lee corpus (in its wheel): train on lee_background.cor, infer lee.cor, Pearson
          correlation of the 1,225 document-pair cosines with the human judgements
          (similarities0-1.txt); tokens by gensim's simple_preprocess; dim 50, window 5, negative 5,
          min-count 2, sample 0, 40 epochs; median of --seeds seeds.
self      each training document of the Lee corpus, inferred again: how often its own tag is the
          nearest trained vector.
classify  the fortune files of Debian's `fortunes` package: each fortune labelled by its file
          (10 topics), 80/20 split with a fixed seed; trained vectors for training documents,
          inferred vectors for test documents, logistic regression; TF-IDF + logistic regression
          as the baseline.
speed     training words/s on a few million words (data/corpus-bench.txt, one document per line),
          2 threads, ours against gensim's corpus_file mode with 2 workers; ratio printed.

Prints one table per part. Nothing here fails on numbers: it reports.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def need(module, package=None):
    try:
        return __import__(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", package or module], check=True)
        return __import__(module)


gensim = need("gensim", "gensim==4.4.0")
from gensim.models.doc2vec import Doc2Vec, TaggedDocument  # noqa: E402
from gensim.utils import simple_preprocess  # noqa: E402

TEST_DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return result


def read_vectors(path):
    with open(path, encoding="utf-8") as f:
        rows, dim = map(int, f.readline().split())
        keys, vectors = [], np.zeros((rows, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip().split(" ")
            keys.append(parts[0])
            vectors[i] = [float(x) for x in parts[1:]]
    return keys, vectors


def unit(m):
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def write_lines(path, documents, tags=None):
    with open(path, "w", encoding="utf-8") as f:
        for i, words in enumerate(documents):
            prefix = f"{tags[i]}\t" if tags else ""
            f.write(prefix + " ".join(words) + "\n")


# gensim 4.4's Doc2Vec sets cbow_mean from dm_mean and then Word2Vec.__init__ resets it to its own
# default (1), so dm_mean=0 alone still trains the mean: cbow_mean=0 is passed through as well.
MODES = {"dbow": dict(dm=0), "dm-mean": dict(dm=1, dm_mean=1), "dm-sum": dict(dm=1, dm_mean=0, cbow_mean=0),
         "dm-concat": dict(dm=1, dm_concat=1)}


class Ours:
    def __init__(self, binary, work):
        self.binary, self.work = binary, work

    def train(self, train_file, mode, seed, epochs, dim=50, window=5, negative=5, min_count=2, sample=0,
              threads=1, alpha=0.025, dbow_words=False):
        model = os.path.join(self.work, f"ours-{mode}-{seed}.model")
        command = [self.binary, "doc2vec", "train", "--input", train_file, "--save-model", model,
                   "--output", model + ".vec", "--mode", mode, "--dim", str(dim), "--window", str(window),
                   "--negative", str(negative), "--min-count", str(min_count), "--sample", str(sample),
                   "--epochs", str(epochs), "--threads", str(threads), "--seed", str(seed), "--alpha", str(alpha),
                   "--quiet"]
        if dbow_words:
            command.append("--dbow-words")
        start = time.perf_counter()
        run(command)
        return model, time.perf_counter() - start

    def trained(self, model):
        keys, vectors = read_vectors(model + ".vec")
        return keys, vectors

    def infer(self, model, file, seed, epochs=None):
        out = model + ".inferred.vec"
        command = [self.binary, "doc2vec", "infer", model, "--input", file, "--output", out,
                   "--seed", str(seed), "--threads", "2"]
        if epochs:
            command += ["--epochs", str(epochs)]
        run(command)
        return read_vectors(out)[1]


class Gensim:
    def train(self, documents, mode, seed, epochs, dim=50, window=5, negative=5, min_count=2, sample=0,
              workers=1, alpha=0.025, dbow_words=False):
        tagged = [TaggedDocument(words, [i]) for i, words in enumerate(documents)]
        model = Doc2Vec(vector_size=dim, window=window, negative=negative, hs=0, min_count=min_count,
                        sample=sample, epochs=epochs, workers=workers, seed=seed, alpha=alpha,
                        dbow_words=int(dbow_words), **MODES[mode])
        model.build_vocab(tagged)
        model.train(tagged, total_examples=len(tagged), epochs=epochs)
        return model

    @staticmethod
    def infer(model, documents, epochs=None):
        return np.array([model.infer_vector(words, epochs=epochs) for words in documents], dtype=np.float32)


def lee_data():
    def read(name):
        with open(os.path.join(TEST_DATA, name), encoding="latin-1") as f:
            return [simple_preprocess(line) for line in f if line.strip()]
    train = read("lee_background.cor")
    test = read("lee.cor")
    human = np.loadtxt(os.path.join(TEST_DATA, "similarities0-1.txt"))
    upper = np.triu_indices(len(test), k=1)
    return train, test, human[upper], upper


def lee_correlation(vectors, human, upper):
    u = unit(vectors)
    return float(np.corrcoef((u @ u.T)[upper], human)[0, 1])


def part_lee_and_self(ours, args, work, parts):
    train, test, human, upper = lee_data()
    train_file, test_file = os.path.join(work, "lee-train.txt"), os.path.join(work, "lee-test.txt")
    write_lines(train_file, train)
    write_lines(test_file, test)
    epochs = 40
    rows = []
    for mode in args.modes:
        ours_r, gensim_r, ours_self, gensim_self = [], [], [], []
        for seed in range(1, args.seeds + 1):
            model, _ = ours.train(train_file, mode, seed, epochs)
            ours_r.append(lee_correlation(ours.infer(model, test_file, seed), human, upper))
            g = Gensim().train(train, mode, seed, epochs)
            gensim_r.append(lee_correlation(Gensim.infer(g, test), human, upper))
            if "self" in parts:
                keys, trained = ours.trained(model)
                order = np.argsort([int(k) for k in keys])
                trained = unit(trained[order])
                again = unit(ours.infer(model, train_file, seed))
                ours_self.append(float(np.mean(np.argmax(again @ trained.T, axis=1) == np.arange(len(train)))))
                gtrained = unit(np.array([g.dv[i] for i in range(len(train))]))
                gagain = unit(Gensim.infer(g, train))
                gensim_self.append(float(np.mean(np.argmax(gagain @ gtrained.T, axis=1) == np.arange(len(train)))))
        rows.append((mode, statistics.median(ours_r), statistics.median(gensim_r), ours_r, gensim_r,
                     statistics.median(ours_self) if ours_self else None,
                     statistics.median(gensim_self) if gensim_self else None))
    print(f"\nLee corpus: Pearson r of inferred-vector cosines with human judgements (1,225 pairs), "
          f"median of {args.seeds} seeds; dim 50, window 5, negative 5, min-count 2, sample 0, {epochs} epochs")
    print("| mode | ours r | gensim r | ours runs | gensim runs | ours self-nearest | gensim self-nearest |")
    print("|---|---|---|---|---|---|---|")
    for mode, o, g, orun, grun, oself, gself in rows:
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"| {mode} | {o:.3f} | {g:.3f} | {' '.join(f'{x:.3f}' for x in orun)} | "
              f"{' '.join(f'{x:.3f}' for x in grun)} | {fmt(oself)} | {fmt(gself)} |")


FORTUNE_TOPICS = ["computers", "food", "law", "linux", "men-women", "politics", "science", "songs-poems",
                  "startrek", "work"]


def fortunes(work):
    root = os.path.join(work, "fortunes")
    directory = os.path.join(root, "usr", "share", "games", "fortunes")
    if not os.path.isdir(directory):
        os.makedirs(root, exist_ok=True)
        run(["apt-get", "download", "fortunes"], cwd=root)
        deb = [f for f in os.listdir(root) if f.endswith(".deb")][0]
        run(["dpkg-deb", "-x", os.path.join(root, deb), root])
    documents, labels = [], []
    for label, topic in enumerate(FORTUNE_TOPICS):
        with open(os.path.join(directory, topic), encoding="utf-8", errors="replace") as f:
            for entry in f.read().split("\n%\n"):
                words = simple_preprocess(entry)
                if len(words) >= 3:
                    documents.append(words)
                    labels.append(label)
    order = list(range(len(documents)))
    random.Random(7).shuffle(order)
    documents = [documents[i] for i in order]
    labels = np.array([labels[i] for i in order])
    split = len(documents) * 4 // 5
    return documents[:split], labels[:split], documents[split:], labels[split:]


def classify(train_x, train_y, test_x, test_y):
    from sklearn.linear_model import LogisticRegression
    classifier = LogisticRegression(max_iter=2000)
    classifier.fit(train_x, train_y)
    return float(np.mean(classifier.predict(test_x) == test_y))


def part_classify(ours, args, work):
    need("sklearn", "scikit-learn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    train, train_y, test, test_y = fortunes(work)
    train_file, test_file = os.path.join(work, "fortunes-train.txt"), os.path.join(work, "fortunes-test.txt")
    write_lines(train_file, train)
    write_lines(test_file, test)
    tfidf = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    baseline = classify(tfidf.fit_transform(train), train_y, tfidf.transform(test), test_y)
    epochs = 20
    print(f"\nFortunes (Debian `fortunes`, {len(FORTUNE_TOPICS)} topics, {len(train)} train / {len(test)} test "
          f"documents): test accuracy of logistic regression, median of {args.seeds} seeds; dim 100, window 5, "
          f"negative 5, min-count 2, sample 0, {epochs} epochs")
    print(f"TF-IDF + logistic regression: {baseline:.3f}")
    print("| mode | ours | gensim | ours runs | gensim runs |")
    print("|---|---|---|---|---|")
    for mode in args.modes:
        ours_a, gensim_a = [], []
        for seed in range(1, args.seeds + 1):
            model, _ = ours.train(train_file, mode, seed, epochs, dim=100)
            keys, trained = ours.trained(model)
            trained = trained[np.argsort([int(k) for k in keys])]
            ours_a.append(classify(trained, train_y, ours.infer(model, test_file, seed), test_y))
            g = Gensim().train(train, mode, seed, epochs, dim=100)
            gtrained = np.array([g.dv[i] for i in range(len(train))])
            gensim_a.append(classify(gtrained, train_y, Gensim.infer(g, test), test_y))
        print(f"| {mode} | {statistics.median(ours_a):.3f} | {statistics.median(gensim_a):.3f} | "
              f"{' '.join(f'{x:.3f}' for x in ours_a)} | {' '.join(f'{x:.3f}' for x in gensim_a)} |")


def part_speed(ours, args, work):
    corpus = os.path.join(REPO, "data", "corpus-bench.txt")
    if not os.path.exists(corpus):
        run([os.path.join(REPO, "Scripts", "fetch-corpus.sh"), "bench"])
    print(f"\nSpeed: {corpus} (one document per line, tagged by line number), dim 100, window 5, negative 5, "
          f"min-count 5, sample 1e-4, 1 epoch, 2 threads; training words/s (in-vocabulary words before "
          f"subsampling, per second of training alone: ours from its epoch report, gensim's train() in "
          f"corpus_file mode timed after build_vocab), median of 3")
    print("| mode | ours words/s | gensim words/s | ours / gensim |")
    print("|---|---|---|---|")
    for mode in args.modes:
        if mode == "dm-concat":
            continue
        ours_w, gensim_w = [], []
        for seed in range(1, 4):
            model = os.path.join(work, "speed.model")
            result = run([ours.binary, "doc2vec", "train", "--input", corpus, "--save-model", model, "--mode", mode,
                          "--dim", "100", "--window", "5", "--negative", "5", "--min-count", "5", "--sample", "1e-4",
                          "--epochs", "1", "--threads", "2", "--seed", str(seed)])
            last = [line for line in result.stderr.splitlines() if line.startswith("epoch 1/1") and "mean loss" in line][-1]
            value = last.split("words/s:")[1].split()[0]
            ours_w.append(float(value[:-1]) * (1e6 if value.endswith("M") else 1e3))
            g = Doc2Vec(vector_size=100, window=5, negative=5, hs=0, min_count=5, sample=1e-4, epochs=1, workers=2,
                        seed=seed, **MODES[mode])
            g.build_vocab(corpus_file=corpus)
            words = sum(g.wv.get_vecattr(w, "count") for w in g.wv.index_to_key)
            start = time.perf_counter()
            g.train(corpus_file=corpus, total_words=g.corpus_total_words, total_examples=g.corpus_count, epochs=1)
            gensim_w.append(words / (time.perf_counter() - start))
        o, g = statistics.median(ours_w), statistics.median(gensim_w)
        print(f"| {mode} | {o / 1e6:.2f}M | {g / 1e6:.2f}M | {o / g:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the word2vec to measure (default: Scripts/build.sh's optimised build)")
    parser.add_argument("--parts", default="lee,self,classify,speed")
    parser.add_argument("--modes", default="dbow,dm-mean,dm-sum,dm-concat")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(REPO, "data", "doc2vec-bench"))
    args = parser.parse_args()
    args.modes = args.modes.split(",")
    if not args.binary:
        args.binary = run([os.path.join(REPO, "Scripts", "build.sh")]).stdout.strip()
    parts = args.parts.split(",")
    os.makedirs(args.work, exist_ok=True)
    ours = Ours(args.binary, args.work)
    if "lee" in parts or "self" in parts:
        part_lee_and_self(ours, args, args.work, parts)
    if "classify" in parts:
        part_classify(ours, args, args.work)
    if "speed" in parts:
        part_speed(ours, args, args.work)


if __name__ == "__main__":
    main()
