import inspect
from datetime import date

import psycopg2

from odoo import sql_db
from odoo.tests import tagged
from odoo.tools import mute_logger

from .cycle_common import CivCycleCase

# every method of the addon marked @api.readonly (Odoo 18 serves them from db_replica_host when they
# are called over JSON-RPC): a new mark is added here, after checking that the method never writes
READONLY = {
    "civ.period": {
        "action_view_evaluations",
        "action_view_draft",
        "action_view_review",
        "action_view_done",
        "action_view_locked",
        "action_view_chain_problem",
        "action_view_analysis",
        "action_view_quota_breaches",
    },
    "civ.evaluation": {"action_view_appeals", "action_open_sheet"},
}
OPENING_DAY = date(2026, 5, 20)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_deploy")
class TestDeployment(CivCycleCase):
    """What the city-scale deployment relies on (deploy/README.md): read-only paths that can run on
    the replica, crons safe with several cron workers."""

    def _marked_readonly(self):
        marked = {}
        for model_name in self.env.registry.descendants(
            [name for name in self.env.registry if name.startswith("civ.")], "_inherit"
        ):
            cls = type(self.env[model_name])
            for name, member in inspect.getmembers(cls, callable):
                module = getattr(member, "__module__", "") or ""
                if getattr(member, "_readonly", False) and module.startswith("odoo.addons.civ_evaluation"):
                    marked.setdefault(model_name, set()).add(name)
        return marked

    def _in_readonly_transaction(self, call):
        """Run call() in a read-only (sub)transaction, flushing before it ends, then undo it."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SAVEPOINT civ_readonly")
        cr.execute("SET LOCAL transaction_read_only = on")
        try:
            result = call()
            self.env.flush_all()
            return result
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT civ_readonly")
            self.env.invalidate_all()

    def test_readonly_marks_are_the_reviewed_ones(self):
        self.assertEqual(self._marked_readonly(), READONLY)

    def test_readonly_methods_do_not_write(self):
        period = self.Period.create(
            {"company_id": self.company.id, "framework_id": self.framework.id, "date_start": date(2026, 5, 1)}
        )
        period.action_open()
        sheet = period.evaluation_ids[:1]
        records = {
            "civ.period": period.with_user(self.user_officer),
            "civ.evaluation": sheet.with_user(self.user_officer),
        }
        for model_name, methods in READONLY.items():
            for name in sorted(methods):
                with self.subTest(model=model_name, method=name):
                    result = self._in_readonly_transaction(getattr(records[model_name], name))
                    self.assertEqual(result.get("type"), "ir.actions.act_window")
        # the check itself refuses a write (else it could not fail)
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction), mute_logger("odoo.sql_db"):
            self._in_readonly_transaction(lambda: period.write({"name": "Tháng 5 (sửa)"}))

    def test_cron_open_skips_while_another_worker_runs_it(self):
        """A second cron worker (or Run Manually) meanwhile skips the run instead of failing on the
        first one's rows; once the first has committed, the next run does the work."""
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT pg_advisory_xact_lock(hashtext('civ_evaluation.cron.open'))")
            self.assertEqual(self.Period._civ_open_periods(today=OPENING_DAY, companies=self.company), 0)
            self.assertFalse(
                self.Period.search(
                    [("company_id", "=", self.company.id), ("date_start", "=", date(2026, 5, 1))]
                )
            )
            # the lock job has its own lock: it is not held up by an opening
            self.assertEqual(self.Period._civ_lock_periods(today=OPENING_DAY, companies=self.company), 0)
        finally:
            other.rollback()
            other.close()
        self.Period._civ_open_periods(today=OPENING_DAY, companies=self.company)
        period = self.Period.search(
            [("company_id", "=", self.company.id), ("date_start", "=", date(2026, 5, 1))]
        )
        self.assertEqual(period.state, "open")
        self.assertEqual(len(period.evaluation_ids), 6)

    def test_indexes(self):
        self.env.cr.execute("""
            SELECT tablename || '.' || indexdef FROM pg_indexes
             WHERE tablename IN ('civ_evaluation', 'civ_evaluation_line', 'civ_review_step')
        """)
        indexes = " ".join(row[0] for row in self.env.cr.fetchall())
        for table, column in [
            ("civ_evaluation", "framework_id"),
            ("civ_evaluation", "current_step_id"),
            ("civ_evaluation_line", "criterion_id"),
            ("civ_review_step", "policy_step_id"),
        ]:
            self.assertRegex(
                indexes, rf"{table}\.CREATE INDEX \S+ ON public\.{table} USING btree \({column}\)"
            )
