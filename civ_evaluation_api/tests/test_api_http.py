"""The API over real HTTP (issue #21): the OpenAPI document, who may call (API keys of the group's
technical users, their companies only, every call logged), work items in (created / updated /
unchanged / refused with the reason, the rules of the one loader: confirmed and typed lines never
touched), the validation of payloads, the background batches, the results out, and the JSON Lines
file of a period."""

import contextlib
import importlib.util
import io
import json
import xmlrpc.client
from datetime import date
from pathlib import Path

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.civ_evaluation.tests.common import (
    MAY,
    level_of,
    make_company,
    make_employees,
    make_user,
    nd335,
)
from odoo.addons.civ_evaluation.tests.cycle_common import CivCycleCase

CLIENT = "base.group_portal,civ_evaluation_api.group_civ_api_client"
APRIL = date(2026, 4, 1)


@tagged("post_install", "-at_install", "civ_evaluation_api", "civ_api", "civ_access")
class TestApiHttp(CivCycleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.civ_framework_id = nd335(cls.env)
        cls.staff.write(
            {"barcode": "1001", "identification_id": "001090000001", "work_email": "Vien@ubnd.test"}
        )
        cls.staff2.write({"barcode": "1002"})
        cls.head.write({"barcode": "2001"})
        Type = cls.env["civ.product.type"]
        cls.type_doc = Type.create(
            {"name": "Văn bản", "code": "VB", "weight": 2.0, "company_id": cls.company.id}
        )
        job = cls.env["hr.job"].create({"name": "Kế toán", "company_id": cls.company.id})
        cls.type_other_job = Type.create(
            {"name": "Chứng từ", "code": "CT", "company_id": cls.company.id, "job_ids": [(6, 0, job.ids)]}
        )
        cls.april = cls._open_period(APRIL)
        cls.april.with_user(cls.user_officer).action_lock()
        cls.period = cls._open_period(MAY)
        cls.sheet = cls._sheet(cls.period, cls.staff)
        # the head's sheet is decided already
        cls.head_sheet = cls._sheet(cls.period, cls.head)
        cls.head_sheet.sudo().write(
            {
                "state": "done",
                "self_score": 91.0,
                "final_score": 91.0,
                "level_id": level_of(cls.company.civ_framework_id, "A").id,
                "date_decided": fields.Datetime.now(),
            }
        )
        cls.client_user = make_user(cls.env, "eoffice_t", cls.company, CLIENT, name="Hệ thống e-Office")
        cls.key = cls._key(cls.client_user)
        # another agency and its system
        cls.company2 = make_company(cls.env, "UBND huyện Bên Cạnh")
        cls.company2.civ_framework_id = nd335(cls.env)
        cls.people2 = make_employees(cls.env, cls.company2, ["Bùi Văn Ngoài"], barcode="3001")
        cls.client2 = make_user(cls.env, "eoffice2_t", cls.company2, CLIENT, name="e-Office huyện")
        cls.key2 = cls._key(cls.client2)
        cls.not_client = make_user(cls.env, "khongphai_t", cls.company, "base.group_user", name="Không phải")
        cls.key_not_client = cls._key(cls.not_client)

    @classmethod
    def _key(cls, user):
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "test", None)

    # ------------------------------------------------------------------ helpers
    def _request(self, method, path, body=None, key=None, headers=None, raw=None):
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if body is not None or raw is not None:
            headers["Content-Type"] = "application/json"
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else None
        with mute_logger("odoo.http", "werkzeug"):
            if method == "GET":
                response = self.url_open(path, headers=headers, timeout=60)
            else:
                response = self.url_open(path, data=data, headers=headers, timeout=60)
        # the server wrote in the same transaction, through its own environment
        self.env.invalidate_all()
        return response.status_code, response.json()

    def _push(self, items, key=None, source="eoffice"):
        key = self.key if key is None else key
        return self._request("POST", "/civ/api/v1/products", {"source": source, "items": items}, key=key)

    def _item(self, item_id="VB-1", person=None, **vals):
        item = {
            "item_id": item_id,
            "person": {"badge": "1001"} if person is None else person,
            "name": "Dự thảo quyết định",
            "product_type": "VB",
            "qty_assigned": 2,
            "qty_done": 2,
            "qty_quality": 1,
            "qty_on_time": 1,
            "date_deadline": "2026-05-20",
            "date_done": "2026-05-18",
        }
        item.update(vals)
        return item

    def _outcomes(self, answer):
        return [(row["item_id"], row["outcome"], row.get("reason")) for row in answer["items"]]

    # ------------------------------------------------------------------ the document, the keys
    def test_openapi_document(self):
        status, document = self._request("GET", "/civ/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertEqual(set(document["paths"]), {"/products", "/batches/{batch_id}", "/results"})
        item = document["components"]["schemas"]["BatchRequest"]["properties"]["items"]["items"]
        self.assertEqual(set(item["required"]), {"item_id", "person", "name"})
        self.assertFalse(item["additionalProperties"])
        self.assertEqual(
            set(item["properties"]["person"]["properties"]), {"badge", "identification_id", "work_email"}
        )
        self.assertIn("X-API-Key", json.dumps(document["components"]["securitySchemes"]))

    def test_keys(self):
        Call = self.env["civ.api.call"].sudo()
        before = Call.search_count([])
        self.assertEqual(self._push([self._item()], key="")[0], 401)
        self.assertEqual(self._push([self._item()], key="0" * 40)[0], 401)
        status, answer = self._push([self._item()], key=self.key_not_client)
        self.assertEqual((status, answer["error"]), (403, "forbidden"))
        self.assertFalse(self.sheet.product_ids, "nothing written by a refused call")
        # X-API-Key works as well as the bearer
        status, answer = self._request(
            "GET", "/civ/api/v1/results?period=2026-05", headers={"X-API-Key": self.key}
        )
        self.assertEqual(status, 200)
        calls = Call.search([], order="id desc", limit=Call.search_count([]) - before)
        self.assertEqual(len(calls), 4, "every call is logged, refused ones included")
        self.assertEqual(calls.mapped("status"), [200, 403, 401, 401])
        self.assertEqual(calls[0].user_id, self.client_user)
        self.assertEqual(calls[1].user_id, self.not_client)
        # officers read the log of their company, nobody else
        self.assertIn(calls[0], Call.with_user(self.user_officer).search([]).sudo())
        self.assertFalse(self.env["civ.api.call"].with_user(self.user_staff).has_access("read"))

    def test_the_technical_user_reads_nothing_over_xmlrpc(self):
        """The group gives no access to any model: with its key over XML-RPC, the system's user reads no
        sheet, employee or product line."""
        for model in ("civ.evaluation", "civ.evaluation.product", "civ.api.batch"):
            with self.assertRaises(xmlrpc.client.Fault) as caught, mute_logger("odoo.http"):
                self.xmlrpc_object.execute_kw(
                    get_db_name(), self.client_user.id, self.key, model, "search_read", [[]], {"limit": 1}
                )
            # Odoo's fault code of an AccessError
            self.assertEqual(caught.exception.faultCode, 4, model)
            self.assertIn("not allowed to access", caught.exception.faultString, model)

    # ------------------------------------------------------------------ items in
    def test_push_creates_then_nothing_changes(self):
        items = [self._item(), self._item("VB-2", person={"work_email": "vien@UBND.test"}, product_type=None)]
        status, answer = self._push(items)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["state"], "done")
        self.assertEqual(self._outcomes(answer), [("VB-1", "created", None), ("VB-2", "created", None)])
        lines = self.sheet.product_ids.sorted("id")
        self.assertEqual(len(lines), 2)
        self.assertEqual(
            (lines[0].source, lines[0].external_source, lines[0].external_item_id, lines[0].external_user_id),
            ("api", "eoffice", "VB-1", self.client_user),
        )
        self.assertEqual(
            (lines[0].product_type_id, lines[0].weight, lines[0].qty_assigned, lines[0].qty_done),
            (self.type_doc, 2.0, 2.0, 2.0),
        )
        self.assertEqual((lines[0].date_deadline, lines[0].date_done), (date(2026, 5, 20), date(2026, 5, 18)))
        self.assertEqual((lines[1].product_type_id.id, lines[1].weight), (False, 1.0))
        self.assertEqual(answer["items"][0]["line_id"], lines[0].id)
        self.assertEqual(answer["items"][0]["sheet_id"], self.sheet.id)
        # the points follow: 4 of 4 assigned units completed, 2 meeting the requirements
        self.assertEqual(self.sheet.product_score_quantity, 100.0)
        self.assertEqual(self.sheet.product_score_quality, 50.0)
        self.assertTrue(
            any(
                "Products and work received from eoffice" in body
                for body in self.sheet.message_ids.mapped("body")
            )
        )
        # the same batch again changes nothing
        messages = len(self.sheet.message_ids)
        status, answer = self._push(items)
        self.assertEqual(self._outcomes(answer), [("VB-1", "unchanged", None), ("VB-2", "unchanged", None)])
        self.assertEqual(answer["counts"], {"created": 0, "updated": 0, "unchanged": 2, "refused": 0})
        self.assertEqual(self.sheet.product_ids.sorted("id"), lines)
        self.sheet.invalidate_recordset(["message_ids"])
        self.assertEqual(len(self.sheet.message_ids), messages)

    def test_changed_confirmed_and_typed_lines(self):
        self._push([self._item(), self._item("VB-2")])
        typed = (
            self.env["civ.evaluation.product"]
            .with_user(self.user_staff)
            .create({"evaluation_id": self.sheet.id, "name": "Việc tự nhập", "qty_assigned": 1})
        )
        line1, line2 = (self.sheet.product_ids - typed).sorted("id")
        line2.sudo().confirmed = True
        status, answer = self._push(
            [
                self._item(qty_done=1, qty_quality=1, qty_on_time=0),
                self._item("VB-2", qty_done=1, qty_quality=1, qty_on_time=1),
            ]
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            self._outcomes(answer), [("VB-1", "updated", None), ("VB-2", "refused", "line_confirmed")]
        )
        self.assertEqual((line1.qty_done, line1.qty_on_time), (1.0, 0.0))
        self.assertEqual(line2.qty_done, 2.0, "a confirmed line is the reviewer's")
        self.assertEqual((typed.name, typed.source, typed.qty_assigned), ("Việc tự nhập", "manual", 1.0))
        # a line the sender's key is not in is another system's: a second system's same item id is its own
        status, answer = self._push([self._item()], source="vanban")
        self.assertEqual(self._outcomes(answer), [("VB-1", "created", None)])
        self.assertEqual(len(self.sheet.product_ids), 4)

    def test_refusals(self):
        items = [
            self._item("R-1", person={"badge": "9999"}),
            self._item("R-2", product_type="KHONGCO"),
            self._item("R-3", product_type="CT"),
            self._item("R-4", date_done="2026-04-10", date_deadline="2026-04-10"),
            self._item("R-5", person={"badge": "2001"}),
            self._item("R-6", qty_done=3),
            self._item("R-7", person={"badge": "1001", "identification_id": "999"}),
            self._item("R-8", date_done="2027-01-10", date_deadline="2027-01-10"),
            self._item("OK-1", person={"identification_id": "001090000001"}),
        ]
        status, answer = self._push(items)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [(row["item_id"], row.get("reason")) for row in answer["items"]],
            [
                ("R-1", "unknown_person"),
                ("R-2", "unknown_type"),
                ("R-3", "type_not_in_catalogue"),
                ("R-4", "period_locked"),
                ("R-5", "sheet_decided"),
                ("R-6", "invalid_quantities"),
                ("R-7", "unknown_person"),
                ("R-8", "no_sheet"),
                ("OK-1", None),
            ],
        )
        self.assertTrue(all(row["message"] for row in answer["items"][:-1]))
        self.assertIn("more completed than assigned", answer["items"][5]["message"])
        self.assertEqual(answer["counts"], {"created": 1, "updated": 0, "unchanged": 0, "refused": 8})
        self.assertEqual(self.sheet.product_ids.mapped("external_item_id"), ["OK-1"])
        self.assertFalse(self._sheet(self.april, self.staff).product_ids, "a locked month gets nothing")
        self.assertFalse(self.head_sheet.product_ids)

    def test_companies_are_apart(self):
        """The key of the other agency finds only its own people: this agency's badge is unknown to it, its
        own employee has no open month; it never writes into this agency's sheets, nor reads its results."""
        status, answer = self._push(
            [self._item(), self._item("VB-2", person={"badge": "3001"})], key=self.key2
        )
        self.assertEqual(
            self._outcomes(answer), [("VB-1", "refused", "unknown_person"), ("VB-2", "refused", "no_sheet")]
        )
        self.assertFalse(self.sheet.product_ids)
        status, answer = self._request("GET", "/civ/api/v1/results", key=self.key2)
        self.assertEqual((status, answer["count"]), (200, 0))
        status, answer = self._request("GET", f"/civ/api/v1/results?company={self.company.id}", key=self.key2)
        self.assertEqual(status, 403)
        status, answer = self._request("GET", f"/civ/api/v1/results?unit={self.section.id}", key=self.key2)
        self.assertEqual(status, 404)
        # a batch is read by its own caller only
        _status, answer = self._push([self._item()])
        status, _answer = self._request("GET", f"/civ/api/v1/batches/{answer['batch_id']}", key=self.key2)
        self.assertEqual(status, 404)

    def test_validation(self):
        cases = [
            ({"source": "eoffice", "items": [self._item(qty_done="2")]}, "items", 0, "qty_done"),
            ({"source": "eoffice", "items": [self._item(colour="blue")]}, "items", 0, "colour"),
            ({"source": "eoffice", "items": [self._item(error_count=1.5)]}, "items", 0, "error_count"),
            ({"source": "eoffice", "items": [self._item(qty_done=True)]}, "items", 0, "qty_done"),
            ({"source": "eoffice", "items": [self._item(date_done="18/05/2026")]}, "items", 0, "date_done"),
            ({"source": "eoffice", "items": [self._item(person={})]}, "items", 0, "person"),
            ({"source": "eoffice", "items": [self._item(), self._item()]}, "items", 1, "item_id"),
            ({"items": []}, None, None, "source"),
            ({"source": "eoffice", "items": [], "extra": 1}, None, None, "extra"),
        ]
        for body, _where, index, field in cases:
            status, answer = self._request("POST", "/civ/api/v1/products", body, key=self.key)
            self.assertEqual((status, answer.get("error")), (400, "invalid_payload"), (body, answer))
            self.assertIn((index, field), [(p["item"], p["field"]) for p in answer["problems"]], answer)
            self.assertNotIn("Traceback", json.dumps(answer))
        status, answer = self._request("POST", "/civ/api/v1/products", raw=b"{not json", key=self.key)
        self.assertEqual((status, answer["error"]), (400, "invalid_json"))
        self.env["ir.config_parameter"].sudo().set_param("civ_evaluation_api.max_body_bytes", "200")
        status, answer = self._push([self._item(), self._item("VB-2")])
        self.assertEqual((status, answer["error"]), (413, "too_large"))
        self.assertFalse(self.sheet.product_ids)

    def test_large_batches_run_in_the_background(self):
        self.env["ir.config_parameter"].sudo().set_param("civ_evaluation_api.inline_items", "2")
        items = [self._item(f"B-{n}", name=f"Việc {n}") for n in range(5)]
        status, answer = self._push(items)
        self.assertEqual(status, 202, answer)
        self.assertEqual((answer["state"], answer["processed"]), ("queued", 0))
        self.assertEqual(answer["poll"], f"/civ/api/v1/batches/{answer['batch_id']}")
        self.assertFalse(self.sheet.product_ids, "the request itself loads nothing")
        batch = self.env["civ.api.batch"].browse(answer["batch_id"])
        batch._civ_process(chunk=3)
        status, polled = self._request("GET", answer["poll"], key=self.key)
        self.assertEqual((status, polled["state"], polled["processed"]), (200, "running", 3))
        self.env["civ.api.batch"].sudo()._cron_process_batches()
        status, polled = self._request("GET", answer["poll"], key=self.key)
        self.assertEqual((polled["state"], polled["processed"]), ("done", 5))
        self.assertEqual(polled["counts"]["created"], 5)
        self.assertEqual([row["index"] for row in polled["items"]], [0, 1, 2, 3, 4])
        self.assertEqual(len(self.sheet.product_ids), 5)
        # the entry point of the cron is the scheduler's
        with self.assertRaises(AccessError):
            self.env["civ.api.batch"].with_user(self.user_officer)._cron_process_batches()

    # ------------------------------------------------------------------ results out
    def test_results(self):
        status, answer = self._request("GET", "/civ/api/v1/results?period=2026-05", key=self.key)
        self.assertEqual((status, answer["count"]), (200, 1))
        row = answer["results"][0]
        self.assertEqual(
            (row["sheet_id"], row["badge"], row["final_points"], row["level"], row["state"], row["sealed"]),
            (self.head_sheet.id, "2001", 91.0, "A", "done", False),
        )
        self.assertEqual(row["period"], self.period.name)
        self.assertEqual(row["unit_id"], self.head.department_id.id)
        # April is locked and sealed: its sheets are results too (not evaluated ones included)
        status, answer = self._request("GET", "/civ/api/v1/results?period=2026-04&limit=2", key=self.key)
        april = self.env["civ.evaluation"].search_count([("period_id", "=", self.april.id)])
        self.assertEqual((answer["count"], len(answer["results"])), (april, 2))
        self.assertTrue(all(row["sealed"] and row["state"] == "locked" for row in answer["results"]))
        self.assertIn("offset=2", answer["next"])
        status, answer = self._request("GET", answer["next"], key=self.key)
        self.assertEqual(answer["offset"], 2)
        # by unit (with its sub-units)
        status, answer = self._request(
            "GET", f"/civ/api/v1/results?period=2026-04&unit={self.section.id}&limit=1000", key=self.key
        )
        self.assertEqual({row["unit_id"] for row in answer["results"]}, {self.section.id})
        for query in ("period=2026-13", "limit=0", "limit=abc", "kind=week", "colour=blue"):
            status, answer = self._request("GET", f"/civ/api/v1/results?{query}", key=self.key)
            self.assertEqual((status, answer["error"]), (400, "invalid_parameter"), query)

    def test_jsonl_export_of_a_period(self):
        action = self.april.with_user(self.user_officer).action_civ_export_jsonl()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        rows = [json.loads(line) for line in attachment.raw.decode().splitlines()]
        status, answer = self._request("GET", "/civ/api/v1/results?period=2026-04&limit=1000", key=self.key)
        self.assertEqual(rows, answer["results"], "the file holds the rows the API gives")
        sheets = self.env["civ.evaluation"].search_count([("period_id", "=", self.april.id)])
        self.assertEqual(len(rows), sheets)
        # the file is the officer's: the people who read the period do not read it
        self.assertEqual(attachment.create_uid, self.user_officer)
        self.assertTrue(self.april.with_user(self.user_staff).has_access("read"))
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_staff).check("read")
        with self.assertRaises(AccessError):
            self.april.with_user(self.user_staff).action_civ_export_jsonl()

    # ------------------------------------------------------------------ the reference client
    def test_reference_client(self):
        """tools/civ_api_client.py, the client the README shows, against the real server: a generated
        month of items for two badges, pushed twice (the second time nothing changes), the decided
        results read back."""
        path = Path(__file__).resolve().parents[2] / "tools" / "civ_api_client.py"
        if not path.exists():
            self.skipTest("the reference client is part of the repository, not of the installed addon")
        spec = importlib.util.spec_from_file_location("civ_api_client", path)
        client = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(client)
        argv = ["--url", self.base_url(), "--key", self.key, "--period", "2026-05", "--badges", "1001,1002"]
        argv += ["--per-person", "2", "--source", "reference"]
        for expected in ('"created": 4', '"unchanged": 4'):
            output = io.StringIO()
            with mute_logger("werkzeug"), contextlib.redirect_stdout(output):
                self.assertEqual(client.main(argv), 0)
            self.assertIn(expected, output.getvalue())
            self.assertIn("1 decided results for 2026-05", output.getvalue())
        self.env.invalidate_all()
        staff2_sheet = self._sheet(self.period, self.staff2)
        for sheet in (self.sheet, staff2_sheet):
            self.assertEqual(sheet.product_ids.mapped("external_source"), ["reference", "reference"])
        rows = client.results(self.base_url(), self.key, period="2026-05", limit=1)
        self.assertEqual([(row["sheet_id"], row["badge"]) for row in rows], [(self.head_sheet.id, "2001")])
        # a refused call is reported, not raised as a traceback
        output = io.StringIO()
        with mute_logger("werkzeug"), contextlib.redirect_stderr(output):
            self.assertEqual(
                client.main([*argv[:3], "wrong-key", "--period", "2026-05", "--results-only"]), 1
            )
        self.assertIn("HTTP 401", output.getvalue())
