"""Translations of the addon.

    i18n.py check POT PO   every term of the template has a Vietnamese translation in PO (exit 1 if not)
    i18n.py merge POT PO   add the template's new terms to PO (empty), drop obsolete ones, keep translations
"""

import sys

import polib


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


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
    print(f"i18n: {len(pot) - len(missing)}/{len(pot)} terms translated in {po_path}")
    return 1 if missing else 0


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    po = polib.pofile(po_path)
    po.merge(pot)
    po[:] = [e for e in po if not e.obsolete]
    po.save(po_path)
    print(f"i18n: {po_path} now has {len(po)} terms, {len(po.untranslated_entries())} untranslated")
    return 0


if __name__ == "__main__":
    command, pot_file, po_file = sys.argv[1:4]
    sys.exit({"check": check, "merge": merge}[command](pot_file, po_file))
