"""The last evening before the self-assessment deadline, as Locust users of Odoo's JSON-RPC
(/web/session/authenticate, /web/dataset/call_kw and call_button, as the web client calls them).

- Employee (most users): takes the next staff login of the agency (each login once), logs in, lists
  "My Sheets", opens the sheet, types the points of each criterion (one JSON-RPC write per line, as the
  inline list editor saves), submits.
- Reviewer (one per section head): lists "To Review", opens a few sheets, re-scores one line of each,
  approves up to 10 sheets in one call (the list's bulk Approve).
- Officer: the period's dashboard (counters), the Analysis action and its grouped data, an Excel export.

Run by tools/loadtest.sh (make loadtest) and tools/deploy_check.sh; environment:
  CIV_AGENCY   the JSON written by loadtest/prepare.py
  CIV_DB       the database
  CIV_JOURNAL  where to append what was sent (JSON lines), checked afterwards by loadtest/verify.py
  CIV_REVIEWERS, CIV_OFFICERS  how many users of each (the rest are employees)
  CIV_LOGIN_SHARE  the share of users who log in with their password (0.1); the others use the
               session loadtest/prepare.py opened for them (people already logged in that evening)
Targets the --host given to Locust; tools/loadtest.sh passes http://127.0.0.1:<port> only.
"""

import itertools
import json
import os
import random
import threading

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

AGENCY = json.load(open(os.environ["CIV_AGENCY"], encoding="utf-8"))  # noqa: SIM115
DB = os.environ["CIV_DB"]
JOURNAL = open(os.environ["CIV_JOURNAL"], "a", encoding="utf-8")  # noqa: SIM115
_journal_lock = threading.Lock()
_staff = iter(AGENCY["employees"])
_reviewers = itertools.cycle(AGENCY["reviewers"])
_officers = itertools.cycle(AGENCY["officers"])
LOGIN_SHARE = float(os.environ.get("CIV_LOGIN_SHARE", "0.1"))
QUOTA_REASON = "Load test: decided in bulk on the deadline evening"

SHEET_LIST_SPEC = {
    "period_id": {"fields": {"display_name": {}}},
    "employee_id": {"fields": {"display_name": {}}},
    "department_id": {"fields": {"display_name": {}}},
    "self_score": {},
    "reviewer_score": {},
    "final_score": {},
    "level_id": {"fields": {"display_name": {}}},
    "state": {},
}
SHEET_FORM_SPEC = dict(
    SHEET_LIST_SPEC,
    line_ids={
        "fields": {
            "criterion_id": {"fields": {"display_name": {}}},
            "self_points": {},
            "reviewer_points": {},
            "min_points": {},
            "max_points": {},
            "note": {},
        }
    },
    self_deadline={},
    current_step_id={"fields": {"display_name": {}}},
)
PERIOD_SPEC = {
    "name": {},
    "state": {},
    "evaluation_count": {},
    "count_draft": {},
    "count_review": {},
    "count_done": {},
    "count_locked": {},
    "count_chain_problem": {},
    "count_not_evaluated": {},
    "level_summary": {},
    "quota_breach_count": {},
}


def journal(**entry):
    with _journal_lock:
        JOURNAL.write(json.dumps(entry) + "\n")
        JOURNAL.flush()


class OdooUser(FastHttpUser):
    abstract = True
    uid = None
    sid = None  # a session opened in advance, sent as cookie (else the cookie jar's, after log in)

    def rpc(self, path, params, name):
        """One JSON-RPC call; a JSON-RPC error is a Locust failure. Returns the result or None."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9), "params": params}
        # one request per connection, as the reverse proxy in front of Odoo sends them: a prefork
        # worker serves one connection at a time, so a client's idle keep-alive connection would hold
        # a worker until its socket times out
        headers = {"Connection": "close"}
        if self.sid:
            headers["Cookie"] = f"session_id={self.sid}"
        with self.client.post(
            path, json=payload, name=name, headers=headers, catch_response=True
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code}, not JSON")
                return None
            if body.get("error"):
                data = body["error"].get("data") or {}
                response.failure(f"{data.get('name', 'error')}: {str(data.get('message', ''))[:160]}")
                return None
            response.success()
            return body.get("result")

    def call(self, model, method, args, kwargs=None, name=None, button=False):
        route = "call_button" if button else "call_kw"
        return self.rpc(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            name or f"{model}.{method}",
        )

    def login(self, login, name):
        """Log in with the password (a share of the users), else take the session already open."""
        self.client.cookiejar.clear()
        self.sid = None
        if random.random() >= LOGIN_SHARE:
            self.sid = AGENCY["sessions"][login]
            result = self.rpc("/web/session/get_session_info", {}, name.replace("log in", "session info"))
        else:
            result = self.rpc(
                "/web/session/authenticate", {"db": DB, "login": login, "password": login}, name
            )
        self.uid = result and result.get("uid")
        return bool(self.uid)


class Employee(OdooUser):
    """One staff member after another: each login once, one sheet each."""

    weight = 1
    wait_time = between(0.2, 1.0)

    @task
    def fill_and_submit(self):
        login = next(_staff, None)
        if login is None:
            raise StopUser()  # every staff member of the agency has been played
        sheet = AGENCY["sheets"][login]
        if not self.login(login, "employee: log in"):
            return
        self.call(
            "civ.evaluation",
            "web_search_read",
            [],
            {"domain": [["user_id", "=", self.uid]], "specification": SHEET_LIST_SPEC, "limit": 80},
            name="employee: my sheets",
        )
        record = self.call(
            "civ.evaluation",
            "web_read",
            [[sheet["sheet_id"]]],
            {"specification": SHEET_FORM_SPEC},
            name="employee: open sheet",
        )
        if not record:
            return
        sent = {}
        for line_id, low, high in sheet["lines"]:
            points = random.randint(int(low or 0), int(high or 0))
            self.wait()  # typing
            if (
                self.call(
                    "civ.evaluation.line",
                    "write",
                    [[line_id], {"self_points": points}],
                    name="employee: type points (line write)",
                )
                is not None
            ):
                sent[str(line_id)] = points
        journal(kind="points", sheet_id=sheet["sheet_id"], login=login, points=sent)
        journal(kind="submit_sent", sheet_id=sheet["sheet_id"])
        ok = self.call(
            "civ.evaluation", "action_submit", [[sheet["sheet_id"]]], name="employee: submit", button=True
        )
        journal(kind="submitted" if ok is not None else "submit_failed", sheet_id=sheet["sheet_id"])


class Reviewer(OdooUser):
    fixed_count = int(os.environ.get("CIV_REVIEWERS", "40"))
    wait_time = between(1.0, 3.0)

    def on_start(self):
        self.login_name = next(_reviewers)
        if not self.login(self.login_name, "reviewer: log in"):
            raise StopUser()

    @task
    def review(self):
        found = self.call(
            "civ.evaluation",
            "web_search_read",
            [],
            {
                "domain": [["current_reviewer_user_id", "=", self.uid]],
                "specification": SHEET_LIST_SPEC,
                "limit": 80,
                "order": "employee_id",
            },
            name="reviewer: to review",
        )
        records = (found or {}).get("records") or []
        if not records:
            return
        batch = [record["id"] for record in records[:10]]
        rescored = {}
        for sheet_id in batch[:3]:
            sheet = self.call(
                "civ.evaluation",
                "web_read",
                [[sheet_id]],
                {"specification": SHEET_FORM_SPEC},
                name="reviewer: open sheet",
            )
            lines = (sheet or [{}])[0].get("line_ids") or []
            if not lines:
                continue
            line = random.choice(lines)
            points = random.randint(int(line["min_points"] or 0), int(line["max_points"] or 0))
            if (
                self.call(
                    "civ.evaluation.line",
                    "write",
                    [[line["id"]], {"reviewer_points": points}],
                    name="reviewer: re-score (line write)",
                )
                is not None
            ):
                rescored[str(line["id"])] = points
        journal(kind="approve_sent", sheet_ids=batch, rescored=rescored)
        ok = self.call(
            "civ.evaluation",
            "action_approve",
            [batch],
            {"quota_reason": QUOTA_REASON},
            name="reviewer: approve in bulk (10)",
        )
        journal(kind="approved" if ok is not None else "approve_failed", sheet_ids=batch)


class Officer(OdooUser):
    fixed_count = int(os.environ.get("CIV_OFFICERS", "10"))
    wait_time = between(3.0, 8.0)

    def on_start(self):
        if not self.login(next(_officers), "officer: log in"):
            raise StopUser()

    @task(3)
    def dashboard(self):
        period_id = AGENCY["period_id"]
        self.call(
            "civ.period",
            "web_read",
            [[period_id]],
            {"specification": PERIOD_SPEC},
            name="officer: period dashboard",
        )
        action = self.call(
            "civ.period", "action_view_analysis", [[period_id]], name="officer: analysis action", button=True
        )
        self.call(
            "civ.evaluation",
            "web_read_group",
            [],
            {
                "domain": (action or {}).get("domain") or [["period_id", "=", period_id]],
                "groupby": ["department_id", "state"],
                "fields": ["__count"],
                "lazy": False,
            },
            name="officer: analysis data",
        )

    @task(1)
    def export(self):
        wizard = self.call(
            "civ.export.wizard",
            "web_save",
            [[], {"report_kind": "unit_list", "period_ids": [[6, 0, [AGENCY["period_id"]]]]}],
            {"specification": {}},
            name="officer: export (wizard)",
        )
        if wizard:
            self.call(
                "civ.export.wizard",
                "action_export",
                [[wizard[0]["id"]]],
                name="officer: export (xlsx)",
                button=True,
            )


@events.quitting.add_listener
def _close_journal(environment, **_kwargs):
    JOURNAL.close()
