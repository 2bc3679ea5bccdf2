#!/usr/bin/env bash
# Fetch a real English corpus from Debian packages and normalise it.
#
#   Scripts/fetch-corpus.sh [small|bench|full] [OUTDIR]      (OUTDIR default: data/)
#
#   small  World English Bible + King James Bible (Debian sword-text-web,
#          sword-text-kjv): ~1.7M words, in reading order.  README demo.
#   bench  GNU Collaborative International Dictionary of English (dict-gcide:
#          Webster 1913 + later additions, definitions and quotations) and
#          the WordNet 3.0 glosses and example sentences (wordnet-base):
#          ~5.1M words, lines shuffled with a fixed seed.  Sized so that
#          Benchmarks/compare.sh with 3 runs stays within ~25 min on 2 cores.
#   full   bench + small + Matthew Henry's Concise Commentary and Spurgeon's
#          Treasury of David (sword-comm-*), the Jargon File, FOLDOC, the
#          Devil's Dictionary (dict-*) and the fortune files (fortunes):
#          ~11.2M words, shuffled with a fixed seed.
#
# The .deb files are fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` into OUTDIR/.cache/ (nothing is installed system-wide).
# Output: OUTDIR/corpus-KIND.txt, UTF-8 (in fact ASCII), one sentence per line,
# lowercase, accents folded, punctuation removed, one-word lines dropped;
# tokens are [a-z0-9']+ with internal apostrophes kept ("don't") and the
# possessive split off ("god 's").
# OUTDIR/corpus-KIND.txt.sources lists the .deb files used.
# Idempotent: an existing output file is left alone.  Prints the output path.
set -euo pipefail

KIND=${1:-small}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUTDIR=${2:-$REPO/data}

case "$KIND" in
  small) PKGS="sword-text-web sword-text-kjv"
         SOURCES="web,kjv" ;;
  bench) PKGS="dict-gcide wordnet-base"
         SOURCES="gcide,wordnet" ;;
  full)  PKGS="sword-text-web sword-text-kjv sword-comm-mhcc sword-comm-tdavid
               dict-gcide wordnet-base dict-jargon dict-devil dict-foldoc fortunes"
         SOURCES="web,kjv,mhcc,tdavid,gcide,jargon,devil,foldoc,wordnet,fortunes" ;;
  -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [small|bench|full] [OUTDIR]" >&2; exit 2 ;;
esac

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
OUT="$OUTDIR/corpus-$KIND.txt"
if [ -s "$OUT" ]; then
  echo "$OUT"
  exit 0
fi

command -v apt-get >/dev/null || { echo "error: apt-get is required" >&2; exit 1; }
CACHE="$OUTDIR/.cache"
DEBS="$CACHE/debs"
ROOT="$CACHE/root"
mkdir -p "$DEBS" "$ROOT"

for p in $PKGS; do
  [ -e "$ROOT/.unpacked-$p" ] && continue
  if ! ls "$DEBS/${p}_"*.deb >/dev/null 2>&1; then
    echo "fetching $p" >&2
    if ! (cd "$DEBS" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2); then
      # package lists may be missing on a fresh machine
      if [ "$(id -u)" = 0 ]; then
        apt-get update -q >&2
      elif command -v sudo >/dev/null; then
        sudo apt-get update -q >&2
      fi
      (cd "$DEBS" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2)
    fi
  fi
  dpkg-deb -x "$(ls "$DEBS/${p}_"*.deb | head -n1)" "$ROOT"
  touch "$ROOT/.unpacked-$p"
done

echo "normalising $SOURCES -> $OUT" >&2
TMP="$OUT.tmp.$$"
trap 'rm -f "$TMP"' EXIT
python3 - "$KIND" "$ROOT" "$TMP" "$SOURCES" <<'PY'
# argv: KIND UNPACKED_ROOT OUTPUT SOURCES(comma separated)
import glob, gzip, html, os, random, re, struct, sys, unicodedata, zlib

kind, root, out = sys.argv[1], sys.argv[2], sys.argv[3]

# ---------------------------------------------------------------- normalise
FOLD = {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ø": "o",
        "Ø": "O", "ð": "d", "þ": "th", "ł": "l", "’": "'", "‘": "'",
        "ʼ": "'", "`": "'", "´": "'"}
FOLD_RE = re.compile("|".join(map(re.escape, FOLD)))
SENT_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")
NONWORD_RE = re.compile(r"[^a-z0-9']+")
ACCENT_RE = re.compile(r"\[[\"=.^,'`~-]?([a-z]{1,2})\]")
POSS_RE = re.compile(r"(?<=[a-z0-9])'s\b")


def words(text):
    """Lowercased word tokens of one sentence: letters/digits, accents folded,
    internal apostrophes kept ("don't"), possessive 's split off."""
    text = FOLD_RE.sub(lambda m: FOLD[m.group(0)], text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = POSS_RE.sub(" 's", text)
    toks = []
    for t in NONWORD_RE.sub(" ", text).split():
        if t != "'s":
            t = t.strip("'")
        if t:
            toks.append(t)
    return toks


def sentences(paragraph):
    """Split a paragraph of prose into normalised sentence lines."""
    for s in SENT_RE.split(paragraph):
        toks = words(s)
        if toks:
            yield " ".join(toks)


# ---------------------------------------------------------------- sources
def sword(moddir, confname):
    """Every entry (verse / comment) of a SWORD zText/zCom module, markup
    stripped, notes and headings dropped.  Yields one paragraph per entry."""
    conf = open(os.path.join(moddir, "mods.d", confname), encoding="utf-8",
                errors="replace").read()
    path = re.search(r"^DataPath=\.?/?(.*?)/?\s*$", conf, re.M).group(1)
    drv = re.search(r"^ModDrv=(\S+)", conf, re.M).group(1)
    block = re.search(r"^BlockType=(\S+)", conf, re.M)
    letter = {"BOOK": "b", "CHAPTER": "c", "VERSE": "v"}[
        block.group(1) if block else "CHAPTER"]
    d = os.path.join(moddir, path)
    for testament in ("ot", "nt"):
        idx = os.path.join(d, f"{testament}.{letter}zs")
        if not os.path.exists(idx) or os.path.getsize(idx) == 0:
            continue
        bidx = open(idx, "rb").read()
        data = open(os.path.join(d, f"{testament}.{letter}zz"), "rb").read()
        blocks = []
        for i in range(0, len(bidx) - 11, 12):
            off, size, _ = struct.unpack_from("<III", bidx, i)
            blocks.append(zlib.decompress(data[off:off + size]))
        vidx = open(os.path.join(d, f"{testament}.{letter}zv"), "rb").read()
        # verse index: (block u32, offset u32, size u16|u32); the conf's
        # driver name is not reliable, so take the layout that parses.
        entries = None
        for sizelen in ((4, 2) if drv.endswith("4") else (2, 4)):
            step = 8 + sizelen
            if len(vidx) % step:
                continue
            fmt = "<II" + ("I" if sizelen == 4 else "H")
            e = [struct.unpack_from(fmt, vidx, i)
                 for i in range(0, len(vidx), step)]
            if all(s == 0 or (b < len(blocks) and o + s <= len(blocks[b]))
                   for b, o, s in e):
                entries = e
                break
        if entries is None:
            raise SystemExit(f"cannot parse verse index of {d}")
        seen = set()   # commentary entries covering a range are linked
        for b, off, size in entries:
            if size == 0 or (b, off) in seen:
                continue
            seen.add((b, off))
            t = blocks[b][off:off + size].decode("utf-8", "replace")
            t = re.sub(r"<note\b.*?</note>", " ", t, flags=re.S)
            t = re.sub(r"<title\b.*?</title>", " ", t, flags=re.S)
            t = re.sub(r"<[^>]*>", " ", t)
            yield html.unescape(t)


def dict_entries(path, skip_until=None):
    """Definitions of a dictd .dict.dz file, one paragraph per sense; the
    headword line (headword, pronunciation, part of speech, etymology) and
    source tags such as [1913 Webster] are dropped."""
    text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    if skip_until:
        m = re.search(skip_until, text, re.M)
        text = text[m.start():] if m else text
    for para in re.split(r"\n\s*\n", text):
        lines = para.strip("\n").split("\n")
        if not lines or lines[0].startswith("00-database"):
            continue
        head = ""
        if lines[0] and not lines[0][0].isspace():
            head = lines[0]
        # author citations: "... text. --Shak." and right-aligned ones,
        # possibly wrapped ("--Cowden" / "Clarke.")
        lines = [re.sub(r"\s--\s*[A-Z].*$|^\s*--\s*[A-Z].*$", "", l)
                 for l in lines if not l.startswith(" " * 30)]
        p = " ".join(l.strip() for l in lines)
        p = ACCENT_RE.sub(r"\1", p)            # avo["e]son -> avoeson
        if head:
            # drop headword, pronunciation, part of speech and etymology
            end = len(ACCENT_RE.sub(r"\1", head.strip()))
            i = p.find("[", 0, end)
            if i >= 0:
                depth = 0
                for j in range(i, len(p)):
                    depth += {"[": 1, "]": -1}.get(p[j], 0)
                    if depth == 0:
                        end = j + 1
                        break
            p = p[end:]
        p = re.sub(r"^\s*(?:\d+\.\s*)+(?:\d+\s+)?|^\s*\([a-z]\)\s*", "", p)
        p = re.sub(r"\[[^\]]*\]", " ", p)          # [1913 Webster], [Obs.]
        p = re.sub(r"\\[^\\]*\\", " ", p)          # \pro*nun"ci*a`tion\
        p = re.sub(r"\((?:[A-Z][a-z]*\.\s*)+\)", " ", p)  # (Anat.)
        p = re.sub(r"\bSyn:\s*", " ", p)
        p = p.replace("{", " ").replace("}", " ")
        if p.strip():
            yield p


def wordnet(d):
    """Glosses (definitions and example sentences) of WordNet 3.0."""
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(d, "data." + pos), encoding="utf-8",
                         errors="replace"):
            if line.startswith("  ") or " | " not in line:
                continue
            gloss = line.split(" | ", 1)[1].strip()
            for part in re.split(r';\s*(?=")', gloss):
                yield part.strip().strip('"') + "."


def fortunes(d):
    seen = set()
    for f in sorted(glob.glob(os.path.join(d, "*"))):
        real = os.path.realpath(f)
        if (f.endswith(".dat") or real in seen or os.path.isdir(real)
                or "ascii-art" in f or "art" == os.path.basename(f)):
            continue
        seen.add(real)
        for cookie in open(real, encoding="utf-8", errors="replace").read() \
                .split("\n%\n"):
            yield " ".join(cookie.split())


sw = os.path.join(root, "usr/share/sword")
dd = os.path.join(root, "usr/share/dictd")
SOURCES = {
    "web": lambda: sword(sw, "engWEB2015eb.conf"),
    "kjv": lambda: sword(sw, "engKJV2006eb.conf"),
    "mhcc": lambda: sword(sw, "mhcc.conf"),
    "tdavid": lambda: sword(sw, "tdavid.conf"),
    "gcide": lambda: dict_entries(os.path.join(dd, "gcide.dict.dz"),
                                  r"^A \\"),
    "jargon": lambda: dict_entries(os.path.join(dd, "jargon.dict.dz")),
    "devil": lambda: dict_entries(os.path.join(dd, "devil.dict.dz")),
    "foldoc": lambda: dict_entries(os.path.join(dd, "foldoc.dict.dz")),
    "wordnet": lambda: wordnet(os.path.join(root, "usr/share/wordnet")),
    "fortunes": lambda: fortunes(os.path.join(root, "usr/share/games/fortunes")),
}
names = sys.argv[4].split(",")
lines = []
for name in names:
    n0, w0 = len(lines), 0
    for para in SOURCES[name]():
        for s in sentences(para):
            if " " in s:        # a one-word line has no context to train on
                lines.append(s)
                w0 += s.count(" ") + 1
    print(f"  {name:9s} {len(lines) - n0:9d} lines {w0:10d} words",
          file=sys.stderr)
if kind != "small":
    random.Random(1).shuffle(lines)
with open(out, "w", encoding="utf-8") as f:
    for s in lines:
        f.write(s + "\n")
PY
mv "$TMP" "$OUT"
# provenance: the exact package files the corpus was made from
for p in $PKGS; do basename "$(ls "$DEBS/${p}_"*.deb | head -n1)"; done > "$OUT.sources"
echo "$(wc -l < "$OUT") lines, $(wc -w < "$OUT") words" >&2
echo "$OUT"
