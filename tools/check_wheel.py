"""Checks the odoo-addon-civ_evaluation wheel built by `make wheel` (tools/wheel.sh).

    python tools/check_wheel.py dist/odoo_addon_civ_evaluation-<version>-py3-none-any.whl

1. The wheel's metadata: the distribution name, the manifest's version, the dependency on Odoo 18.0.
2. Its content: the manifest, every data/demo file the manifest lists, every view, security, i18n,
   static, report and wizard file of the addon, and every Python module.
3. That Odoo finds the installed addon without the repository on its addons_path: the wheel is
   installed (pip --no-deps --target) into a temporary folder, and Odoo's own module lookup run with
   that folder on sys.path must resolve civ_evaluation there and read its manifest.

Exits non-zero with a message naming what is missing.
"""

import ast
import os
import subprocess
import sys
import tempfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "civ_evaluation"
PREFIX = "odoo/addons/civ_evaluation/"
# Folders whose every file on disk must be in the wheel (whool packs the git-tracked files).
FOLDERS = ("data", "demo", "views", "security", "i18n", "static", "reports", "wizards", "models")
HINT = (
    "whool packs only the files git tracks in civ_evaluation/: 'git add' new files, then 'make wheel'"
)

LOOKUP = """
import sys
sys.path.insert(0, sys.argv[1])
import odoo
from odoo.tools import config
config.parse_config(['--addons-path=' + sys.argv[2]])
from odoo.modules import module
module.initialize_sys_path()
path = module.get_module_path('civ_evaluation', display_warning=False)
manifest = module.get_manifest('civ_evaluation')
print(path)
print(manifest.get('version'), manifest.get('installable'))
"""


def manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


def expected_files(man):
    """Relative paths (in the addon) that must be in the wheel."""
    files = {"__manifest__.py", "__init__.py"}
    for key in ("data", "demo"):
        files.update(man.get(key) or [])
    for folder in FOLDERS:
        for path in (ADDON / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(str(path.relative_to(ADDON)))
    return files


def check_metadata(zf, man):
    errors = []
    meta_name = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA")), None)
    if not meta_name:
        return ["no .dist-info/METADATA in the wheel"]
    meta = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
    if meta["Name"] != "odoo-addon-civ_evaluation":
        errors.append(f"distribution name is {meta['Name']!r}, expected 'odoo-addon-civ_evaluation'")
    if not (meta["Version"] or "").startswith(man["version"]):
        errors.append(f"version {meta['Version']!r} does not start with the manifest's {man['version']!r}")
    requires = meta.get_all("Requires-Dist") or []
    if not any(req.replace(" ", "").startswith("odoo") and "18.0" in req for req in requires):
        errors.append(f"no dependency on Odoo 18.0 in Requires-Dist {requires}")
    return errors


def check_content(zf, man):
    names = set(zf.namelist())
    missing = sorted(f for f in expected_files(man) if PREFIX + f not in names)
    errors = [f"missing from the wheel: civ_evaluation/{f}" for f in missing]
    for folder in ("data", "views", "security", "i18n", "static"):
        if not any(n.startswith(f"{PREFIX}{folder}/") for n in names):
            errors.append(f"the wheel has no file under civ_evaluation/{folder}/")
    if PREFIX + "i18n/vi.po" not in names:
        errors.append("the wheel has no Vietnamese translation (i18n/vi.po)")
    return errors


def check_odoo_finds_it(wheel, man):
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo")
    with tempfile.TemporaryDirectory() as target:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
             "--target", target, str(wheel)],
            check=True,
        )
        env = dict(os.environ, PYTHONPATH=target)
        # Only Odoo's own addons on the addons_path: civ_evaluation must come from the wheel.
        addons = f"{odoo_src}/addons,{odoo_src}/odoo/addons"
        out = subprocess.run(
            [sys.executable, "-c", LOOKUP, odoo_src, addons],
            env=env, cwd=target, capture_output=True, text=True, check=False,
        )
        if out.returncode:
            return [f"Odoo cannot load the installed wheel:\n{out.stderr[-2000:]}"]
        lines = out.stdout.strip().splitlines()
        path = lines[-2] if len(lines) >= 2 else ""
        if not path.startswith(target):
            return [f"Odoo found civ_evaluation at {path!r}, not in the installed wheel ({target})"]
        if lines[-1] != f"{man['version']} True":
            return [f"Odoo read the installed manifest as {lines[-1]!r}"]
    print(f"wheel: Odoo resolves civ_evaluation from the installed wheel (odoo/addons/civ_evaluation, "
          f"version {man['version']})")
    return []


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    wheel = Path(argv[1])
    if not wheel.is_file():
        print(f"wheel: {wheel} does not exist (run 'make wheel')")
        return 1
    man = manifest()
    with zipfile.ZipFile(wheel) as zf:
        errors = check_metadata(zf, man) + check_content(zf, man)
        count = sum(1 for n in zf.namelist() if n.startswith(PREFIX))
    if not errors:
        errors = check_odoo_finds_it(wheel, man)
    if errors:
        for error in errors:
            print(f"wheel: {error}")
        print(f"wheel check FAILED for {wheel.name}. {HINT}.")
        return 1
    print(f"wheel check passed: {wheel.name} holds {count} files of civ_evaluation "
          "(manifest, data, views, security, i18n, static, reports, wizards, models)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
