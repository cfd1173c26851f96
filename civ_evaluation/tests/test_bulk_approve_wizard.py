from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import add_quotas
from .cycle_common import CivCycleCase

GOOD = {"1.1": 10, "1.2": 10, "2.1": 25, "2.2": 30, "3.1": 0}  # 75: B


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestBulkApproveWizard(CivCycleCase):
    """Approve / Decide from a list: a confirmation with the counts, then the result, every sheet
    through the sheet's gate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A for at most 30% of a department's evaluated people (the section has 4)
        add_quotas(
            cls.framework,
            [{"level_id": "A", "basis": "evaluated", "max_percent": 30.0, "scope": "department"}],
        )
        cls.period = cls._open_period()

    def setUp(self):
        super().setUp()
        self.sheet1 = self._sheet(self.period, self.staff)
        self.sheet2 = self._sheet(self.period, self.staff2)
        for sheet, user in ((self.sheet1, self.user_staff), (self.sheet2, self.user_staff2)):
            self._set_points(sheet, user, "self_points", self.SELF_90)
            sheet.with_user(user).action_submit()
        self.own = self._sheet(self.period, self.deputy)

    def _open(self, user, sheets):
        action = sheets.with_user(user).action_bulk_approve()
        self.assertEqual(action["res_model"], "civ.evaluation.bulk.approve.wizard")
        self.assertEqual(action["target"], "new")
        return self.env[action["res_model"]].with_user(user).browse(action["res_id"])

    def test_confirm_with_counts_then_result(self):
        sheets = self.sheet1 | self.sheet2 | self.own
        wizard = self._open(self.user_deputy, sheets)
        # nothing done before the confirmation
        self.assertEqual(self.sheet1.state, "review")
        self.assertEqual(self.sheet1.current_reviewer_user_id, self.user_deputy)
        counts = (wizard.selected_count, wizard.approve_count, wizard.decide_count, wizard.refused_count)
        self.assertEqual((wizard.state, *counts), ("confirm", 3, 2, 0, 1))
        self.assertIn(self.own.display_name, wizard.refusals)
        self.assertIn("approving is not possible now", wizard.refusals)
        action = wizard.action_confirm()
        self.assertEqual(action["res_id"], wizard.id)
        counts = (wizard.approved_count, wizard.decided_count, wizard.refused_count)
        self.assertEqual((wizard.state, *counts), ("done", 2, 0, 1))
        self.assertEqual((self.sheet1 | self.sheet2).current_reviewer_user_id, self.user_head)
        self.assertEqual(self.own.state, "draft")
        # the head decides both; a sheet pending at someone else is refused, with whose it is
        self.sheet1.with_user(self.user_head).action_return("Bổ sung minh chứng")
        self._set_points(self.sheet1, self.user_staff, "self_points", GOOD)
        self.sheet1.with_user(self.user_staff).action_submit()
        wizard = self._open(self.user_head, self.sheet1 | self.sheet2)
        self.assertEqual((wizard.approve_count, wizard.decide_count, wizard.refused_count), (0, 1, 1))
        self.assertIn(self.user_deputy.name, wizard.refusals)
        wizard.action_confirm()
        self.assertEqual((wizard.approved_count, wizard.decided_count, wizard.refused_count), (0, 1, 1))
        self.assertEqual(self.sheet2.state, "done")
        self.assertEqual(self.sheet1.state, "review")
        with self.assertRaises(UserError):
            wizard.action_confirm()  # handled once

    def test_quota_breach_needs_a_reason(self):
        sheets = self.sheet1 | self.sheet2
        sheets.with_user(self.user_deputy).action_approve()
        wizard = self._open(self.user_head, sheets)
        self.assertEqual((wizard.decide_count, wizard.refused_count), (2, 0))
        self.assertTrue(wizard.quota_figures)
        # without a reason, the decisions above the quota are refused with the figures
        wizard.action_confirm()
        self.assertEqual((wizard.decided_count, wizard.refused_count), (0, 2))
        self.assertIn("give the reason for deciding above the quota", wizard.refusals)
        self.assertEqual(set(sheets.mapped("state")), {"review"})
        # with a reason, decided and the reason kept on the sheets
        wizard = self._open(self.user_head, sheets)
        wizard.quota_reason = "Đơn vị hoàn thành xuất sắc nhiệm vụ đột xuất"
        wizard.action_confirm()
        self.assertEqual((wizard.decided_count, wizard.refused_count), (2, 0))
        self.assertEqual(set(sheets.mapped("state")), {"done"})
        self.assertEqual(set(sheets.mapped("quota_reason")), {"Đơn vị hoàn thành xuất sắc nhiệm vụ đột xuất"})

    def test_server_action_goes_through_the_gate(self):
        action = self.env.ref("civ_evaluation.action_server_civ_evaluation_bulk_approve")
        sheets = self.sheet1 | self.sheet2
        result = (
            action.with_user(self.user_deputy)
            .with_context(active_model="civ.evaluation", active_ids=sheets.ids, active_id=sheets[0].id)
            .run()
        )
        wizard = self.env[result["res_model"]].browse(result["res_id"])
        self.assertEqual((wizard.approve_count, wizard.refused_count), (2, 0))
        # a colleague cannot even open it on sheets they do not read, nor approve those they read
        with self.assertRaises(AccessError):
            action.with_user(self.user_staff2).with_context(
                active_model="civ.evaluation", active_ids=sheets.ids, active_id=sheets[0].id
            ).run()
        wizard = self._open(self.user_staff2, self.sheet2)
        self.assertEqual((wizard.approve_count, wizard.decide_count, wizard.refused_count), (0, 0, 1))
        wizard.action_confirm()
        self.assertEqual(self.sheet2.current_reviewer_user_id, self.user_deputy)
        # another user cannot act on the deputy's wizard
        deputy_wizard = self._open(self.user_deputy, sheets)
        with self.assertRaises(AccessError):
            deputy_wizard.with_user(self.user_head).action_confirm()
