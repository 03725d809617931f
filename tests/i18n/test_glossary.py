#!/usr/bin/env python3
"""The Chinese translation keeps the course's words: for every term of
assets/po/glossary-zh_CN.tsv, every zh_CN.po entry whose English holds the
term as a word has the Chinese term in its translation (rules in the
glossary's header). Untranslated entries fall back to English and are not
checked; fuzzy ones are not used by gettext and fail. TAP output, one test
per term, each naming the entries that break it."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PO = os.path.join(ROOT, "assets", "po", "zh_CN.po")
GLOSSARY = os.path.join(ROOT, "assets", "po", "glossary-zh_CN.tsv")

IDENT_BEFORE = set("'\"=-_/.`$<")
IDENT_AFTER = set("'\"=-_(/`$>")


def read_po(path):
    """[(msgctxt, msgid, msgstr, fuzzy)], through msgcat so the file is read
    as gettext reads it (one string per line, no obsolete entries)."""
    out = subprocess.run(["msgcat", "--no-wrap", "--no-location", path],
                         capture_output=True, text=True, check=True).stdout
    entries = []
    for block in out.split("\n\n"):
        fields, fuzzy, field = {}, False, None
        for line in block.split("\n"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            else:
                m = re.match(r'(msgctxt|msgid|msgstr)\s+(".*")$', line)
                if m:
                    field = m.group(1)
                    fields[field] = json.loads(m.group(2))  # C escapes: \n \t \" \\
                elif line.startswith('"') and field:
                    fields[field] += json.loads(line)
        if fields.get("msgid"):
            entries.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgstr", ""),
                            fuzzy))
    return entries


def read_glossary(path):
    terms = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) not in (2, 3) or not parts[0].strip() or not parts[1].strip():
                raise SystemExit("%s:%d: want 'english<TAB>chinese[<TAB>other sense]'"
                                 % (path, n))
            other = re.compile(parts[2].strip(), re.IGNORECASE) if len(parts) == 3 else None
            terms.append((parts[0].strip(), parts[1].strip(), other))
    return terms


def occurrences(text, term):
    """Spans of term in text as a word (plural -s/-es), skipping ALL-CAPS
    words and identifiers."""
    pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(term).replace(r"\ ", r"\s+") +
                     r"(?:es|s)?(?![A-Za-z0-9])", re.IGNORECASE)
    spans = []
    for m in pat.finditer(text):
        word = m.group(0)
        if word.isupper() and len(word) > 1 and not term.isupper():
            continue
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        after2 = text[m.end() + 1] if m.end() + 1 < len(text) else ""
        if before in IDENT_BEFORE or after in IDENT_AFTER or \
                (after in ".:" and after2.isalnum()):
            continue
        spans.append((m.start(), m.end()))
    return spans


def violations(entries, terms):
    """{english term: [msgid...]} for entries that break the glossary."""
    bad = {t[0]: [] for t in terms}
    for ctx, msgid, msgstr, fuzzy in entries:
        if not msgstr and not fuzzy:
            continue
        # longer terms first: the words they cover are theirs
        covered = []
        for en, zh, other in sorted(terms, key=lambda t: -len(t[0])):
            spans = [s for s in occurrences(msgid, en)
                     if not any(a <= s[0] and s[1] <= b for a, b in covered)]
            if not spans:
                continue
            covered += spans
            if other and other.search(msgid):
                continue  # the word in another sense (a dinner fork)
            if fuzzy or zh not in msgstr:
                bad[en].append(msgid)
    return bad


def self_test(tap):
    """The checker itself: it must catch a wrong term and leave identifiers."""
    terms = [("deadlock", "死锁", None), ("race condition", "竞态条件", None),
             ("condition", "条件变量", None), ("fork", "fork", re.compile("philosopher"))]
    entries = [
        (None, "Two threads deadlock.", "两个线程卡住了。", False),        # wrong
        (None, "--until takes 'deadlock'", "--until 的取值是 'deadlock'", False),
        (None, "see deadlock-ordered", "见 deadlock-ordered", False),
        (None, "a race condition", "竞态条件", False),               # not 条件变量
        (None, "T is BLOCKED", "T 处于 BLOCKED", False),
        (None, "the deadlocks", "", True),                           # fuzzy
        (None, "a philosopher takes a fork", "哲学家拿起叉子", False),  # other sense
        (None, "a child made by fork", "复制出的子进程", False),      # wrong
        (None, "signal:TARGET:SIG", "signal:TARGET:SIG", False),
    ]
    bad = violations(entries, terms)
    tap.check(bad["deadlock"] == ["Two threads deadlock.", "the deadlocks"],
              "the checker catches a missing term and a fuzzy entry", repr(bad))
    tap.check(bad["condition"] == [] and bad["race condition"] == [],
              "the checker lets a longer term cover a shorter one", repr(bad))
    tap.check(bad["fork"] == ["a child made by fork"],
              "the checker skips a word in its other sense, and only there", repr(bad))


def main():
    tap = Tap()
    self_test(tap)
    entries = read_po(PO)
    terms = read_glossary(GLOSSARY)
    tap.check(len(terms) >= 20, "the glossary holds the course's terms (%d)" % len(terms))
    translated = sum(1 for e in entries if e[2] and not e[3])
    tap.check(translated >= 0.9 * len(entries), "zh_CN.po translates %d of %d strings"
           % (translated, len(entries)))
    # the kinds' words are shown through _() but live in a macro xgettext
    # cannot read (src/event.h): src/describe.c lists them for translators
    with open(os.path.join(ROOT, "src", "event.h"), encoding="utf-8") as f:
        block = f.read().split("#define LS_OBJ_KINDS(X)", 1)[1].split("enum ls_obj_kind", 1)[0]
    kinds = re.findall(r'X\(\w+, "([^"]+)"\)', block)
    pot = {e[1] for e in read_po(os.path.join(ROOT, "assets", "po", "lockstep.pot"))}
    tap.check(kinds and all(k in pot for k in kinds),
              "every object kind's word reaches the template (%d kinds)" % len(kinds),
              "missing from src/describe.c's kind_words: %s" % [k for k in kinds if k not in pot])
    bad = violations(entries, terms)
    for en, zh, _ in terms:
        uses = sum(1 for e in entries if occurrences(e[1], en))
        tap.check(not bad[en], "'%s' is %s wherever it is used (%d entries)" % (en, zh, uses),
               "\n".join("  %r" % m[:100] for m in bad[en]))
    tap.done()


if __name__ == "__main__":
    main()
