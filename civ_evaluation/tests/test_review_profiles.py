"""The review-quality profiles (issue #23, part 1): a reviewer who passes every sheet unchanged is
flagged, one who re-scores is not; a unit graded B for six locked months in a row is flagged; the
reference distribution is data with its checks; nobody reads their own profile, heads read those of
their units, officers those of the agency."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MAY, level_of
from .cycle_common import CivCycleCase

MORE_STAFF = 8


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports", "civ_access")
class TestReviewProfiles(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.staff | cls.staff2
        for number in range(MORE_STAFF):
            _user, employee = cls._person(
                f"chuyenvien{number}_t", f"Chuyên viên Số {number}", cls.section, "Chuyên viên"
            )
            employee.parent_id = cls.deputy
            cls.team |= employee
        cls.period = cls._open_period(MAY)
        # ten sheets: self 90; the deputy (direct leader) passes all ten unchanged; the head decides,
        # lowering three of them by 6 points on criterion 2.2 (90 -> 84, level B)
        cls.lowered = cls.team[:3]
        for employee in cls.team:
            sheet = cls._sheet(cls.period, employee)
            cls._set_points(sheet, sheet.user_id, "self_points", cls.SELF_90)
            sheet.with_user(sheet.user_id).action_submit()
            sheet.with_user(cls.user_deputy).action_approve()
            if employee in cls.lowered:
                cls._set_points(sheet, cls.user_head, "reviewer_points", {"2.2": 26})
            sheet.with_user(cls.user_head).action_approve()
        cls.period.with_user(cls.user_officer).action_lock()
        cls.Profile = cls.env["civ.reviewer.profile"]

    def _profile(self, user, reader=None):
        Profile = self.Profile.with_user(reader) if reader else self.Profile
        return Profile.search([("reviewer_user_id", "=", user.id), ("period_id", "=", self.period.id)])

    def test_pass_through_reviewer_is_flagged(self):
        deputy = self._profile(self.user_deputy)
        self.assertEqual(len(deputy), 1)
        self.assertEqual((deputy.sheet_count, deputy.unchanged_count), (10, 10))
        self.assertEqual(
            (deputy.unchanged_share, deputy.mean_change, deputy.change_spread), (100.0, 0.0, 0.0)
        )
        self.assertTrue(deputy.flagged)
        # the levels of the sheets the deputy reviewed: 7 A, 3 B (the head's decision)
        self.assertEqual(
            (deputy.share_1, deputy.share_2, deputy.share_3, deputy.share_4), (70.0, 30.0, 0.0, 0.0)
        )

    def test_rescoring_reviewer_is_not_flagged(self):
        head = self._profile(self.user_head)
        self.assertEqual(head.sheet_count, 10)
        self.assertEqual(head.unchanged_count, 7)
        self.assertEqual(head.unchanged_share, 70.0)
        # three sheets lowered by 6 points: mean -1.8, spread sqrt(0.3 * 0.7) * 6 = 2.75
        self.assertEqual((head.mean_change, head.change_spread), (-1.8, 2.75))
        # the reference (national 2018): mean rank 177.8 / 99.8 = 1.782; the head's sheets 1.3;
        # (1.782 - 1.3) / 3 = 16.1% of the scale: more lenient than the reference, under the 25 flag
        self.assertEqual(head.leniency_index, 16.1)
        self.assertFalse(head.flagged)
        reference = self.env.ref("civ_evaluation.reference_distribution_national_2018")
        self.assertEqual(head.reference_id, reference)
        self.assertEqual((head.reference_share_1, head.reference_share_4), (27.7, 0.4))
        # the unit (the section and below) and the agency: the ten sheets are all the evaluated ones
        self.assertEqual((head.unit_share_1, head.unit_share_2), (70.0, 30.0))
        self.assertEqual((head.agency_share_1, head.agency_share_2), (70.0, 30.0))
        # the thresholds are data: a stricter flag catches the head too
        reference.flag_leniency = 15.0
        self.Profile.invalidate_model()  # a view: what the ORM has read of it is not recomputed
        self.assertTrue(self._profile(self.user_head).flagged)

    def test_change_per_criteria_group(self):
        """The head lowered criterion 2.2 on three of ten sheets: its group changed by -6 on those,
        -1.8 on average; the other groups are unchanged. The deputy changed nothing."""
        Group = self.env["civ.reviewer.group.profile"]
        rows = Group.search(
            [("reviewer_user_id", "=", self.user_head.id), ("period_id", "=", self.period.id)]
        )
        group_22 = self.framework.group_ids.criterion_ids.filtered(lambda c: c.code == "2.2").group_id
        changed = rows.filtered(lambda row: row.group_id == group_22)
        self.assertEqual(
            (changed.sheet_count, changed.changed_count, changed.mean_change, changed.change_spread),
            (10, 3, -1.8, 2.75),
        )
        others = rows - changed
        self.assertTrue(others)
        self.assertEqual(set(others.mapped("mean_change")) | set(others.mapped("changed_count")), {0})
        deputy = Group.search([("reviewer_user_id", "=", self.user_deputy.id)])
        self.assertTrue(deputy)
        self.assertEqual(set(deputy.mapped("changed_count")), {0})
        # read as the profiles are: the head reads the deputy's, never their own
        self.assertEqual(Group.with_user(self.user_head).search([]).reviewer_user_id, self.user_deputy)
        self.assertFalse(Group.with_user(self.user_staff).search([]))

    def test_nobody_reads_their_own_profile(self):
        self.assertFalse(self._profile(self.user_deputy, reader=self.user_deputy))
        self.assertFalse(self._profile(self.user_head, reader=self.user_head))
        # colleagues and the people reviewed: nothing
        self.assertFalse(self.Profile.with_user(self.user_staff).search([]))
        self.assertFalse(self.Profile.with_user(self.user_vice).search([]))
        # the head of the unit reads the deputy's; the chairman, head of the unit above, both
        self.assertTrue(self._profile(self.user_deputy, reader=self.user_head))
        self.assertTrue(self._profile(self.user_deputy, reader=self.user_chairman))
        self.assertTrue(self._profile(self.user_head, reader=self.user_chairman))
        # the officer reads the agency's
        self.assertEqual(len(self.Profile.with_user(self.user_officer).search([])), 2)

    def test_reference_distribution_checks(self):
        Reference = self.env["civ.reference.distribution"]
        with self.assertRaises(ValidationError):
            Reference.create({"name": "Sai", "share_1": 50, "share_2": 40, "share_3": 5, "share_4": 0})
        with self.assertRaises(ValidationError):
            Reference.create({"name": "Âm", "share_1": 110, "share_2": -10, "share_3": 0, "share_4": 0})
        # a company's own reference comes before the shared one
        own = Reference.create(
            {
                "name": "Của quận",
                "company_id": self.company.id,
                "share_1": 10,
                "share_2": 70,
                "share_3": 15,
                "share_4": 5,
            }
        )
        self.Profile.invalidate_model()
        self.assertEqual(self._profile(self.user_head).reference_id, own)
        self.assertFalse(self.Profile.with_user(self.user_staff).search([]))


@tagged("post_install", "-at_install", "civ_evaluation", "civ_reports")
class TestUnitProfiles(CivCycleCase):
    def _month(self, month, points, level_codes):
        """The month of the section decided at points and levels (the people in order), then locked."""
        period = self._open_period(date(2026, month, 1))
        people = self.deputy | self.staff | self.staff2
        for employee, score, code in zip(people, points, level_codes, strict=True):
            self._sheet(period, employee).sudo().write(
                {
                    "state": "done",
                    "self_score": score,
                    "final_score": score,
                    "level_id": level_of(self.framework, code).id,
                }
            )
        period.with_user(self.user_officer).action_lock()
        return period

    def test_six_months_of_b_are_flagged(self):
        level_b = level_of(self.framework, "B")
        points = [level_b.min_score, level_b.min_score + 3, level_b.min_score + 6]
        periods = [self._month(month, points, "BBB") for month in range(1, 7)]
        Unit = self.env["civ.unit.profile"]
        rows = Unit.search([("department_id", "=", self.section.id)], order="date_start")
        self.assertEqual(rows.period_id, self.env["civ.period"].concat(*periods))
        self.assertEqual(rows.mapped("months_without_low"), [1, 2, 3, 4, 5, 6])
        self.assertEqual(rows.mapped("flagged"), [False] * 5 + [True])
        self.assertEqual((rows[0].share_2, rows[0].spread, rows[0].uniform), (100.0, 6.0, False))
        # a month with a C starts the count again
        self._month(7, points, "BBC")
        self._month(8, points, "BBB")
        rows = Unit.search([("department_id", "=", self.section.id)], order="date_start")
        self.assertEqual(rows[-2:].mapped("months_without_low"), [0, 1])
        self.assertEqual(rows[-2:].mapped("flagged"), [False, False])
        # everyone within 2 points, with the minimum of sheets lowered to 3: uniform and flagged
        self.env.ref("civ_evaluation.reference_distribution_national_2018").min_sheets = 3
        self._month(9, [level_b.min_score + 1] * 3, "BBB")
        september = Unit.search([("department_id", "=", self.section.id)], order="date_start desc", limit=1)
        self.assertEqual(
            (september.uniform, september.months_without_low, september.flagged), (True, 2, True)
        )
        # the unit's head reads it, the staff do not
        self.assertTrue(Unit.with_user(self.user_head).search([("department_id", "=", self.section.id)]))
        self.assertFalse(Unit.with_user(self.user_staff).search([]))
