from odoo import api, models
from odoo.exceptions import AccessError


class CivOwnRecordsMixin(models.AbstractModel):
    """Facts about a person that count for their evaluation (absences, disciplinary measures and
    other grounds), entered by human resources: nobody records, changes or removes their own,
    whatever their role (superuser code apart)."""

    _name = "civ.own.records.mixin"
    _description = "Facts About a Person That Count for Their Evaluation"

    def _check_not_own_records(self):
        if self.env.su:
            return
        own = self.sudo().filtered(lambda record: record.employee_id.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(record)s is about you: someone else in human resources records, changes or removes "
                    "it.",
                    record=own[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_not_own_records()
        return records

    def write(self, vals):
        self._check_not_own_records()
        result = super().write(vals)
        self._check_not_own_records()
        return result

    def unlink(self):
        self._check_not_own_records()
        return super().unlink()
