from datetime import date

from odoo.tests import tagged

from .common import make_employees
from .cycle_common import CivCycleCase

JULY = date(2026, 7, 1)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestBulkApproval(CivCycleCase):
    """Approving many sheets at once costs a bounded number of queries, not a number per sheet: once
    the caches are warm, approving 95 sheets takes as many queries as approving 10."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_employees(
            cls.env,
            cls.company,
            [f"Chuyên viên {index:03d}" for index in range(110)],
            department=cls.section,
            manager=cls.deputy,
        )
        cls.period = cls._open_period(JULY)
        cls.waiting = cls.period.evaluation_ids.filtered(
            lambda sheet: sheet.employee_id.parent_id == cls.deputy and not sheet.user_id
        )
        cls.waiting.action_submit()  # as the system, for people without a user

    def _count(self, sheets, user):
        """The queries of approving `sheets`, tracking messages (written at commit) included."""
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        sheets.with_user(user).action_approve()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - before

    def _bounded(self, user):
        """Approve 5 sheets (warm-up), count the queries of approving 10 (tracking at commit included),
        then assert that approving the next 95 takes as many (give or take the kinds of tracked values)."""
        warm, few, many = self.waiting[:5], self.waiting[5:15], self.waiting[15:110]
        self._count(warm, user)
        queries = self._count(few, user)
        self.env.invalidate_all()
        # the ORM inserts the tracking values in one query per set of columns (char, float, many2one
        # values...): a few more kinds of change among 95 sheets, never one more query per sheet
        with self.assertQueryCount(queries + 4):
            many.with_user(user).action_approve()
        return queries

    def test_approving_95_sheets_costs_as_many_queries_as_10(self):
        self.assertEqual(len(self.waiting), 110)
        self._bounded(self.user_deputy)
        self.assertEqual(set(self.waiting.mapped("current_reviewer_user_id")), {self.user_head})
        self.assertEqual(set(self.waiting.current_step_id.mapped("is_decision")), {True})
        self.assertEqual(set(self.waiting.mapped("state")), {"review"})

    def test_deciding_95_sheets_is_bounded_too(self):
        self.waiting.with_user(self.user_deputy).action_approve()
        self._bounded(self.user_head)
        self.assertEqual(set(self.waiting.mapped("state")), {"done"})
        self.assertTrue(all(sheet.level_id for sheet in self.waiting))
        self.assertFalse(self.waiting.activity_ids)
