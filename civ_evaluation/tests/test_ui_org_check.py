"""Browser tour: the organisation check opened from the menu has already run (Chromium headless;
skipped by Odoo's HttpCase where no Chromium is installed)."""

from odoo.tests import HttpCase, tagged

from .cycle_common import CivCycleCase


@tagged("post_install", "-at_install", "civ_evaluation")
class TestUiOrgCheck(HttpCase, CivCycleCase):
    def test_org_check_menu_tour(self):
        # the test district's only problem: nobody is set to decide the chairman's grade
        self.start_tour("/web", "civ_officer_org_check", login="canbotccb_t")
        wizard = self.env["civ.org.check.wizard"].search([("create_uid", "=", self.user_officer.id)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(wizard.problem_count, 1)
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.kind != "out_of_scope").employee_id, self.chairman
        )
