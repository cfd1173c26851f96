"""Who may do what on a sheet, in each state: the five positions of the district, an HR officer of the
company and one of another company, an evaluation administrator and a portal user, against every
operation a user or an RPC client can attempt. Each attempt runs in a savepoint and is rolled back."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OFFICER, make_company, make_user
from .cycle_common import CivCycleCase

OPERATIONS = ("read", "write", "rescore", "submit", "approve", "return", "lock", "appeal", "export", "unlink")


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestAccessMatrix(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company = make_company(cls.env, "UBND huyện Khác")
        cls.user_other_officer = make_user(
            cls.env, "canbo_khac_m", other_company, OFFICER, name="Cán bộ huyện khác"
        )
        cls.user_portal = make_user(cls.env, "congdan_m", cls.company, "base.group_portal", name="Công dân")
        cls.actors = {
            "staff": cls.user_staff,
            "deputy": cls.user_deputy,
            "head": cls.user_head,
            "vice": cls.user_vice,
            "chairman": cls.user_chairman,
            "officer": cls.user_officer,
            "other_officer": cls.user_other_officer,
            "admin": cls.user_admin,
            "portal": cls.user_portal,
        }
        cls.period = cls._open_period()

    def _operation(self, name, user, sheet):
        line = sheet.line_ids.filtered(lambda line: line.criterion_id.code == "2.1")
        env = self.env(user=user)
        sheet, line = sheet.with_env(env), line.with_env(env)
        if name == "read":
            sheet.read(["final_score", "level_id"])
        elif name == "write":
            line.write({"self_points": 20})
        elif name == "rescore":
            line.write({"reviewer_points": 20})
        elif name == "submit":
            sheet.action_submit()
        elif name == "approve":
            sheet.action_approve()
        elif name == "return":
            sheet.action_return("Làm lại")
        elif name == "lock":
            sheet.action_lock()
        elif name == "appeal":
            env["civ.appeal"].create({"evaluation_id": sheet.id, "reason": "Xin xem lại"})
        elif name == "export":
            env["civ.export.wizard"].create(
                {"report_kind": "unit_list", "period_ids": [Command.set(self.period.ids)]}
            ).action_export()
        elif name == "unlink":
            sheet.unlink()
        self.env.flush_all()

    def _attempt(self, name, user, sheet):
        try:
            with self.env.cr.savepoint():
                self._operation(name, user, sheet)
                raise _Rollback
        except _Rollback:
            return "ok"
        except (AccessError, UserError):
            return "refused"
        finally:
            self.env.invalidate_all()

    def _check(self, sheet, allowed):
        """allowed: {operation: set of actor names}; everyone else must be refused."""
        found, expected = {}, {}
        for operation in OPERATIONS:
            for actor, user in self.actors.items():
                found[operation, actor] = self._attempt(operation, user, sheet)
                expected[operation, actor] = "ok" if actor in allowed.get(operation, ()) else "refused"
        differences = {key: value for key, value in found.items() if value != expected[key]}
        self.assertFalse(differences, f"state {sheet.state}: (operation, actor) -> what happened")

    # who reads a sheet: its employee, its reviewers (all steps, in every state), the officers and
    # administrators of its company
    READERS = {"staff", "deputy", "head", "officer", "admin"}
    EXPORTERS = {"officer", "admin"}

    def _staff_sheet(self):
        return self._sheet(self.period, self.staff)

    def test_draft(self):
        sheet = self._staff_sheet()
        self.assertEqual(sheet.state, "draft")
        self._check(
            sheet,
            {
                "read": self.READERS,
                "write": {"staff"},
                "submit": {"staff"},
                "lock": {"officer", "admin"},
                "export": self.EXPORTERS,
                "unlink": {"officer", "admin"},
            },
        )

    def test_review(self):
        sheet = self._staff_sheet()
        sheet.with_user(self.user_staff).action_submit()
        self._check(
            sheet,
            {
                "read": self.READERS,
                "rescore": {"deputy"},
                "approve": {"deputy"},
                "return": {"deputy"},
                "lock": {"officer", "admin"},
                "export": self.EXPORTERS,
            },
        )

    def test_done(self):
        sheet = self._staff_sheet()
        self._set_points(sheet, self.user_staff, "self_points", self.SELF_90)
        sheet.with_user(self.user_staff).action_submit()
        sheet.with_user(self.user_deputy).action_approve()
        sheet.with_user(self.user_head).action_approve()
        self.assertEqual(sheet.state, "done")
        self._check(
            sheet,
            {
                "read": self.READERS,
                "lock": {"officer", "admin"},
                "appeal": {"staff"},
                "export": self.EXPORTERS,
            },
        )

    def test_locked(self):
        sheet = self._staff_sheet()
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(sheet.state, "locked")
        self._check(sheet, {"read": self.READERS, "export": self.EXPORTERS})
