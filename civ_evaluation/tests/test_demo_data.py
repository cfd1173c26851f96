from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "civ_evaluation", "civ_demo")
class TestDemoData(TransactionCase):
    """The demo district (demo/civ_demo_district.xml) is consistent; skipped without demo data."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("civ_evaluation.emp_chu_tich", raise_if_not_found=False):
            self.skipTest("civ_evaluation demo data not loaded")
        self.district = self.env.ref("civ_evaluation.company_long_bien")
        self.leadership = self.env.ref("civ_evaluation.dep_thuong_truc")
        self.sections = self.env["hr.department"].search([("parent_id", "=", self.leadership.id)])
        self.employees = self.env["hr.employee"].search([("department_id", "child_of", self.leadership.id)])

    def _employee_of(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(len(user), 1, f"demo user {login} is missing")
        employee = self.env["hr.employee"].search([("user_id", "=", user.id)])
        self.assertEqual(len(employee), 1, f"demo user {login} has no employee")
        return employee

    def test_structure(self):
        self.assertTrue(self.leadership.civ_is_leadership)
        self.assertEqual(len(self.sections), 13)
        self.assertFalse(any(self.sections.mapped("civ_is_leadership")))
        self.assertTrue(110 <= len(self.employees) <= 130, len(self.employees))
        chairman = self.env.ref("civ_evaluation.emp_chu_tich")
        self.assertEqual(self.leadership.manager_id, chairman)
        vices = self.leadership.civ_deputy_ids
        self.assertEqual(len(vices), 3)
        self.assertTrue(all(v.parent_id == chairman for v in vices))
        # the public service unit of public employees is small: its director has no deputy
        small_unit = self.env.ref("civ_evaluation.dep_trung_tam_vh")
        for section in self.sections:
            head, deputies = section.manager_id, section.civ_deputy_ids
            self.assertTrue(head, section.name)
            self.assertIn(len(deputies), (0,) if section == small_unit else (1, 2), section.name)
            self.assertEqual(head.department_id, section)
            self.assertIn(head.parent_id, vices, section.name)
            self.assertTrue(all(d.department_id == section for d in deputies), section.name)
            self.assertTrue(all(d.parent_id == head for d in deputies), section.name)
            staff = section.member_ids - head - deputies
            self.assertTrue(staff, section.name)
            self.assertFalse(staff.parent_id - head - deputies, section.name)
        # the sections are spread over the three vice-chairmen
        self.assertEqual(self.sections.manager_id.parent_id, vices)

    def test_everyone_but_the_chairman_has_a_manager(self):
        chairman = self.env.ref("civ_evaluation.emp_chu_tich")
        self.assertFalse(chairman.parent_id)
        without_manager = self.employees.filtered(lambda e: not e.parent_id)
        self.assertEqual(without_manager, chairman)

    def test_people(self):
        self.assertTrue(all(self.employees.mapped("job_title")))
        self.assertTrue(all(self.employees.mapped("work_email")))
        self.assertEqual(set(self.employees.mapped("gender")), {"male", "female"})
        categories = self.employees.mapped("civ_category")
        self.assertGreater(categories.count("cong_chuc"), len(categories) / 2)
        self.assertIn("vien_chuc", categories)
        self.assertIn("hop_dong", categories)
        self.assertIn(len(self.employees.filtered(lambda e: not e.civ_evaluated)), (1, 2, 3))

    def test_named_users_and_positions(self):
        expected = {
            "chutich": "agency_head",
            "phochutich": "deputy_agency_head",
            "truongphong": "unit_head",
            "photruongphong": "deputy_unit_head",
            "nhanvien": "staff",
            "canbotccb": "staff",
        }
        employees = {login: self._employee_of(login) for login in expected}
        for login, position in expected.items():
            self.assertEqual(employees[login].civ_position, position, login)
        self.assertEqual(employees["chutich"], self.env.ref("civ_evaluation.emp_chu_tich"))
        tu_phap = self.env.ref("civ_evaluation.dep_tu_phap")
        self.assertEqual(employees["truongphong"].department_id, tu_phap)
        self.assertEqual(employees["photruongphong"].department_id, tu_phap)
        self.assertEqual(employees["nhanvien"].department_id, tu_phap)
        # the full chain of the staff member, up to the chairman
        self.assertEqual(employees["nhanvien"].parent_id, employees["photruongphong"])
        self.assertEqual(employees["photruongphong"].parent_id, employees["truongphong"])
        self.assertEqual(employees["truongphong"].parent_id, employees["phochutich"])
        self.assertEqual(employees["phochutich"].parent_id, employees["chutich"])
        self.assertEqual(employees["canbotccb"].department_id, self.env.ref("civ_evaluation.dep_noi_vu"))
        officer = employees["canbotccb"].user_id
        self.assertTrue(officer.has_group("civ_evaluation.group_civ_officer"))
        for login in ("chutich", "phochutich", "truongphong", "photruongphong", "nhanvien"):
            user = employees[login].user_id
            self.assertTrue(user.has_group("civ_evaluation.group_civ_user"), login)
            self.assertFalse(user.has_group("civ_evaluation.group_civ_officer"), login)

    def _leaders(self):
        """The chairman, the vice-chairmen, the unit heads and their deputies."""
        return (
            self.leadership.manager_id
            | self.leadership.civ_deputy_ids
            | self.sections.manager_id
            | (self.sections.civ_deputy_ids)
        )

    def test_district_is_its_own_company(self):
        """Odoo's English HR demo (main company) stays out of the district's sheets, exports and quotas."""
        self.assertNotEqual(self.district, self.env.ref("base.main_company"))
        self.assertEqual(self.district.partner_id.lang, "vi_VN")
        self.assertEqual(self.employees.company_id, self.district)
        self.assertEqual((self.leadership | self.sections).company_id, self.district)
        # the district has no one else: its people are all in its units
        everyone = (
            self.env["hr.employee"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.district.id)])
        )
        self.assertEqual(everyone, self.employees)
        sheets = self.env["civ.evaluation"].search([("company_id", "=", self.district.id)])
        self.assertTrue(sheets)
        self.assertFalse(sheets.employee_id - self.employees, "a district sheet of an outsider")
        self.assertEqual(sheets.period_id.company_id, self.district)
        periods = self.env["civ.period"].search([("company_id", "=", self.district.id)])
        self.assertEqual(len(periods), 3)
        for xmlid in ("demo_period_locked", "demo_period_decided", "demo_period_current"):
            self.assertIn(self.env.ref(f"civ_evaluation.{xmlid}"), periods)
        # the demo users work in the district
        users = self.employees.user_id
        self.assertEqual(users.company_id, self.district)
        self.assertTrue(all(self.district in user.company_ids for user in users))

    def test_several_regimes_in_one_month(self):
        """Civil servants under Decree 335, cadres under Regulation 366, the public employees of the
        service unit under the Law on Public Employees 2025 (Hà Nội 3814) and contract staff under the
        agency's regulation, in the same month of the district."""
        period = self.env.ref("civ_evaluation.demo_period_current")
        regimes = {sheet.employee_id.civ_category: sheet.regime for sheet in period.sudo().evaluation_ids}
        self.assertEqual(
            regimes,
            {
                "cong_chuc": "nd335",
                "can_bo": "party366",
                "vien_chuc": "luat_vien_chuc_2025",
                "hop_dong": "agency",
            },
        )
        frameworks = period.sudo().evaluation_ids.grouped(lambda sheet: sheet.employee_id.civ_category)
        hanoi = self.env.ref("civ_evaluation.framework_hanoi_3814")
        nd335 = self.env.ref("civ_evaluation.framework_nd335")
        self.assertEqual(frameworks["vien_chuc"].framework_id, hanoi)
        self.assertEqual(frameworks["hop_dong"].framework_id, hanoi)
        self.assertEqual(frameworks["cong_chuc"].framework_id, nd335)
        # the civil servants report their products (Decree 335, art. 14)
        self.assertTrue(
            all(frameworks["cong_chuc"].filtered(lambda s: s.state != "draft").mapped("product_ids"))
        )

    def test_every_leader_has_a_user(self):
        """Every leader can log in with password = login; everyone else has a user too, but one person
        (on purpose, for the organisation check)."""
        leaders = self._leaders()
        self.assertEqual(len(leaders), 1 + 3 + 13 + 21)
        self.assertFalse(leaders.filtered(lambda leader: not leader.user_id), "a leader has no user")
        users = self.employees.user_id
        self.assertEqual(len(users), len(self.employees) - 1)
        self.assertEqual(
            self.employees.filtered(lambda employee: not employee.user_id),
            self.env.ref("civ_evaluation.emp_van_phong_staff_12"),
        )
        self.assertTrue(all(users.mapped("active")))
        self.assertEqual(set(users.mapped("lang")), {"vi_VN"})
        Users = self.env["res.users"]
        crypt = Users._crypt_context()
        for user in leaders.user_id:
            self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
            self.assertTrue(crypt.verify(user.login, self.env.cr.fetchone()[0]), user.login)

    def test_organisation_check_shows_only_the_intended_problems(self):
        """The organisation check of the district: one problem on purpose (a new hire without a user),
        and the two people out of the monthly evaluation (information, not problems)."""
        wizard = self.env["civ.org.check.wizard"].create({"company_id": self.district.id})
        problems = wizard.line_ids.filtered(lambda line: line.kind != "out_of_scope")
        self.assertEqual(wizard.problem_count, 1, problems.mapped("message"))
        self.assertEqual(problems.kind, "no_user")
        self.assertEqual(problems.employee_id, self.env.ref("civ_evaluation.emp_van_phong_staff_12"))
        out_of_scope = wizard.line_ids - problems
        self.assertEqual(len(out_of_scope), 2)
        self.assertFalse(out_of_scope.employee_id.filtered("civ_evaluated"))

    def test_no_chain_problem_in_the_current_month(self):
        period = self.env.ref("civ_evaluation.demo_period_current")
        sheets = period.evaluation_ids
        self.assertEqual(len(sheets), len(self.employees.filtered("civ_evaluated")))
        self.assertFalse(sheets.filtered("chain_problem").employee_id.mapped("name"))
        self.assertFalse(self.env["civ.review.policy"]._chain_problems(sheets.employee_id))
        # nothing escalated to the chairman: each sheet's first reviewer is its direct leader
        for sheet in sheets.filtered(lambda sheet: sheet.employee_id.civ_position == "staff"):
            first = sheet.step_ids.sorted("sequence")[:1]
            leader = sheet.employee_id.parent_id
            self.assertEqual(first.reviewer_user_id, leader.user_id, sheet.employee_id.name)

    def test_chairman_is_reviewed_by_the_superior_of_the_company(self):
        chairman = self.env.ref("civ_evaluation.emp_chu_tich")
        superior = self.district.civ_superior_employee_id
        self.assertEqual(superior, self.env.ref("civ_evaluation.emp_pho_chu_tich_thanh_pho"))
        self.assertNotEqual(superior.company_id, self.district)
        self.assertFalse(superior.civ_evaluated)
        self.assertIn(self.district, superior.user_id.company_ids)
        for xmlid in ("demo_period_locked", "demo_period_decided", "demo_period_current"):
            period = self.env.ref(f"civ_evaluation.{xmlid}")
            sheet = period.evaluation_ids.filtered(lambda sheet: sheet.employee_id == chairman)
            self.assertEqual(len(sheet), 1, xmlid)
            self.assertFalse(sheet.chain_problem, xmlid)
            self.assertEqual(sheet.step_ids.reviewer_user_id, superior.user_id, xmlid)
        decided = self.env.ref("civ_evaluation.demo_period_decided").evaluation_ids.filtered(
            lambda sheet: sheet.employee_id == chairman
        )
        self.assertEqual(decided.state, "done")
        # decided by the superior themself (the demo plays each level as its reviewer)
        self.assertEqual(decided.step_ids.write_uid, superior.user_id)

    def test_voices_of_the_month(self):
        """The demo shows each voice beyond the chain this month: colleagues' feedback answered in Phòng
        Tư pháp and its collective's opinions, the leadership collective voting on the head of Phòng Kinh
        tế, the one-stop desk's citizens' answers."""
        period = self.env.ref("civ_evaluation.demo_period_current")
        requests = self.env["civ.feedback.request"].search([("period_id", "=", period.id)])
        self.assertEqual(requests.evaluation_id.department_id, self.env.ref("civ_evaluation.dep_tu_phap"))
        self.assertEqual(requests.filtered(lambda r: r.state == "answered").mapped("score"), [100.0, 75.0])
        meeting = self.env["civ.collective.meeting"].search([("period_id", "=", period.id)])
        self.assertEqual(meeting.state, "recorded")
        self.assertTrue(meeting.opinion_ids.evaluation_id.mapped("collective_opinion"))
        head = self.env.ref("civ_evaluation.dep_kinh_te").manager_id
        sheet = self.env["civ.evaluation"].search(
            [("period_id", "=", period.id), ("employee_id", "=", head.id)]
        )
        self.assertEqual(sheet.current_step_id.collective_method, "majority")
        self.assertEqual(sorted(sheet.vote_ids.mapped("state")), ["pending", "pending", "voted", "voted"])
        channel = self.env["civ.satisfaction.channel"].search([("company_id", "=", self.district.id)])
        self.assertEqual(channel.answer_count, 12)
