#!/usr/bin/env python3
"""Sanity checks for the labelled claim briefs in tests/claims/ (stdlib only).

Usage:
    python3 tests/claims/check_labels.py [--seed SEED.json] [--corpus CORPUS.json] [-v]

SEED.json and CORPUS.json are the output of `dossier index --format json` for the bundled
seed corpus (run in a directory with no dossier.toml) and for tests/fixtures/corpus
(`dossier --root tests/fixtures/corpus index --format json`). Defaults: /tmp/seed.json and
/tmp/corpus.json. `seed-*.md` briefs are checked against the first, `corpus-*.md` against
the second.

What it checks (a failure is printed as ERROR and makes the exit status 1; WARN is advisory):
- every prose paragraph or list item (not a heading, not blank, not in a code fence) is one
  line and ends with exactly one `<!-- expect: ... -->` comment, whose codes are known;
  `none` is alone;
- the labelled text is one sentence (a rough test: no `. X` sentence break inside);
- citation keys: `unknown-source` items cite at least one key outside the corpus, every
  other item cites only known keys;
- locators: `unknown-locator` items cite at least one paragraph number the source does not
  have, every other item only paragraphs that exist;
- `uncited-claim` items have no citation; every other claim code has one;
- quotations (straight or curly double quotes): in a `misquote` item the quoted text occurs
  in none of the cited paragraphs (the whole source without a locator); in a `none` item it
  occurs in at least one of them; comparison after folding quotes, dashes, case and white
  space;
- `contradicts-source` items state a number that the cited paragraphs do not contain;
- `unsupported-claim` items share no capitalised name, year or number with the cited text
  (a prefix test: `Iran` and `Iranian` share a name);
- the per-code counts meet the targets (12 per diagnostic code, 60 `none`).
"""

import argparse
import glob
import json
import os
import re
import sys
import unicodedata

CODES = [
    "unknown-source",
    "unknown-locator",
    "misquote",
    "contradicts-source",
    "unsupported-claim",
    "uncited-claim",
]
MIN_PER_CODE = 12
MIN_NONE = 60

LABEL_RE = re.compile(r"<!--\s*expect:\s*([^>]*?)\s*-->")
ANY_COMMENT_RE = re.compile(r"<!--.*?-->")
GROUP_RE = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
KEY_RE = re.compile(r"(?<![\w@])-?@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])")
LOCATOR_RE = re.compile(
    r"(paras?\.|paragraphs?|¶¶|¶)\s*(\d+)(?:\s*[-–—]\s*(\d+))?", re.IGNORECASE
)
QUOTE_RE = re.compile(r"“([^”]+)”|(?<![\w])\"([^\"]+?)\"(?![\w])")
NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "thousand", "million", "billion", "half", "third",
    "quarter", "tenth", "fifth", "twice",
}
STOP_CAPS = {
    "The", "A", "An", "In", "On", "By", "At", "For", "Of", "And", "But", "Once", "Under",
    "Both", "Before", "After", "Its", "Their", "His", "Her", "This", "That", "These",
    "Those", "We", "Our", "It", "Readers", "Several", "Further", "What",
}


def fold(text):
    """Fold quotes, dashes, case and white space for quotation matching."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[“”„‟\"«»]", '"', text)
    text = re.sub(r"[‘’‚‛`´]", "'", text)
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text.casefold().strip()


def load_index(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {s["key"]: {p["n"]: p["text"] for p in s["paragraphs"]} for s in data["sources"]}


def paragraphs_of(text):
    """Yield (line_number, text) for each prose paragraph or list item of a brief."""
    lines = text.split("\n")
    in_fence = False
    block, start = [], None

    def flush():
        if block:
            # several lines: kept joined, so that the label check below reports it
            yield start, ("<multi-line> " if len(block) > 1 else "") + " ".join(
                l.strip() for l in block
            )

    out = []
    for i, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            out.extend(flush())
            block, start = [], None
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not stripped or stripped.startswith("#"):
            out.extend(flush())
            block, start = [], None
            continue
        if re.match(r"^([-*+]|\d+[.)])\s+", stripped):
            out.extend(flush())
            block, start = [re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped)], i
            continue
        if not block:
            start = i
        block.append(stripped)
    out.extend(flush())
    return out


def citations(text):
    """(key, [paragraph numbers]) for every citation; [] = the whole source."""
    found = []
    spans = []
    for g in GROUP_RE.finditer(text):
        spans.append(g.span())
        for item in g.group(1).split(";"):
            km = KEY_RE.search(item)
            if not km:
                continue
            found.append((km.group(1), locator_paras(item[km.end():])))
    # in-text citations: @key, optionally followed by [locator]
    for km in KEY_RE.finditer(text):
        if any(a <= km.start() < b for a, b in spans):
            continue
        rest = text[km.end():]
        lm = re.match(r"\s*\[([^\[\]@]*)\]", rest)
        found.append((km.group(1), locator_paras(lm.group(1)) if lm else []))
    return found


def locator_paras(suffix):
    paras = []
    for m in LOCATOR_RE.finditer(suffix):
        a = int(m.group(2))
        b = int(m.group(3)) if m.group(3) else a
        paras.extend(range(a, b + 1))
    return paras


FORMS = ["[@key]", "para.", "paras.", "paragraph", "¶", "¶¶", "[a; b]", "@key", "@key [loc]"]


def forms_of(body):
    """Which citation forms an item uses (for the coverage table)."""
    found = set()
    for g in GROUP_RE.finditer(body):
        inner = g.group(1)
        if ";" in inner:
            found.add("[a; b]")
        for item in inner.split(";"):
            if not KEY_RE.search(item):
                continue
            if not LOCATOR_RE.search(item):
                found.add("[@key]")
    for km in KEY_RE.finditer(body):
        if any(a <= km.start() < b for a, b in (g.span() for g in GROUP_RE.finditer(body))):
            continue
        found.add("@key [loc]" if re.match(r"\s*\[[^\[\]@]*\]", body[km.end():]) else "@key")
    for m in LOCATOR_RE.finditer(body):
        label = m.group(1).lower()
        found.add({"para.": "para.", "paras.": "paras.", "paragraph": "paragraph",
                   "paragraphs": "paragraph", "¶": "¶", "¶¶": "¶¶"}[label])
    return found


def quotes(text):
    return [a or b for a, b in QUOTE_RE.findall(text)]


MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
}


def numbers(text):
    """Numbers (digits) and number or month words in text, citation keys left out."""
    text = re.sub(r"@[\w:.#$%&+?<>~/-]+", "", text)
    nums = set(re.findall(r"\d[\d,.]*\d|\d", text))
    nums = {n.replace(",", "").rstrip(".") for n in nums}
    words = {w for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS | MONTHS}
    return nums, words


def caps(text):
    toks = re.findall(r"[A-ZÀ-Ý][\w’'-]*", text)
    return {t.split("'")[0].split("’")[0] for t in toks if t not in STOP_CAPS}


def shares_name(a, b):
    """`Iran`/`Iranian`, `Ukraine`/`Ukrainian`: one is a prefix of the other, or they share
    all but the last two letters of the shorter (at least five letters)."""
    a, b = a.lower(), b.lower()
    short = min(len(a), len(b))
    if a.startswith(b) or b.startswith(a):
        return short >= 3
    common = 0
    while common < short and a[common] == b[common]:
        common += 1
    return common >= 5 and common >= short - 2


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--dir", default=here)
    ap.add_argument("--seed", default="/tmp/seed.json")
    ap.add_argument("--corpus", default="/tmp/corpus.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    indexes = {"seed": load_index(args.seed), "corpus": load_index(args.corpus)}
    errors, warnings = [], []
    counts = {c: 0 for c in CODES + ["none"]}
    none_cited = none_uncited = 0
    per_file = {}
    coverage = {}

    briefs = sorted(glob.glob(os.path.join(args.dir, "seed-*.md"))) + sorted(
        glob.glob(os.path.join(args.dir, "corpus-*.md"))
    )
    for path in briefs:
        name = os.path.basename(path)
        index = indexes["seed" if name.startswith("seed-") else "corpus"]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        per_file[name] = 0
        for line, para in paragraphs_of(text):
            where = f"{name}:{line}"

            def err(msg):
                errors.append(f"{where}: {msg}: {para}")

            def warn(msg):
                warnings.append(f"{where}: {msg}: {para}")

            if para.startswith("<multi-line> "):
                para = para[len("<multi-line> "):]
                err("item spans several lines (keep each labelled item on one line)")
            labels = LABEL_RE.findall(para)
            if len(labels) != 1:
                err(f"{len(labels)} label comments (want exactly 1)")
                continue
            if not LABEL_RE.search(para.rstrip()).end() == len(para.rstrip()):
                err("label is not at the end of the paragraph")
            codes = labels[0].split()
            if not codes or any(c not in CODES + ["none"] for c in codes):
                err(f"unknown code in {codes}")
                continue
            if "none" in codes and len(codes) > 1:
                err("`none` mixed with other codes")
            if len(set(codes)) != len(codes):
                err("duplicate code")
            for c in codes:
                counts[c] += 1
                for fm in forms_of(ANY_COMMENT_RE.sub("", para)):
                    coverage[(c, fm)] = coverage.get((c, fm), 0) + 1
            per_file[name] += 1
            body = ANY_COMMENT_RE.sub("", para).strip()
            if re.search(r"(?<!para)(?<!paras)(?<!e\.g)(?<!i\.e)(?<!\bB)[.!?][\"”]?\s+[A-Z@]", body):
                err("more than one sentence")
            if not re.search(r"[.!?][\"”]?$", body):
                warn("does not end with sentence punctuation")

            cites = citations(body)
            keys = [k for k, _ in cites]
            unknown_keys = [k for k in keys if k not in index]
            bad_locs = [
                (k, n) for k, ps in cites if k in index for n in ps if n not in index[k]
            ]

            if ("unknown-source" in codes) != bool(unknown_keys):
                err(f"unknown keys {unknown_keys} vs label {codes}")
            if ("unknown-locator" in codes) != bool(bad_locs):
                err(f"out-of-range locators {bad_locs} vs label {codes}")
            if "uncited-claim" in codes and cites:
                err("uncited-claim item has a citation")
            if any(c not in ("none", "uncited-claim") for c in codes) and not cites:
                err("claim code without a citation")
            if codes == ["none"]:
                if cites:
                    none_cited += 1
                else:
                    none_uncited += 1
                    if numbers(body)[0]:
                        warn("uncited `none` item states a number")

            # the cited text, for content checks (only when keys and locators are good)
            if unknown_keys or bad_locs or not cites:
                if quotes(body) and cites and codes == ["none"]:
                    err("quotation in a `none` item whose citation cannot be checked")
                continue
            cited = []
            for k, ps in cites:
                cited.extend(index[k][n] for n in (ps or sorted(index[k])))
            cited_text = "\n".join(cited)
            folded = [fold(t) for t in cited]

            qs = quotes(body)
            for q in qs:
                present = any(fold(q).strip(" ,.") in t for t in folded)
                if "misquote" in codes and present:
                    err(f"misquote but {q!r} is in the cited text")
                if codes == ["none"] and not present:
                    err(f"`none` but {q!r} is not in the cited text")
            if "misquote" in codes:
                if not qs:
                    err("misquote without a quotation")
                elif all(any(fold(q).strip(" ,.") in t for t in folded) for q in qs):
                    err("misquote but every quotation is in the cited text")
            if codes == ["none"] and qs and args.verbose:
                print(f"ok quote {where}: {qs}")

            claim_only = re.sub(r"\[[^\[\]]*\]", "", body)  # citation groups and locators
            nums, words = numbers(claim_only)
            cnums, cwords = numbers(cited_text)
            if "contradicts-source" in codes:
                wrong = (nums - cnums) | (words - cwords)
                if not wrong:
                    err("contradicts-source but every number is in the cited text")
                if qs:
                    err("contradicts-source item also quotes (keep one problem per item)")
            if codes == ["none"]:
                wrong = nums - cnums
                if wrong:
                    warn(f"`none` item has numbers not in the cited text: {sorted(wrong)}")
            if "unsupported-claim" in codes:
                claim = re.sub(r"\[[^\]]*\]", "", body)
                shared = [
                    c for c in caps(claim)
                    if any(shares_name(c, t) for t in caps(cited_text))
                ]
                shared += sorted(nums & cnums)
                if shared:
                    err(f"unsupported-claim shares names/numbers with the cited text: {shared}")
            if codes == ["none"]:
                claim = re.sub(r"\[[^\]]*\]|@\S+", "", body)
                names = caps(claim)
                if names and not any(
                    shares_name(c, t) for c in names for t in caps(cited_text)
                ):
                    warn(f"`none` item shares no name with the cited text: {sorted(names)}")

    for e in errors:
        print("ERROR", e)
    for w in warnings:
        print("WARN ", w)
    print()
    print("items per brief:", ", ".join(f"{k} {v}" for k, v in per_file.items()))
    print("citation forms per code (items using each form):")
    print(f"{'':20}" + "".join(f"{f:>11}" for f in FORMS))
    for c in CODES + ["none"]:
        print(f"{c:20}" + "".join(f"{coverage.get((c, f), 0):>11}" for f in FORMS))
    print()
    for c in CODES + ["none"]:
        target = MIN_NONE if c == "none" else MIN_PER_CODE
        flag = "" if counts[c] >= target else f"  (below {target})"
        print(f"{c:20} {counts[c]:4}{flag}")
        if counts[c] < target:
            errors.append(f"{c} below target")
    print(f"  none: {none_cited} cited, {none_uncited} framing/opinion")
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
