from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .annual_common import YEAR, A, B, CivAnnualCase
from .common import OFFICER, district_framework, make_company, make_employees, make_user


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year")
class TestAnnualDecision(CivAnnualCase):
    """Human resources decide the proposals: notes, the year-end quota, freezing, notification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = make_employees(cls.env, cls.company, [f"Chuyên viên {index}" for index in range(13)])

    def _grade(self, scores):
        """Give the first len(scores) people a year at these scores; return their draft results."""
        for person, score in zip(self.people, scores, strict=False):
            self._year(person, score)
        results = self._prepare()
        return self.Result.browse([results[person].id for person in self.people[: len(scores)]])

    def _as_officer(self, records):
        return records.with_user(self.user_officer)

    # ------------------------------------------------------------------ notes
    def test_note_required_when_level_differs(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        with self.assertRaises(ValidationError):
            result.write({"level_id": self.levels["C"].id})
        with self.assertRaises(ValidationError):
            result.write({"level_id": self.levels["C"].id, "note": "   "})
        result.write({"level_id": self.levels["C"].id, "note": "Chưa hoàn thành đề án được giao"})
        self.assertTrue(result.level_differs)
        # the note cannot be removed while the level differs
        with self.assertRaises(ValidationError):
            result.write({"note": False})
        # back to the proposal: no note needed
        result.write({"level_id": self.levels["B"].id, "note": False})
        self.assertFalse(result.level_differs)

    def test_level_of_the_year_end_framework_only(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        other = district_framework(self.env, self.company)
        with self.assertRaises(ValidationError):
            result.write({"level_id": other.level_ids[0].id, "note": "Khung khác"})

    def test_prepared_fields_are_not_writable(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        for vals in (
            {"average_score": 99},
            {"proposed_level_id": self.levels["A"].id},
            {"state": "done"},
            {"months_evaluated": 12},
        ):
            with self.assertRaises(AccessError):
                result.write(vals)

    def test_classified_result_needs_a_level(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        result.write({"level_id": False, "note": "Chờ ý kiến"})
        with self.assertRaises(UserError):
            self._decide(result)

    # ------------------------------------------------------------------ quota
    def test_quota_exceeded_needs_reason(self):
        # 3 A of 7 graded B (that level only, ND 335) at 20%: at most 1
        results = self._as_officer(self._grade([A, A, A] + [B] * 7))
        self.assertEqual([result.proposed_level_id.code for result in results].count("A"), 3)
        [check] = self.env["civ.quota.service"]._annual_status(results)
        self.assertEqual((check["count"], check["basis"], check["allowed"]), (3, 7, 1))
        self.assertTrue(check["exceeded"])
        self.assertEqual(
            check["message"], "UBND quận Thử Nghiệm 2025: 3 A of 7 graded B = 42.9% > 20% (at most 1 allowed)"
        )
        with self.assertRaisesRegex(UserError, "quota"):
            self._decide(results)
        with self.assertRaises(UserError):
            self._decide(results, quota_reason="  ")
        self.assertEqual(set(results.mapped("state")), {"draft"})
        reason = "Đơn vị được Thành phố tặng cờ thi đua xuất sắc"
        self._decide(results, quota_reason=reason)
        self.assertEqual(set(results.mapped("state")), {"done"})
        self.assertEqual(set(results.mapped("quota_reason")), {reason})
        self.assertTrue(any("tặng cờ" in body for body in results[0].message_ids.mapped("body")))

    def test_quota_within(self):
        # 10 B allow 2 A
        results = self._as_officer(self._grade([A, A] + [B] * 10))
        self._decide(results)
        self.assertEqual(set(results.mapped("state")), {"done"})
        self.assertFalse(any(results.mapped("quota_reason")))

    def test_quota_counts_results_already_decided(self):
        results = self._as_officer(self._grade([A, A] + [B] * 10))
        self._decide(results)
        self._year(self.people[12], A)
        late = self._as_officer(self._prepare()[self.people[12]])
        # 3 A of 10 B: at most 2
        with self.assertRaises(UserError):
            self._decide(late)
        self._decide(late, quota_reason="Thành tích đột xuất")
        self.assertEqual(late.state, "done")

    def test_lower_levels_never_need_a_reason(self):
        results = self._as_officer(self._grade([A, A, A] + [B] * 7))
        self._decide(results[:3], quota_reason="Đơn vị xuất sắc")
        # deciding B results does not add to the excess
        self._decide(results[3:])
        self.assertEqual(set(results.mapped("state")), {"done"})

    def test_quota_setting(self):
        results = self._as_officer(self._grade([A, A, A] + [B] * 7))
        self.company.civ_annual_quota_percent = 45.0  # 3 A of 7 B: floor(3.15) = 3
        self.assertFalse(self.env["civ.quota.service"]._annual_status(results)[0]["exceeded"])
        self.company.civ_annual_quota_percent = 0.0
        self.assertFalse(self.env["civ.quota.service"]._annual_status(results))
        self._decide(results)
        self.assertEqual(set(results.mapped("state")), {"done"})

    def test_framework_quota_and_outstanding_year(self):
        # the year-end framework's own quota (Hà Nội 3814: A <= 30% of those evaluated, 40% for an
        # outstanding unit) replaces the company percentage
        framework = self.framework.copy({"name": "Khung cuối năm"})
        level_a = framework.level_ids.filtered(lambda lv: lv.code == "A")
        framework.write(
            {
                "quota_ids": [
                    Command.create(
                        {
                            "level_id": level_a.id,
                            "basis": "evaluated",
                            "max_percent": 30.0,
                            "exceptional_max_percent": 40.0,
                            "scope": "company",
                        }
                    )
                ]
            }
        )
        framework.action_validate()
        self.company.civ_annual_framework_id = framework
        results = self._as_officer(self._grade([A] * 4 + [B] * 6))
        [check] = self.env["civ.quota.service"]._annual_status(results)
        self.assertEqual(
            check["message"], f"{self.company.name} 2025: 4 A of 10 evaluated = 40% > 30% (at most 3 allowed)"
        )
        self.assertTrue(check["exceeded"])
        with self.assertRaises(UserError):
            self._decide(results)
        # the agency recognised as outstanding for the year: 40% applies
        Outstanding = self.env["civ.annual.outstanding"].with_user(self.user_officer)
        with self.assertRaises(ValidationError):
            Outstanding.create({"company_id": self.company.id, "year": YEAR, "reason": " "})
        Outstanding.create(
            {
                "company_id": self.company.id,
                "year": YEAR,
                "reason": "Thành ủy công nhận hoàn thành xuất sắc nhiệm vụ",
            }
        )
        [check] = self.env["civ.quota.service"]._annual_status(results)
        self.assertEqual(
            check["message"], f"{self.company.name} 2025: 4 A of 10 evaluated = 40% ≤ 40% (at most 4 allowed)"
        )
        self.assertFalse(check["exceeded"])
        self._decide(results)
        self.assertEqual(set(results.mapped("state")), {"done"})

    def test_confirm_wizard(self):
        results = self._as_officer(self._grade([A, A, A] + [B] * 7))
        action = results.action_submit_wizard()
        wizard = (
            self.env["civ.annual.confirm.wizard"]
            .with_user(self.user_officer)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.result_ids, results)
        self.assertTrue(wizard.quota_exceeded)
        self.assertIn("3", wizard.quota_message)
        with self.assertRaises(UserError):
            wizard.action_submit()
        wizard.quota_reason = "Đơn vị xuất sắc"
        wizard.action_submit()
        self.assertEqual(set(results.mapped("state")), {"submitted"})
        self.assertEqual(set(results.mapped("quota_reason")), {"Đơn vị xuất sắc"})
        results.with_user(self.user_chairman).action_decide()
        self.assertEqual(set(results.mapped("state")), {"done"})

    # ------------------------------------------------------------------ decided results
    def test_decided_result_is_frozen_until_set_to_draft(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        self._decide(result)
        self.assertEqual(result.decided_by_id, self.user_chairman)
        self.assertTrue(result.date_done)
        with self.assertRaises(UserError):
            result.write({"level_id": self.levels["C"].id, "note": "Sửa"})
        with self.assertRaises(UserError):
            result.unlink()
        with self.assertRaises(AccessError):
            result.with_user(self.user_staff).action_set_draft()
        result.action_set_draft()
        self.assertEqual(result.state, "draft")
        result.write({"level_id": self.levels["C"].id, "note": "Sửa sau kiểm tra"})

    def test_employee_notified(self):
        self._year(self.staff, B)
        result = self._as_officer(self._prepare()[self.staff])
        self._decide(result)
        message = result.message_ids.filtered(lambda m: self.user_staff.partner_id in m.partner_ids)
        self.assertTrue(message)
        self.assertIn(self.levels["B"].name, message[0].body)

    def test_not_classified_can_be_decided(self):
        self._year(self.staff, B, months=range(1, 4))
        result = self._as_officer(self._prepare()[self.staff])
        self.assertTrue(result.not_classified)
        self._decide(result)
        self.assertEqual(result.state, "done")
        self.assertFalse(result.level_id)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_year", "civ_access")
class TestAnnualAccess(CivAnnualCase):
    """Employees read their own decided results only; officers their companies'; requests for review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._locked_year({cls.staff: B, cls.staff2: B})
        cls.results = cls.Result.with_user(cls.user_officer).prepare_results(YEAR, cls.company)
        cls.result = cls.results.filtered(lambda r: r.employee_id == cls.staff)
        cls.result2 = cls.results.filtered(lambda r: r.employee_id == cls.staff2)
        cls.other_company = make_company(cls.env, "UBND huyện Khác")
        cls.officer_other = make_user(
            cls.env, "canbo_khac_t", cls.other_company, OFFICER, name="Officer Khác"
        )

    def _visible(self, user):
        return self.Result.with_user(user).search([("year", "=", YEAR)])

    def test_employee_sees_own_done_result_only(self):
        self.assertFalse(self._visible(self.user_staff), "a draft is not shown to the employee")
        with self.assertRaises(AccessError):
            self.result.with_user(self.user_staff).read(["level_id"])
        self._decide(self.results.with_user(self.user_officer))
        self.assertEqual(self._visible(self.user_staff), self.result)
        self.assertEqual(self.result.with_user(self.user_staff).level_id, self.levels["B"])
        # another employee cannot read it
        self.assertEqual(self._visible(self.user_staff2), self.result2)
        with self.assertRaises(AccessError):
            self.result.with_user(self.user_staff2).read(["level_id"])
        # reviewers of the month (the deputy) do not see it either: only their own
        self.assertEqual(self._visible(self.user_deputy).employee_id, self.deputy)
        # nobody but officers writes
        with self.assertRaises(AccessError):
            self.result.with_user(self.user_staff).write({"note": "Tự sửa"})
        with self.assertRaises(AccessError):
            self.result2.with_user(self.user_staff).action_submit()

    def test_officers_see_their_companies_only(self):
        self.assertEqual(self._visible(self.user_officer), self.results)
        self.assertFalse(self._visible(self.officer_other))
        with self.assertRaises(AccessError):
            self.result.with_user(self.officer_other).read(["level_id"])
        with self.assertRaises(AccessError):
            self.results.with_user(self.officer_other).action_submit()

    def test_request_for_review(self):
        Appeal = self.env["civ.annual.appeal"]
        # not before the result is decided
        with self.assertRaises(UserError):
            Appeal.with_user(self.user_staff).create({"result_id": self.result.id, "reason": "Xin xem lại"})
        self._decide(self.results.with_user(self.user_officer))
        self.assertTrue(self.result.with_user(self.user_staff).action_request_review())
        appeal = Appeal.with_user(self.user_staff).create(
            {"result_id": self.result.id, "reason": "Tôi có sáng kiến được công nhận tháng 6"}
        )
        self.assertEqual(appeal.state, "open")
        self.assertEqual(appeal.user_id, self.user_staff)
        # not on someone else's result, not twice, no decision fields
        with self.assertRaises(AccessError):
            Appeal.with_user(self.user_staff2).create({"result_id": self.result.id, "reason": "Hộ"})
        with self.assertRaises(ValidationError):
            Appeal.with_user(self.user_staff).create({"result_id": self.result.id, "reason": "Lần hai"})
        with self.assertRaises(AccessError):
            Appeal.with_user(self.user_staff2).create(
                {"result_id": self.result2.id, "reason": "Tự duyệt", "state": "accepted"}
            )
        # the employee sees their own request, not others'
        self.assertEqual(Appeal.with_user(self.user_staff).search([]), appeal)
        self.assertFalse(Appeal.with_user(self.user_staff2).search([]))
        # the level that classified decides, with a note; never human resources alone
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_staff).action_accept("Tự chấp nhận")
        with self.assertRaises(AccessError):
            appeal.with_user(self.user_officer).action_reject("Giữ nguyên")
        self.assertEqual(appeal.decider_user_id, self.user_chairman)
        with self.assertRaises(UserError):
            appeal.with_user(self.user_chairman).action_reject()
        appeal.with_user(self.user_chairman).action_reject("Sáng kiến đã được tính ở tháng 6")
        self.assertEqual(appeal.state, "rejected")
        self.assertEqual(self.result.state, "done")
        with self.assertRaises(UserError):
            appeal.with_user(self.user_chairman).write({"decision_note": "Sửa"})

    def test_accepted_request_sets_result_back_to_draft(self):
        self._decide(self.results.with_user(self.user_officer))
        appeal = (
            self.env["civ.annual.appeal"]
            .with_user(self.user_staff)
            .create({"result_id": self.result.id, "reason": "Điểm tháng 3 bị tính sai"})
        )
        appeal.with_user(self.user_chairman).write({"decision_note": "Đúng, tính lại"})
        appeal.with_user(self.user_chairman).action_accept()
        self.assertEqual(appeal.state, "accepted")
        self.assertEqual(appeal.decided_by_id, self.user_chairman)
        self.assertEqual(self.result.state, "draft")
        self.result.with_user(self.user_officer).write({"level_id": self.levels["A"].id, "note": "Kiến nghị"})
        # 1 A of 2 graded B or above is over 20%: the reason is required here too
        self._decide(self.result.with_user(self.user_officer), quota_reason="Kết quả kiến nghị")
        self.assertEqual(self.result.with_user(self.user_staff).level_id, self.levels["A"])

    def _read_views(self, model, user, views, domain=None):
        """Load the views and read every field they show, like the web client."""
        Model = self.env[model].with_user(user).with_company(self.company)
        loaded = Model.get_views(views)
        spec = {
            name: ({"fields": {"display_name": {}}} if Model._fields[name].relational else {})
            for name in loaded["models"][model]["fields"]
        }
        return Model.web_search_read(domain or [], spec)

    def test_views_load_for_each_role(self):
        self._decide(self.results.with_user(self.user_officer))
        my_list = self.env.ref("civ_evaluation.civ_annual_result_view_list_my").id
        mine = self._read_views(
            "civ.annual.result", self.user_staff, [(my_list, "list"), (False, "form"), (False, "search")]
        )
        self.assertEqual(mine["length"], 1)
        every = self._read_views(
            "civ.annual.result",
            self.user_officer,
            [(False, "list"), (False, "form"), (False, "search"), (False, "pivot")],
        )
        self.assertEqual(every["length"], len(self.results))
        self.env["civ.annual.appeal"].with_user(self.user_staff).create(
            {"result_id": self.result.id, "reason": "Xin xem lại"}
        )
        for user in (self.user_staff, self.user_officer):
            appeals = self._read_views("civ.annual.appeal", user, [(False, "list"), (False, "form")])
            self.assertEqual(appeals["length"], 1)
        for model in ("civ.absence", "civ.discipline"):
            self._read_views(model, self.user_officer, [(False, "list"), (False, "search")])
        # the employee form with its absences and disciplinary actions, for HR officers of Odoo
        user_hr = make_user(self.env, "nhansu_t", self.company, "base.group_user,hr.group_hr_user")
        employee_form = self.env["hr.employee"].with_user(user_hr).get_views([(False, "form")])
        arch = employee_form["views"]["form"]["arch"]
        self.assertIn("civ_absence_ids", arch)
        self.assertIn("civ_discipline_ids", arch)
        # the wizards
        for wizard in ("civ.annual.prepare.wizard", "civ.annual.confirm.wizard"):
            self.env[wizard].with_user(self.user_officer).get_views([(False, "form")])
