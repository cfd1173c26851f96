"""Calibration sessions (issue: grades people can believe): an officer gathers the sheets in review of
the section with their proposed levels; the deciding head changes a level, only with a comment, and
marks people as discussed; nobody else changes a level, nobody reads their own line; the officer closes
with the minutes; the head's decision then takes the calibrated levels through the sheet's own gate;
the lines are sealed with the month, and a session still open at the lock is cancelled."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import MAY, RpcMixin, level_of
from .cycle_common import CivCycleCase


class CalibrationCase(CivCycleCase):
    """May of the test district: the two staff members self-scored 90 and passed by the deputy, the
    deputy self-scored 90 (all three waiting for the head's decision), the head submitted (waiting for
    the vice-chairman); a session of the section with those four sheets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period(MAY)
        cls.sheets = {}
        for name in ("staff", "staff2", "deputy", "head"):
            employee = getattr(cls, name)
            sheet = cls._sheet(cls.period, employee)
            cls._set_points(sheet, sheet.user_id, "self_points", cls.SELF_90)
            sheet.with_user(sheet.user_id).action_submit()
            cls.sheets[name] = sheet
        for name in ("staff", "staff2"):
            cls.sheets[name].with_user(cls.user_deputy).action_approve()
        cls.A, cls.B = level_of(cls.framework, "A"), level_of(cls.framework, "B")
        Session = cls.env["civ.calibration.session"].with_user(cls.user_officer)
        cls.calibration = Session.create(
            {"period_id": cls.period.id, "department_ids": [(6, 0, cls.section.ids)]}
        )
        cls.calibration.action_load_sheets()
        cls.lines = {line.employee_id: line for line in cls.calibration.line_ids}

    def _line(self, name, user=None):
        line = self.lines[getattr(self, name)]
        return line.with_user(user) if user else line


@tagged("post_install", "-at_install", "civ_evaluation", "civ_calibration")
class TestCalibrationSession(CalibrationCase):
    def test_loaded_proposals(self):
        self.assertEqual(len(self.calibration.line_ids), 4)
        staff = self._line("staff")
        self.assertEqual((staff.proposed_score, staff.proposed_level_id), (90.0, self.A))
        self.assertEqual(staff.decider_user_id, self.user_head)
        self.assertEqual(self._line("head").decider_user_id, self.user_chairman)
        # loading again adds nobody twice
        self.calibration.action_load_sheets()
        self.assertEqual(len(self.calibration.line_ids), 4)
        # the figures: 4 proposed A out of 4, against the national reference's 27.7%
        block = self.calibration._distribution_rows()[0]
        first = block["levels"][0]
        self.assertEqual((first["level"], first["proposed"], first["proposed_share"]), (self.A, 4, 100.0))
        self.assertAlmostEqual(first["reference_share"], 27.7)
        self.assertIn("27,7", self.calibration.with_context(lang="vi_VN").distribution_html)

    def test_change_needs_a_comment(self):
        self.calibration.action_start()
        staff = self._line("staff", self.user_head)
        with self.assertRaisesRegex(ValidationError, "needs a comment"):
            staff.write({"new_level_id": self.B.id})
        staff.write({"new_level_id": self.B.id, "comment": "Chậm 2 nhiệm vụ trọng tâm"})
        self.assertTrue(staff.changed)
        block = self.calibration._distribution_rows()[0]
        self.assertEqual([row["calibrated"] for row in block["levels"][:2]], [3, 1])
        log = self.calibration.message_ids.filtered(lambda message: "Chậm 2 nhiệm vụ" in (message.body or ""))
        self.assertTrue(log, "the change is tracked in the session's chatter")
        # a level of another framework is refused
        other = self.env["civ.level"].search([("framework_id", "!=", self.framework.id)], limit=1)
        with self.assertRaises(ValidationError):
            staff.write({"new_level_id": other.id, "comment": "x"})

    def test_who_changes_what(self):
        # before the session opens, nobody changes a level
        with self.assertRaises(UserError):
            self._line("staff", self.user_head).write({"new_level_id": self.B.id, "comment": "x"})
        self.calibration.action_start()
        # the officer and the chairman do not decide the staff's sheet: refused
        for user in (self.user_officer, self.user_chairman):
            with self.assertRaisesRegex(AccessError, self.user_head.name):
                self._line("staff", user).write({"new_level_id": self.B.id, "comment": "x"})
        # the deputy decides nothing: the session is not theirs to read
        with self.assertRaises(AccessError):
            self.calibration.with_user(self.user_deputy).check_access("read")
        # the head reads the session but not their own line; the chairman reads it
        head_lines = (
            self.env["civ.calibration.line"]
            .with_user(self.user_head)
            .search([("session_id", "=", self.calibration.id)])
        )
        self.assertEqual(len(head_lines), 3)
        self.assertNotIn(self.head, head_lines.employee_id)
        # the workflow fields never change directly
        for vals in ({"proposed_level_id": self.B.id}, {"decider_user_id": self.user_head.id}):
            with self.assertRaises(AccessError):
                self._line("staff", self.user_head).write(vals)
        # the head marks people discussed; only the officer closes
        self._line("staff2", self.user_head).write({"discussed": True})
        with self.assertRaises(AccessError):
            self.calibration.with_user(self.user_head).action_close()

    def test_close_then_decide_through_the_gate(self):
        self.calibration.action_start()
        self._line("staff", self.user_head).write({"new_level_id": self.B.id, "comment": "Chậm 2 nhiệm vụ"})
        self._line("staff2", self.user_head).write({"discussed": True})
        self.calibration.action_close()
        self.assertEqual(self.calibration.state, "closed")
        minutes = self.calibration.minutes_attachment_id
        self.assertTrue(minutes)
        self.assertEqual(set(self.calibration.line_ids.mapped("minutes_checksum")), {minutes.checksum})
        self.assertIn(self.user_head, self.calibration.activity_ids.user_id)
        # closed: the levels no longer change, the minutes no longer go
        with self.assertRaises(UserError):
            self._line("staff2", self.user_head).write({"new_level_id": self.B.id, "comment": "x"})
        with self.assertRaises(AccessError):
            minutes.with_user(self.user_officer).unlink()
        # the officer does not decide for the head
        with self.assertRaises(AccessError):
            self.calibration.with_user(self.user_officer).action_decide()
        self.calibration.with_user(self.user_head).action_decide()
        staff, staff2, deputy = (self.sheets[name] for name in ("staff", "staff2", "deputy"))
        self.assertEqual((staff.state, staff.final_score, staff.level_id), ("done", 90.0, self.B))
        self.assertIn("Chậm 2 nhiệm vụ", staff.level_reason)
        self.assertIn(self.calibration.name, staff.level_reason)
        decision = staff._decision_step()
        self.assertEqual((decision.state, decision.reviewer_user_id), ("approved", self.user_head))
        self.assertEqual((staff2.level_id, deputy.level_id), (self.A, self.A))
        # the head's own sheet waits for the vice-chairman: left for the chairman's decision later
        self.assertEqual(self.sheets["head"].state, "review")

    def test_calibrated_level_on_the_sheets_own_decision(self):
        self.calibration.action_start()
        self._line("deputy", self.user_head).write(
            {"new_level_id": self.B.id, "comment": "Còn tồn đọng hồ sơ"}
        )
        self.calibration.action_close()
        self.sheets["deputy"].with_user(self.user_head).action_approve()
        self.assertEqual(self.sheets["deputy"].level_id, self.B)

    def test_sealed_with_the_month(self):
        self.calibration.action_start()
        self._line("staff", self.user_head).write({"new_level_id": self.B.id, "comment": "Chậm 2 nhiệm vụ"})
        self.calibration.action_close()
        self.calibration.with_user(self.user_head).action_decide()
        # a second session, still open at the lock, is cancelled
        other = (
            self.env["civ.calibration.session"]
            .with_user(self.user_officer)
            .create({"period_id": self.period.id})
        )
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(other.state, "cancelled")
        self.assertFalse(self.period._integrity_failures())
        line = self._line("staff")
        with self.assertRaises(UserError):
            line.sudo().write({"discussed": True})
        with self.assertRaises(UserError):
            self.calibration.sudo().unlink()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_calibration_line SET comment = 'Sửa sau khi khóa' WHERE id = %s", [line.id]
        )
        self.assertEqual(self.period._integrity_failures(), self.sheets["staff"])


@tagged("post_install", "-at_install", "civ_evaluation", "civ_calibration", "civ_access")
class TestCalibrationOverRpc(RpcMixin, CalibrationCase, HttpCase):
    def test_head_over_json_rpc(self):
        self.calibration.action_start()
        line = self._line("staff")
        self.authenticate("truongphong_t", "truongphong_t")
        # the workflow's own fields and actions are not the head's
        for vals in (
            {"proposed_level_id": self.B.id},
            {"decider_user_id": self.user_head.id},
            {"minutes_checksum": "x"},
        ):
            self.assertEqual(
                self._refused("civ.calibration.line", "write", [line.id], vals), "odoo.exceptions.AccessError"
            )
        for method in ("action_close", "action_load_sheets", "action_cancel"):
            self.assertEqual(
                self._refused("civ.calibration.session", method, [self.calibration.id]),
                "odoo.exceptions.AccessError",
            )
        self.assertEqual(
            self._refused("civ.calibration.line", "write", [line.id], {"new_level_id": self.B.id}),
            "odoo.exceptions.ValidationError",
        )
        self.assertTrue(
            self._call(
                "civ.calibration.line", "write", [line.id], {"new_level_id": self.B.id, "comment": "Lý do"}
            )
        )
        # a session in someone's name is not created by a head
        self.assertEqual(
            self._refused("civ.calibration.session", "create", {"period_id": self.period.id}),
            "odoo.exceptions.AccessError",
        )
        self.env.invalidate_all()
        self.assertEqual(line.new_level_id, self.B)
