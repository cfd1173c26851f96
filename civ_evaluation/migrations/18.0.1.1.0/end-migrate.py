"""18.0.1.1.0, once every addon of the update is loaded (the seal's columns are the final registry's:
civ.evaluation._civ_seal_columns(), which other addons extend).

18.0.1.0.0 locked months without sealing them, and decided year-end results without sealing them: its
locked months would stay unsealed forever (Verify Integrity: "not locked, or reopened since") and a change
made to them in SQL would never be detected; its decided results, without their hash, would all be
reported as no longer matching, and the next decision of that year refused.

- Every locked month without a seal whose sheets are all locked is sealed now with the model's own
  _seal() (the current rules, civ-seal-2) and marked as sealed at the upgrade (seal_upgrade_date,
  seal_upgrade_version = this version of the addon), with a note in its chatter: its seal proves nothing
  about what changed before the upgrade, and Verify Integrity and the period's form say so. A locked
  month with a sheet reopened is left unsealed: it is sealed when that sheet is locked again, as any
  month reopened.
- The decided year-end results of every company and year of which no result is sealed yet are sealed
  with civ.annual.result._seal_results() and marked the same way. A year whose chain already holds a
  hash is left as it is (a warning names it): resealing it would hide a change.

Months and results sealed already (by a release that sealed, under any version of the rules) are never
sealed again: each stored hash is verified under its own version (civ_seal.version_of).
"""

import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.module import get_manifest

_logger = logging.getLogger(__name__)


def seal_locked_months(env, version):
    cr = env.cr
    cr.execute(
        """
        SELECT period.id FROM civ_period period
         WHERE period.state = 'locked' AND period.seal_hash IS NULL AND period.seal_date IS NULL
           AND EXISTS (SELECT 1 FROM civ_evaluation sheet WHERE sheet.period_id = period.id)
           AND NOT EXISTS (SELECT 1 FROM civ_evaluation sheet
                            WHERE sheet.period_id = period.id AND sheet.state != 'locked')
         ORDER BY period.id
        """
    )
    periods = env["civ.period"].browse([row[0] for row in cr.fetchall()])
    cr.execute(
        """
        SELECT period.id FROM civ_period period
         WHERE period.state = 'locked' AND period.seal_hash IS NULL AND period.seal_date IS NULL
           AND EXISTS (SELECT 1 FROM civ_evaluation sheet
                        WHERE sheet.period_id = period.id AND sheet.state != 'locked')
        """
    )
    reopened = [row[0] for row in cr.fetchall()]
    if reopened:
        _logger.info(
            "civ_evaluation %s: locked periods %s have reopened sheets: sealed when those are locked again",
            version,
            reopened,
        )
    if not periods:
        return
    periods._seal()
    cr.execute(
        "UPDATE civ_period SET seal_upgrade_date = seal_date, seal_upgrade_version = %s "
        "WHERE id IN %s AND seal_hash IS NOT NULL",
        [version, tuple(periods.ids)],
    )
    periods.invalidate_recordset(["seal_upgrade_date", "seal_upgrade_version"])
    periods._message_log_batch(
        {
            period.id: period._civ_company_env()._(
                "Locked before months were sealed: sealed at the upgrade to %(version)s (%(count)s sheets). "
                "The seal proves nothing about changes made before the upgrade.",
                version=version,
                count=period.seal_count,
            )
            for period in periods
        }
    )
    _logger.info("civ_evaluation %s: %s locked periods sealed at the upgrade", version, len(periods))


def seal_decided_results(env, version):
    cr = env.cr
    cr.execute(
        """
        SELECT company_id, year, array_agg(id ORDER BY id), bool_or(seal_hash IS NOT NULL)
          FROM civ_annual_result
         WHERE state = 'done' OR seal_hash IS NOT NULL
         GROUP BY company_id, year
         ORDER BY company_id, year
        """
    )
    to_seal = []
    for company_id, year, ids, sealed in cr.fetchall():
        if sealed:
            cr.execute(
                "SELECT count(*) FROM civ_annual_result "
                "WHERE company_id = %s AND year = %s AND state = 'done' AND seal_hash IS NULL",
                [company_id, year],
            )
            if cr.fetchone()[0]:
                _logger.warning(
                    "civ_evaluation %s: the decided year-end results of company %s, %s are partly sealed; "
                    "left as they are (Verify the Seal names the results without their hash)",
                    version,
                    company_id,
                    year,
                )
            continue
        to_seal += ids
    if not to_seal:
        return
    results = env["civ.annual.result"].browse(to_seal)
    results._seal_results()
    now = fields.Datetime.now()
    cr.execute(
        "UPDATE civ_annual_result SET seal_upgrade_date = %s, seal_upgrade_version = %s "
        "WHERE id IN %s AND state = 'done' AND seal_hash IS NOT NULL",
        [now, version, tuple(to_seal)],
    )
    results.invalidate_recordset(["seal_upgrade_date", "seal_upgrade_version"])
    _logger.info(
        "civ_evaluation %s: %s decided year-end results sealed at the upgrade", version, len(to_seal)
    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    current = get_manifest("civ_evaluation")["version"]
    seal_locked_months(env, current)
    seal_decided_results(env, current)
