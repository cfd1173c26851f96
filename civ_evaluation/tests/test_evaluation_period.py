from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MAY, make_department, make_user, nd335
from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestEvaluationPeriod(CivCycleCase):
    """Periods: dates from the company settings, idempotent opening with snapshots."""

    def test_period_defaults_from_company(self):
        self.company.write({"civ_self_day": 2, "civ_review_day": 4, "civ_decision_day": 6, "civ_lock_day": 9})
        form = Form(self.Period.with_user(self.user_officer).with_company(self.company))
        form.date_start = date(2026, 2, 1)
        period = form.save()
        self.assertEqual(period.company_id, self.company)
        self.assertEqual(period.framework_id, self.framework)
        self.assertEqual(period.date_end, date(2026, 2, 28))
        self.assertEqual(period.self_deadline, date(2026, 3, 2))
        self.assertEqual(period.review_deadline, date(2026, 3, 4))
        self.assertEqual(period.decision_deadline, date(2026, 3, 6))
        self.assertEqual(period.lock_date, date(2026, 3, 9))
        self.assertEqual(period.name, "Month 02/2026")
        self.assertEqual(period.state, "draft")
        # shipped default: the main company evaluates with the national framework of Decree 335/2025
        self.assertEqual(self.env.ref("base.main_company").civ_framework_id, nd335(self.env))

    def test_one_period_per_company_and_month(self):
        self.Period.create({"company_id": self.company.id, "date_start": MAY})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Period.create({"company_id": self.company.id, "date_start": MAY})

    def test_users_cannot_open_periods(self):
        period = self.Period.create({"company_id": self.company.id, "date_start": MAY})
        with self.assertRaises(AccessError):
            period.with_user(self.user_staff).action_open()
        with self.assertRaises(AccessError):
            self.Period.with_user(self.user_staff).create(
                {"company_id": self.company.id, "date_start": date(2026, 6, 1)}
            )

    def test_open_creates_sheets_with_lines_and_chains(self):
        period = self._open_period()
        self.assertEqual(period.state, "open")
        sheets = period.evaluation_ids
        people = self.chairman | self.vice | self.head | self.deputy | self.staff | self.staff2
        self.assertEqual(sheets.employee_id, people)
        self.assertEqual(period.evaluation_count, 6)
        self.assertEqual(period.count_draft, 6)
        for sheet in sheets:
            self.assertEqual(sheet.line_ids.criterion_id, self.framework.criterion_ids)
            self.assertEqual(sheet.framework_id, self.framework)
            self.assertEqual(sheet.company_id, self.company)
            self.assertEqual(sheet.user_id, sheet.employee_id.user_id)
        # lines come in the framework's order, with their group
        sheet = self._sheet(period, self.staff)
        self.assertEqual(
            sheet.line_ids.mapped("criterion_id.code"), ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1"]
        )
        self.assertEqual(sheet.line_ids[0].group_id.code, "I")
        self.assertEqual(sheet.department_id, self.section)
        self.assertEqual(sheet.job_title, "Chuyên viên")
        self.assertEqual(sheet.civ_position, "staff")
        steps = sheet.step_ids.sorted("sequence")
        self.assertEqual(steps.mapped("reviewer_employee_id"), self.deputy | self.head)
        self.assertEqual(steps.mapped("can_rescore"), [True, True])
        self.assertEqual(steps.mapped("is_decision"), [False, True])
        self.assertEqual(set(steps.mapped("state")), {"waiting"})
        # the head's chain: the vice-chairman in charge re-scores, the chairman decides
        head_steps = self._sheet(period, self.head).step_ids.sorted("sequence")
        self.assertEqual(head_steps.mapped("reviewer_user_id"), self.user_vice | self.user_chairman)

    def test_open_is_idempotent_and_adds_new_hires(self):
        period = self._open_period()
        period.with_user(self.user_officer).action_open()
        self.assertEqual(len(period.evaluation_ids), 6)
        # out of scope and archived people get no sheet
        self.staff2.civ_evaluated = False
        _user, newcomer = self._person("moi_t", "Ngô Văn Mới", self.section, "Chuyên viên")
        newcomer.parent_id = self.deputy
        _user, leaver = self._person("nghi_t", "Lý Văn Nghỉ", self.section, "Chuyên viên")
        leaver.active = False
        created = period.with_user(self.user_officer)._open()
        self.assertEqual(created.employee_id, newcomer)
        self.assertEqual(len(period.evaluation_ids), 7)
        self.assertEqual(len(self._sheet(period, newcomer).line_ids), 6)
        self.assertEqual(self._sheet(period, newcomer).step_ids.reviewer_employee_id, self.deputy | self.head)
        self.assertEqual(period.state, "open")
        # the database refuses a second sheet for the same person and period
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Evaluation.create(
                {
                    "period_id": period.id,
                    "employee_id": self.staff.id,
                    "company_id": self.company.id,
                    "framework_id": self.framework.id,
                }
            )

    def test_snapshots_survive_hr_edits(self):
        period = self._open_period()
        sheet = self._sheet(period, self.staff)
        other = make_department(self.env, self.company, "Phòng Tư pháp", parent=self.leadership)
        self.staff.write(
            {"department_id": other.id, "job_title": "Chánh văn phòng", "parent_id": self.head.id}
        )
        self.section.manager_id = self.vice
        sheet.invalidate_recordset()
        self.assertEqual(sheet.department_id, self.section)
        self.assertEqual(sheet.job_title, "Chuyên viên")
        self.assertEqual(sheet.step_ids.sorted("sequence").reviewer_employee_id, self.deputy | self.head)
        # re-running the opening does not rewrite existing sheets
        period.with_user(self.user_officer).action_open()
        self.assertEqual(sheet.department_id, self.section)
        # the next month takes the new structure
        june = self._open_period(date(2026, 6, 1))
        self.assertEqual(self._sheet(june, self.staff).department_id, other)

    def test_open_requires_a_usable_framework(self):
        self.framework.action_set_draft()
        period = self.Period.create({"company_id": self.company.id, "date_start": MAY})
        with self.assertRaises(UserError):
            period.with_user(self.user_officer).action_open()
        self.assertFalse(period.evaluation_ids)
        self.assertEqual(period.state, "draft")

    def test_frozen_fields_once_open(self):
        period = self._open_period()
        with self.assertRaises(UserError):
            period.with_user(self.user_officer).write({"date_start": date(2026, 4, 1)})
        with self.assertRaises(UserError):
            period.with_user(self.user_officer).write({"state": "draft"})
        period.with_user(self.user_officer).write({"self_deadline": date(2026, 6, 4)})
        self.assertEqual(period.self_deadline, date(2026, 6, 4))
        with self.assertRaises(UserError):
            period.with_user(self.user_officer).unlink()

    def test_employee_smart_button(self):
        period = self._open_period()
        self.assertEqual(self.staff.with_user(self.user_officer).civ_evaluation_count, 1)
        action = self.staff.with_user(self.user_officer).action_civ_view_evaluations()
        self.assertEqual(self.Evaluation.search(action["domain"]), self._sheet(period, self.staff))

    def test_user_changes_follow_unlocked_sheets_only(self):
        period = self._open_period()
        sheet = self._sheet(period, self.staff)
        sheet.with_user(self.user_staff).action_submit()
        # the direct leader gets a new account: the pending step, its activity and the current
        # reviewer follow
        new_user = make_user(self.env, "photruongphong_moi", self.company)
        self.user_deputy.active = False
        self.deputy.user_id = new_user
        self.assertEqual(sheet.current_step_id.reviewer_user_id, new_user)
        self.assertEqual(sheet.current_reviewer_user_id, new_user)
        self.assertEqual(sheet.activity_ids.user_id, new_user)
        sheet.with_user(new_user).action_approve()
        self.assertEqual(sheet.current_reviewer_user_id, self.user_head)
        # an employee without a user gets one after the opening
        _user, newcomer = self._person("moi2_t", "Mai Văn Mới", self.section, "Chuyên viên")
        newcomer.parent_id = self.deputy
        newcomer_user = newcomer.user_id
        newcomer.user_id = False
        period.with_user(self.user_officer).action_open()
        new_sheet = self._sheet(period, newcomer)
        self.assertFalse(new_sheet.user_id)
        newcomer.user_id = newcomer_user
        self.assertEqual(new_sheet.user_id, newcomer_user)
        # a locked month keeps who it was
        period.with_user(self.user_officer).action_lock()
        newcomer.user_id = False
        self.assertEqual(new_sheet.user_id, newcomer_user)
