"""Tasks of Odoo Project loaded as the products and work of the evaluation sheets (issue #11 item 6),
with real project.task records: which tasks belong to the month, the figures, reloading, confirmed
and typed lines, who may load, and the company setting at the opening of a month."""

from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.civ_evaluation.models.civ_product_loader import LOADER
from odoo.addons.civ_evaluation.tests.common import nd335
from odoo.addons.civ_evaluation.tests.cycle_common import CivCycleCase

from ..models.civ_evaluation import TASK_FIELDS

JUNE = date(2026, 6, 1)


def at(day, month=5):
    """Noon in Hà Nội (05:00 UTC) of a day of 2026."""
    return datetime(2026, month, day, 5, 0)


@tagged("post_install", "-at_install", "civ_evaluation_project", "civ_project", "civ_products")
class TestProjectTasks(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.civ_framework_id = nd335(cls.env)
        (cls.staff | cls.staff2 | cls.deputy).write({"tz": "Asia/Ho_Chi_Minh"})
        cls.project = cls.env["project.project"].create(
            {
                "name": "Cải cách hành chính",
                "company_id": cls.company.id,
                "civ_weight": 2.0,
                "civ_evaluation": True,
            }
        )
        Task = cls.env["project.task"].with_context(tracking_disable=True, mail_create_nolog=True)

        def task(name, users, deadline=None, closed=None, state=None, **vals):
            values = {
                "name": name,
                "project_id": cls.project.id,
                "user_ids": [Command.set(users.ids)],
                "date_deadline": deadline or False,
            }
            if state or closed:
                values["state"] = state or "1_done"
            if closed:
                values["civ_date_closed"] = closed
            return Task.create(dict(values, **vals))

        staff = cls.user_staff
        cls.t_on_time = task("Dự thảo quy chế", staff, deadline=at(20), closed=at(18))
        cls.t_late = task("Báo cáo quý", staff, deadline=at(10), closed=at(15))
        cls.t_open = task("Rà soát thủ tục", staff, deadline=at(25), civ_weight=3.0)
        cls.t_no_deadline = task("Tiếp công dân", staff, closed=at(12))
        cls.t_other_user = task("Việc của người khác", cls.user_staff2, deadline=at(20))
        cls.t_next_month = task("Kế hoạch tháng sau", staff, deadline=at(10, 6))
        cls.t_closed_before = task("Việc đã xong tháng trước", staff, deadline=at(5), closed=at(28, 4))
        cls.t_cancelled = task("Việc đã hủy", staff, deadline=at(20), state="1_canceled")
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.sheet2 = cls._sheet(cls.period, cls.staff2)

    def _line(self, task, sheet=None):
        return (sheet or self.sheet).product_ids.filtered(lambda line: line.task_id == task)

    def _counts(self, action):
        return action["params"]["message"]

    def test_load_once(self):
        action = self.sheet.with_user(self.user_staff).action_load_project_tasks()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("4 task(s) added, 0 updated, 0 unchanged, 0 removed; 0 confirmed", self._counts(action))
        lines = self.sheet.product_ids
        self.assertEqual(lines.task_id, self.t_on_time | self.t_late | self.t_open | self.t_no_deadline)
        self.assertEqual(set(lines.mapped("source")), {"project"})
        self.assertFalse(self.sheet2.product_ids, "a colleague's sheet is not loaded from this one")

        def figures(task):
            line = self._line(task)
            return (
                line.weight,
                line.qty_assigned,
                line.qty_done,
                line.qty_quality,
                line.qty_on_time,
                line.date_deadline,
                line.date_done,
            )

        self.assertEqual(figures(self.t_on_time), (2.0, 1, 1, 1, 1, date(2026, 5, 20), date(2026, 5, 18)))
        self.assertEqual(figures(self.t_late), (2.0, 1, 1, 1, 0, date(2026, 5, 10), date(2026, 5, 15)))
        self.assertEqual(figures(self.t_open), (3.0, 1, 0, 0, 0, date(2026, 5, 25), False))
        self.assertEqual(figures(self.t_no_deadline), (2.0, 1, 1, 1, 1, False, date(2026, 5, 12)))
        self.assertEqual(self._line(self.t_late).name, "Báo cáo quý (Cải cách hành chính)")
        # weighted: assigned 9, completed 6, on time 4
        self.assertEqual(
            (
                self.sheet.product_score_quantity,
                self.sheet.product_score_quality,
                self.sheet.product_score_progress,
            ),
            (66.67, 66.67, 44.44),
        )
        criterion = self.env.ref("civ_evaluation.nd335_c_2_1")
        line = self.sheet.line_ids.filtered(lambda line: line.criterion_id == criterion)
        self.assertEqual(line.self_points, self.sheet.product_points)
        self.assertGreater(line.self_points, 0)
        # one note names the tasks loaded and the points they give
        self.assertTrue(
            any(
                "Products and work loaded from Project — Added: " in body
                and "Dự thảo quy chế" in body
                and "Points changed" in body
                for body in self.sheet.message_ids.mapped("body")
            )
        )

    def test_reload_is_idempotent_and_follows_the_tasks(self):
        sheet = self.sheet.with_user(self.user_staff)
        sheet.action_load_project_tasks()
        action = sheet.action_load_project_tasks()
        self.assertIn("0 task(s) added, 0 updated, 4 unchanged, 0 removed", self._counts(action))
        self.assertEqual(len(self.sheet.product_ids), 4)
        # the open task is done (late), another is given to a colleague: the reload follows
        self.t_open.write({"state": "1_done", "civ_date_closed": at(27)})
        self.t_no_deadline.user_ids = self.user_staff2
        action = sheet.action_load_project_tasks()
        self.assertIn("0 task(s) added, 1 updated, 2 unchanged, 1 removed", self._counts(action))
        self.sheet.invalidate_recordset(["message_ids"])
        self.assertIn(f"Updated: {self.t_open.name} (", self.sheet.message_ids[:1].body)
        self.assertIn(f"Removed: {self.t_no_deadline.name} (", self.sheet.message_ids[:1].body)
        line = self._line(self.t_open)
        self.assertEqual((line.qty_done, line.qty_on_time, line.date_done), (1, 0, date(2026, 5, 27)))
        self.assertFalse(self._line(self.t_no_deadline))
        self.assertEqual(len(self.sheet.product_ids), 3)
        # the database refuses a second line of the same task on a sheet
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["civ.evaluation.product"].sudo().create(
                {"evaluation_id": self.sheet.id, "name": "x", "task_id": self.t_open.id, "source": "project"}
            )
            self.env.flush_all()

    def test_confirmed_and_typed_lines_are_left_alone(self):
        manual = (
            self.env["civ.evaluation.product"]
            .with_user(self.user_staff)
            .create(
                {
                    "evaluation_id": self.sheet.id,
                    "name": "Trực ban",
                    "qty_assigned": 2,
                    "qty_done": 2,
                    "qty_quality": 2,
                    "qty_on_time": 1,
                    "task_id": self.t_next_month.id,
                }
            )
        )
        self.assertFalse(manual.task_id, "a user does not link a typed line to a task")
        with self.assertRaises(AccessError):
            manual.with_user(self.user_staff).write({"task_id": self.t_open.id})
        self.sheet.with_user(self.user_staff).action_load_project_tasks()
        self.sheet.with_user(self.user_staff).action_submit()
        # in review the employee no longer loads; the re-scoring reviewer does
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.user_staff).action_load_project_tasks()
        confirmed = self._line(self.t_open)
        confirmed.with_user(self.user_deputy).write({"error_count": 1})
        self.assertTrue(confirmed.confirmed)
        self.t_open.write({"name": "Rà soát thủ tục (sửa)", "state": "1_done", "civ_date_closed": at(22)})
        self.t_late.write({"civ_date_closed": at(9)})
        action = self.sheet.with_user(self.user_deputy).action_load_project_tasks()
        # a submitted sheet takes no change from Project before the reviewer accepts it
        self.assertIn(
            "0 task(s) added, 0 updated, 2 unchanged, 0 removed; 1 confirmed by a reviewer left as they are; "
            "1 proposed",
            self._counts(action),
        )
        self.assertEqual(
            (confirmed.name, confirmed.qty_done, confirmed.error_count),
            ("Rà soát thủ tục (Cải cách hành chính)", 0, 1),
        )
        self.assertEqual(self._line(self.t_late).qty_on_time, 0)
        proposal = self.sheet.civ_proposal_ids
        self.assertEqual((proposal.kind, proposal.task_id), ("update", self.t_late))
        self.assertIn("On Time: 0 → 1", proposal.summary)
        self.assertEqual(
            (manual.name, manual.qty_assigned, manual.qty_on_time, manual.source),
            ("Trực ban", 2, 1, "manual"),
        )
        self.assertEqual(len(self.sheet.product_ids), 5)
        # accepted by the re-scoring reviewer, the change is the sheet's, confirmed
        proposal.with_user(self.user_deputy).action_accept()
        self.assertEqual(self._line(self.t_late).qty_on_time, 1)
        self.assertTrue(self._line(self.t_late).confirmed)
        self.assertFalse(self.sheet.civ_proposal_ids)

    def test_who_may_load(self):
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.user_staff2).action_load_project_tasks()
        with self.assertRaises(AccessError):
            # the direct leader before the sheet reaches them
            self.sheet.with_user(self.user_deputy).action_load_project_tasks()
        self.assertFalse(self.sheet.product_ids)
        # an HR officer of the company loads for the whole month at once (the list's action)
        sheets = self.period.evaluation_ids
        action = self.env.ref("civ_evaluation_project.action_server_civ_evaluation_load_project_tasks")
        result = (
            action.with_user(self.user_officer)
            .with_context(active_model="civ.evaluation", active_ids=sheets.ids)
            .run()
        )
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(len(self.sheet.product_ids), 4)
        self.assertEqual(self.sheet2.product_ids.task_id, self.t_other_user)
        # never into a locked month
        self.period.with_user(self.user_officer).action_lock()
        with self.assertRaises(UserError):
            self.sheet.with_user(self.user_officer).action_load_project_tasks()

    def test_framework_without_products(self):
        self.company.civ_framework_id = self.framework
        period = self._open_period(JUNE)
        sheet = self._sheet(period, self.staff)
        self.assertFalse(sheet.uses_products)
        with self.assertRaises(UserError):
            sheet.with_user(self.user_staff).action_load_project_tasks()

    def test_company_setting_loads_at_opening(self):
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertFalse(settings.civ_load_project_tasks)
        settings.civ_load_project_tasks = True
        settings.execute()
        self.assertTrue(self.company.civ_load_project_tasks)
        june = self._open_period(JUNE)
        sheet = self._sheet(june, self.staff)
        self.assertEqual(sheet.product_ids.task_id, self.t_next_month)
        self.assertEqual(sheet.product_ids.qty_done, 0)
        self.assertFalse(self._sheet(june, self.staff2).product_ids)

    def test_closing_date_of_a_task(self):
        task = self.t_open
        self.assertFalse(task.civ_date_closed)
        before = fields.Datetime.now()
        task.state = "1_done"
        self.assertGreaterEqual(task.civ_date_closed, before.replace(microsecond=0))
        task.state = "01_in_progress"
        self.assertFalse(task.civ_date_closed)
        # the coefficient: the task's, else the project's, else 1
        self.assertEqual(task._civ_evaluation_weight(), 3.0)
        self.assertEqual(self.t_late._civ_evaluation_weight(), 2.0)
        self.project.civ_weight = 0
        self.assertEqual(self.t_late._civ_evaluation_weight(), 1.0)

    def test_the_loaders_quiet_context_is_not_a_users(self):
        """An RPC client sends any context: the loader's flags (no per-line notes, the points refreshed
        later) only work in superuser code, so a reviewer's change is still written and scored."""
        self.sheet.with_user(self.user_staff).action_load_project_tasks()
        line = self._line(self.t_open)
        # the figures of a line loaded from Project are the task's: not the employee's to change
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff).write({"qty_done": 1, "qty_on_time": 1})
        self.sheet.with_user(self.user_staff).action_submit()
        before = len(self.sheet.message_ids)
        line.with_user(self.user_deputy).with_context(civ_loader=True, civ_defer_product_refresh=True).write(
            {"qty_done": 1, "qty_quality": 1, "qty_on_time": 1}
        )
        self.assertGreater(len(self.sheet.message_ids), before)
        self.sheet.invalidate_recordset(["message_ids"])
        bodies = self.sheet.message_ids.mapped("body")
        self.assertTrue(any("Rà soát thủ tục" in body and "0 → 1" in body for body in bodies), bodies)
        # the open task is now completed on time: every loaded task is done
        self.assertEqual(self.sheet.product_score_quantity, 100.0)

    def test_loaded_line_is_the_line_create_writes(self):
        """The loader inserts its lines in SQL (civ.evaluation.product._civ_insert_loaded): every
        column of a loaded line is what the ORM's create() writes for the same values, and the
        model's constraints still refuse a wrong one. Only the loader may insert that way."""
        self.sheet.sudo()._civ_load_project_tasks()
        line = self._line(self.t_open)
        Product = self.env["civ.evaluation.product"].sudo().with_context(civ_loader=LOADER)

        def row(product):
            self.env.flush_all()
            self.env.cr.execute("SELECT * FROM civ_evaluation_product WHERE id = %s", [product.id])
            values = dict(
                zip([column.name for column in self.env.cr.description], self.env.cr.fetchone(), strict=True)
            )
            return {
                name: value
                for name, value in values.items()
                if name not in ("id", "create_date", "write_date")
            }

        loaded = row(line)
        vals = {fname: line[fname] for fname in TASK_FIELDS}
        vals.update(evaluation_id=self.sheet.id, task_id=self.t_open.id, source="project")
        line.unlink()
        self.assertEqual(row(Product.create(vals)), loaded)
        self.assertEqual(
            (loaded["source"], loaded["sequence"], loaded["evaluation_id"]), ("project", 10, self.sheet.id)
        )
        # the constraints run on the inserted lines
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Product._civ_insert_loaded(
                [dict(vals, task_id=self.t_late.id, qty_done=2.0, evaluation_id=self.sheet2.id)]
            )
        # not a user's, nor the superuser's outside the loader
        with self.assertRaises(AccessError):
            self.env["civ.evaluation.product"].sudo()._civ_insert_loaded([vals])
        with self.assertRaises(AccessError):
            Product.with_user(self.user_staff)._civ_insert_loaded([vals])
