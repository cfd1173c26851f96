from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import clean_context

OFFICER = "civ_evaluation.group_civ_officer"
ADMIN = "civ_evaluation.group_civ_admin"


class CivWorkflowMixin(models.AbstractModel):
    """What the workflow models of the addon (periods, sheets, their lines and steps, requests for
    review, year-end results) have in common, written once:

    - one access gate per model, ``_check_workflow_access(action)``: who may do what in which state
      (like ``hr.leave._check_approval_update``); every public action calls it first;
    - one exact list of the fields a user may write directly (forms, RPC), each with the gate action
      that allows it, ``_writable_outside_workflow()`` (like base_tier_validation's
      ``_get_under_validation_exceptions``); everything else changes only through the workflow's
      own methods, which run as superuser after the gate;
    - one lock guard, ``_check_not_locked()``: nothing of a locked month changes, superuser included.
    """

    _name = "civ.workflow.mixin"
    _description = "Evaluation Workflow Guards"

    @api.model_create_multi
    def create(self, vals_list):
        """No ``default_*`` context key fills a field of a workflow model: a field that create()
        leaves out takes its own default, never one chosen by the caller (an RPC client sends any
        context it likes)."""
        return super(CivWorkflowMixin, self.with_context(clean_context(self.env.context))).create(vals_list)

    def _check_workflow_access(self, action):
        """Raise unless the current user may do `action` on every record of self in its state."""
        raise NotImplementedError

    def _check_not_locked(self):
        """Raise if a record of self belongs to a locked month."""
        raise NotImplementedError

    def _writable_outside_workflow(self):
        """{field name: gate action, or None when the record rules alone decide}: the fields a user
        may write directly. The mail mixins set the main attachment of a record on their own."""
        return {"message_main_attachment_id": None}

    def _check_direct_write(self, vals):
        """The guard of write(): the month must not be locked; outside superuser code, only the
        fields of _writable_outside_workflow() may be written, each when the gate allows its action."""
        self._check_not_locked()
        if self.env.su:
            return
        writable = self._writable_outside_workflow()
        forbidden = sorted(set(vals) - set(writable))
        if forbidden:
            raise AccessError(
                self.env._(
                    "These fields of %(model)s change only through its workflow: %(fields)s",
                    model=self.env["ir.model"].sudo()._get(self._name).name,
                    fields=", ".join(forbidden),
                )
            )
        for action in sorted({writable[fname] for fname in vals} - {None}):
            self._check_workflow_access(action)

    def _civ_is_own(self):
        """Whether the record is the current user's own evaluation (their sheet, product line,
        year-end result, request for review): whatever their role, nobody decides on it but as its
        owner (see _civ_check_not_own)."""
        self.ensure_one()
        record, user = self.sudo(), self.env.user
        if "user_id" in record._fields and record.user_id == user:
            return True
        return "employee_id" in record._fields and record.employee_id.user_id == user

    def _civ_check_not_own(self, action_label):
        """Nobody reviews, decides or corrects the decisive fields of their own evaluation, whatever
        their role (officer, administrator, head of the agency): raise on the first record of self
        that is the current user's own."""
        if self.env.su:
            return
        for record in self:
            if record._civ_is_own():
                raise AccessError(
                    self.env._(
                        "You cannot do this on %(record)s: %(action)s on your own evaluation is for "
                        "someone else.",
                        record=record.sudo().display_name,
                        action=action_label,
                    )
                )

    def _is_officer(self):
        """The one officer check: HR / organisation officers of the evaluation (their companies are
        enforced by the record rules and check_access)."""
        return self.env.su or self.env.user.has_group(OFFICER)

    def _is_admin(self):
        return self.env.su or self.env.user.has_group(ADMIN)
