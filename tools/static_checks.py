"""Static checks of the addon: ruff, pylint-odoo, well-formed XML, manifest files exist."""

import ast
import subprocess
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "civ_evaluation"
PY = sys.executable


def check_xml():
    errors = []
    for path in sorted(ADDON.rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path.relative_to(ROOT)}: {exc}")
    return errors


def check_manifest():
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    errors = []
    for key in ("data", "demo", "assets"):
        value = manifest.get(key) or []
        files = value if isinstance(value, list) else [f for v in value.values() for f in v]
        for listed in files:
            name = listed.removeprefix("civ_evaluation/")
            if "*" in name:
                continue
            if not (ADDON / name).is_file():
                errors.append(f"__manifest__.py lists {name}, which does not exist")
    return errors


def run(cmd):
    print("$", " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def main():
    failures = []
    for name, errors in (("xml", check_xml()), ("manifest", check_manifest())):
        for error in errors:
            print(error)
        if errors:
            failures.append(name)
    if run([PY, "-m", "ruff", "check", "civ_evaluation", "tools", "bench", "loadtest", "deploy"]):
        failures.append("ruff")
    if run([PY, "-m", "pylint", "--rcfile=.pylintrc", "civ_evaluation"]):
        failures.append("pylint")
    if failures:
        print("static checks failed:", ", ".join(failures))
        return 1
    print("static checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
