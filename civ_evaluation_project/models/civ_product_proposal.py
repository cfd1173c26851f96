from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.civ_evaluation.models.civ_product_loader import LOADER

PROPOSAL_KINDS = [
    ("add", "New Task"),
    ("update", "Changed Task"),
    ("remove", "Task No Longer the Period's"),
]
PROPOSAL_STATES = [("pending", "To Decide"), ("accepted", "Accepted"), ("refused", "Refused")]
# the date values of a proposal are kept as text in its JSON
DATE_FIELDS = ("date_deadline", "date_done")


class CivProductProposal(models.Model):
    """A change of the tasks of Project behind a sheet that has left the self-assessment: the loader
    does not apply it, the re-scoring reviewer sees the old and the new values and accepts or refuses
    it (Nobody changes the evidence of a submitted sheet silently: the employee still works in
    Project, a reviewer decides what the sheet takes from it). Written by the loader only."""

    _name = "civ.product.proposal"
    _description = "Proposed Change of the Products from Project"
    _order = "evaluation_id, id"

    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    product_id = fields.Many2one(
        "civ.evaluation.product",
        string="Product Line",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    task_id = fields.Many2one("project.task", index="btree_not_null", ondelete="set null", readonly=True)
    name = fields.Char(string="Product / Work", readonly=True)
    kind = fields.Selection(PROPOSAL_KINDS, required=True, readonly=True)
    values = fields.Json(readonly=True, help="The values the line takes if the change is accepted.")
    summary = fields.Text(string="Change", readonly=True, help="The values before and after the change.")
    state = fields.Selection(PROPOSAL_STATES, default="pending", required=True, readonly=True, index=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    date_decided = fields.Datetime(string="Decided On", readonly=True)

    # ------------------------------------------------------------------ values
    @api.model
    def _to_json(self, values):
        return {
            fname: fields.Date.to_string(value) if fname in DATE_FIELDS else value
            for fname, value in values.items()
        }

    def _line_values(self):
        self.ensure_one()
        return {
            fname: (fields.Date.to_date(value) or False) if fname in DATE_FIELDS else value
            for fname, value in (self.values or {}).items()
        }

    # ------------------------------------------------------------------ decisions
    def action_accept(self):
        """The re-scoring reviewer takes the change into the sheet: the line is added, updated (and
        confirmed) or removed."""
        self._civ_check_decision()
        proposals = self.sudo()
        Product = self.env["civ.evaluation.product"].sudo().with_context(civ_loader=LOADER)
        for proposal in proposals:
            values = proposal._line_values()
            if proposal.kind == "add":
                proposal.product_id = Product._civ_insert_loaded(
                    [
                        dict(
                            values,
                            evaluation_id=proposal.evaluation_id.id,
                            task_id=proposal.task_id.id,
                            source="project",
                            confirmed=True,
                        )
                    ]
                )
            elif proposal.kind == "update" and proposal.product_id:
                proposal.product_id.write(dict(values, confirmed=True))
            elif proposal.kind == "remove" and proposal.product_id:
                proposal.product_id.unlink()
        return proposals._civ_close("accepted", self.env._("accepted"))

    def action_refuse(self):
        """The re-scoring reviewer leaves the sheet as it is."""
        self._civ_check_decision()
        return self.sudo()._civ_close("refused", self.env._("refused"))

    def _civ_check_decision(self):
        """The gate: the re-scoring reviewer of the sheet's current step, on pending proposals."""
        self.check_access("read")
        if any(proposal.state != "pending" for proposal in self.sudo()):
            raise UserError(self.env._("This proposed change has already been decided."))
        self.sudo().evaluation_id.with_env(self.env)._check_workflow_access("review_products")

    def _civ_close(self, state, label):
        now = fields.Datetime.now()
        self.write({"state": state, "decided_by_id": self.env.uid, "date_decided": now})
        notes = {}
        for proposal in self:
            notes.setdefault(proposal.evaluation_id.id, Markup(""))
            notes[proposal.evaluation_id.id] += Markup("<p>%s</p>") % self.env._(
                "Proposed change from Project %(decision)s by %(user)s: %(name)s — %(change)s",
                decision=label,
                user=self.env.user.name,
                name=proposal.name or "-",
                change=proposal.summary or "-",
            )
        self.evaluation_id._civ_refresh_product_points(notes=notes)
        return True
