"""Checks the wheels built by `make wheel` (tools/wheel.sh): odoo-addon-civ_evaluation and
odoo-addon-civ_evaluation_project (the bridge to Odoo Project).

    python tools/check_wheel.py dist/odoo_addon_civ_evaluation-<version>-py3-none-any.whl \
        dist/odoo_addon_civ_evaluation_project-<version>-py3-none-any.whl

For each wheel (its addon is named by the file name):
1. The wheel's metadata: the distribution name, the manifest's version, the dependency on Odoo 18.0
   (and, for the bridge, on odoo-addon-civ_evaluation), and its long description (the PyPI page): the
   addon's README.rst, in reStructuredText, that docutils renders without a message.
2. Its content: the manifest, every data/demo file the manifest lists, every view, security, i18n,
   static, report, wizard, test, model, migration and readme file of the addon (readme/ holds the
   fragments README.rst is made from), and every Python module.
3. That Odoo finds the installed addons without the repository on its addons_path: the wheels are
   installed (pip --no-deps --target) into one temporary folder, and Odoo's own module lookup run with
   that folder on sys.path must resolve each addon there and read its manifest.

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
sys.path.insert(0, str(ROOT / "tools"))
import gen_readme  # noqa: E402

# Folders whose every file on disk must be in the wheel (whool packs the git-tracked files).
FOLDERS = (
    "data",
    "demo",
    "views",
    "security",
    "i18n",
    "static",
    "reports",
    "wizards",
    "models",
    "tests",
    "readme",
    "migrations",
)
# Folders that must hold at least one file, per addon
REQUIRED = {
    "civ_evaluation": ("data", "views", "security", "i18n", "static"),
    "civ_evaluation_project": ("views", "models", "i18n"),
    "civ_evaluation_api": ("controllers", "views", "models", "security", "i18n"),
    "civ_evaluation_dashboard": ("data", "i18n", "tests"),
}
# Other distributions an addon's wheel must require (its addon dependencies of this repository)
REQUIRES = {
    "civ_evaluation_project": ("odoo-addon-civ_evaluation",),
    "civ_evaluation_api": ("odoo-addon-civ_evaluation",),
    "civ_evaluation_dashboard": ("odoo-addon-civ_evaluation",),
}
HINT = "whool packs only the files git tracks in the addon's folder: 'git add' new files, then 'make wheel'"

LOOKUP = """
import sys
sys.path.insert(0, sys.argv[1])
import odoo
from odoo.tools import config
config.parse_config(['--addons-path=' + sys.argv[2]])
from odoo.modules import module
module.initialize_sys_path()
path = module.get_module_path(sys.argv[3], display_warning=False)
manifest = module.get_manifest(sys.argv[3])
print(path)
print(manifest.get('version'), manifest.get('installable'))
"""


def addon_of(wheel):
    """The addon a wheel holds, from its file name odoo_addon_<addon>-<version>-....whl."""
    return wheel.name.split("-", 1)[0].removeprefix("odoo_addon_")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


def expected_files(addon, man):
    """Relative paths (in the addon) that must be in the wheel."""
    files = {"__manifest__.py", "__init__.py", "README.rst"}
    for key in ("data", "demo"):
        files.update(man.get(key) or [])
    for folder in FOLDERS:
        for path in (ROOT / addon / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(str(path.relative_to(ROOT / addon)))
    return files


def check_metadata(zf, addon, man):
    errors = []
    meta_name = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA")), None)
    if not meta_name:
        return ["no .dist-info/METADATA in the wheel"]
    meta = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
    if meta["Name"] != f"odoo-addon-{addon}":
        errors.append(f"distribution name is {meta['Name']!r}, expected 'odoo-addon-{addon}'")
    if not (meta["Version"] or "").startswith(man["version"]):
        errors.append(f"version {meta['Version']!r} does not start with the manifest's {man['version']!r}")
    requires = meta.get_all("Requires-Dist") or []
    if not any(req.replace(" ", "").startswith("odoo") and "18.0" in req for req in requires):
        errors.append(f"no dependency on Odoo 18.0 in Requires-Dist {requires}")
    for dist in REQUIRES.get(addon, ()):
        if not any(req.replace(" ", "").startswith(dist) for req in requires):
            errors.append(f"no dependency on {dist} in Requires-Dist {requires}")
    if meta["Description-Content-Type"] != "text/x-rst":
        errors.append(f"long description of type {meta['Description-Content-Type']!r}, expected 'text/x-rst'")
    description = meta.get_payload()
    if description.strip() != (ROOT / addon / "README.rst").read_text(encoding="utf-8").strip():
        errors.append(f"the long description (PyPI page) is not {addon}/README.rst")
    for message in gen_readme.docutils_messages(description):
        errors.append(f"the long description does not render cleanly: {message}")
    return errors


def check_content(zf, addon, man):
    prefix = f"odoo/addons/{addon}/"
    names = set(zf.namelist())
    missing = sorted(f for f in expected_files(addon, man) if prefix + f not in names)
    errors = [f"missing from the wheel: {addon}/{f}" for f in missing]
    for folder in REQUIRED.get(addon, ("views", "i18n")):
        if not any(n.startswith(f"{prefix}{folder}/") for n in names):
            errors.append(f"the wheel has no file under {addon}/{folder}/")
    if prefix + "i18n/vi.po" not in names:
        errors.append(f"the wheel of {addon} has no Vietnamese translation (i18n/vi.po)")
    return errors


def check_odoo_finds_them(wheels, manifests):
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo")
    errors = []
    with tempfile.TemporaryDirectory() as target:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--no-index",
                "--target",
                target,
                *map(str, wheels),
            ],
            check=True,
        )
        env = dict(os.environ, PYTHONPATH=target)
        # Only Odoo's own addons on the addons_path: our addons must come from the wheels.
        addons = f"{odoo_src}/addons,{odoo_src}/odoo/addons"
        for addon, man in manifests.items():
            out = subprocess.run(
                [sys.executable, "-c", LOOKUP, odoo_src, addons, addon],
                env=env,
                cwd=target,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                errors.append(f"Odoo cannot load the installed wheel of {addon}:\n{out.stderr[-2000:]}")
                continue
            lines = out.stdout.strip().splitlines()
            path = lines[-2] if len(lines) >= 2 else ""
            if not path.startswith(target):
                errors.append(f"Odoo found {addon} at {path!r}, not in the installed wheel ({target})")
            elif lines[-1] != f"{man['version']} True":
                errors.append(f"Odoo read the installed manifest of {addon} as {lines[-1]!r}")
            else:
                print(
                    f"wheel: Odoo resolves {addon} from the installed wheel (odoo/addons/{addon}, "
                    f"version {man['version']})"
                )
    return errors


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    wheels = [Path(arg) for arg in argv[1:]]
    errors, manifests, counts = [], {}, {}
    for wheel in wheels:
        if not wheel.is_file():
            print(f"wheel: {wheel} does not exist (run 'make wheel')")
            return 1
        addon = addon_of(wheel)
        man = manifests[addon] = manifest(addon)
        with zipfile.ZipFile(wheel) as zf:
            errors += check_metadata(zf, addon, man) + check_content(zf, addon, man)
            counts[wheel.name] = sum(1 for n in zf.namelist() if n.startswith(f"odoo/addons/{addon}/"))
    if not errors:
        errors = check_odoo_finds_them(wheels, manifests)
    if errors:
        for error in errors:
            print(f"wheel: {error}")
        print(f"wheel check FAILED for {', '.join(w.name for w in wheels)}. {HINT}.")
        return 1
    for name, count in counts.items():
        print(
            f"wheel check passed: {name} holds {count} files (manifest, data, views, security, i18n, "
            "static, reports, wizards, models, tests, readme), its PyPI page is the addon's README.rst"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
