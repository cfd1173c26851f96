from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase

from .common import dept, make_company, make_organisation, make_person, make_user, person

# A district of four units: the leadership (the chairman, three vice-chairmen), Nội vụ (its head, a
# deputy, a staff member led by the deputy and one led by the head), Tư pháp (its deputy has no user)
# and Y tế (no head, a deputy).
CHAIN_DISTRICT = {
    "departments": {
        "leadership": dept(
            "Thường trực UBND", leadership=True, head="chairman", deputies=["vice1", "vice2", "vice3"]
        ),
        "section1": dept("Phòng Nội vụ", parent="leadership", head="head1", deputies=["deputy1"]),
        "section2": dept("Phòng Tư pháp", parent="leadership", head="head2", deputies=["deputy2"]),
        "section3": dept("Phòng Y tế (khuyết trưởng phòng)", parent="leadership", deputies=["deputy3"]),
    },
    "people": {
        "chairman": person("Chủ tịch", "leadership", login="civ_chain_chairman"),
        "vice1": person("Phó Chủ tịch 1", "leadership", login="civ_chain_vice1", manager="chairman"),
        "vice2": person("Phó Chủ tịch 2", "leadership", login="civ_chain_vice2", manager="chairman"),
        "vice3": person("Phó Chủ tịch 3", "leadership", login="civ_chain_vice3", manager="chairman"),
        "head1": person("Trưởng phòng Nội vụ", "section1", login="civ_chain_head1", manager="vice1"),
        "deputy1": person("Phó trưởng phòng Nội vụ", "section1", login="civ_chain_deputy1", manager="head1"),
        "staff1a": person("Chuyên viên Nội vụ A", "section1", login="civ_chain_staff1a", manager="deputy1"),
        "staff1b": person("Chuyên viên Nội vụ B", "section1", login="civ_chain_staff1b", manager="head1"),
        "head2": person("Trưởng phòng Tư pháp", "section2", login="civ_chain_head2", manager="vice2"),
        "deputy2": person("Phó trưởng phòng Tư pháp", "section2", manager="head2"),
        "staff2a": person("Chuyên viên Tư pháp A", "section2", login="civ_chain_staff2a", manager="deputy2"),
        "deputy3": person("Phó trưởng phòng Y tế", "section3", login="civ_chain_deputy3", manager="vice3"),
        "staff3a": person("Chuyên viên Y tế A", "section3", login="civ_chain_staff3a", manager="deputy3"),
    },
}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_org")
class TestReviewChain(TransactionCase):
    """Review chain templates and their resolution along the organisation chart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["civ.review.policy"]
        cls.Employee = cls.env["hr.employee"].with_context(tracking_disable=True)
        # a company of its own: only the shared (shipped) policies apply to it
        cls.company = make_company(cls.env, "UBND huyện Thử Nghiệm")
        cls.other_company = make_company(cls.env, "UBND thành phố Thử Nghiệm")
        org = make_organisation(cls.env, cls.company, CHAIN_DISTRICT)
        cls.leadership = org.departments["leadership"]
        cls.section1, cls.section2, cls.section3 = (org.departments[f"section{n}"] for n in (1, 2, 3))
        # cls.chairman, cls.vice1, ... cls.staff3a: the people of CHAIN_DISTRICT, by their keys
        for key, employee in org.employees.items():
            setattr(cls, key, employee)
        _user, cls.superior = make_person(
            cls.env, cls.other_company, "Chủ tịch UBND thành phố", "civ_chain_superior"
        )

    def _chain(self, employee):
        return self.Policy._resolve_chains(employee)[employee.id]

    def _reviewers(self, employee):
        return [step["reviewer_employee_id"] for step in self._chain(employee)]

    def _policy(self, applies_to, steps, company=None):
        return self.Policy.create(
            {
                "name": f"Test {applies_to}",
                "company_id": (company or self.company).id,
                "applies_to": applies_to,
                "step_ids": [
                    Command.create(dict({"name": f"Step {i}"}, **vals)) for i, vals in enumerate(steps)
                ],
            }
        )

    # ------------------------------------------------------------------ shipped data

    def test_shipped_default_chains(self):
        shared = self.Policy.search([("company_id", "=", False)])
        self.assertEqual(
            sorted(shared.mapped("applies_to")),
            sorted(["staff", "deputy_unit_head", "unit_head", "deputy_agency_head", "agency_head"]),
        )
        expected = {
            "staff": [("direct_leader", False), ("unit_head", True)],
            "deputy_unit_head": [("unit_head", True)],
            "unit_head": [("direct_leader", False), ("agency_head", True)],
            "deputy_agency_head": [("agency_head", True)],
            "agency_head": [("employee", True)],
        }
        for policy in shared:
            steps = policy.step_ids.sorted("sequence")
            self.assertEqual([(s.reviewer_rule, s.is_decision) for s in steps], expected[policy.applies_to])
            self.assertTrue(steps[0].can_rescore)
            self.assertTrue(all(steps.mapped("name")))

    # ------------------------------------------------------------------ the five positions

    def test_positions_of_the_org(self):
        self.assertEqual(self.chairman.civ_position, "agency_head")
        self.assertEqual(self.vice1.civ_position, "deputy_agency_head")
        self.assertEqual(self.head1.civ_position, "unit_head")
        self.assertEqual(self.deputy1.civ_position, "deputy_unit_head")
        self.assertEqual(self.staff1a.civ_position, "staff")

    def test_chain_staff(self):
        chain = self._chain(self.staff1a)
        staff_policy = self.env.ref("civ_evaluation.review_policy_staff")
        leader_step, decision_step = staff_policy.step_ids.sorted("sequence")
        self.assertEqual(
            chain,
            [
                {
                    "sequence": leader_step.sequence,
                    "name": leader_step.name,
                    "reviewer_employee_id": self.deputy1.id,
                    "reviewer_user_id": self.deputy1.user_id.id,
                    "can_rescore": True,
                    "is_decision": False,
                    "escalated": False,
                    "vacancy_note": False,
                    "policy_step_id": leader_step.id,
                },
                {
                    "sequence": decision_step.sequence,
                    "name": decision_step.name,
                    "reviewer_employee_id": self.head1.id,
                    "reviewer_user_id": self.head1.user_id.id,
                    "can_rescore": True,
                    "is_decision": True,
                    "escalated": False,
                    "vacancy_note": False,
                    "policy_step_id": decision_step.id,
                },
            ],
        )
        self.assertFalse(self.Policy._chain_problems(self.staff1a))

    def test_chain_deputy_unit_head(self):
        chain = self._chain(self.deputy1)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.head1.id])
        self.assertTrue(chain[0]["is_decision"])

    def test_chain_unit_head(self):
        chain = self._chain(self.head1)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.vice1.id, self.chairman.id])
        self.assertEqual([s["is_decision"] for s in chain], [False, True])
        self.assertEqual(
            [s["reviewer_user_id"] for s in chain], [self.vice1.user_id.id, self.chairman.user_id.id]
        )
        # the head of another section is reviewed by the vice-chairman in charge of it
        self.assertEqual(self._reviewers(self.head2), [self.vice2.id, self.chairman.id])

    def test_chain_deputy_agency_head(self):
        for vice in self.vice1 | self.vice2 | self.vice3:
            self.assertEqual(self._reviewers(vice), [self.chairman.id])

    def test_chain_agency_head(self):
        # no configured superior and no Manager: vacant, nobody can review, flagged
        self.assertEqual(self._chain(self.chairman), [])
        problems = self.Policy._chain_problems(self.chairman)
        self.assertTrue(problems[self.chairman.id]["empty"])
        self.assertTrue(problems[self.chairman.id]["notes"])
        # fallback: the chairman's Manager (here in the city's company)
        self.chairman.parent_id = self.superior
        chain = self._chain(self.chairman)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.superior.id])
        self.assertEqual(chain[0]["reviewer_user_id"], self.superior.user_id.id)
        self.assertTrue(chain[0]["is_decision"])
        # the superior configured by HR in the company's own policy takes precedence
        _user, other = make_person(
            self.env, self.other_company, "Phó Chủ tịch UBND thành phố", "civ_chain_other_superior"
        )
        self._policy(
            "agency_head",
            [{"reviewer_rule": "employee", "reviewer_employee_id": other.id, "is_decision": True}],
        )
        self.assertEqual(self._reviewers(self.chairman), [other.id])

    # ------------------------------------------------------------------ merge, vacancy, self

    def test_merge_same_reviewer(self):
        # staff whose direct leader is the head of unit: one step, the head decides
        policy = self.env.ref("civ_evaluation.review_policy_staff")
        decision_step = policy.step_ids.filtered("is_decision")
        chain = self._chain(self.staff1b)
        self.assertEqual(len(chain), 1)
        self.assertEqual(chain[0]["reviewer_employee_id"], self.head1.id)
        self.assertTrue(chain[0]["is_decision"])
        self.assertTrue(chain[0]["can_rescore"])
        self.assertEqual(chain[0]["name"], decision_step.name)
        self.assertEqual(chain[0]["policy_step_id"], decision_step.id)
        self.assertFalse(chain[0]["escalated"])
        # can_rescore is OR'ed: the re-scoring right of the first step is kept
        self._policy(
            "staff",
            [
                {"name": "Re-score", "reviewer_rule": "direct_leader", "can_rescore": True},
                {"name": "Decide", "reviewer_rule": "unit_head", "can_rescore": False, "is_decision": True},
            ],
        )
        chain = self._chain(self.staff1b)
        self.assertEqual(len(chain), 1)
        self.assertTrue(chain[0]["can_rescore"])
        self.assertEqual(chain[0]["name"], "Decide")

    def test_vacant_unit_head_escalates_to_agency_head(self):
        chain = self._chain(self.staff3a)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.deputy3.id, self.chairman.id])
        self.assertFalse(chain[0]["escalated"])
        self.assertTrue(chain[1]["escalated"])
        self.assertTrue(chain[1]["is_decision"])
        self.assertIn("vacant", chain[1]["vacancy_note"])
        self.assertIn("Head of Unit", chain[1]["vacancy_note"])
        # the deputy of the headless section too
        chain = self._chain(self.deputy3)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.chairman.id])
        self.assertTrue(chain[0]["escalated"])
        problems = self.Policy._chain_problems(self.staff3a | self.deputy3 | self.staff1a)
        self.assertEqual(set(problems), {self.staff3a.id, self.deputy3.id})
        self.assertFalse(problems[self.staff3a.id]["empty"])

    def test_vacant_first_step_escalates_to_next(self):
        self.staff1a.parent_id = False
        chain = self._chain(self.staff1a)
        self.assertEqual(len(chain), 1)
        self.assertEqual(chain[0]["reviewer_employee_id"], self.head1.id)
        self.assertTrue(chain[0]["escalated"])
        self.assertTrue(chain[0]["is_decision"])
        self.assertIn("Direct Leader vacant", chain[0]["vacancy_note"])

    def test_reviewer_without_user_is_vacant(self):
        # the deputy of the second section has no user: the head reviews, escalated
        chain = self._chain(self.staff2a)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.head2.id])
        self.assertTrue(chain[0]["escalated"])
        self.assertIn(self.deputy2.name, chain[0]["vacancy_note"])
        self.assertTrue(all(s["reviewer_user_id"] for s in chain))

    def test_archived_reviewer_or_user_is_vacant(self):
        # archived without the hr wizard (import, RPC): the links to them stay, they are vacant
        self.deputy1.write({"active": False})
        self.assertEqual(self.staff1a.parent_id, self.deputy1)
        chain = self._chain(self.staff1a)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.head1.id])
        self.assertIn("archived", chain[0]["vacancy_note"])
        self.deputy1.write({"active": True})
        self.assertEqual(self._reviewers(self.staff1a), [self.deputy1.id, self.head1.id])
        # an archived user cannot act either
        self.deputy1.user_id.active = False
        self.assertEqual(self._reviewers(self.staff1a), [self.head1.id])

    def test_last_step_vacant_and_no_agency_head(self):
        # the chairman cannot act: the vice-chairman in charge, last remaining, decides
        self.chairman.user_id = False
        chain = self._chain(self.head1)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.vice1.id])
        self.assertTrue(chain[0]["is_decision"])
        self.assertTrue(chain[0]["escalated"])
        self.assertTrue(chain[0]["vacancy_note"])
        # nobody at all: empty chain, flagged
        self.leadership.manager_id = False
        self.assertEqual(self._chain(self.vice1), [])
        self.assertTrue(self.Policy._chain_problems(self.vice1)[self.vice1.id]["empty"])

    def test_nobody_reviews_themself(self):
        # head of unit on a rule 'unit_head': the head of the parent unit, not themself
        self._policy("unit_head", [{"reviewer_rule": "unit_head", "is_decision": True}])
        self.assertEqual(self._reviewers(self.head1), [self.chairman.id])
        # the chairman on a rule 'agency_head' is skipped like a vacancy: the next step escalated
        self._policy(
            "agency_head",
            [
                {"reviewer_rule": "agency_head", "can_rescore": True},
                {"reviewer_rule": "employee", "reviewer_employee_id": self.superior.id, "is_decision": True},
            ],
        )
        chain = self._chain(self.chairman)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.superior.id])
        self.assertTrue(chain[0]["escalated"])
        # a designated reviewer who is the employee themself, last step: escalated to the head of agency
        self._policy(
            "staff",
            [{"reviewer_rule": "employee", "reviewer_employee_id": self.staff1a.id, "is_decision": True}],
        )
        chain = self._chain(self.staff1a)
        self.assertEqual([s["reviewer_employee_id"] for s in chain], [self.chairman.id])
        self.assertTrue(chain[0]["escalated"])
        for employee in self.Employee.search([("company_id", "=", self.company.id)]):
            self.assertNotIn(employee.id, self._reviewers(employee))

    def test_company_policy_overrides_shared(self):
        policy = self._policy("staff", [{"reviewer_rule": "agency_head", "is_decision": True}])
        self.assertEqual(self._reviewers(self.staff1a), [self.chairman.id])
        # another company's policy does not apply
        policy.company_id = self.other_company
        self.assertEqual(self._reviewers(self.staff1a), [self.deputy1.id, self.head1.id])
        policy.company_id = self.company
        policy.action_archive()
        self.assertEqual(self._reviewers(self.staff1a), [self.deputy1.id, self.head1.id])

    def test_no_policy_for_position(self):
        self.env.ref("civ_evaluation.review_policy_deputy_unit_head").action_archive()
        self.assertEqual(self._chain(self.deputy1), [])
        problems = self.Policy._chain_problems(self.deputy1)
        self.assertTrue(problems[self.deputy1.id]["empty"])

    # ------------------------------------------------------------------ constraints

    def test_constraints(self):
        with self.assertRaises(ValidationError):  # no step
            self.Policy.create({"name": "Empty", "company_id": self.company.id, "applies_to": "staff"})
        with self.assertRaises(ValidationError):  # no decision
            self._policy("staff", [{"reviewer_rule": "direct_leader"}])
        with self.assertRaises(ValidationError):  # two decisions
            self._policy(
                "staff",
                [
                    {"reviewer_rule": "direct_leader", "is_decision": True},
                    {"reviewer_rule": "unit_head", "is_decision": True},
                ],
            )
        with self.assertRaises(ValidationError):  # decision not last
            self._policy(
                "staff",
                [
                    {"reviewer_rule": "unit_head", "is_decision": True, "sequence": 1},
                    {"reviewer_rule": "direct_leader", "sequence": 2},
                ],
            )
        with self.assertRaises(ValidationError):  # designated reviewer missing
            self._policy("staff", [{"reviewer_rule": "employee", "is_decision": True}])
        # allowed for the head of agency: the Manager is the fallback
        agency = self._policy("agency_head", [{"reviewer_rule": "employee", "is_decision": True}])
        with self.assertRaises(ValidationError):  # ... but not once it applies to someone else
            agency.applies_to = "deputy_agency_head"
        # one active policy per company and position, shared ones included
        staff = self._policy("staff", [{"reviewer_rule": "unit_head", "is_decision": True}])
        with self.assertRaises(ValidationError):
            self._policy("staff", [{"reviewer_rule": "unit_head", "is_decision": True}])
        with self.assertRaises(ValidationError):
            self.env.ref("civ_evaluation.review_policy_staff").copy({"active": True})
        copy = staff.copy()
        self.assertFalse(copy.active)
        self.assertEqual(len(copy.step_ids), 1)
        with self.assertRaises(ValidationError):
            copy.action_unarchive()

    def test_constraints_on_steps_written_directly(self):
        policy = self._policy(
            "staff",
            [
                {"reviewer_rule": "direct_leader", "sequence": 1},
                {"reviewer_rule": "unit_head", "is_decision": True, "sequence": 2},
            ],
        )
        first, last = policy.step_ids.sorted("sequence")
        with self.assertRaises(ValidationError):
            last.is_decision = False
        with self.assertRaises(ValidationError):
            last.sequence = 0
        with self.assertRaises(ValidationError):
            last.unlink()
        with self.assertRaises(ValidationError):
            self.env["civ.review.policy.step"].create(
                {"policy_id": policy.id, "name": "After", "reviewer_rule": "agency_head", "sequence": 3}
            )
        first.unlink()  # one step left, the decision: fine
        self.assertEqual(policy.step_ids, last)
        # moving the decision in one write of the policy, whatever the order of the commands
        policy.write(
            {
                "step_ids": [
                    Command.update(last.id, {"is_decision": False, "sequence": 1}),
                    Command.create(
                        {
                            "name": "New decision",
                            "reviewer_rule": "agency_head",
                            "is_decision": True,
                            "sequence": 2,
                        }
                    ),
                ]
            }
        )
        self.assertEqual(policy.step_ids.sorted("sequence")[-1].name, "New decision")
        self.assertIn("New decision", policy.message_ids[0].body)

    # ------------------------------------------------------------------ views, access

    def test_form_edit_steps(self):
        form = Form(self.Policy)
        form.name = "Chuỗi riêng"
        form.company_id = self.company
        form.applies_to = "staff"
        with form.step_ids.new() as step:
            step.name = "Lãnh đạo trực tiếp"
            step.reviewer_rule = "direct_leader"
            step.can_rescore = True
        with form.step_ids.new() as step:
            step.name = "Trưởng phòng"
            step.reviewer_rule = "unit_head"
            step.is_decision = True
        policy = form.save()
        self.assertEqual(policy.step_summary, "Lãnh đạo trực tiếp → Trưởng phòng")
        self.assertEqual(self._reviewers(self.staff1a), [self.deputy1.id, self.head1.id])

    def test_access(self):
        shared = self.env.ref("civ_evaluation.review_policy_staff")
        own = self._policy("staff", [{"reviewer_rule": "unit_head", "is_decision": True}])
        foreign = self._policy(
            "staff", [{"reviewer_rule": "unit_head", "is_decision": True}], company=self.other_company
        )
        user = make_user(self.env, "civ_chain_officer", self.company, "civ_evaluation.group_civ_officer")
        visible = self.Policy.with_user(user).search([("applies_to", "=", "staff")])
        self.assertIn(shared, visible)
        self.assertIn(own, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            own.with_user(user).name = "Changed"
        admin = make_user(self.env, "civ_chain_admin", self.company, "civ_evaluation.group_civ_admin")
        own.with_user(admin).name = "Changed"
        # resolving works for an ordinary user (the service reads with sudo)
        self.assertEqual(
            self.Policy.with_user(self.staff1a.user_id)._resolve_chains(self.staff1a)[self.staff1a.id][0][
                "reviewer_employee_id"
            ],
            self.head1.id,
        )

    # ------------------------------------------------------------------ performance

    def test_query_count_independent_of_size(self):
        many = self.Employee.create(
            [
                {
                    "name": f"Chuyên viên {i}",
                    "company_id": self.company.id,
                    "department_id": (self.section1 if i % 2 else self.section2).id,
                    "parent_id": (self.deputy1 if i % 2 else self.head2).id,
                }
                for i in range(50)
            ]
        )
        everyone = self.Employee.search([("company_id", "=", self.company.id)])
        self.Policy._resolve_chains(everyone)  # warm the caches of the registry
        results = {}
        for employees in (many[:5], many | everyone):
            self.env.flush_all()
            self.env.invalidate_all()
            # constant: employees, policies, steps, departments, leadership, reviewers, users, companies,
            # the companies' languages (of the notes)
            with self.assertQueryCount(13):
                results[len(employees)] = self.Policy._resolve_chains(employees)
        self.assertEqual(len(results[len(many | everyone)]), len(many | everyone))
        self.assertEqual(
            [s["reviewer_employee_id"] for s in results[5][many[1].id]], [self.deputy1.id, self.head1.id]
        )
