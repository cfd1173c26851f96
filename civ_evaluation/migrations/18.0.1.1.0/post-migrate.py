"""18.0.1.1.0, after the new code's tables and data are loaded.

The scheduled actions' entry points became private in this release (civ.period._cron_open_periods,
_cron_lock_periods, _cron_send_reminders: a public method is callable by any logged-in client), but the
scheduled actions are noupdate data: an upgraded database kept 18.0.1.0.0's code
``model.civ_cron_open_periods()`` (and the lock and the reminders), a method that no longer exists, so
after the upgrade no month would open, lock or send its reminders. Their code (and that of any server
action of civ.period calling them) is pointed at the private methods.
"""

import logging

_logger = logging.getLogger(__name__)


def point_crons_at_private_methods(cr):
    cr.execute(
        r"""
        UPDATE ir_act_server
           SET code = regexp_replace(code, 'model\.civ_cron_(open_periods|lock_periods|send_reminders)\(',
                                     'model._cron_\1(', 'g')
         WHERE model_name = 'civ.period'
           AND code ~ 'model\.civ_cron_(open_periods|lock_periods|send_reminders)\('
        """
    )
    _logger.info("civ_evaluation 18.0.1.1.0: %s scheduled actions call the private cron methods", cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    point_crons_at_private_methods(cr)
