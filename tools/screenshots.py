#!/usr/bin/env python3
"""Screenshots of the user guide (civ_evaluation/readme/USAGE.md), from a running Odoo with the demo data.

    python tools/screenshots.py --url http://127.0.0.1:8069 --db civ_screens \\
        --out civ_evaluation/static/description

Logs each demo user in through /web/session/authenticate, then drives a headless Chromium through the
DevTools protocol (websocket-client): set the session cookie, open the page, wait for it, capture a PNG.
`make screenshots` (tools/screenshots.sh) creates a throwaway demo database and a server for it.
"""

import argparse
import base64
import http.cookiejar
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1400,1100",
    "--hide-scrollbars",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--remote-debugging-port=0",
]


class Session:
    """An Odoo web session of one user (JSON-RPC through urllib)."""

    def __init__(self, url, db, login):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": login})
        self.session_id = next(cookie.value for cookie in self.jar if cookie.name == "session_id")

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(self.url + path, body, {"Content-Type": "application/json"})
        with self.opener.open(request, timeout=120) as response:
            answer = json.load(response)
        if answer.get("error"):
            raise RuntimeError(json.dumps(answer["error"])[:2000])
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Browser:
    """A headless Chromium driven over the DevTools protocol."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="civ_shots_")
        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _attempt in range(100):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(target for target in json.load(response) if target["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Network.enable")

    def send(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def shoot(self, url, session_id, selector, path, timeout=30):
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, url=url)
        self.send("Page.navigate", url=url)
        ready = (
            f"!!document.querySelector({json.dumps(selector)}) && "
            "!document.querySelector('.o_loading_indicator, .o-main-components-container .o_blockUI')"
        )
        deadline = time.time() + timeout
        while not self.evaluate(ready):
            if time.time() > deadline:
                print(f"SKIPPED {path}: {selector} never appeared on {url}")
                return
            time.sleep(0.3)
        time.sleep(1.5)  # animations, charts
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))
        print("wrote", path)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="civ_demo")
    parser.add_argument("--out", default="civ_evaluation/static/description")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("google-chrome"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    web = args.url.rstrip("/") + "/web"

    def out(name):
        return os.path.join(args.out, name)

    admin = Session(args.url, args.db, "admin")
    periods = admin.call("civ.period", "search_read", [], ["name", "state"], order="date_start desc")
    current, previous, locked = (periods + [{}, {}, {}])[:3]
    employee = Session(args.url, args.db, "nhanvien")
    own = employee.call(
        "civ.evaluation",
        "search_read",
        [
            ["user_id", "=", employee.rpc("/web/session/get_session_info", {})["uid"]],
            ["period_id", "=", current["id"]],
        ],
        ["state"],
    )
    # the reviewer with the most sheets waiting for them in the current month
    waiting = admin.call(
        "civ.evaluation",
        "read_group",
        [["period_id", "=", current["id"]], ["state", "=", "review"]],
        ["current_reviewer_user_id"],
        ["current_reviewer_user_id"],
        orderby="current_reviewer_user_id_count desc",
    )
    reviewer_uid = waiting[0]["current_reviewer_user_id"][0]
    reviewer_login = admin.call("res.users", "read", [reviewer_uid], ["login"])[0]["login"]
    reviewer = Session(args.url, args.db, reviewer_login)
    to_review = reviewer.call(
        "civ.evaluation",
        "search",
        [["current_reviewer_user_id", "=", reviewer_uid], ["state", "=", "review"]],
        limit=1,
    )
    officer = Session(args.url, args.db, "canbotccb")

    browser = Browser(args.chromium)
    try:
        form = ".o_form_view .o_field_widget[name=line_ids] .o_data_row"
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_evaluation_my&id={own[0]['id']}",
            employee.session_id,
            form,
            out("employee_sheet.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_evaluation_to_review",
            reviewer.session_id,
            ".o_list_view .o_data_row",
            out("reviewer_to_review.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_evaluation_to_review&id={to_review[0]}",
            reviewer.session_id,
            form,
            out("reviewer_sheet.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_config_settings",
            admin.session_id,
            ".o_settings_container",
            out("officer_settings.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_period&id={current['id']}",
            officer.session_id,
            ".o_form_view .oe_stat_button",
            out("officer_period.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_period&id={locked['id']}",
            officer.session_id,
            ".o_form_view .oe_stat_button",
            out("officer_period_locked.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_org_check_run",
            officer.session_id,
            ".o_dialog .o_form_view",
            out("officer_org_check.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_evaluation_analysis",
            officer.session_id,
            ".o_graph_view canvas",
            out("officer_analysis.png"),
        )
        browser.shoot(
            f"{web}#action=civ_evaluation.action_civ_evaluation_analysis&view_type=pivot",
            officer.session_id,
            ".o_pivot table",
            out("officer_analysis_levels.png"),
        )
        del previous
    finally:
        browser.close()


if __name__ == "__main__":
    main()
