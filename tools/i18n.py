"""Translations of the addon.

i18n.py check POT PO   every term of the template has a Vietnamese translation in PO and every
                       translation keeps the placeholders of its term (exit 1 if not)
i18n.py merge POT PO   add the template's new terms to PO (empty), drop obsolete ones, keep translations
i18n.py validate PO    every translation keeps the placeholders and XML tags of its term
"""

import re
import sys
from collections import Counter

import polib

# %s, %(name)s, %d, %%; {{ expr }}, {% tag %}, {name}; XML/HTML tags with their attributes
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0+]*\d*(?:\.\d+)?[sdifrx]|%[-#0+]*\d*(?:\.\d+)?[sdifr]|%%"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z_][A-Za-z0-9_.]*\}"
    r"|</?[A-Za-z][^<>]*>",
    re.S,
)


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


def placeholders(text):
    return Counter(re.sub(r"\s+", " ", p) for p in PLACEHOLDER.findall(text))


def placeholder_errors(po):
    errors = []
    for entry in po:
        if not entry.msgstr or entry.obsolete:
            continue
        expected, found = placeholders(entry.msgid), placeholders(entry.msgstr)
        if expected != found:
            missing = sorted((expected - found).elements())
            extra = sorted((found - expected).elements())
            errors.append(f"  placeholders differ in {entry.msgid[:70]!r}: missing {missing}, extra {extra}")
    return errors


def validate(po_path):
    errors = placeholder_errors(polib.pofile(po_path))
    for error in errors:
        print(error)
    print(f"i18n: {len(errors)} translation(s) with wrong placeholders in {po_path}")
    return 1 if errors else 0


def check(pot_path, po_path):
    pot = polib.pofile(pot_path)
    po = polib.pofile(po_path)
    translated = {_key(e): e for e in po if e.msgstr and "fuzzy" not in e.flags and not e.obsolete}
    missing = [e for e in pot if _key(e) not in translated]
    for entry in missing[:60]:
        where = ", ".join(f"{occ[0]}" for occ in entry.occurrences[:2]) or "?"
        print(f"  no Vietnamese translation: {entry.msgid[:90]!r} ({where})")
    if len(missing) > 60:
        print(f"  ... and {len(missing) - 60} more")
    errors = placeholder_errors(po)
    for error in errors:
        print(error)
    print(
        f"i18n: {len(pot) - len(missing)}/{len(pot)} terms translated in {po_path}"
        + (f", {len(errors)} with wrong placeholders" if errors else "")
    )
    return 1 if missing or errors else 0


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    po = polib.pofile(po_path)
    po.merge(pot)
    po[:] = [e for e in po if not e.obsolete]
    po.save(po_path)
    print(f"i18n: {po_path} now has {len(po)} terms, {len(po.untranslated_entries())} untranslated")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "validate":
        sys.exit(validate(sys.argv[2]))
    command, pot_file, po_file = sys.argv[1:4]
    sys.exit({"check": check, "merge": merge}[command](pot_file, po_file))
