#!/usr/bin/env python3
"""The reference client of the evaluation's HTTP API (civ_evaluation_api), standard library only.

It pushes a generated month of work items for the given badges, follows a queued batch until it is
loaded, prints the outcome of each item that was not created or unchanged, and reads the decided
results of the month back, page by page:

    python tools/civ_api_client.py --url http://localhost:8069 --key <key> \\
        --period 2026-05 --badges NV001,NV002 [--per-person 3] [--type VB] [--source eoffice]

Run it twice: the second push answers `unchanged` for every item (the upsert key is the caller, the
source and the item id). `--results-only` only reads the results. The functions are the parts an
integrator copies: `call`, `push`, `wait_for_batch`, `results`. The server chooses the database by
its host (Odoo's --db-filter) or serves one (--database): the API answers `no_database` otherwise.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PREFIX = "/civ/api/v1"


class ApiError(Exception):
    def __init__(self, status, answer):
        super().__init__(f"HTTP {status}: {answer.get('error')}: {answer.get('message')}")
        self.status, self.answer = status, answer


def call(url, key, method, path, body=None, timeout=600):
    """(status, answer) of one call; raises ApiError on a status of 400 or more."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read() or b"{}")
        except ValueError:
            answer = {"error": "http", "message": error.reason}
        raise ApiError(error.code, answer) from None


def month_items(badges, period, per_person=3, product_type="VB", prefix="DEMO"):
    """A month of work items, `per_person` for each badge, all done on time."""
    year, month = (int(part) for part in period.split("-"))
    items = []
    for badge in badges:
        for number in range(1, per_person + 1):
            day = min(28, 3 * number)
            items.append(
                {
                    "item_id": f"{prefix}-{period}-{badge}-{number}",
                    "person": {"badge": badge},
                    "period": period,
                    "name": f"Văn bản số {number}/{period}",
                    "product_type": product_type,
                    "qty_assigned": 1,
                    "qty_done": 1,
                    "qty_quality": 1,
                    "qty_on_time": 1,
                    "date_deadline": f"{year:04d}-{month:02d}-{min(28, day + 2):02d}",
                    "date_done": f"{year:04d}-{month:02d}-{day:02d}",
                }
            )
    return items


def push(url, key, source, items, **options):
    """The answer of POST /products (200: loaded, 202: queued with its `poll` address)."""
    _status, answer = call(
        url, key, "POST", f"{PREFIX}/products", {"source": source, "items": items}, **options
    )
    return answer


def wait_for_batch(url, key, answer, interval=5.0, timeout=3600, **options):
    """The final answer of a batch: polls its address while it is queued or running."""
    deadline = time.monotonic() + timeout
    while answer.get("state") in ("queued", "running"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"batch {answer.get('batch_id')} still {answer.get('state')}")
        time.sleep(interval)
        _status, answer = call(url, key, "GET", f"{PREFIX}/batches/{answer['batch_id']}", **options)
    return answer


def results(url, key, period=None, unit=None, kind="month", year=None, limit=500, **options):
    """Every result row of the query, following the `next` pages."""
    query = {"kind": kind, "limit": limit}
    for name, value in (("period", period), ("unit", unit), ("year", year)):
        if value:
            query[name] = value
    path = f"{PREFIX}/results?{urllib.parse.urlencode(query)}"
    rows = []
    while path:
        _status, page = call(url, key, "GET", path, **options)
        rows.extend(page["results"])
        path = page.get("next")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the Odoo server, e.g. http://localhost:8069")
    parser.add_argument(
        "--key", required=True, help="an API key of a user of the group Evaluation API client"
    )
    parser.add_argument("--period", required=True, help="the month, YYYY-MM")
    parser.add_argument("--badges", default="", help="badges of the people, comma-separated")
    parser.add_argument("--per-person", type=int, default=3)
    parser.add_argument("--type", default="VB", help="the product type code of the items")
    parser.add_argument("--source", default="reference-client")
    parser.add_argument("--results-only", action="store_true")
    args = parser.parse_args(argv)
    options = {}
    try:
        if not args.results_only:
            badges = [badge.strip() for badge in args.badges.split(",") if badge.strip()]
            if not badges:
                parser.error("--badges is required unless --results-only")
            items = month_items(badges, args.period, args.per_person, args.type)
            answer = push(args.url, args.key, args.source, items, **options)
            answer = wait_for_batch(args.url, args.key, answer, **options)
            print(f"batch {answer['batch_id']}: {answer['state']}, {json.dumps(answer['counts'])}")
            for row in answer.get("items", []):
                if row["outcome"] not in ("created", "unchanged"):
                    why = f"{row.get('reason') or ''} {row.get('message') or ''}"
                    print(f"  {row['item_id']}: {row['outcome']} {why}")
        rows = results(args.url, args.key, period=args.period, **options)
        print(f"{len(rows)} decided results for {args.period}")
        for row in rows[:20]:
            badge, level = row.get("badge") or "-", row.get("level") or ""
            print(f"  {badge} {row['person']}: {row.get('final_points')} {level}")
    except ApiError as error:
        print(error, file=sys.stderr)
        for problem in error.answer.get("problems") or []:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
