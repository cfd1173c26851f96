"""18.0.1.2.0, after the new columns exist: Decree 335/2025 as written, for the databases of earlier
releases.

- Quotas: a new company's quotas are caps (civ_quota_mode "block"); the companies of earlier releases
  keep deciding above a quota with a reason (warn), as they did, until human resources choose the caps
  in the settings.
- The unit result of leaders counts the points of the people led: each group scored on products gets
  as Points Required in the Unit the minimum score of the level it required (50 for the shipped Decree
  335 framework's "Hoàn thành nhiệm vụ"), 50 when none was set. Locked months keep their points.
- The shipped description of the Decree 335 framework (noupdate data) said the A quota was counted
  over those graded "B or above": it is counted over those graded B only, and is a cap.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

OLD_QUOTA_TEXT = 'số được xếp loại "Hoàn thành tốt nhiệm vụ" trở lên trong cơ quan.'
NEW_QUOTA_TEXT = (
    'số được xếp loại "Hoàn thành tốt nhiệm vụ" trong cơ quan (chỉ mức này, không tính "trở lên": 10 '
    'người loại B cho phép 2 người loại A); tỷ lệ là mức trần ("không vượt quá").'
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = env["res.company"].with_context(active_test=False).search([])
    companies.write({"civ_quota_mode": "warn"})
    _logger.info("civ_evaluation 18.0.1.2.0: %s companies keep quotas with a reason (warn)", len(companies))
    # SQL: the groups of frameworks already used are frozen for the ORM (civ.framework.part's write
    # guard), and this is the data of their own rule; writes civ_criteria_group.unit_result_min_score
    # only, before any ORM read of the groups in this migration (nothing cached to invalidate)
    cr.execute(
        """
        UPDATE civ_criteria_group g
           SET unit_result_min_score = COALESCE(l.min_score, 50.0)
          FROM civ_criteria_group g2 LEFT JOIN civ_level l ON l.id = g2.unit_result_level_id
         WHERE g2.id = g.id
        """
    )
    nd335 = env.ref("civ_evaluation.framework_nd335", raise_if_not_found=False)
    # the description is Markup, whose operators escape their operands: compare the plain text
    description = str(nd335.description or "") if nd335 else ""
    if OLD_QUOTA_TEXT in description:
        nd335.description = description.replace(OLD_QUOTA_TEXT, NEW_QUOTA_TEXT)
