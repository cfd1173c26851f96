"""Who may set what in Project and which tasks count as evidence of the products (the coefficient, the
deadline, the closing date, the credit of a done task, changes after submission proposed to the
reviewer, deleted tasks, decided months), tried the way an attacker would: a plain JSON-RPC client
logged in as the staff of a unit evaluated by products (Project users with Project's own rights),
their colleague, their leaders and the HR officer."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.civ_evaluation.tests.common import RpcMixin, nd335
from odoo.addons.civ_evaluation.tests.cycle_common import MAY, CivCycleCase


def at(day, month=5):
    """Noon in Hà Nội (05:00 UTC) of a day of 2026."""
    return datetime(2026, month, day, 5, 0)


@tagged("post_install", "-at_install", "civ_evaluation_project", "civ_project", "civ_access")
class TestProjectAccess(RpcMixin, CivCycleCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.civ_framework_id = nd335(cls.env)
        (cls.staff | cls.staff2 | cls.deputy).write({"tz": "Asia/Ho_Chi_Minh"})
        project_user = cls.env.ref("project.group_project_user")
        (cls.user_staff | cls.user_staff2 | cls.user_deputy | cls.user_officer).write(
            {"groups_id": [Command.link(project_user.id)]}
        )
        cls.user_head.groups_id = [Command.link(cls.env.ref("project.group_project_manager").id)]
        cls.project = cls.env["project.project"].create(
            {
                "name": "Cải cách hành chính",
                "company_id": cls.company.id,
                "user_id": cls.user_head.id,
                "privacy_visibility": "employees",
                "civ_evaluation": True,
                "civ_weight": 1.5,
            }
        )
        # the head (the project's manager, who leads the unit) gives the work
        Task = cls.env["project.task"].with_user(cls.user_head).with_context(mail_create_nolog=True)

        def task(name, users, deadline, **vals):
            return Task.create(
                dict(
                    {
                        "name": name,
                        "project_id": cls.project.id,
                        "user_ids": [Command.set(users.ids)],
                        "date_deadline": deadline,
                    },
                    **vals,
                )
            ).with_env(cls.env)

        cls.t_open = task("Rà soát thủ tục", cls.user_staff, at(20))
        cls.t_done = task("Dự thảo quy chế", cls.user_staff, at(20))
        cls.t_other = task("Báo cáo tháng", cls.user_staff, at(25))
        # closed on 18 May (the superuser sets the past; users cannot)
        cls.t_done.write({"state": "1_done"})
        cls.t_done.sudo().civ_date_closed = at(18)
        cls.period = cls._open_period(MAY)
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.sheet2 = cls._sheet(cls.period, cls.staff2)

    # ------------------------------------------------------------------ helpers
    def _load(self, sheet, user):
        self._as(user)
        return self._call("civ.evaluation", "action_load_project_tasks", [sheet.id])["params"]["message"]

    def _line(self, task, sheet=None):
        (sheet or self.sheet).invalidate_recordset(["product_ids"])
        return (sheet or self.sheet).product_ids.filtered(lambda line: line.task_id == task)

    # ------------------------------------------------------------------ 1. the coefficient
    def test_only_who_assigns_the_work_sets_the_coefficient(self):
        self._as(self.user_staff2)
        # a colleague of the same project, and the assignee themself
        self.assertEqual(
            self._refused("project.task", "write", [self.t_open.id], {"civ_weight": 500}),
            "odoo.exceptions.AccessError",
        )
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("project.task", "write", [self.t_open.id], {"civ_weight": 500}),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused(
                "project.task", "write", [self.t_open.id], {"date_deadline": "2026-05-31 10:00:00"}
            ),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused("project.project", "write", [self.project.id], {"civ_weight": 50}),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused("project.project", "write", [self.project.id], {"civ_evaluation": False}),
            "odoo.exceptions.AccessError",
        )
        # a task of their own with a coefficient: refused at creation
        self.assertEqual(
            self._refused(
                "project.task",
                "create",
                {
                    "name": "Việc tự giao",
                    "project_id": self.project.id,
                    "user_ids": [self.user_staff.id],
                    "civ_weight": 99,
                },
            ),
            "odoo.exceptions.AccessError",
        )
        self.env.invalidate_all()
        self.assertEqual((self.t_open.civ_weight, self.project.civ_weight), (0.0, 1.5))
        # the direct leader and the officer may, and it is tracked
        self._as(self.user_deputy)
        self._call("project.task", "write", [self.t_open.id], {"civ_weight": 2})
        self._as(self.user_officer)
        self._call("project.task", "write", [self.t_open.id], {"civ_weight": 3})
        self.env.invalidate_all()
        self.assertEqual(self.t_open.civ_weight, 3.0)
        tracked = self.t_open.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "civ_weight"
        )
        self.assertEqual(sorted(tracked.mapped("new_value_float")), [2.0, 3.0])
        # the project's manager sets the project's coefficient
        self._as(self.user_head)
        self._call("project.project", "write", [self.project.id], {"civ_weight": 2})
        self.env.invalidate_all()
        self.assertEqual(self.project.civ_weight, 2.0)

    # ------------------------------------------------------------------ 2. own evidence
    def test_tasks_people_give_themselves_are_not_evidence(self):
        shared = self.env["project.project"].create(
            {
                "name": "Dự án chung",
                "company_id": False,
                "privacy_visibility": "employees",
                "civ_evaluation": True,
            }
        )
        plain = self.env["project.project"].create(
            {"name": "Dự án không đánh giá", "company_id": self.company.id, "privacy_visibility": "employees"}
        )
        self._as(self.user_staff)
        own = [
            self._call(
                "project.task",
                "create",
                {
                    "name": name,
                    "user_ids": [self.user_staff.id],
                    "date_deadline": "2026-05-20 05:00:00",
                    **extra,
                },
            )
            for name, extra in (
                ("Việc tự giao trong dự án chung", {"project_id": shared.id}),
                ("Việc riêng", {"project_id": False}),
                ("Việc tự giao trong dự án của cơ quan", {"project_id": self.project.id}),
            )
        ]
        # a colleague gives a task to them: not someone who assigns their work either
        self._as(self.user_staff2)
        own.append(
            self._call(
                "project.task",
                "create",
                {
                    "name": "Việc đồng nghiệp giao",
                    "project_id": self.project.id,
                    "user_ids": [self.user_staff.id],
                    "date_deadline": "2026-05-20 05:00:00",
                },
            )
        )
        # the leader gives one in a project that does not count for the evaluation
        self.env["project.task"].with_user(self.user_head).create(
            {
                "name": "Việc ngoài đánh giá",
                "project_id": plain.id,
                "user_ids": [Command.set(self.user_staff.ids)],
                "date_deadline": at(20),
            }
        )
        message = self._load(self.sheet, self.user_staff)
        self.assertIn("3 task(s) added", message)
        self.assertEqual(self.sheet.product_ids.task_id, self.t_open | self.t_done | self.t_other)
        self.assertFalse(self.sheet.product_ids.task_id & self.env["project.task"].browse(own))
        # the flag of the project: its manager's or an officer's
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("project.project", "write", [plain.id], {"civ_evaluation": True}),
            "odoo.exceptions.AccessError",
        )

    def test_moving_a_task_or_a_context_default_is_no_way_around(self):
        # a project the employee manages, not counted: moving their task there (to set its deadline
        # and bring it back), or counting it with a coefficient of their own, is assigning their work
        side = self.env["project.project"].create(
            {"name": "Việc riêng", "company_id": self.company.id, "user_id": self.user_staff.id}
        )
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("project.task", "write", [self.t_open.id], {"project_id": side.id}),
            "odoo.exceptions.AccessError",
        )
        side.write({"civ_evaluation": True, "civ_weight": 1000})
        # a private task of theirs (no project), moved into the project they count themselves
        mine = self.env["project.task"].create(
            {"name": "Việc riêng tư", "user_ids": [Command.set(self.user_staff.ids)]}
        )
        self.assertEqual(
            self._refused("project.task", "write", [mine.id], {"project_id": side.id}),
            "odoo.exceptions.AccessError",
        )
        self.env.invalidate_all()
        self.assertEqual(
            (self.t_open.project_id, mine.project_id), (self.project, self.env["project.project"])
        )
        # the defaults of the context give no coefficient and no closing date either
        weighted = self._call(
            "project.task",
            "create",
            {"name": "Việc tự giao", "project_id": self.project.id, "user_ids": [self.user_staff.id]},
            context={"default_civ_weight": 500},
        )
        self.assertEqual(self.env["project.task"].browse(weighted).civ_weight, 0.0)
        task_id = self._call(
            "project.task",
            "create",
            {"name": "Đã xong", "project_id": self.project.id, "state": "1_done"},
            context={"default_civ_date_closed": "2026-05-10 05:00:00"},
        )
        self.assertNotEqual(
            self.env["project.task"].browse(task_id).civ_date_closed, datetime(2026, 5, 10, 5, 0)
        )

    def test_assignments_are_read_by_who_is_on_the_task(self):
        domain = [("task_id", "=", self.t_open.id)]
        # a colleague of the agency reads nothing of who was given the task; the assignee, the
        # project's manager and an officer do
        self._as(self.user_staff2)
        self.assertEqual(self._call("civ.task.assignment", "search_count", domain), 0)
        for user in (self.user_staff, self.user_head, self.user_officer):
            self._as(user)
            self.assertEqual(self._call("civ.task.assignment", "search_count", domain), 1)

    def test_back_on_a_task_whose_credit_they_kept(self):
        self._as(self.user_staff2)
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.set([self.user_staff2.id])]}
        )
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.link(self.user_staff.id)]}
        )
        self.t_done.invalidate_recordset(["civ_assignment_ids"])
        assignment = self.t_done.civ_assignment_ids.filtered(lambda line: line.user_id == self.user_staff)
        self.assertTrue(assignment.credited)
        # still given by the project's manager: the task still counts for them
        self.assertEqual(assignment.assigned_by_id, self.user_head)
        self.assertFalse(assignment.unassigned_by_id)
        self._load(self.sheet, self.user_staff)
        self.assertEqual(self._line(self.t_done).qty_done, 1)

    # ------------------------------------------------------------------ 3. the closing date
    def test_the_closing_date_is_the_systems(self):
        self._as(self.user_staff)
        for vals in (
            {"civ_date_closed": "2026-05-10 05:00:00"},
            {"state": "1_done", "civ_date_closed": "2026-05-10 05:00:00"},
        ):
            self.assertEqual(
                self._refused("project.task", "write", [self.t_open.id], vals), "odoo.exceptions.AccessError"
            )
        with freeze_time("2026-06-03 08:00:00"):
            self._call("project.task", "write", [self.t_open.id], {"state": "1_done"})
        self.env.invalidate_all()
        self.assertEqual(self.t_open.civ_date_closed, datetime(2026, 6, 3, 8, 0))
        # closed in June: not completed in May, whatever the employee wishes
        self._load(self.sheet, self.user_staff)
        self.assertEqual(self._line(self.t_open).qty_done, 0)
        # reopening and closing again moves it
        self._as(self.user_staff)
        self._call("project.task", "write", [self.t_open.id], {"state": "01_in_progress"})
        with freeze_time("2026-06-05 08:00:00"):
            self._call("project.task", "write", [self.t_open.id], {"state": "1_done"})
        self.env.invalidate_all()
        self.assertEqual(self.t_open.civ_date_closed, datetime(2026, 6, 5, 8, 0))

    # ------------------------------------------------------------------ 4. the credit of a done task
    def test_the_credit_of_a_done_task_stays_with_who_did_it(self):
        self._load(self.sheet, self.user_staff)
        self.assertEqual(self._line(self.t_done).qty_done, 1)
        # a colleague puts themself in the assignees, then takes the others out
        self._as(self.user_staff2)
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.link(self.user_staff2.id)]}
        )
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.set([self.user_staff2.id])]}
        )
        self.assertIn("0 removed", self._load(self.sheet, self.user_staff))
        self.assertEqual(self._line(self.t_done).qty_done, 1)
        self.assertIn("0 task(s) added", self._load(self.sheet2, self.user_staff2))
        self.assertFalse(self._line(self.t_done, self.sheet2))
        self.t_done.invalidate_recordset(["message_ids"])
        self.assertTrue(
            any(
                "keep the credit of this completed task" in body
                for body in self.t_done.message_ids.mapped("body")
            )
        )
        # who assigns the work (their direct leader) moves the credit: tracked in the task's chatter
        self._as(self.user_deputy)
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.set([self.user_staff2.id])]}
        )
        self._call(
            "project.task", "write", [self.t_done.id], {"user_ids": [Command.link(self.user_staff2.id)]}
        )
        self.t_done.invalidate_recordset(["civ_assignment_ids"])
        assignment = self.t_done.civ_assignment_ids.filtered(lambda line: line.user_id == self.user_staff)
        self.assertFalse(assignment.credited)
        self.assertEqual(assignment.unassigned_by_id, self.user_deputy)
        self.assertIn("1 removed", self._load(self.sheet, self.user_staff))
        # given to the colleague by their leader, the task is now theirs
        self.t_done.civ_assignment_ids.filtered(lambda line: line.user_id == self.user_staff2).sudo().write(
            {"assigned_by_id": self.user_deputy.id}
        )
        self.assertIn("1 task(s) added", self._load(self.sheet2, self.user_staff2))

    # ------------------------------------------------------------------ 5. after the submission
    def test_changes_after_submission_are_proposed_to_the_reviewer(self):
        self._load(self.sheet, self.user_staff)
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        # the employee finishes a task in Project after submitting, and cannot raise its coefficient
        self.assertEqual(
            self._refused("project.task", "write", [self.t_open.id], {"civ_weight": 100}),
            "odoo.exceptions.AccessError",
        )
        with freeze_time("2026-05-19 08:00:00"):
            self._call("project.task", "write", [self.t_open.id], {"state": "1_done"})
        message = self._load(self.sheet, self.user_deputy)
        self.assertIn("0 updated", message)
        self.assertIn("1 proposed", message)
        line = self._line(self.t_open)
        self.assertEqual((line.qty_done, line.confirmed), (0, False), "nothing applied silently")
        proposal = self.sheet.civ_proposal_ids
        self.assertEqual(proposal.kind, "update")
        self.assertIn("Completed: 0 → 1", proposal.summary)
        # the reviewer decides before approving
        self.assertEqual(
            self._refused("civ.evaluation", "action_approve", [self.sheet.id]), "odoo.exceptions.UserError"
        )
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("civ.product.proposal", "action_accept", [proposal.id]),
            "odoo.exceptions.AccessError",
        )
        self._as(self.user_deputy)
        self._call("civ.product.proposal", "action_refuse", [proposal.id])
        self.assertIn(
            "0 proposed", self._load(self.sheet, self.user_deputy), "a refused change is not proposed again"
        )
        self.assertEqual(self._line(self.t_open).qty_done, 0)
        # another change: accepted, it is applied and confirmed
        # the head, who assigns the work, moves a deadline
        self.t_other.with_user(self.user_head).write({"date_deadline": at(26)})
        self._load(self.sheet, self.user_deputy)
        proposal = self.sheet.civ_proposal_ids
        self.assertEqual(proposal.task_id, self.t_other)
        self._call("civ.product.proposal", "action_accept", [proposal.id])
        line = self._line(self.t_other)
        self.assertEqual((line.date_deadline, line.confirmed), (date(2026, 5, 26), True))
        self._call("civ.evaluation", "action_approve", [self.sheet.id])
        self.sheet.invalidate_recordset(["state"])
        self.assertEqual(self.sheet.current_reviewer_user_id, self.user_head)

    def test_a_returned_sheet_keeps_no_stale_proposal(self):
        self._load(self.sheet, self.user_staff)
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        with freeze_time("2026-05-19 08:00:00"):
            self._call("project.task", "write", [self.t_open.id], {"state": "1_done"})
        self.assertIn("1 proposed", self._load(self.sheet, self.user_deputy))
        Proposal = self.env["civ.product.proposal"]
        pending = [("evaluation_id", "=", self.sheet.id), ("state", "=", "pending")]
        self.assertEqual(Proposal.search_count(pending), 1)
        self._call("civ.evaluation", "action_return", [self.sheet.id], reason="Bổ sung sản phẩm")
        self.assertEqual(Proposal.search_count(pending), 0)
        # back in self-assessment, the line follows the task
        self._load(self.sheet, self.user_staff)
        self.assertEqual(self._line(self.t_open).qty_done, 1)

    # ------------------------------------------------------------------ 6. deleted tasks
    def test_lines_of_deleted_tasks(self):
        self._load(self.sheet, self.user_staff)
        self.t_other.with_user(self.user_head).unlink()
        self.assertIn("1 removed", self._load(self.sheet, self.user_staff))
        self.assertEqual(self.sheet.product_ids.task_id, self.t_open | self.t_done)
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        # in review: a confirmed line is flagged, an unconfirmed one is proposed for removal
        self._line(self.t_done).with_user(self.user_deputy).action_confirm()
        (self.t_open | self.t_done).with_user(self.user_head).unlink()
        message = self._load(self.sheet, self.user_deputy)
        self.assertIn("1 confirmed", message)
        self.assertIn("1 proposed", message)
        lines = self.sheet.product_ids
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.filtered("confirmed").mapped("task_missing"), [True])
        self.assertEqual(self.sheet.civ_proposal_ids.kind, "remove")
        self._as(self.user_deputy)
        self._call("civ.product.proposal", "action_accept", self.sheet.civ_proposal_ids.ids)
        self.sheet.invalidate_recordset(["product_ids"])
        self.assertEqual(len(self.sheet.product_ids), 1)

    # ------------------------------------------------------------------ 9. history
    def test_tasks_and_projects_of_decided_months_are_kept(self):
        self._load(self.sheet, self.user_staff)
        self._call("civ.evaluation", "action_submit", [self.sheet.id])
        for reviewer in (self.user_deputy, self.user_head):
            self._as(reviewer)
            self._call("civ.evaluation", "action_approve", [self.sheet.id])
        self.period.with_user(self.user_officer).action_lock()
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("project.task", "unlink", [self.t_done.id]), "odoo.exceptions.UserError"
        )
        self._as(self.env.ref("base.user_admin"))
        self.assertEqual(
            self._refused("project.project", "unlink", [self.project.id]), "odoo.exceptions.UserError"
        )
        self.assertEqual(self._line(self.t_done).task_id, self.t_done)
        # archiving is the way
        self._call("project.task", "write", [self.t_done.id], {"active": False})
        self.assertFalse(self.period._integrity_failures())
        # the task of a line is sealed with the month
        self.env.cr.execute(
            "UPDATE civ_evaluation_product SET task_id = NULL WHERE id = %s", self._line(self.t_done).ids
        )
        self.assertEqual(self.period._integrity_failures(), self.sheet)
