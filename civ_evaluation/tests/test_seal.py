from datetime import date

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from ..models import civ_seal, civ_sql
from .common import MAY
from .cycle_common import CivCycleCase

JUNE = date(2026, 6, 1)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_seal")
class TestSeal(CivCycleCase):
    """Locked months are sealed with a hash chain: a change made below the application, in SQL, is
    found and names the sheet changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.may = cls._locked_month(MAY)
        cls.june = cls._locked_month(JUNE)

    @classmethod
    def _locked_month(cls, month):
        period = cls._open_period(month)
        sheet = cls._sheet(period, cls.staff)
        cls._set_points(sheet, cls.user_staff, "self_points", cls.SELF_90)
        sheet.with_user(cls.user_staff).action_submit()
        sheet.with_user(cls.user_deputy).action_approve()
        sheet.with_user(cls.user_head).action_approve()
        period.with_user(cls.user_officer).action_lock()
        return period

    def _staff_sheet(self, period):
        return self._sheet(period, self.staff)

    def _reopen_wizard(self, record, reason, user=None, target=None):
        """The reopen wizard of `record` (a period or a sheet) as the web client fills it."""
        wizard = Form(
            self.env["civ.reopen.wizard"]
            .with_user(user or self.user_admin)
            .with_context(active_model=record._name, active_id=record.id)
        )
        wizard.reason = reason
        if target:
            wizard.target = target
        return wizard.save()

    def test_locking_seals_every_sheet(self):
        for period in (self.may, self.june):
            sheets = period.evaluation_ids
            self.assertTrue(period.seal_hash)
            self.assertEqual(period.seal_count, len(sheets))
            self.assertTrue(all(sheet.seal_hash for sheet in sheets))
            self.assertEqual(len(set(sheets.mapped("seal_hash"))), len(sheets))
            self.assertEqual(sheets.sorted("id")[-1].seal_hash, period.seal_hash)
            self.assertFalse(period._integrity_failures())

    def test_the_chains_sql_invalidates_what_it_writes(self):
        sheets = self.may.evaluation_ids.sorted("id")
        self.assertEqual(
            civ_sql.month_seal_chain(self.env, self.may.id), {sheet.id: sheet.seal_hash for sheet in sheets}
        )
        # the values are in the cache (read above): what the SQL writes must be read again
        self.assertTrue(self.may.seal_hash)
        civ_sql.periods_discard_seals(self.env, self.may.ids)
        self.assertEqual((self.may.seal_hash, self.may.seal_date, self.may.seal_count), (False, False, 0))
        self.assertFalse(any(sheets.mapped("seal_hash")))
        self.assertTrue(self.june.seal_hash and all(self.june.evaluation_ids.mapped("seal_hash")))
        civ_sql.period_store_seal(self.env, self.may.id, "civ-seal-2$x", fields.Datetime.now(), 3)
        self.assertEqual((self.may.seal_hash, self.may.seal_count), ("civ-seal-2$x", 3))

    def test_a_line_changed_in_sql_names_exactly_that_sheet(self):
        sheet = self._staff_sheet(self.may)
        line = sheet.line_ids[0]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_evaluation_line SET final_points = final_points - 1 WHERE id = %s", [line.id]
        )
        self.env.invalidate_all()
        self.assertEqual((self.may | self.june)._integrity_failures(), sheet)
        # the other month is untouched
        self.assertFalse(self.june._integrity_failures())

    def test_a_level_point_changed_in_sql_is_found(self):
        sheet = self._staff_sheet(self.may)
        point = sheet.step_ids.sorted("sequence")[0].point_ids[:1]
        self.assertTrue(point)
        self.assertFalse(self.may._integrity_failures())
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_review_step_point SET points = points - 1 WHERE id = %s", [point.id])
        self.env.invalidate_all()
        self.assertEqual(self.may._integrity_failures(), sheet)
        self.assertFalse(self.june._integrity_failures())

    def test_other_changes_in_sql_are_found(self):
        sheets = self.may.evaluation_ids.sorted("id")
        first, middle = sheets[0], sheets[len(sheets) // 2]
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "UPDATE civ_review_step SET reviewer_user_id = %s WHERE evaluation_id = %s",
            [self.user_chairman.id, middle.id],
        )
        cr.execute("UPDATE civ_evaluation SET final_score = final_score + 1 WHERE id = %s", [first.id])
        self.env.invalidate_all()
        self.assertEqual(self.may._integrity_failures(), first | middle)

    def test_deleting_or_rehashing_a_sheet_breaks_the_chain(self):
        sheets = self.may.evaluation_ids.sorted("id")
        last = sheets[-1]
        self.env.flush_all()
        # someone recomputes a sheet's hash for forged content: the next link no longer matches
        self.env.cr.execute(
            "UPDATE civ_evaluation SET final_score = 100, seal_hash = 'x' WHERE id = %s", [sheets[0].id]
        )
        self.env.cr.execute("DELETE FROM civ_evaluation WHERE id = %s", [last.id])
        self.env.invalidate_all()
        failures = self.may._integrity_failures()
        self.assertIn(sheets[0], failures)
        self.assertIn(sheets[1], failures)
        self.assertIn(sheets[-2], failures)  # the end of the chain no longer matches the period's seal

    def test_officer_verifies_from_the_period(self):
        result = self.may.with_user(self.user_officer).action_verify_integrity()
        self.assertEqual(result["params"]["type"], "success")
        sheet = self._staff_sheet(self.may)
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_evaluation SET final_score = 99 WHERE id = %s", [sheet.id])
        self.env.invalidate_all()
        result = self.may.with_user(self.user_officer).action_verify_integrity()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn(self.staff.name, result["params"]["message"])
        self.assertIn("Integrity verified", self.may.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.may.with_user(self.user_staff).action_verify_integrity()

    def test_reopening_discards_the_seal_and_locking_seals_again(self):
        self._reopen_wizard(self.may, "Thanh tra yêu cầu chấm lại").action_reopen()
        self.assertEqual(self.may.state, "open")
        self.assertFalse(self.may.seal_hash)
        self.assertFalse(any(self.may.evaluation_ids.mapped("seal_hash")))
        discarded = self.may.message_ids.filtered(lambda message: "Seal discarded" in (message.body or ""))
        self.assertIn("Thanh tra yêu cầu chấm lại", discarded.body)
        self.may.with_user(self.user_officer).action_lock()
        self.assertTrue(self.may.seal_hash)
        self.assertFalse(self.may._integrity_failures())

    def test_locking_again_never_seals_over_a_change(self):
        sheet = self._staff_sheet(self.may)
        seal = self.may.seal_hash
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_evaluation SET final_score = 99 WHERE id = %s", [sheet.id])
        self.env.invalidate_all()
        # the lock of a locked month (any officer may call it) keeps the seal, and the change shows
        self.may.with_user(self.user_officer).action_lock()
        self.assertEqual(self.may.seal_hash, seal)
        self.assertEqual(self.may._integrity_failures(), sheet)

    def test_reopening_names_what_no_longer_matched(self):
        sheet = self._staff_sheet(self.may)
        self.env.flush_all()
        self.env.cr.execute("UPDATE civ_evaluation SET final_score = 99 WHERE id = %s", [sheet.id])
        self.env.invalidate_all()
        self._reopen_wizard(self.may, "Thanh tra yêu cầu chấm lại").action_reopen()
        discarded = self.may.message_ids.filtered(lambda message: "Seal discarded" in (message.body or ""))
        self.assertIn("no longer matched", discarded.body)
        self.assertIn(sheet.display_name, discarded.body)

    def test_nobody_reopens_their_own_sheet(self):
        self.user_head.groups_id |= self.env.ref("civ_evaluation.group_civ_admin")
        sheet = self._sheet(self.may, self.head)
        wizard = self._reopen_wizard(sheet, "Tự mở lại", user=self.user_head)
        with self.assertRaises(AccessError):
            wizard.action_reopen()
        self.assertEqual(sheet.state, "locked")
        self.assertTrue(self.may.seal_hash)

    def test_reopening_one_sheet(self):
        sheet = self._staff_sheet(self.may)
        self._reopen_wizard(sheet, "Sai tiêu chí 2.2", target="decision").action_reopen()
        self.assertEqual(sheet.state, "review")
        self.assertFalse(self.may.seal_hash)
        sheet.with_user(self.user_head).action_approve()
        sheet.with_user(self.user_officer).action_lock()
        self.assertTrue(self.may.seal_hash)
        self.assertFalse(self.may._integrity_failures())


@tagged("post_install", "-at_install", "civ_evaluation", "civ_seal")
class TestSealRules(CivCycleCase):
    """A month sealed by an earlier release's rules stays verifiable; links beyond the points (the group
    of similar duties) are kept and sealed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)

    def test_months_sealed_under_the_first_rules_stay_verifiable(self):
        self.period.with_user(self.user_officer).action_lock()
        # the month as a release before civ-seal-2 sealed it: bare hashes over the first rules' content
        cr = self.env.cr
        ids = self.period.evaluation_ids.sorted("id").ids
        previous = ""
        contents = civ_seal.sheet_contents(cr, ids, civ_seal.LEGACY_VERSION)
        for sheet_id in ids:
            previous = civ_seal.digest(previous, contents[sheet_id], civ_seal.LEGACY_VERSION)
            cr.execute("UPDATE civ_evaluation SET seal_hash = %s WHERE id = %s", [previous, sheet_id])
        cr.execute("UPDATE civ_period SET seal_hash = %s WHERE id = %s", [previous, self.period.id])
        self.env.invalidate_all()
        self.assertNotIn("$", previous)
        self.assertFalse(self.period._integrity_failures())
        cr.execute("UPDATE civ_evaluation SET final_score = 99 WHERE id = %s", [self.sheet.id])
        self.assertEqual(self.period._integrity_failures(), self.sheet)

    def test_duty_groups_of_decided_months_are_kept(self):
        group = self.env["civ.duty.group"].create(
            {"name": "Tham mưu tổng hợp", "company_id": self.company.id}
        )
        self.sheet.sudo().duty_group_id = group
        self.period.with_user(self.user_officer).action_lock()
        with self.assertRaises(Exception) as caught, self.env.cr.savepoint():
            group.unlink()
        self.assertIn("archive it", str(caught.exception))
        group.active = False
        self.assertEqual(self.sheet.duty_group_id, group)
        # the link is sealed
        self.env.cr.execute("UPDATE civ_evaluation SET duty_group_id = NULL WHERE id = %s", [self.sheet.id])
        self.assertEqual(self.period._integrity_failures(), self.sheet)
