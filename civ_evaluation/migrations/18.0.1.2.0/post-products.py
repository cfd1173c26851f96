"""18.0.1.2.0, after the new columns exist: the objective causes of the product lines.

Before this version one confirmation (`objective_cause`) covered the major errors and the delays of a
line; Decree 335/2025 confirms them separately, so `objective_cause` now means the errors and
`objective_cause_delays` the delays. The lines of the sheets not locked get both confirmations as they
had them. The lines of locked months keep theirs as sealed: `objective_cause_delays` stays empty
there (an empty column leaves the seal of civ-seal-2 intact; their points were computed with the one
confirmation and are not recomputed).
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE civ_evaluation_product p
           SET objective_cause_delays = p.objective_cause
          FROM civ_evaluation e
         WHERE e.id = p.evaluation_id AND e.state != 'locked' AND p.objective_cause
           AND p.objective_cause_delays IS NULL
        """
    )
    _logger.info(
        "civ_evaluation 18.0.1.2.0: %s product lines keep their objective cause of delays", cr.rowcount
    )
