"""Static checks of the addons (civ_evaluation and the bridge civ_evaluation_project): ruff (lint and
format), pylint-odoo, raw SQL only in civ_evaluation/models/civ_sql.py (and the seal, the SQL view, the
hooks), OCA's checks (oca-checks-odoo-module, oca-checks-po: .oca_hooks.cfg says what is excluded and
why), well-formed XML, manifest files exist, each README.rst (and static/description/index.html) what
its readme/*.md fragments give (tools/gen_readme.py; `make readme` regenerates them) and rendered by
docutils without a single message."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_readme  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("civ_evaluation", "civ_evaluation_project", "civ_evaluation_api", "civ_evaluation_dashboard")
PY = sys.executable
# OCA's checks run from their own virtualenv, made by `make setup` (requirements-lint.txt)
LINT_VENV = Path(os.environ.get("LINT_VENV") or ROOT / ".venv-lint")
OCA_CONFIG = ".oca_hooks.cfg"


def check_xml():
    errors = []
    for path in sorted(p for addon in ADDONS for p in (ROOT / addon).rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path.relative_to(ROOT)}: {exc}")
    return errors


def check_manifest():
    errors = []
    for addon in ADDONS:
        manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))
        for key in ("data", "demo", "assets"):
            value = manifest.get(key) or []
            files = value if isinstance(value, list) else [f for v in value.values() for f in v]
            for listed in files:
                name = listed.removeprefix(f"{addon}/")
                if "*" in name:
                    continue
                if not (ROOT / addon / name).is_file():
                    errors.append(f"{addon}/__manifest__.py lists {name}, which does not exist")
    return errors


# Everything below the ORM lives in one module of named functions (civ_evaluation/models/civ_sql.py);
# the seal (civ_seal.py), the SQL views of the published results and of the profiles
# (civ_profile_sql.py) and the install/upgrade hooks and
# migrations keep their own. Tests and benchmarks may read and write the database as they like.
SQL_ALLOWED = (
    "civ_evaluation/models/civ_sql.py",
    "civ_evaluation/models/civ_seal.py",
    "civ_evaluation/models/civ_published_result.py",
    "civ_evaluation/models/civ_profile_sql.py",
    "civ_evaluation_project/hooks.py",
)
# env.cr, self._cr, a cursor named cr or cursor, with or without a space before the parenthesis
SQL_CALL = re.compile(
    r"(?:\b_?cr|\bcursor)\s*\.\s*execute\s*\(" r"|\.execute_query(?:_dict)?\s*\(" r"|\bexecute_values\s*\("
)


def check_sql():
    errors = []
    for addon in ADDONS:
        for path in sorted((ROOT / addon).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in SQL_ALLOWED or "/tests/" in relative or "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if SQL_CALL.search(line):
                    errors.append(
                        f"{relative}:{number}: raw SQL outside civ_evaluation/models/civ_sql.py: add a named "
                        "function there (say which columns it writes and what it invalidates)"
                    )
    return errors


def oca_checks():
    """OCA's checks of the addons and of their translations; True when they found nothing."""
    module_check, po_check = LINT_VENV / "bin" / "oca-checks-odoo-module", LINT_VENV / "bin" / "oca-checks-po"
    if not (module_check.is_file() and po_check.is_file()):
        print(f"OCA's checks are not installed in {LINT_VENV}: run 'make setup' (requirements-lint.txt)")
        return False
    po_files = sorted(str(p.relative_to(ROOT)) for a in ADDONS for p in (ROOT / a / "i18n").glob("*.po*"))
    ok = not run([str(module_check), f"--config={OCA_CONFIG}", *ADDONS])
    return not run([str(po_check), f"--config={OCA_CONFIG}", *po_files]) and ok


def run(cmd):
    print("$", " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def main():
    failures = []
    checks = (
        ("xml", check_xml()),
        ("manifest", check_manifest()),
        ("sql", check_sql()),
        ("readme", gen_readme.check()),
    )
    for name, errors in checks:
        for error in errors:
            print(error)
        if errors:
            failures.append(name)
    sources = [*ADDONS, "tools", "bench", "loadtest", "deploy"]
    if run([PY, "-m", "ruff", "check", *sources]):
        failures.append("ruff")
    # one code style: ruff format (fix with `ruff format` on the same folders)
    if run([PY, "-m", "ruff", "format", "--check", *sources]):
        failures.append("ruff format")
    if run([PY, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS]):
        failures.append("pylint")
    if not oca_checks():
        failures.append("oca-checks")
    if failures:
        print("static checks failed:", ", ".join(failures))
        return 1
    print("static checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
