#!/usr/bin/env bash
# make wheel: builds the OCA-style wheels of the repository's addons into dist/ with whool:
# odoo-addon-civ_evaluation and odoo-addon-civ_evaluation_project (the bridge to Odoo Project).
# whool packs the git-tracked files of each addon folder and takes the version from __manifest__.py;
# in a git checkout it appends .99.devN for commits after the last version bump (OCA's scheme).
# Outside git (a source tarball) the manifest version is used as is.
#   WHOOL_POST_VERSION_STRATEGY_OVERRIDE=none tools/wheel.sh   forces the plain manifest version
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"
"$PY" -c "import whool" 2>/dev/null || die "whool is not installed in $VENV: run 'make setup'."
if ! git -C civ_evaluation rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  log "Not a git checkout: the wheels take the manifest version as is and every file of the addons"
  export WHOOL_POST_VERSION_STRATEGY_OVERRIDE=${WHOOL_POST_VERSION_STRATEGY_OVERRIDE:-none}
fi
mkdir -p dist
wheels=()
for addon in ${ADDONS//,/ }; do
  rm -f dist/odoo_addon_"$addon"-*.whl
  # No build isolation: whool is pinned in requirements-dev.txt and installed in the virtualenv,
  # so the build needs no network. pip builds in-tree (the directory name is the addon name).
  "$PY" -m pip wheel -q --no-deps --no-build-isolation --wheel-dir dist "./$addon"
  wheel=$(ls dist/odoo_addon_"$addon"-*.whl)
  log "Built $wheel"
  wheels+=("$wheel")
done
"$PY" tools/check_wheel.py "${wheels[@]}"
