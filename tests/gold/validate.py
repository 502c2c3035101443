#!/usr/bin/env python3
"""Check hand-made gold annotations (tests/gold/*.toml) against their sources.

Standard library only (Python 3.11+, for tomllib).

    python3 tests/gold/validate.py                      # every gold file, sources found by name
    python3 tests/gold/validate.py GOLD.toml [SOURCE]   # one file
    python3 tests/gold/validate.py --dump SOURCE        # print the numbered paragraphs
    python3 tests/gold/validate.py -v ...               # also list capitalised words no mention covers

A gold file `<stem>.toml` belongs to the source whose file stem is `<stem>`, looked up in
tests/fixtures/corpus/sources/ and seeds/; `berman2023.toml` belongs to the seed article.

Paragraphs follow SPEC section 2: blank-line-separated blocks; plain text has title, byline
(`Month D, YYYY Author Name Publication`), an optional `Related Categories:` block, then the
body, where a short block without final punctuation is a section heading and a final
`(c) YEAR - Holder` block is a footer. Markdown has YAML front matter and `#` headings.
Body paragraphs are numbered from 1; paragraph 0 is the byline (the front matter in Markdown).

Checks, all errors unless noted:
  * entity names are unique, kinds are valid, every entity has a mention;
  * a mention's text is its entity's name or one of its aliases (demonym = false), or one of its
    demonyms (demonym = true);
  * mentions are in document order and each one is found, as a whole word, in its paragraph
    after the previous mention of that paragraph (so a paragraph holding "Tehran" twice must
    hold it twice in the source too);
  * no occurrence of a known surface form (any name, alias or demonym) in a paragraph is left
    without a mention, unless it lies inside another mention ("Jerusalem" in
    "Jerusalem Strategic Tribune");
  * every event's `when` occurs in its paragraph, its date is EDTF of the forms the gold uses,
    its entities exist, events are in paragraph order.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SOURCE_DIRS = [
    REPO / "tests" / "fixtures" / "corpus" / "sources",
    REPO / "tests" / "fixtures" / "newsroom",
    REPO / "seeds",
]
ALIASES = {"berman2023": "000_66373d9ec02ed63b"}

KINDS = {"person", "organization", "place", "event", "other"}
FINAL_PUNCT = ".!?…:;"
CLOSERS = "\"'”’)]»"
# EDTF forms the gold uses: day, month, year, decade (198X), optional ~ (approximate),
# and intervals of those (2008/2012, 2022-06/2022-07, 2015/..).
EDTF_POINT = r"\d{4}(-\d{2}(-\d{2})?)?~?|\d{3}X~?"
EDTF_RE = re.compile(rf"^(({EDTF_POINT})(/({EDTF_POINT}|\.\.))?|\.\./({EDTF_POINT}))$")


def blocks_of(lines: list[str]) -> list[str]:
    out, cur = [], []
    for line in lines:
        if line.strip() == "":
            if cur:
                out.append("\n".join(cur))
                cur = []
        else:
            cur.append(line)
    if cur:
        out.append("\n".join(cur))
    return out


def is_heading(block: str) -> bool:
    text = block.strip()
    if "\n" in text:
        return False
    words = text.split()
    if len(words) > 12:
        return False
    stripped = text.rstrip(CLOSERS)
    return not stripped or stripped[-1] not in FINAL_PUNCT


def parse_source(path: Path) -> dict:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    paragraphs: dict[int, str] = {}
    headings: list[str] = []
    if path.suffix.lower() in (".md", ".markdown"):
        # YAML front matter: first non-empty line '---' up to the next '---'.
        i = 0
        while i < len(lines) and lines[i].strip() == "":
            i += 1
        if i >= len(lines) or lines[i].strip() != "---":
            raise ValueError(f"{path}: Markdown source without front matter")
        j = i + 1
        while j < len(lines) and lines[j].strip() != "---":
            j += 1
        # Paragraph 0, the byline: the front matter's author, date and publisher lines.
        paragraphs[0] = "\n".join(
            l for l in lines[i + 1 : j] if re.match(r"^(author|date|publisher)\s*:", l)
        )
        n = 0
        for block in blocks_of(lines[j + 1 :]):
            if block.lstrip().startswith("#"):
                headings.append(block)
                continue
            n += 1
            paragraphs[n] = block
        m = re.search(r"^title:\s*(.*)$", "\n".join(lines[i + 1 : j]), re.M)
        title = m.group(1).strip().strip("\"'") if m else None
    else:
        blocks = blocks_of(lines)
        title, byline, rest = blocks[0], blocks[1], blocks[2:]
        paragraphs[0] = byline
        if rest and rest[0].startswith("Related Categories:"):
            rest = rest[1:]
        if rest and re.match(r"^©\s*\d{4}\s*-\s*\S", rest[-1].strip()):
            rest = rest[:-1]
        n = 0
        for block in rest:
            if is_heading(block):
                headings.append(block)
                continue
            n += 1
            paragraphs[n] = block
    return {"paragraphs": paragraphs, "headings": headings, "title": title, "crlf": crlf}


WORD = re.compile(r"\w", re.UNICODE)


def whole_word_at(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not WORD.match(before) and not WORD.match(after)


def find_whole(text: str, needle: str, start: int = 0) -> int:
    while True:
        i = text.find(needle, start)
        if i < 0:
            return -1
        if whole_word_at(text, i, i + len(needle)):
            return i
        start = i + 1


def find_source(gold: Path) -> Path:
    stem = ALIASES.get(gold.stem, gold.stem)
    for d in SOURCE_DIRS:
        for p in sorted(d.glob(stem + ".*")) if d.exists() else []:
            return p
    raise FileNotFoundError(f"no source for {gold.name} (looked for {stem}.* in {SOURCE_DIRS})")


def validate(gold_path: Path, source_path: Path, verbose: bool = False) -> int:
    errors: list[str] = []
    warnings: list[str] = []
    src = parse_source(source_path)
    paras = src["paragraphs"]
    with gold_path.open("rb") as f:
        gold = tomllib.load(f)
    unknown_top = set(gold) - {"entity", "mention", "event"}
    if unknown_top:
        errors.append(f"unknown top-level keys {sorted(unknown_top)}")
    entities = gold.get("entity", [])
    mentions = gold.get("mention", [])
    events = gold.get("event", [])

    by_name: dict[str, dict] = {}
    for e in entities:
        extra = set(e) - {"name", "kind", "aliases", "demonyms", "description"}
        if extra:
            errors.append(f"entity {e.get('name')!r}: unknown keys {sorted(extra)}")
        name = e.get("name")
        if not name:
            errors.append(f"entity without name: {e}")
            continue
        if name in by_name:
            errors.append(f"duplicate entity {name!r}")
        by_name[name] = e
        if e.get("kind") not in KINDS:
            errors.append(f"entity {name!r}: bad kind {e.get('kind')!r}")
        for key in ("aliases", "demonyms"):
            if not isinstance(e.get(key, []), list):
                errors.append(f"entity {name!r}: {key} must be a list")
    # A surface form must point at one entity only.
    surface_owner: dict[str, str] = {}
    for e in entities:
        for s in [e["name"], *e.get("aliases", []), *e.get("demonyms", [])]:
            if s in surface_owner and surface_owner[s] != e["name"]:
                errors.append(f"surface {s!r} belongs to {surface_owner[s]!r} and {e['name']!r}")
            surface_owner[s] = e["name"]

    # Mentions: order, membership, alignment.
    spans: dict[int, list[tuple[int, int, str]]] = {}
    cursor: dict[int, int] = {}
    last_para = -1
    used: set[str] = set()
    for k, m in enumerate(mentions):
        where = f"mention #{k + 1} (para {m.get('paragraph')}, {m.get('text')!r})"
        extra = set(m) - {"paragraph", "text", "entity", "demonym"}
        if extra:
            errors.append(f"{where}: unknown keys {sorted(extra)}")
        p, text, ent, dem = m.get("paragraph"), m.get("text"), m.get("entity"), m.get("demonym")
        if not isinstance(dem, bool):
            errors.append(f"{where}: demonym must be true or false")
        if p not in paras:
            errors.append(f"{where}: no paragraph {p} (source has 0..{max(paras)})")
            continue
        if p < last_para:
            errors.append(f"{where}: out of document order (after paragraph {last_para})")
        last_para = p
        e = by_name.get(ent)
        if e is None:
            errors.append(f"{where}: unknown entity {ent!r}")
        else:
            used.add(ent)
            forms = e.get("demonyms", []) if dem else [e["name"], *e.get("aliases", [])]
            if text not in forms:
                kind = "demonyms" if dem else "name/aliases"
                errors.append(f"{where}: text is not among {ent!r}'s {kind} {forms}")
        body = paras[p]
        i = find_whole(body, text, cursor.get(p, 0))
        if i < 0:
            total = 0
            j = find_whole(body, text, 0)
            while j >= 0:
                total += 1
                j = find_whole(body, text, j + 1)
            annotated = sum(1 for x in mentions if x.get("paragraph") == p and x.get("text") == text)
            errors.append(
                f"{where}: not found in order as a whole word "
                f"(paragraph holds it {total}x, annotated {annotated}x)"
            )
            continue
        spans.setdefault(p, []).append((i, i + len(text), text))
        cursor[p] = i + len(text)

    for name in by_name:
        if name not in used:
            errors.append(f"entity {name!r} has no mention")

    # Known surface forms left unannotated.
    for p, body in paras.items():
        covered = spans.get(p, [])
        for s in sorted(surface_owner, key=len, reverse=True):
            start = 0
            while True:
                i = find_whole(body, s, start)
                if i < 0:
                    break
                start = i + 1
                if not any(a <= i and i + len(s) <= b for a, b, _ in covered):
                    errors.append(f"para {p}: {s!r} at offset {i} has no mention")
        if verbose:
            for mt in re.finditer(r"(?<![\w-])[^\W\d_][\w.'’-]*", body):
                w = mt.group(0)
                if not w[0].isupper():
                    continue
                a, b = mt.start(), mt.end()
                if any(x <= a < y for x, y, _ in covered):
                    continue
                prev = body[:a].rstrip()
                initial = prev == "" or prev[-1] in ".!?:—\"“(" or prev.endswith("—")
                warnings.append(f"para {p}: uncovered capitalised {w!r}{' (sentence-initial)' if initial else ''}")

    # Events.
    last_para = -1
    dated = 0
    for k, ev in enumerate(events):
        where = f"event #{k + 1} (para {ev.get('paragraph')}, {ev.get('when')!r})"
        extra = set(ev) - {"paragraph", "when", "date", "entities"}
        if extra:
            errors.append(f"{where}: unknown keys {sorted(extra)}")
        p = ev.get("paragraph")
        if p not in paras:
            errors.append(f"{where}: no paragraph {p}")
            continue
        if p < last_para:
            errors.append(f"{where}: out of paragraph order")
        last_para = p
        when = ev.get("when", "")
        if not when or when not in paras[p]:
            errors.append(f"{where}: `when` not found in paragraph")
        date = ev.get("date")
        if date is None:
            errors.append(f"{where}: missing date (use \"\" when undatable)")
        elif date != "":
            dated += 1
            if not EDTF_RE.match(date):
                errors.append(f"{where}: date {date!r} is not EDTF of a supported form")
        for name in ev.get("entities", []):
            if name not in by_name:
                errors.append(f"{where}: unknown entity {name!r}")

    n_demonym = sum(1 for m in mentions if m.get("demonym"))
    kinds: dict[str, int] = {}
    for e in entities:
        kinds[e.get("kind")] = kinds.get(e.get("kind"), 0) + 1
    print(f"{gold_path.name}  <-  {source_path.relative_to(REPO) if source_path.is_relative_to(REPO) else source_path}")
    print(
        f"  body paragraphs {max(paras)}, headings {len(src['headings'])}, crlf {src['crlf']}\n"
        f"  entities {len(entities)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})\n"
        f"  mentions {len(mentions)} ({n_demonym} demonym)\n"
        f"  events {len(events)} ({dated} dated, {len(events) - dated} undated)"
    )
    for w in warnings:
        print("  note:", w)
    for e in errors:
        print("  ERROR:", e)
    print("  OK" if not errors else f"  {len(errors)} error(s)")
    return len(errors)


def dump(path: Path) -> None:
    src = parse_source(path)
    print("headings:", src["headings"])
    for n, text in src["paragraphs"].items():
        print(f"[{n}] {text}\n")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    if argv and argv[0] == "--dump":
        dump(Path(argv[1]))
        return 0
    if argv:
        gold = Path(argv[0])
        source = Path(argv[1]) if len(argv) > 1 else find_source(gold)
        return 1 if validate(gold, source, verbose) else 0
    failures = 0
    for gold in sorted(HERE.glob("*.toml")):
        failures += 1 if validate(gold, find_source(gold), verbose) else 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
