"""Grounds for "Không hoàn thành nhiệm vụ" beyond points (Nghị định 335/2025, 48/2023): recorded facts
give the lowest level of the month (and of the year) whatever the points, with the reason shown;
a violation already used before, or the second discipline of one act, does not count again."""

from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .annual_common import YEAR, A, CivAnnualCase
from .cycle_common import CivCycleCase

POINTS_A = {"1.1": 10, "1.2": 10, "2.1": 33, "2.2": 32, "3.1": 5}  # 90


@tagged("post_install", "-at_install", "civ_evaluation", "civ_cycle")
class TestMonthlyGrounds(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.Fact = cls.env["civ.discipline"].with_user(cls.user_officer)
        cls.user_officer.groups_id = [Command.link(cls.env.ref("hr.group_hr_user").id)]

    def _at_decision(self, employee):
        sheet = self._sheet(self.period, employee)
        self._set_points(sheet, sheet.user_id, "self_points", POINTS_A)
        sheet.with_user(sheet.user_id).action_submit()
        while not sheet.current_step_id.is_decision:
            sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        return sheet

    def _decided(self, employee):
        sheet = self._at_decision(employee)
        sheet.with_user(sheet.current_reviewer_user_id).action_approve()
        self.assertEqual(sheet.state, "done")
        return sheet

    def test_reprimand_in_the_month_gives_the_lowest_level(self):
        fact = self.Fact.create(
            {
                "employee_id": self.staff.id,
                "date": date(2026, 5, 12),
                "kind": "reprimand",
                "decision_number": "15/QĐ-UBND",
            }
        )
        self.assertTrue(fact.counted)
        self.assertEqual(fact.recorded_by_id, self.user_officer)
        # a fact of another month, and facts that are not grounds, change nothing
        self.Fact.create(
            [
                {"employee_id": self.staff2.id, "date": date(2026, 6, 1), "kind": "warning"},
                {"employee_id": self.staff2.id, "date": date(2026, 5, 3), "kind": "other"},
                {
                    "employee_id": self.staff2.id,
                    "date": date(2026, 5, 4),
                    "kind": "reprimand",
                    "in_official_duty": False,
                },
            ]
        )
        sheet = self._decided(self.staff)
        self.assertEqual(sheet.final_score, 90.0)
        self.assertEqual(sheet.level_id.code, "D")
        self.assertIn("Không hoàn thành nhiệm vụ whatever the points (90)", sheet.level_reason)
        self.assertIn("15/QĐ-UBND", sheet.level_reason)
        self.assertIn("12/05/2026", sheet.level_reason)
        other = self._decided(self.staff2)
        self.assertEqual(other.level_id.code, "A")
        self.assertFalse(other.level_reason)

    def test_other_grounds(self):
        self.Fact.create(
            [
                {
                    "employee_id": self.staff.id,
                    "ground": "degradation",
                    "date": date(2026, 5, 20),
                    "decision_number": "KL 03-KL/UBKT",
                },
                {
                    "employee_id": self.head.id,
                    "ground": "unit_corruption",
                    "date": date(2026, 5, 28),
                    "decision_number": "KL thanh tra 27/KL-TTr",
                },
            ]
        )
        self.assertEqual(self._decided(self.staff).level_id.code, "D")
        head_sheet = self._decided(self.head)
        self.assertEqual(head_sheet.level_id.code, "D")
        self.assertIn("Corruption or Waste in the Unit Led", head_sheet.level_reason)

    def test_nd48_exceptions(self):
        # the Party discipline of an act counted in April; the administrative discipline of the same
        # act in May counts once: May is not lowered again
        april = self.Fact.create(
            {
                "employee_id": self.staff.id,
                "date": date(2026, 4, 20),
                "kind": "reprimand",
                "system": "party",
                "decision_number": "05-QĐ/UBKT",
            }
        )
        same = self.Fact.create(
            {
                "employee_id": self.staff.id,
                "date": date(2026, 5, 6),
                "kind": "reprimand",
                "system": "administrative",
                "decision_number": "20/QĐ-UBND",
                "same_act_id": april.id,
            }
        )
        self.assertTrue(april.counted)
        self.assertFalse(same.counted)
        # a violation already used to lower a classification before
        used = self.Fact.create(
            {
                "employee_id": self.staff2.id,
                "date": date(2026, 5, 8),
                "kind": "warning",
                "decision_number": "22/QĐ-UBND",
                "already_used": True,
            }
        )
        self.assertFalse(used.counted)
        self.assertEqual(self._decided(self.staff).level_id.code, "A")
        self.assertEqual(self._decided(self.staff2).level_id.code, "A")
        # the same act must be another fact of the same person
        with self.assertRaises(ValidationError):
            used.same_act_id = april

    def test_decided_at_the_lock(self):
        self.Fact.create(
            {
                "employee_id": self.staff.id,
                "date": date(2026, 5, 2),
                "kind": "reprimand",
                "decision_number": "09/QĐ-UBND",
            }
        )
        sheet = self._at_decision(self.staff)
        self.period.with_user(self.user_officer).action_lock()
        self.assertTrue(sheet.decided_at_deadline)
        self.assertEqual((sheet.final_score, sheet.level_id.code), (90.0, "D"))
        self.assertIn("09/QĐ-UBND", sheet.level_reason)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestYearGrounds(CivAnnualCase):
    def test_year_grounds_and_exceptions(self):
        Fact = self.env["civ.discipline"]
        self._year(self.staff, A)
        self._year(self.staff2, A)
        self._year(self.head, A)
        Fact.create(
            {
                "employee_id": self.staff.id,
                "ground": "degradation",
                "date": date(YEAR, 9, 1),
                "decision_number": "KL 07-KL/UBKT",
            }
        )
        # already used to lower the previous year's classification: not counted again
        Fact.create(
            {
                "employee_id": self.staff2.id,
                "date": date(YEAR, 2, 1),
                "kind": "warning",
                "decision_number": "01/QĐ-UBND",
                "already_used": True,
            }
        )
        # Party and administrative discipline of one act: counted once
        party = Fact.create(
            {
                "employee_id": self.head.id,
                "date": date(YEAR, 3, 1),
                "kind": "reprimand",
                "system": "party",
                "decision_number": "11-QĐ/UBKT",
            }
        )
        Fact.create(
            {
                "employee_id": self.head.id,
                "date": date(YEAR, 4, 1),
                "kind": "reprimand",
                "system": "administrative",
                "decision_number": "30/QĐ-UBND",
                "same_act_id": party.id,
            }
        )
        results = self._prepare()
        self.assertEqual(results[self.staff].proposed_level_id, self.levels["D"])
        self.assertIn("KL 07-KL/UBKT", results[self.staff].explanation)
        self.assertEqual(results[self.staff2].proposed_level_id, self.levels["A"])
        self.assertFalse(results[self.staff2].has_discipline)
        head = results[self.head]
        self.assertEqual(head.proposed_level_id, self.levels["D"])
        self.assertIn("11-QĐ/UBKT", head.explanation)
        self.assertNotIn("30/QĐ-UBND", head.explanation)
