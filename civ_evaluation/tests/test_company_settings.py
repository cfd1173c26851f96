from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestCompanySettings(TransactionCase):
    def test_period_dates_from_settings(self):
        company = self.env.company
        company.write({"civ_self_day": 2, "civ_review_day": 4, "civ_decision_day": 5, "civ_lock_day": 8})
        dates = company._civ_period_dates(date(2026, 2, 14))
        self.assertEqual(dates["date_start"], date(2026, 2, 1))
        self.assertEqual(dates["date_end"], date(2026, 2, 28))
        self.assertEqual(dates["self_deadline"], date(2026, 3, 2))
        self.assertEqual(dates["review_deadline"], date(2026, 3, 4))
        self.assertEqual(dates["decision_deadline"], date(2026, 3, 5))
        self.assertEqual(dates["lock_date"], date(2026, 3, 8))
        # December rolls over into January of the next year
        self.assertEqual(company._civ_period_dates(date(2026, 12, 31))["lock_date"], date(2027, 1, 8))

    def test_days_validated(self):
        with self.assertRaises(ValidationError):
            self.env.company.civ_lock_day = 31
        with self.assertRaises(ValidationError):
            self.env.company.write({"civ_self_day": 6, "civ_review_day": 4})

    def test_settings_form_saves_on_company(self):
        form = Form(self.env["res.config.settings"])
        form.civ_open_day = 25
        form.civ_undecided_at_lock = "self"
        form.save().execute()
        self.assertEqual(self.env.company.civ_open_day, 25)
        self.assertEqual(self.env.company.civ_undecided_at_lock, "self")
