from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import make_department
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationLock(CivCycleCase):
    """After lock nothing of the month can be written or deleted, by anyone; admins reopen with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.deputy)
        cls.sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1").with_user(
            cls.user_deputy
        ).write({"self_points": 30})
        cls.sheet.with_user(cls.user_deputy).action_submit()
        cls.sheet.with_user(cls.user_head).action_approve()
        cls.period.with_user(cls.user_officer).action_lock()

    def _as_admin(self, records):
        return records.with_user(self.user_admin).with_company(self.company)

    def test_everything_is_locked(self):
        self.assertEqual(self.period.state, "locked")
        self.assertEqual(set(self.period.evaluation_ids.mapped("state")), {"locked"})
        self.assertEqual(self.sheet.pre_lock_state, "done")

    def test_guards_on_sheet(self):
        for sheet in (self._as_admin(self.sheet), self.sheet.sudo()):
            with self.assertRaises(UserError):
                sheet.write({"job_title": "Sửa sau khóa"})
            with self.assertRaises(UserError):
                sheet.unlink()
        with self.assertRaises(UserError):
            self.sheet.sudo().write({"state": "done"})
        # no context key helps
        with self.assertRaises(UserError):
            self.sheet.sudo().with_context(civ_force=True, force_write=True, install_mode=True).write(
                {"final_score": 100}
            )
        self.assertEqual(self.sheet.state, "locked")

    def test_guards_on_lines(self):
        line = self.sheet.line_ids[0]
        for record in (self._as_admin(line), line.sudo()):
            with self.assertRaises(UserError):
                record.write({"final_points": 1})
            with self.assertRaises(UserError):
                record.write({"self_points": 1})
            with self.assertRaises(UserError):
                record.unlink()
        # not through the sheet's one2many either
        with self.assertRaises(UserError):
            self.sheet.sudo().write({"line_ids": [(1, line.id, {"reviewer_points": 3})]})
        with self.assertRaises(UserError):
            self.sheet.sudo().write({"line_ids": [(2, line.id)]})

    def test_guards_on_steps(self):
        step = self.sheet.step_ids[0]
        for record in (self._as_admin(step), step.sudo()):
            with self.assertRaises(UserError):
                record.write({"comment": "sau khóa"})
            with self.assertRaises(UserError):
                record.write({"reviewer_employee_id": self.vice.id})
            with self.assertRaises(UserError):
                record.unlink()

    def test_guards_on_period(self):
        for period in (self._as_admin(self.period), self.period.sudo()):
            with self.assertRaises(UserError):
                period.write({"lock_date": "2026-07-01"})
            with self.assertRaises(UserError):
                period.unlink()
            with self.assertRaises(UserError):
                period.action_open()

    def test_lock_rules_for_unfinished_sheets(self):
        staff = self._sheet(self.period, self.staff)
        self.assertTrue(staff.not_evaluated)
        self.assertEqual(staff.pre_lock_state, "draft")
        self.assertFalse(staff.level_id)
        self.assertEqual(self.period.count_not_evaluated, 5)

    def test_reopen_period_and_sheet(self):
        Wizard = self.env["civ.reopen.wizard"]
        # officers cannot reopen
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_officer).create({"period_id": self.period.id, "reason": "x"})
        form = Form(
            Wizard.with_user(self.user_admin)
            .with_company(self.company)
            .with_context(active_model="civ.evaluation", active_id=self.sheet.id)
        )
        form.target = "decision"
        with self.assertRaises(AssertionError):
            form.save()  # the reason is required
        form.reason = "Trưởng phòng đề nghị chấm lại do nhầm tiêu chí 2.1"
        form.save().action_reopen()
        self.assertEqual(self.sheet.state, "review")
        self.assertEqual(self.sheet.current_reviewer_user_id, self.user_head)
        self.assertIn("nhầm tiêu chí", self.sheet.message_ids[0].body)
        # the period itself stays locked; the sheet can be decided again, then locked again
        self.assertEqual(self.period.state, "locked")
        self.sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1").with_user(
            self.user_head
        ).write({"reviewer_points": 35})
        self.sheet.with_user(self.user_head).action_approve()
        self.assertEqual(self.sheet.state, "done")
        self.assertEqual(self.sheet.final_score, 35.0)
        self.sheet.with_user(self.user_officer).action_lock()
        self.assertEqual(self.sheet.state, "locked")

        # reopen the whole month: sheets return to their state before the lock
        Wizard.with_user(self.user_admin).with_company(self.company).with_context(
            active_model="civ.period", active_id=self.period.id
        ).create({"reason": "Thanh tra yêu cầu rà soát"}).action_reopen()
        self.assertEqual(self.period.state, "open")
        self.assertEqual(self.sheet.state, "done")
        staff = self._sheet(self.period, self.staff)
        self.assertEqual(staff.state, "draft")
        self.assertFalse(staff.not_evaluated)
        self.assertIn("Thanh tra", self.period.message_ids[0].body)
        staff.with_user(self.user_staff).write({"line_ids": [(1, staff.line_ids[0].id, {"self_points": 8})]})
        self.assertEqual(staff.self_score, 8.0)

    def test_rpc_cannot_reopen(self):
        """The reopening helpers are private; the guards do not look at the context."""
        with self.assertRaises(UserError):
            self.sheet.with_user(self.user_admin).with_company(self.company).with_context(
                civ_reopen=True
            ).write({"state": "done"})
        self.assertEqual(self.sheet.state, "locked")

    # history is not rewritten by deleting master data
    def test_master_data_of_a_locked_month_cannot_be_deleted(self):
        section = make_department(self.env, self.company, "Phòng tạm")
        temp_user, temp = self._person("tam_t", "Nhân viên tạm", section, "Chuyên viên")
        temp.parent_id = self.deputy
        period = self._open_period(date(2026, 7, 1))
        sheet = self._sheet(period, temp)
        period.with_user(self.user_officer).action_lock()
        self.assertEqual(sheet.department_id, section)
        with self.assertRaises(UserError):
            section.unlink()
        # below the application, the database refuses too
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute("DELETE FROM hr_department WHERE id = %s", [section.id])
        self.assertEqual(sheet.department_id, section)
        self.assertEqual(sheet.user_id, temp_user)
        fields = self.env["civ.evaluation"]._fields
        for fname in ("department_id", "user_id", "level_id", "framework_id", "employee_id", "period_id"):
            self.assertEqual(fields[fname].ondelete, "restrict", fname)
        step_fields = self.env["civ.review.step"]._fields
        for fname in ("reviewer_user_id", "reviewer_employee_id"):
            self.assertEqual(step_fields[fname].ondelete, "restrict", fname)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestLockRules(CivCycleCase):
    """What locking does to unfinished sheets, following the company's settings."""

    def setUp(self):
        super().setUp()
        self.period = self._open_period()
        self.staff_sheet = self._sheet(self.period, self.staff)
        self._set_points(self.staff_sheet, self.user_staff, "self_points", self.SELF_90)
        self.staff_sheet.with_user(self.user_staff).action_submit()
        self._set_points(self.staff_sheet, self.user_deputy, "reviewer_points", {"2.2": 22})  # 80 → B
        self.staff2_sheet = self._sheet(self.period, self.staff2)
        self._set_points(self.staff2_sheet, self.user_staff2, "self_points", {"2.1": 20})

    def test_users_cannot_lock(self):
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_staff).action_lock()
        with self.assertRaises(AccessError):
            self.staff_sheet.with_user(self.user_deputy).action_lock()
        self.assertEqual(self.period.state, "open")

    def test_default_rules(self):
        """Drafts closed as not evaluated; sheets in review decided on the last reviewer's points."""
        self.period.with_user(self.user_officer).action_lock()
        self.assertTrue(self.staff2_sheet.not_evaluated)
        self.assertFalse(self.staff2_sheet.level_id)
        self.assertEqual(self.staff2_sheet.final_score, 0)
        self.assertTrue(self.staff_sheet.decided_at_deadline)
        self.assertFalse(self.staff_sheet.not_evaluated)
        self.assertEqual(self.staff_sheet.final_score, 80.0)
        self.assertEqual(self.staff_sheet.level_id.code, "B")
        line = self.staff_sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.2")
        self.assertEqual(line.final_points, 22)
        self.assertEqual(set(self.staff_sheet.step_ids.mapped("state")), {"skipped"})
        self.assertFalse(self.staff_sheet.activity_ids)
        self.assertEqual(self.staff_sheet.pre_lock_state, "done")

    def test_self_points_rules(self):
        self.company.write({"civ_lock_draft_not_evaluated": False, "civ_undecided_at_lock": "self"})
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(self.staff_sheet.final_score, 90.0)
        self.assertEqual(self.staff_sheet.level_id.code, "A")
        self.assertTrue(self.staff_sheet.decided_at_deadline)
        # a draft is decided on its self-assessment
        self.assertFalse(self.staff2_sheet.not_evaluated)
        self.assertTrue(self.staff2_sheet.decided_at_deadline)
        self.assertEqual(self.staff2_sheet.final_score, 20.0)
        self.assertEqual(self.staff2_sheet.level_id.code, "D")
        # decided, so that reopening "as before the lock" keeps the decision (not_evaluated is
        # empty on the sheets the opening created)
        self.assertEqual(self.staff2_sheet.pre_lock_state, "done")

    def test_undecided_not_evaluated_rule(self):
        self.company.civ_undecided_at_lock = "not_evaluated"
        self.period.with_user(self.user_officer).action_lock()
        self.assertTrue(self.staff_sheet.not_evaluated)
        self.assertFalse(self.staff_sheet.level_id)
        self.assertEqual(self.staff_sheet.state, "locked")
        self.assertEqual(self.period.count_not_evaluated, 6)
