from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .annual_common import B, CivAnnualCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualWorkflow(CivAnnualCase):
    """Issue 12, item 5: human resources prepare and submit; the head of the agency decides for the
    staff, the superior level for the head; the decided results are sealed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._locked_year({cls.staff: B, cls.staff2: B, cls.chairman: B})
        results = cls.Result.with_user(cls.user_officer).prepare_results(2025, cls.company)
        cls.results = results.with_user(cls.user_officer)
        cls.result = cls.results.filtered(lambda r: r.employee_id == cls.staff)
        cls.result2 = cls.results.filtered(lambda r: r.employee_id == cls.staff2)
        cls.result_head = cls.results.filtered(lambda r: r.employee_id == cls.chairman)

    def test_officer_submits_but_cannot_decide(self):
        staff = self.result | self.result2
        with self.assertRaises(UserError, msg="a draft is not decided"):
            staff.sudo()._check_workflow_access("decide")
        staff.action_submit()
        self.assertEqual(set(staff.mapped("state")), {"submitted"})
        self.assertEqual(staff.decider_employee_id, self.chairman)
        self.assertEqual(staff.submitted_by_id, self.user_officer)
        with self.assertRaises(AccessError):
            staff.action_decide()
        with self.assertRaises(AccessError):
            self.result.with_user(self.user_staff).action_decide()
        # the officer can no longer change the level once submitted
        with self.assertRaises(UserError):
            self.result.write({"level_id": self.levels["C"].id, "note": "Sửa"})
        self.assertEqual(set(staff.mapped("state")), {"submitted"})
        # the head of the agency reads what awaits their decision, and decides
        head_view = self.Result.with_user(self.user_chairman).search(
            [("decider_user_id", "=", self.user_chairman.id)]
        )
        self.assertEqual(head_view, staff)
        self.assertTrue(self.result.with_user(self.user_chairman).is_decider)
        staff.with_user(self.user_chairman).action_decide()
        self.assertEqual(set(staff.mapped("state")), {"done"})
        self.assertEqual(staff.decided_by_id, self.user_chairman)
        self.assertTrue(all(staff.sudo().mapped("seal_hash")))
        # the employee is told their result
        message = self.result.message_ids.filtered(lambda m: self.user_staff.partner_id in m.partner_ids)
        self.assertIn(self.levels["B"].name, message[0].body)

    def test_head_is_decided_by_the_superior(self):
        self.result_head.action_submit()
        self.assertEqual(self.result_head.decider_employee_id, self.superior)
        with self.assertRaises(AccessError, msg="the head does not decide their own year"):
            self.result_head.with_user(self.user_chairman).action_decide()
        with self.assertRaises(AccessError):
            self.result_head.action_decide()
        self.result_head.with_user(self.user_superior).with_company(self.company).action_decide()
        self.assertEqual(self.result_head.state, "done")
        self.assertEqual(self.result_head.decided_by_id, self.user_superior)

    def test_no_superior_no_submission_of_the_head(self):
        self.company.civ_superior_employee_id = False
        with self.assertRaisesRegex(UserError, "Nobody can decide"):
            self.result_head.action_submit()
        self.assertEqual(self.result_head.state, "draft")
        # the staff's results still go to the head of the agency
        self.result.action_submit()
        self.assertEqual(self.result.decider_employee_id, self.chairman)

    def test_quota_reason_travels_to_the_decider(self):
        self.result.write({"level_id": self.levels["A"].id, "note": "Sáng kiến cấp thành phố"})
        with self.assertRaisesRegex(UserError, "quota"):
            self.result.action_submit()
        self.result.action_submit(quota_reason="Sáng kiến được công nhận")
        self.result.with_user(self.user_chairman).action_decide()
        self.assertEqual(self.result.state, "done")
        self.assertEqual(self.result.quota_reason, "Sáng kiến được công nhận")

    def test_seal_detects_a_change_in_sql(self):
        self._decide(self.results)
        self.assertFalse(self.results._integrity_failures())
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_annual_result SET level_id = %s WHERE id = %s", [self.levels["A"].id, self.result2.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.results._integrity_failures(), self.result2)
        action = self.results.action_verify_integrity()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(self.staff2.name, action["params"]["message"])
        # nothing of that year is reopened (and sealed again) while the seal does not match
        with self.assertRaisesRegex(UserError, "seal"):
            self.result.action_set_draft()
        # put back: the chain matches again
        self.env.cr.execute(
            "UPDATE civ_annual_result SET level_id = %s WHERE id = %s", [self.levels["B"].id, self.result2.id]
        )
        self.env.invalidate_all()
        self.assertFalse(self.results._integrity_failures())

    def test_seal_detects_a_result_taken_out_of_the_decision(self):
        self._decide(self.results)
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_annual_result SET state = 'draft' WHERE id = %s", [self.result.id])
        self.env.invalidate_all()
        self.assertEqual(self.results._integrity_failures(), self.result)

    def test_set_draft_seals_the_rest_again(self):
        self._decide(self.results)
        self.result.action_set_draft()
        self.assertEqual(self.result.state, "draft")
        self.assertFalse(self.result.sudo().seal_hash)
        self.assertFalse(self.results._integrity_failures())
        self.result.write({"level_id": self.levels["A"].id, "note": "Kiến nghị được chấp nhận"})
        self._decide(self.result, quota_reason="Kiến nghị")
        self.assertFalse(self.results._integrity_failures())
        self.assertEqual(self.result.level_id.code, "A")
