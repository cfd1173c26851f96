from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "civ_evaluation_project", "civ_project", "civ_demo")
class TestDemoProject(TransactionCase):
    """The bridge's demo: a public service unit on Nghị định 335 whose opening of the month loaded the
    tasks of Project; skipped without demo data."""

    def test_opening_loaded_the_tasks(self):
        period = self.env.ref("civ_evaluation_project.demo_qdd_period_current", raise_if_not_found=False)
        if not period:
            self.skipTest("civ_evaluation_project demo data not loaded")
        company = self.env.ref("civ_evaluation_project.company_qdd")
        self.assertEqual(period.framework_id, self.env.ref("civ_evaluation.framework_nd335"))
        self.assertEqual(period.state, "open")
        sheets = period.evaluation_ids
        self.assertEqual(len(sheets), 5)
        self.assertFalse(sheets.filtered("chain_problem").employee_id.mapped("name"))
        employee = self.env.ref("civ_evaluation_project.emp_qdd_vien_chuc")
        sheet = sheets.filtered(lambda s: s.employee_id == employee)
        self.assertEqual(len(sheet.product_ids), 5)
        self.assertEqual(set(sheet.product_ids.mapped("source")), {"project"})
        # 4 of 5 done (one late, coefficient 2), the report still open
        self.assertEqual(sum(sheet.product_ids.mapped("qty_done")), 4)
        self.assertEqual(sum(sheet.product_ids.mapped("qty_on_time")), 3)
        self.assertGreater(sheet.self_score, 0)
        # the shared task is on both people's sheets
        task = self.env.ref("civ_evaluation_project.task_t_hop_dan")
        lines = self.env["civ.evaluation.product"].search([("task_id", "=", task.id)])
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.evaluation_id.company_id, company)
