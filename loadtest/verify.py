"""After the load test: is everything the Locust users sent in the database, once?

    python loadtest/verify.py --dsn "host=... port=... dbname=... user=..." --journal J --agency A

Reads the journal written by loadtest/locustfile.py and checks, in SQL:
- every sheet whose submit succeeded is in review or decided, every self point typed is stored;
- every sheet of a successful bulk approval is decided, with the reviewer's re-scored points as its
  reviewer and final points; a sheet whose submit failed is still a draft;
- no sheet that nobody submitted left the draft state;
- no duplicate: one sheet per employee and period, one line per criterion, at most one pending step.
Exits 1 on any mismatch, printing the first ones.
"""

import argparse
import json
import sys
from collections import defaultdict

import psycopg2


def load_journal(path):
    points, submitted, submit_failed, approved, rescored = {}, set(), set(), set(), {}
    pending_submit, pending_approve = set(), set()
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            entry = json.loads(raw)
            kind = entry["kind"]
            if kind == "points":
                points[entry["sheet_id"]] = {int(k): v for k, v in entry["points"].items()}
            elif kind == "submit_sent":
                pending_submit.add(entry["sheet_id"])
            elif kind == "submitted":
                submitted.add(entry["sheet_id"])
            elif kind == "submit_failed":
                submit_failed.add(entry["sheet_id"])
            elif kind == "approve_sent":
                pending_approve.update(entry["sheet_ids"])
                # the last re-score of a line wins (a batch may be approved later by a new call)
                rescored.update({int(k): v for k, v in entry["rescored"].items()})
            elif kind == "approved":
                approved.update(entry["sheet_ids"])
    unknown_submit = pending_submit - submitted - submit_failed
    return points, submitted, submit_failed, approved, rescored, unknown_submit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--journal", required=True)
    parser.add_argument("--agency", required=True)
    args = parser.parse_args()
    agency = json.load(open(args.agency, encoding="utf-8"))  # noqa: SIM115
    period_id = agency["period_id"]
    points, submitted, submit_failed, approved, rescored, unknown = load_journal(args.journal)

    conn = psycopg2.connect(args.dsn)
    cr = conn.cursor()
    cr.execute("SELECT id, state FROM civ_evaluation WHERE period_id = %s", [period_id])
    state = dict(cr.fetchall())
    cr.execute(
        """
        SELECT l.id, l.evaluation_id, l.self_points, l.reviewer_points, l.final_points
          FROM civ_evaluation_line l JOIN civ_evaluation e ON e.id = l.evaluation_id
         WHERE e.period_id = %s
    """,
        [period_id],
    )
    lines = {row[0]: row[1:] for row in cr.fetchall()}
    errors = []

    for sheet_id in sorted(submitted):
        if state.get(sheet_id) not in ("review", "done"):
            errors.append(f"sheet {sheet_id}: submitted, but its state is {state.get(sheet_id)}")
    for sheet_id in sorted(submit_failed):
        if state.get(sheet_id) != "draft":
            errors.append(f"sheet {sheet_id}: its submit failed, but its state is {state.get(sheet_id)}")
    typed = 0
    for sheet_id, sent in points.items():
        for line_id, value in sent.items():
            typed += 1
            stored = lines[line_id][1]
            if stored != value:
                errors.append(f"sheet {sheet_id} line {line_id}: sent {value} self points, stored {stored}")
    for sheet_id in sorted(approved):
        if state.get(sheet_id) != "done":
            errors.append(f"sheet {sheet_id}: approved (decision step), state {state.get(sheet_id)}")
    for line_id, value in rescored.items():
        sheet_id, _self, reviewer, final = lines[line_id]
        if sheet_id in approved and (reviewer != value or final != value):
            errors.append(
                f"sheet {sheet_id} line {line_id}: re-scored {value}, stored reviewer "
                f"{reviewer} final {final}"
            )
    played = submitted | submit_failed | unknown
    strays = sorted(s for s, st in state.items() if st != "draft" and s not in played)
    errors.extend(f"sheet {s}: {state[s]} although nobody submitted it" for s in strays)

    cr.execute(
        """
        SELECT employee_id, count(*) FROM civ_evaluation WHERE period_id = %s
        GROUP BY employee_id HAVING count(*) > 1
    """,
        [period_id],
    )
    errors.extend(f"employee {emp}: {n} sheets in the period" for emp, n in cr.fetchall())
    cr.execute(
        """
        SELECT l.evaluation_id, l.criterion_id, count(*) FROM civ_evaluation_line l
          JOIN civ_evaluation e ON e.id = l.evaluation_id
         WHERE e.period_id = %s GROUP BY 1, 2 HAVING count(*) > 1
    """,
        [period_id],
    )
    errors.extend(f"sheet {s}: criterion {c} has {n} lines" for s, c, n in cr.fetchall())
    cr.execute(
        """
        SELECT s.evaluation_id, count(*) FROM civ_review_step s
          JOIN civ_evaluation e ON e.id = s.evaluation_id
         WHERE e.period_id = %s AND s.state = 'pending' GROUP BY 1 HAVING count(*) > 1
    """,
        [period_id],
    )
    errors.extend(f"sheet {s}: {n} pending review steps" for s, n in cr.fetchall())

    by_state = defaultdict(int)
    for value in state.values():
        by_state[value] += 1
    print(
        f"verify: {len(submitted)} sheets submitted ({typed} points typed), {len(approved)} approved, "
        f"{len(submit_failed)} submits failed, {len(unknown)} submits without an answer; "
        f"states in the database: {dict(sorted(by_state.items()))}"
    )
    if unknown:
        print(f"verify: submits sent without an answer (stopped in flight): {sorted(unknown)[:20]}")
    if errors:
        for error in errors[:40]:
            print(f"verify: MISMATCH {error}")
        print(f"verify: FAILED, {len(errors)} mismatches")
        return 1
    print("verify: OK - every submitted sheet and every point sent is in the database, once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
