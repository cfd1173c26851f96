# Thin entry points; the real logic is in tools/.
.PHONY: setup run stop test upgrade-test bench lint readme screenshots i18n wheel loadtest deploy-check
setup:
	bash tools/setup.sh
run:
	bash tools/run.sh
stop:
	bash tools/pg.sh stop
test:
	bash tools/test.sh
upgrade-test:
	bash tools/upgrade_test.sh
lint:
	bash -c 'source tools/common.sh && require_odoo && "$$PY" tools/static_checks.py'
# the addons' README.rst and static/description/index.html from their readme/*.md fragments
readme:
	bash -c 'source tools/common.sh && require_odoo && "$$PY" tools/gen_readme.py'
bench:
	bash tools/bench.sh
screenshots:
	bash tools/screenshots.sh
i18n:
	bash tools/i18n_export.sh
wheel:
	bash tools/wheel.sh
loadtest:
	bash tools/loadtest.sh
deploy-check:
	bash tools/deploy_check.sh
