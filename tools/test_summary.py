"""Read an Odoo test log: count the tests, refuse ERROR/WARNING lines, print 'N passed, N failed'.

Usage: test_summary.py LOGFILE ODOO_EXIT_CODE [I18N_EXIT_CODE [UPGRADE_EXIT_CODE]]
A non-zero I18N_EXIT_CODE (missing Vietnamese translations, see tools/i18n.py check) counts as a failure.
UPGRADE_EXIT_CODE, when given, is the upgrade test's (tools/upgrade_test.sh): one more test, passed when 0.
"""

import re
import sys

RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# Lines that Odoo itself writes at WARNING level on a healthy run of a fresh database and that say
# nothing about this addon.
TOLERATED = [
    re.compile(r"odoo\.tests\.result: 0 failed, 0 error\(s\) of \d+ tests"),
    # the rebranded Odoo copies ship module descriptions whose RST titles are too short
    re.compile(
        r"odoo\.addons\.base\.models\.ir_module: docutils' system message present: .*"
        r"Title underline too short"
    ),
]
BAD_LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|WARNING|CRITICAL) ")


def main(path, odoo_rc, i18n_rc=0, upgrade_rc=None):
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    tests_run = failed = 0
    found = False
    for line in lines:
        match = RESULT.search(line)
        if match:
            found = True
            failed += int(match.group(1)) + int(match.group(2))
            tests_run += int(match.group(3))
    bad = [line for line in lines if BAD_LEVEL.match(line) and not any(t.search(line) for t in TOLERATED)]
    problems = []
    if not found:
        problems.append("Odoo did not report a test result (did the install fail?)")
    elif tests_run == 0:
        problems.append("no test ran")
    if bad:
        problems.append(f"{len(bad)} ERROR/WARNING line(s) in the log:")
    for line in bad[:40]:
        problems.append("  " + line[:400])
    if odoo_rc != 0 and not failed:
        problems.append(f"odoo-bin exited with code {odoo_rc}")
    if i18n_rc != 0:
        problems.append("translations incomplete or broken in an i18n/vi.po (see above)")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and not failed:
        failed = max(failed, 1)
    passed = tests_run - min(failed, tests_run)
    if upgrade_rc is not None:
        # the upgrade test counts as one test
        if upgrade_rc:
            print("the upgrade test failed (see above)", file=sys.stderr)
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1],
            int(sys.argv[2]),
            int(sys.argv[3]) if len(sys.argv) > 3 else 0,
            int(sys.argv[4]) if len(sys.argv) > 4 else None,
        )
    )
