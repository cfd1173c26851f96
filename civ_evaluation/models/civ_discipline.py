from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

DISCIPLINE_KINDS = [
    ("reprimand", "Reprimand"),
    ("warning", "Warning"),
    ("demotion", "Salary Downgrade / Demotion"),
    ("dismissal", "Dismissal from Post"),
    ("discharge", "Discharge"),
    ("other", "Other"),
]

# the grounds that classify a person "Không hoàn thành nhiệm vụ" whatever their points
# (Nghị định 335/2025 for the month and the year, Nghị định 48/2023 for the year)
DISCIPLINE_GROUNDS = [
    ("discipline", "Disciplinary Measure"),
    ("degradation", "Conclusion of Degradation"),
    ("unit_corruption", "Corruption or Waste in the Unit Led"),
]

# the sub-cases of the degradation ground (Nghị định 335/2025, art. 20.4(c))
DEGRADATION_CASES = [
    ("degradation", "Political, Ethical or Lifestyle Degradation"),
    ("party_rules", "Breach of What Party Members May Not Do"),
    ("example_duty", "Breach of the Duty to Set an Example"),
]

DISCIPLINE_SYSTEMS = [
    ("administrative", "Administrative"),
    ("party", "Party"),
]


class CivDiscipline(models.Model):
    """A recorded fact that classifies a person "Không hoàn thành nhiệm vụ" whatever their points,
    entered by human resources (Nghị định 335/2025, Nghị định 48/2023):

    - a disciplinary measure (Party or administrative) of reprimand or above for a violation in
      official duty;
    - a competent conclusion of ideological, ethical or lifestyle degradation;
    - for leaders, corruption or waste in a unit under their direct management, handled under the law.

    The monthly decision of the period containing the date, and the year-end proposal of its year,
    take the lowest level with the fact as the visible reason, unless (ND 48) the violation was
    already used to lower a classification before, or the fact is the Party (or administrative)
    discipline of an act already recorded (the same act counts once)."""

    _name = "civ.discipline"
    _description = "Ground for Not Completing the Tasks"
    _inherit = ["civ.own.records.mixin"]
    _order = "date desc, id desc"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", related="employee_id.company_id", store=True, index=True, precompute=True
    )
    ground = fields.Selection(
        DISCIPLINE_GROUNDS,
        required=True,
        default="discipline",
        help="Disciplinary measure: reprimand or above, for a violation in official duty. Conclusion of "
        "degradation: a competent conclusion of ideological, ethical or lifestyle degradation. "
        "Corruption or waste: in a unit under the leader's direct management, handled under the law.",
    )
    degradation_case = fields.Selection(
        DEGRADATION_CASES,
        string="Conclusion of",
        default="degradation",
        help="What the competent conclusion found (Decree 335/2025, art. 20.4(c)): degradation of political "
        "ideology, ethics or lifestyle; a breach of what Party members may not do; a breach of the duty to "
        "set an example.",
    )
    date = fields.Date(
        required=True, help="Date of the decision or conclusion: the month and year it counts in."
    )
    kind = fields.Selection(
        DISCIPLINE_KINDS,
        string="Measure",
        required=True,
        default="reprimand",
        help='The disciplinary measure (for a disciplinary ground). "Other" (below reprimand) is not a '
        "ground.",
    )
    system = fields.Selection(
        DISCIPLINE_SYSTEMS,
        string="Discipline of",
        default="administrative",
        help="Party or administrative discipline: for the same act they count once.",
    )
    in_official_duty = fields.Boolean(
        string="Violation in Official Duty",
        default=True,
        help="The disciplinary measure is for a violation in the performance of official duty.",
    )
    decision_number = fields.Char(
        string="Decision Reference", help="Number (and issuer) of the decision or conclusion."
    )
    same_act_id = fields.Many2one(
        "civ.discipline",
        string="Same Act As",
        index=True,
        ondelete="set null",
        domain="[('employee_id', '=', employee_id), ('id', '!=', id)]",
        help="The Party (or administrative) discipline already recorded for the same act: Party and "
        "administrative discipline for one act count once (Nghị định 48/2023), so this one does not "
        "count again.",
    )
    already_used = fields.Boolean(
        string="Already Used Before",
        help="The violation was already used to lower a classification before (e.g. the previous "
        "year's): it is not counted again (Nghị định 48/2023).",
    )
    counted = fields.Boolean(
        string="Counts",
        compute="_compute_counted",
        store=True,
        index=True,
        help='The fact classifies the person "Không hoàn thành nhiệm vụ" in its month and year.',
    )
    counted_any = fields.Boolean(
        string="Counts under Decree 48",
        compute="_compute_counted",
        store=True,
        index=True,
        help="Decree 48/2023 (public employees): any Party or administrative discipline in the year counts, "
        "in official duty or not, except a violation already used to lower a classification and a second "
        "discipline for the same act.",
    )
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text()

    @api.depends("ground", "kind", "in_official_duty", "same_act_id", "already_used")
    def _compute_counted(self):
        for fact in self:
            # Decree 48/2023: any discipline (reprimand or above) with its two exceptions
            fact.counted_any = (
                not fact.already_used
                and not fact.same_act_id
                and (fact.ground != "discipline" or fact.kind != "other")
            )
            # Decree 335/2025: a violation in official duty disciplined at reprimand or above
            fact.counted = fact.counted_any and (fact.ground != "discipline" or fact.in_official_duty)

    @api.constrains("ground", "degradation_case", "employee_id")
    def _check_ground(self):
        for fact in self:
            if fact.ground == "degradation" and not fact.degradation_case:
                raise ValidationError(
                    self.env._(
                        "Say what the conclusion of degradation about %s found.", fact.employee_id.name
                    )
                )
            # Decree 335/2025, art. 20.4(d): the corruption-in-unit ground is for leaders only
            if fact.ground == "unit_corruption" and fact.employee_id.sudo().civ_position in (False, "staff"):
                raise ValidationError(
                    self.env._(
                        "Corruption or waste in a unit under direct management is a ground for leaders only "
                        "(Decree 335/2025, art. 20.4(d)): %s leads no unit.",
                        fact.employee_id.name,
                    )
                )

    @api.constrains("same_act_id", "employee_id")
    def _check_same_act(self):
        for fact in self:
            other = fact.same_act_id
            if other and (other == fact or other.employee_id != fact.employee_id):
                raise ValidationError(
                    self.env._("The same act must be another recorded fact of %s.", fact.employee_id.name)
                )
        # two facts "the same act as" each other would both stop counting
        if self._has_cycle("same_act_id"):
            raise ValidationError(
                self.env._(
                    "The facts marked as the same act form a cycle: one of them must be the fact that counts."
                )
            )

    # ------------------------------------------------------------------ who records
    @api.model_create_multi
    def create(self, vals_list):
        # recorded by whoever records it, never in someone else's name
        return super().create([dict(vals, recorded_by_id=self.env.uid) for vals in vals_list])

    def write(self, vals):
        if "recorded_by_id" in vals and not self.env.su:
            raise AccessError(self.env._("Who recorded a fact is set when it is recorded."))
        return super().write(vals)

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        grounds = dict(self._fields["ground"]._description_selection(self.env))
        cases = dict(self._fields["degradation_case"]._description_selection(self.env))
        for fact in self:
            label = kinds.get(fact.kind) if fact.ground == "discipline" else grounds.get(fact.ground)
            if fact.ground == "degradation" and fact.degradation_case:
                label = f"{label} ({cases.get(fact.degradation_case)})"
            fact.display_name = " ".join(
                part
                for part in (label, fact.decision_number, fact.date and fact.date.strftime("%d/%m/%Y"))
                if part
            )

    @api.model
    def _grounds_by_employee(self, employee_ids, date_from, date_to):
        """The counted facts of the employees dated in [date_from, date_to] (one search):
        {employee id: civ.discipline records}."""
        facts = self.sudo().search(
            [
                ("employee_id", "in", list(employee_ids)),
                ("counted", "=", True),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, id",
        )
        grouped = {}
        for fact in facts:
            grouped[fact.employee_id.id] = grouped.get(fact.employee_id.id, self.browse()) | fact
        return grouped
