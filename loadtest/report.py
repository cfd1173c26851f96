"""Summary of a Locust run from its CSV statistics (locust --csv PREFIX):

    python loadtest/report.py PREFIX [ODOO_LOG]

Per action: requests, failures, requests per second, p50 / p95 / p99 latency (ms); then the total,
the distinct failure messages and, given Odoo's log, the serialization-failure retries and
read-only-cursor fallbacks that Odoo logged during the run.
"""

import csv
import re
import sys


def main(prefix, odoo_log=None):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'action':<38} {'reqs':>6} {'fail':>5} {'rps':>6} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name[:38]:<38} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):6.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    for row in failures:
        print(f"  failure x{row['Occurrences']}: {row['Name']}: {row['Error'][:200]}")
    if odoo_log:
        with open(odoo_log, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        retries = len(re.findall(r"SerializationFailure|could not serialize", text))
        deadlocks = len(re.findall(r"deadlock detected", text))
        fallbacks = len(re.findall(r"retrying with a read/write cursor", text))
        errors = len(re.findall(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) ", text, re.M))
        print(
            f"odoo log: {retries} serialization-failure retries, {deadlocks} deadlocks, "
            f"{fallbacks} read-only cursor fallbacks, {errors} ERROR lines"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
