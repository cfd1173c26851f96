"""18.0.1.2.0, after the new code's tables and data are loaded: rule sets of staff categories.

- Hà Nội 3814-QĐ/TU (shipped, noupdate data) gets its end for civil servants, 1/1/2026: Decree 335/2025
  governs them from then on (a database that changed it keeps its value).
- The framework of Quy định 366-QĐ/TW (quarterly, levels with conditions on the products) is installed
  as a new install gets it (civ.framework._civ_install_party366_variant).
- The sheets and year-end results of the previous releases had no regime: each gets the regime of its
  person's staff category (civil servants Decree 335, public employees Decree 90, cadres Regulation 366,
  contract staff the agency's regulation), the default of a company without rule sets. Locked sheets are
  sealed: `regime` is not one of the sealed columns of civ-seal-2, so their seals still verify.
- The disciplinary facts on the degradation ground name their sub-case: the earlier ones are the
  degradation case itself (Decree 335 art. 20.4(c) first case).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def set_hanoi_civil_servants_until(cr):
    cr.execute(
        """
        UPDATE civ_framework f
           SET civil_servants_until = '2026-01-01'
          FROM ir_model_data d
         WHERE d.module = 'civ_evaluation' AND d.name = 'framework_hanoi_3814'
           AND d.model = 'civ.framework' AND d.res_id = f.id AND f.civil_servants_until IS NULL
        """
    )


def set_regimes(cr):
    cr.execute(
        """
        UPDATE civ_evaluation t
           SET regime = CASE e.civ_category WHEN 'vien_chuc' THEN 'nd90' WHEN 'can_bo' THEN 'party366'
                        WHEN 'hop_dong' THEN 'agency' ELSE 'nd335' END
          FROM hr_employee e
         WHERE e.id = t.employee_id AND t.regime IS NULL
        """
    )
    _logger.info("civ_evaluation 18.0.1.2.0: %s sheets get their regime", cr.rowcount)
    cr.execute(
        """
        UPDATE civ_annual_result t
           SET regime = CASE e.civ_category WHEN 'vien_chuc' THEN 'nd90' WHEN 'can_bo' THEN 'party366'
                        WHEN 'hop_dong' THEN 'agency' ELSE 'nd335' END
          FROM hr_employee e
         WHERE e.id = t.employee_id AND t.regime IS NULL
        """
    )
    _logger.info("civ_evaluation 18.0.1.2.0: %s year-end results get their regime", cr.rowcount)


def set_degradation_cases(cr):
    cr.execute(
        """
        UPDATE civ_discipline SET degradation_case = 'degradation'
         WHERE ground = 'degradation' AND degradation_case IS NULL
        """
    )


def migrate(cr, version):
    if not version:
        return
    set_hanoi_civil_servants_until(cr)
    set_regimes(cr)
    set_degradation_cases(cr)
    Framework = api.Environment(cr, SUPERUSER_ID, {})["civ.framework"]
    # the quarterly Decree 335 framework it is copied from (a database of a release without it)
    Framework._civ_install_quarterly_variant(
        "civ_evaluation.framework_nd335",
        "civ_evaluation.framework_nd335_quarterly",
        "ND-335-Q",
        "Nghị định 335/2025/NĐ-CP - Công chức (theo quý)",
    )
    Framework._civ_install_party366_variant()
