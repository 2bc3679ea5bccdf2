#!/usr/bin/env python3
"""Checks that fastText's own binary models load with the same vectors and neighbours.

Usage: .ci/interop_fasttext.py BINARY

BINARY is the built `word2vec` executable. The script trains two small models with the `fasttext`
tool (Debian's 0.9.2, installed with apt when missing: skip-gram and CBOW, dim 20, 1 epoch, 20000
buckets, minn 3, maxn 6) on data/corpus-small.txt when present, else on text it writes, and checks:

  * `word2vec vector MODEL.bin WORDS --json` against `fasttext print-word-vectors MODEL.bin` for
    in-vocabulary words and for unseen and misspelt ones (|diff| < 1e-4; fastText prints five
    significant digits, so above 1 in magnitude the bound is its rounding, 6e-5 x |value|);
  * `word2vec similar MODEL.bin WORD --top 5` against `fasttext nn MODEL.bin 5` for frequent, rare
    and unseen words: the same words in the same order (words whose scores tie within 1e-5 in
    either order) and scores within 1e-5;
  * `word2vec convert MODEL.bin --to text` against fastText's own .vec: every word, in order;
  * `word2vec convert MODEL.bin --to model` then `vector` on the model file: the same vectors,
    unseen words included (|diff| < 1e-6 against the .bin);
  * a supervised model is refused with a message naming the file.

Prints one line per check and exits non-zero naming the first mismatch; skips (exit 0) only when
`fasttext` is missing and cannot be installed. Takes about 10 to 20 seconds.
"""
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

if len(sys.argv) != 2:
    sys.exit("usage: interop_fasttext.py BINARY")
BINARY = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []
checks = 0


def fail(message):
    failures.append(message)
    print("MISMATCH: " + message, file=sys.stderr)


def ensure_fasttext():
    if shutil.which("fasttext"):
        return True
    if shutil.which("apt-get"):
        subprocess.run("apt-get update -qq && apt-get install -y -qq fasttext", shell=True,
                       stdout=subprocess.DEVNULL, stderr=sys.stderr)
    return shutil.which("fasttext") is not None


def run(args, stdin=None):
    result = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"interop_fasttext: '{' '.join(args)}' failed: {result.stderr.strip()}")
    return result.stdout


def ours(*args):
    return run([BINARY, *args])


def write_text(path):
    """Generated sentences over topics of made-up words, when the repository's corpus is absent."""
    rng = random.Random(7)
    syllables = "ka to mi re su no la pe di go ra vi ne lo bu sa te ko ma ri".split()
    words = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)})
    topics = [rng.sample(words, 120) for _ in range(30)]
    with open(path, "w") as out:
        for _ in range(40000):
            topic = rng.choice(topics)
            sentence = [topic[min(int(rng.paretovariate(1.0)) - 1, 119)] if rng.random() < 0.8 else rng.choice(words)
                        for _ in range(rng.randint(8, 20))]
            out.write(" ".join(sentence) + "\n")


def fasttext_vectors(model, words):
    output = run(["fasttext", "print-word-vectors", model], stdin="\n".join(words) + "\n")
    vectors = []
    for line in output.splitlines():
        fields = line.split(" ")
        vectors.append([float(x) for x in fields[1:] if x])
    return vectors


def our_vectors(model, words):
    result = json.loads(ours("vector", model, *words, "--json"))
    return [entry["vector"] for entry in result["vectors"]], [entry["word"] for entry in result["vectors"] if entry.get("oov")]


def read_text_vectors(path):
    vectors = {}
    with open(path, encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            fields = line.rstrip().split(" ")
            vectors[fields[0]] = [float(x) for x in fields[1:]]
    return vectors


def fasttext_neighbours(model, word, top):
    output = run(["fasttext", "nn", model, str(top)], stdin=word + "\n")
    pairs = []
    for line in output.replace("Query word? ", "\n").splitlines():
        fields = line.split()
        if len(fields) == 2:
            pairs.append((fields[0], float(fields[1])))
    return pairs


def our_neighbours(model, word, top):
    result = json.loads(ours("similar", model, word, "--top", str(top), "--json"))
    return [(n["word"], n["score"]) for n in result["neighbours"]]


def same_neighbours(expected, actual, tie=1e-5):
    """Equal lists, where words whose scores tie within `tie` may come in either order (and a tie
    at the last place may be broken by a word fastText did not list)."""
    if len(expected) != len(actual):
        return False
    for (_, e), (_, a) in zip(expected, actual):
        if abs(e - a) > tie:
            return False
    i = 0
    while i < len(expected):
        j = i
        while j + 1 < len(expected) and abs(expected[j + 1][1] - expected[i][1]) <= tie:
            j += 1
        group_e = sorted(w for w, _ in expected[i:j + 1])
        group_a = sorted(w for w, _ in actual[i:j + 1])
        if group_e != group_a and j != len(expected) - 1:
            return False
        i = j + 1
    return True


def max_difference(expected, actual):
    """The largest |diff| and whether every component is within fastText's printing precision."""
    worst, ok = 0.0, True
    for e_row, a_row in zip(expected, actual):
        if len(e_row) != len(a_row):
            return float("inf"), False
        for e, a in zip(e_row, a_row):
            diff = abs(e - a)
            worst = max(worst, diff)
            ok = ok and diff < max(1e-4, 6e-5 * abs(e))
    return worst, ok and len(expected) == len(actual)


def main():
    global checks
    if not ensure_fasttext():
        print("interop_fasttext: SKIPPED: the fasttext tool is not installed and apt-get cannot install it")
        return 0
    work = tempfile.mkdtemp(prefix="interop-fasttext-")
    try:
        corpus = os.path.join(ROOT, "data", "corpus-small.txt")
        if not os.path.exists(corpus):
            corpus = os.path.join(work, "text.txt")
            write_text(corpus)
        for architecture in ["skipgram", "cbow"]:
            prefix = os.path.join(work, architecture)
            run(["fasttext", architecture, "-input", corpus, "-output", prefix, "-dim", "20", "-epoch", "1",
                 "-bucket", "20000", "-minCount", "5", "-minn", "3", "-maxn", "6", "-thread", "2", "-verbose", "0"])
            model = prefix + ".bin"
            vocabulary = [line.split(" ")[0] for line in open(prefix + ".vec", encoding="utf-8").read().splitlines()[1:]]
            # fastText's end-of-line token `</s>` comes first: a word without n-grams.
            known = [vocabulary[i] for i in (1, 2, 5, 10, 50, 200, len(vocabulary) // 2, len(vocabulary) - 1, 0)]
            present = set(vocabulary)
            unseen = [w for w in ["xylophonic", "unbelievablyness", "qwzx", "Zebulunite", "ab"] if w not in present]
            misspelt = [w[:2] + w[3:] for w in known[3:7] if len(w) > 4] + [w + w[-1] for w in known[3:6]]
            misspelt = [w for w in misspelt if w not in present]
            words = known + unseen + misspelt

            expected = fasttext_vectors(model, words)
            actual, oov = our_vectors(model, words)
            checks += 1
            worst, ok = max_difference(expected, actual)
            if not ok:
                fail(f"{architecture}: vectors differ from print-word-vectors by up to {worst:.2e}")
            elif sorted(oov) != sorted(unseen + misspelt):
                fail(f"{architecture}: 'oov' lists {oov}, expected {unseen + misspelt}")
            else:
                print(f"ok: {architecture} vectors of {len(known)} known and {len(unseen + misspelt)} unseen words, "
                      f"max |diff| {worst:.2e} against print-word-vectors")

            queries = known[:6] + unseen[:2] + misspelt[:2]
            checks += 1
            mismatches = []
            for word in queries:
                theirs = fasttext_neighbours(model, word, 5)
                mine = our_neighbours(model, word, 5)
                if not same_neighbours(theirs, mine):
                    mismatches.append(f"{word}: fastText {theirs}, ours {mine}")
            if mismatches:
                fail(f"{architecture}: nearest neighbours differ: " + "; ".join(mismatches[:3]))
            else:
                print(f"ok: {architecture} top-5 neighbours of {len(queries)} words equal to fastText's nn")

            # Every word's vector as fastText's .vec holds it, through `convert --to text`.
            text = os.path.join(work, architecture + ".txt")
            ours("convert", model, "--to", "text", "--output", text)
            theirs = read_text_vectors(prefix + ".vec")
            mine = read_text_vectors(text)
            checks += 1
            worst, ok = max_difference(list(theirs.values()), [mine.get(w, []) for w in theirs])
            if list(mine) != list(theirs) or not ok:
                fail(f"{architecture}: convert --to text differs from fastText's .vec (words in order: "
                     f"{list(mine) == list(theirs)}, max |diff| {worst:.2e})")
            else:
                print(f"ok: {architecture} convert --to text equals fastText's .vec: {len(theirs)} words, max |diff| {worst:.2e}")

            converted = os.path.join(work, architecture + ".w2v")
            ours("convert", model, "--to", "model", "--output", converted)
            from_bin, _ = our_vectors(model, words)
            from_file, oov_file = our_vectors(converted, words)
            checks += 1
            worst = max(abs(a - b) for ra, rb in zip(from_bin, from_file) for a, b in zip(ra, rb))
            if len(from_file) != len(words) or worst >= 1e-6 or sorted(oov_file) != sorted(oov):
                fail(f"{architecture}: convert --to model changed vectors (max |diff| {worst:.2e}) or oov {oov_file}")
            else:
                print(f"ok: {architecture} convert --to model keeps the vectors and unseen words (max |diff| {worst:.1e})")

            # The converted model trains further: `update` adds a new word, its n-grams' buckets shared
            # with the words fastText trained, and unseen words are still composed from n-grams.
            more = os.path.join(work, "more.txt")
            with open(corpus, encoding="utf-8") as source, open(more, "w", encoding="utf-8") as out:
                out.write(source.read(200_000))
                out.write("\n" + "the glorbnaxes of the city and the glorbnax of the king\n" * 40)
            updated = os.path.join(work, architecture + "-updated.w2v")
            ours("update", "--model", converted, "--input", more, "--output", updated, "--epochs", "1", "--quiet")
            frequent = known[1:5]
            after, oov_after = our_vectors(updated, frequent + ["glorbnax"] + unseen)

            def cosine(a, b):
                dot = sum(x * y for x, y in zip(a, b))
                return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))

            kept = sum(cosine(a, b) for a, b in zip(from_file[1:5], after[:4])) / 4
            checks += 1
            if "glorbnax" in oov_after or sorted(oov_after) != sorted(unseen) or not kept > 0.5:
                fail(f"{architecture}: update of the converted model: oov {oov_after}, mean cosine of frequent "
                     f"words before/after {kept:.3f}")
            else:
                print(f"ok: {architecture} update of the converted model learns a new word, keeps unseen words "
                      f"composed, frequent words' cosine before/after {kept:.3f}")

        # A classifier is refused by name.
        labelled = os.path.join(work, "labelled.txt")
        with open(labelled, "w") as out:
            for i in range(200):
                out.write(f"__label__{'ab'[i % 2]} {'red green blue' if i % 2 else 'one two three'} word{i % 7}\n")
        run(["fasttext", "supervised", "-input", labelled, "-output", os.path.join(work, "classifier"),
             "-epoch", "1", "-dim", "5", "-bucket", "1000", "-verbose", "0"])
        classifier = os.path.join(work, "classifier.bin")
        result = subprocess.run([BINARY, "vector", classifier, "one"], capture_output=True, text=True)
        checks += 1
        if result.returncode == 0 or "classifier.bin" not in result.stderr or "supervised" not in result.stderr:
            fail(f"a supervised model was not refused by name: {result.returncode} {result.stderr.strip()}")
        else:
            print("ok: a supervised model is refused: " + result.stderr.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if failures:
        print(f"interop_fasttext: {len(failures)} of {checks} checks failed", file=sys.stderr)
        return 1
    print(f"interop_fasttext: all {checks} checks passed (fastText {fasttext_version()})")
    return 0


def fasttext_version():
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else "version unknown"


if __name__ == "__main__":
    sys.exit(main())
