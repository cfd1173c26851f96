from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import clean_context

# the evaluation's security groups (the xml ids of the DESIGN's interface), named once
USER = "civ_evaluation.group_civ_user"
OFFICER = "civ_evaluation.group_civ_officer"
ADMIN = "civ_evaluation.group_civ_admin"


class CivWorkflowMixin(models.AbstractModel):
    """The one declarative gate of the workflow models (periods, sheets and their lines, steps and
    products, requests for review, year-end results), like hr.leave's ``_check_approval_update``
    and base_tier_validation's exceptions, written once. A model only declares:

    - ``_workflow_actions = {action: (states, role)}``: who may do what in which states (``None``:
      any state) — the one table of the model;
    - ``_workflow_roles()``: ``{role: predicate(record) -> bool}``, the record in sudo, the actor
      ``self.env.user`` (``officer`` and ``admin`` are given here);
    - ``_workflow_parent``: the field of the record whose gate also decides (a line, a step, a
      product follow their sheet: the sheet's row of the same action is checked first);
    - optionally ``_workflow_state(record)``, the state the table compares (default: ``state``),
      ``_workflow_extra_refusal(action, record)`` for a condition of the model that is not a state
      (an exception or None), and the labels of the messages.

    ``_check_workflow_access(action)`` then checks in one order, with one error policy:

    1. the record rules (read access, ``_workflow_access_mode``) — AccessError;
    2. the lock: nothing of a locked month, unless the action's states include "locked"
       (``_check_not_locked``, one meaning everywhere) — UserError;
    3. the state — UserError, or AccessError for the actions that allow writing fields directly
       (see ``_writable_outside_workflow``: a write in a wrong state is an access problem);
    4. the role — AccessError; a role other than the owner's never applies to one's own evaluation
       (``_civ_is_own``): nobody reviews, decides or corrects their own record;
    5. the model's extra condition.

    Superuser code (the workflow after the gate, the crons) passes the role checks. The form's
    rights flags ask the same gate (``_workflow_allowed``), so they never disagree with the server.

    The mixin also carries the exact list of the fields a user may write directly
    (``_writable_outside_workflow``) with the gate action that allows each, the write guard that
    enforces it (``_check_direct_write``), and the cleaning of ``default_*`` keys at creation.
    """

    _name = "civ.workflow.mixin"
    _description = "Evaluation Workflow Guards"

    # {action: (states or None, role)}
    _workflow_actions = {}
    # the field whose record's gate decides too (e.g. "evaluation_id")
    _workflow_parent = None
    # the roles that act on their own record (the owner's); every other role never does
    _workflow_own_roles = frozenset({"owner"})

    @api.model_create_multi
    def create(self, vals_list):
        """No ``default_*`` context key fills a field of a workflow model: a field that create()
        leaves out takes its own default, never one chosen by the caller (an RPC client sends any
        context it likes)."""
        return super(CivWorkflowMixin, self.with_context(clean_context(self.env.context))).create(vals_list)

    # ------------------------------------------------------------------ declarations
    def _workflow_roles(self):
        """{role: predicate(record) -> bool} (record in sudo; the actor is self.env.user)."""
        return {
            "officer": lambda record: self._is_officer(),
            "admin": lambda record: self._is_admin(),
        }

    def _workflow_state(self, record):
        return record.state

    def _workflow_access_mode(self, action):
        """The access the record rules must give for `action`."""
        return "read"

    def _workflow_extra_refusal(self, action, record):
        """A condition of the model beyond its table (record in sudo): an exception, or None."""
        return None

    def _workflow_action_label(self, action):
        return action

    def _workflow_state_refusal(self, action, record):
        """The exception for `action` refused in the record's state (UserError; AccessError for the
        actions that allow direct writes)."""
        states = dict(self._fields["state"]._description_selection(self.env))
        error = AccessError if action in self._workflow_field_actions() else UserError
        return error(
            self.env._(
                "%(record)s is %(state)s: %(action)s is not possible now.",
                record=record.display_name,
                state=states.get(self._workflow_state(record), self._workflow_state(record)),
                action=self._workflow_action_label(action),
            )
        )

    def _workflow_role_refusal(self, action, role, record):
        return AccessError(
            self.env._(
                "You cannot do this on %(record)s: %(action)s is not yours to do.",
                record=record.display_name,
                action=self._workflow_action_label(action),
            )
        )

    def _check_not_locked(self):
        """Raise if a record of self belongs to a locked month (superuser included)."""
        if self._workflow_parent:
            self[self._workflow_parent]._check_not_locked()

    # ------------------------------------------------------------------ the gate
    def _workflow_field_actions(self):
        return set(self._writable_outside_workflow().values()) - {None}

    def _workflow_refusal(self, action, record, roles):
        """Why the current user may not do `action` on `record` (sudo) in its state, or None. An
        action the model's table does not list is decided by the parent's gate and the model's extra
        condition only."""
        row = self._workflow_actions.get(action)
        if row:
            states, role = row
            if states is not None and self._workflow_state(record) not in states:
                return self._workflow_state_refusal(action, record)
            if not self.env.su:
                if not roles[role](record):
                    return self._workflow_role_refusal(action, role, record)
                if role not in self._workflow_own_roles and record.with_env(self.env)._civ_is_own():
                    return AccessError(
                        self.env._(
                            "You cannot do this on %(record)s: %(action)s on your own evaluation is for "
                            "someone else.",
                            record=record.display_name,
                            action=self._workflow_action_label(action),
                        )
                    )
        return self._workflow_extra_refusal(action, record)

    def _workflow_checks_lock(self, action):
        row = self._workflow_actions.get(action)
        return not (row and row[0] is not None and "locked" in row[0])

    def _check_workflow_access(self, action, access=None):
        """Raise unless the current user may do `action` on every record of self, in its state (see
        the class's docstring for the order and the errors). access: the access the record rules
        must give (default: the action's, _workflow_access_mode; "write" for a direct write)."""
        if not self:
            return
        if self._workflow_parent:
            self[self._workflow_parent]._check_workflow_access(action, access=access)
        elif action not in self._workflow_actions:
            raise KeyError(action)
        if not self.env.su:
            self.check_access(access or self._workflow_access_mode(action))
        if self._workflow_checks_lock(action):
            self._check_not_locked()
        roles = self._workflow_roles()
        for record in self.sudo():
            refusal = self._workflow_refusal(action, record, roles)
            if refusal:
                raise refusal

    def _workflow_allowed(self, action):
        """The records of self on which the current user may do `action` now: the same gate, without
        raising, for the form's rights flags (on records the user reads)."""
        roles = self._workflow_roles()
        allowed_ids = []
        parents = self[self._workflow_parent]._workflow_allowed(action) if self._workflow_parent else None
        for record in self:
            if parents is not None and record[self._workflow_parent] not in parents:
                continue
            if self._workflow_checks_lock(action) and record._workflow_is_locked():
                continue
            if not self._workflow_refusal(action, record.sudo(), roles):
                allowed_ids.append(record.id)
        return self.browse(allowed_ids)

    def _workflow_is_locked(self):
        try:
            self._check_not_locked()
        except UserError:
            return True
        return False

    # ------------------------------------------------------------------ direct writes
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
            self._check_workflow_access(action, access="write")

    # ------------------------------------------------------------------ who is who
    def _civ_is_own(self):
        """Whether the record is the current user's own evaluation (their sheet, product line,
        year-end result, request for review): whatever their role, nobody decides on it but as its
        owner."""
        self.ensure_one()
        record, user = self.sudo(), self.env.user
        if "user_id" in record._fields and record.user_id == user:
            return True
        return "employee_id" in record._fields and record.employee_id.user_id == user

    def _is_officer(self):
        """The one officer check: HR / organisation officers of the evaluation (their companies are
        enforced by the record rules and check_access)."""
        return self.env.su or self.env.user.has_group(OFFICER)

    def _is_admin(self):
        return self.env.su or self.env.user.has_group(ADMIN)
