"""The gate's tables are the truth (civ.workflow.mixin): for every row {action: (states, role)} of the
sheet's, the period's and the year-end result's table, every state and every actor of the district,
the gate allows exactly what the row says — the state in the row's states, the actor in the row's
role, and never a role but the owner's on one's own record. The expectations are derived from the
tables: a new row is tested without new test code (a new role needs its oracle in ROLE_ORACLES)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .annual_common import YEAR, CivAnnualCase
from .common import MAY, make_company, make_user

OFFICER = "civ_evaluation.group_civ_officer"
ADMIN = "civ_evaluation.group_civ_admin"


def _officer_of(actor, record):
    return actor.has_group(OFFICER) and record.company_id in actor.company_ids


# who holds each role on a record (sudo), as the DESIGN says; the gate's own code is not used here
ROLE_ORACLES = {
    "owner": lambda actor, record: record.user_id == actor,
    "officer": _officer_of,
    "auditor": _officer_of,
    "admin": lambda actor, record: actor.has_group(ADMIN) and record.company_id in actor.company_ids,
    "reviewer": lambda actor, record: record.current_step_id.reviewer_user_id == actor,
    "rescoring_reviewer": lambda actor, record: record.current_step_id.reviewer_user_id == actor
    and record.current_step_id.can_rescore,
    "product_editor": lambda actor, record: record.user_id == actor
    if record.state == "draft"
    else record.current_step_id.reviewer_user_id == actor and record.current_step_id.can_rescore,
    "decider": lambda actor, record: record.decider_user_id == actor,
}


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestGateTables(CivAnnualCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other = make_company(cls.env, "UBND huyện Khác")
        cls.user_other_officer = make_user(
            cls.env,
            "canbo_khac_g",
            other,
            groups="base.group_user,civ_evaluation.group_civ_officer",
            name="Cán bộ huyện khác",
        )
        cls.actors = (
            cls.user_staff | cls.user_staff2 | cls.user_deputy | cls.user_head | cls.user_vice
            | cls.user_chairman | cls.user_officer | cls.user_other_officer | cls.user_admin
        )  # fmt: skip

    def _check_table(self, records):
        """records: {state: record in that state}; every row of the model's table, every actor."""
        model = next(iter(records.values()))
        table = model._workflow_actions
        differences = []
        checked = 0
        for action, (states, role) in table.items():
            oracle = ROLE_ORACLES.get(role)
            if oracle is None:
                continue
            for state, stored in records.items():
                record = stored.sudo()
                for actor in self.actors:
                    own = record.with_user(actor)._civ_is_own()
                    expected = (
                        (states is None or state in states)
                        and (state != "locked" or "locked" in (states or ()))
                        and oracle(actor, record)
                        and (role in model._workflow_own_roles or not own)
                    )
                    try:
                        with self.env.cr.savepoint():
                            record.with_user(actor)._check_workflow_access(action)
                        allowed = True
                    except (AccessError, UserError):
                        allowed = False
                    # the model's extra condition (beyond its table) may refuse a row the table allows
                    if expected and not allowed and model._workflow_extra_refusal(action, record):
                        continue
                    checked += 1
                    if allowed != expected:
                        differences.append((action, state, actor.login, "allowed" if allowed else "refused"))
        self.assertFalse(differences, f"{model._name}: (action, state, actor, what the gate did)")
        return checked

    def test_sheet_table(self):
        period = self._open_period(MAY.replace(year=YEAR + 1))
        draft = self._sheet(period, self.staff2)
        review = self._sheet(period, self.staff)
        review.with_user(self.user_staff).action_submit()
        done = self._sheet(period, self.deputy)
        done.with_user(self.user_deputy).action_submit()
        while done.state == "review":
            done.with_user(done.current_reviewer_user_id).action_approve()
        locked_period = self._open_period(MAY.replace(year=YEAR + 1, month=6))
        locked = self._sheet(locked_period, self.staff)
        locked_period.with_user(self.user_officer).action_lock()
        checked = self._check_table({"draft": draft, "review": review, "done": done, "locked": locked})
        self.assertGreater(checked, 400)

    def test_period_table(self):
        draft = self.env["civ.period"].create(
            {"company_id": self.company.id, "date_start": MAY.replace(year=YEAR + 2)}
        )
        opened = self._open_period(MAY.replace(year=YEAR + 1))
        locked = self._open_period(MAY.replace(year=YEAR + 1, month=6))
        locked.with_user(self.user_officer).action_lock()
        self.assertGreater(self._check_table({"draft": draft, "open": opened, "locked": locked}), 100)

    def test_year_end_result_table(self):
        for employee in (self.staff, self.staff2, self.deputy):
            self._year(employee, 80.0)
        results = (
            self.Result.with_user(self.user_officer)
            .with_company(self.company)
            .prepare_results(YEAR, self.company)
        )
        by_employee = {result.employee_id: result for result in results}
        draft, submitted, done = by_employee[self.staff], by_employee[self.staff2], by_employee[self.deputy]
        (submitted | done).with_user(self.user_officer).action_submit()
        done.with_user(done.decider_user_id).action_decide()
        self.assertGreater(self._check_table({"draft": draft, "submitted": submitted, "done": done}), 100)
