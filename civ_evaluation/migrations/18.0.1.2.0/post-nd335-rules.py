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

_logger = logging.getLogger(__name__)

OLD_QUOTA_TEXT = 'số được xếp loại "Hoàn thành tốt nhiệm vụ" trở lên trong cơ quan.'
NEW_QUOTA_TEXT = (
    'số được xếp loại "Hoàn thành tốt nhiệm vụ" trong cơ quan (chỉ mức này, không tính "trở lên": 10 '
    'người loại B cho phép 2 người loại A); tỷ lệ là mức trần ("không vượt quá").'
)


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE res_company SET civ_quota_mode = 'warn'")
    _logger.info("civ_evaluation 18.0.1.2.0: %s companies keep quotas with a reason (warn)", cr.rowcount)
    cr.execute(
        """
        UPDATE civ_criteria_group g
           SET unit_result_min_score = COALESCE(l.min_score, 50.0)
          FROM civ_criteria_group g2 LEFT JOIN civ_level l ON l.id = g2.unit_result_level_id
         WHERE g2.id = g.id
        """
    )
    cr.execute(
        """
        UPDATE civ_framework f
           SET description = replace(f.description, %s, %s)
          FROM ir_model_data d
         WHERE d.module = 'civ_evaluation' AND d.name = 'framework_nd335' AND d.model = 'civ.framework'
           AND d.res_id = f.id AND f.description LIKE %s
        """,
        [OLD_QUOTA_TEXT, NEW_QUOTA_TEXT, "%" + OLD_QUOTA_TEXT + "%"],
    )
