from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from .civ_format import format_number
from .civ_numbers import parse_number

# who writes what: the employee in self-assessment, the pending step's reviewer when it re-scores
SELF_FIELDS = frozenset({"self_points", "note"})
REVIEW_FIELDS = frozenset({"reviewer_points", "reviewer_note"})
POINT_FIELDS = ("self_points", "reviewer_points", "final_points")


class PointsLog:
    """Collects the point changes of the lines written through one write() of their sheets, so that
    each sheet gets one chatter message and one score update per save. Only server code can put such
    an object in the context (an RPC context is plain JSON)."""

    def __init__(self):
        self.items = defaultdict(list)  # sheet -> [Markup <li>]
        self.kinds = defaultdict(set)  # sheet -> {'self', 'reviewer'}

    def flush(self, env):
        bodies = {
            sheet.id: Markup("<p>%s</p><ul>%s</ul>") % (env._("Points changed"), Markup("").join(rows))
            for sheet, rows in self.items.items()
            if rows
        }
        if bodies:
            env["civ.evaluation"].browse(list(bodies)).sudo()._message_log_batch(bodies)
        for sheet, kinds in self.kinds.items():
            sheet._update_scores(kinds)
        self.items.clear()
        self.kinds.clear()


class CivEvaluationLine(models.Model):
    _name = "civ.evaluation.line"
    _description = "Evaluation Sheet Line"
    _inherit = ["civ.bulk.create.mixin", "civ.workflow.mixin"]
    _order = "evaluation_id, sequence, id"
    # a line follows its sheet: the sheet's gate decides (civ.workflow.mixin)
    _workflow_parent = "evaluation_id"

    # plain fields, set once when the period opens: no stored compute runs per line on creation
    evaluation_id = fields.Many2one(
        "civ.evaluation",
        string="Evaluation Sheet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    criterion_id = fields.Many2one(
        "civ.criterion", required=True, readonly=True, index=True, ondelete="restrict"
    )
    group_id = fields.Many2one("civ.criteria.group", string="Criteria Group", readonly=True)
    sequence = fields.Integer(readonly=True, default=10)
    # plain floats (no digits): no rounding per value when 150,000 lines are created at once
    self_points = fields.Float(default=0.0)
    reviewer_points = fields.Float(default=0.0)
    final_points = fields.Float(default=0.0, readonly=True)
    previous_points = fields.Float(
        string="Previous Level Points",
        default=0.0,
        readonly=True,
        help="The points as the previous level left them (the self points for the first reviewer).",
    )
    note = fields.Text(string="Self-assessment Note", help="The employee's explanation or evidence.")
    # a criterion scored by citizens' satisfaction (civ.criterion.points_source): the period's answers
    satisfaction_answers = fields.Integer(readonly=True, help="The citizens' answers counted in the period.")
    satisfaction_percent = fields.Float(
        string="Satisfied (%)", readonly=True, digits=(16, 1), help="The share of satisfied answers."
    )
    reviewer_note = fields.Text(help="The reviewer's remark on this criterion.")

    # for display only: plain computes rather than related fields, which the ORM would initialise
    # for every new line
    criterion_code = fields.Char(string="Code", compute="_compute_criterion_info")
    criterion_guidance = fields.Text(string="Guidance", compute="_compute_criterion_info")
    min_points = fields.Float(string="Minimum Points", compute="_compute_criterion_info")
    max_points = fields.Float(string="Maximum Points", compute="_compute_criterion_info")
    computed_from_products = fields.Boolean(
        compute="_compute_criterion_info",
        help="The points of this criterion are computed from the products and work of the period.",
    )

    @api.depends("criterion_id")
    def _compute_criterion_info(self):
        for line in self:
            criterion = line.sudo().criterion_id
            line.criterion_code = criterion.code
            line.criterion_guidance = criterion.guidance
            line.min_points = criterion.min_points
            line.max_points = criterion.max_points
            line.computed_from_products = criterion.group_id.scoring_mode == "products"

    def _compute_display_name(self):
        for line in self:
            criterion = line.sudo().criterion_id
            line.display_name = " ".join(part for part in (criterion.code, criterion.name) if part)

    # ------------------------------------------------------------------ guards
    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            **dict.fromkeys(SELF_FIELDS, "edit_self"),
            **dict.fromkeys(REVIEW_FIELDS, "rescore"),
        )

    @api.model
    def _convert_points(self, vals):
        """The point values of vals as numbers. RPC clients send what they like: a number written as
        text ("5", "4,5") is read as a number (civ_numbers.parse_number); anything else is refused
        with a clear message. The criterion's bounds are checked on the stored values."""
        converted = dict(vals)
        for fname in POINT_FIELDS:
            if fname not in vals:
                continue
            number, problem = parse_number(vals[fname])
            if problem:
                raise ValidationError(
                    self.env._(
                        "The points must be a number (%(field)s: %(value)r).",
                        field=self._fields[fname]._description_string(self.env),
                        value=vals[fname],
                    )
                )
            converted[fname] = number
        return converted

    def _out_of_bounds(self, fnames=POINT_FIELDS):
        """The message of the first point value of self outside its criterion's bounds, or None."""
        for line in self:
            criterion = line.sudo().criterion_id
            for fname in fnames:
                value = line[fname]
                if (
                    float_compare(value, criterion.min_points, precision_digits=2) < 0
                    or float_compare(value, criterion.max_points, precision_digits=2) > 0
                ):
                    return self.env._(
                        "The points of %(criterion)s must be between %(min)s and %(max)s.",
                        criterion=criterion.display_name,
                        min=format_number(self.env, criterion.min_points, trim=True),
                        max=format_number(self.env, criterion.max_points, trim=True),
                    )
        return None

    @api.constrains(*POINT_FIELDS)
    def _check_points_bounds(self):
        """Every point value stays within its criterion's bounds, whoever writes it."""
        message = self._out_of_bounds()
        if message:
            raise ValidationError(message)

    @api.onchange("self_points", "reviewer_points")
    def _onchange_points_bounds(self):
        """Tell the user at once, in the grid, when a value is outside the criterion's limits (it
        could not be saved): the running totals do not count it either."""
        message = self._out_of_bounds(("self_points", "reviewer_points"))
        if message:
            return {"warning": {"title": self.env._("Points outside the limits"), "message": message}}
        return None

    def write(self, vals):
        """The guard of the workflow mixin (lock, fields, the sheet's gate); points converted and
        checked; point changes logged in the sheets' chatter (one message per sheet and write) and
        the totals stored."""
        self._check_direct_write(vals)
        if not self.env.su and {"self_points", "reviewer_points"}.intersection(vals):
            computed = self.sudo().filtered("computed_from_products")
            if computed:
                raise AccessError(
                    self.env._(
                        "The points of %s are computed from the products and work of the period: change "
                        "the products instead.",
                        computed[0].display_name,
                    )
                )
        vals = self._convert_points(vals)
        changed = [fname for fname in POINT_FIELDS if fname in vals]
        old = {line.id: {fname: line[fname] for fname in changed} for line in self.sudo()} if changed else {}
        result = super().write(vals)
        if changed:
            collector = self.env.context.get("civ_points_log")
            own = not isinstance(collector, PointsLog)
            if own:
                collector = PointsLog()
            self._collect_point_changes(collector, changed, old)
            if own:
                collector.flush(self.env)
        return result

    def _collect_point_changes(self, collector, changed, old):
        labels = {
            "self_points": self.env._("Self"),
            "reviewer_points": self.env._("Reviewer"),
            "final_points": self.env._("Final"),
        }
        kinds = {
            kind
            for kind, fname in (("self", "self_points"), ("reviewer", "reviewer_points"))
            if fname in changed
        }
        for line in self.sudo():
            sheet = line.evaluation_id
            collector.kinds[sheet] |= kinds
            for fname in changed:
                before, after = old[line.id][fname], line[fname]
                if float_compare(before, after, precision_digits=2):
                    collector.items[sheet].append(
                        Markup("<li>%s — %s: %s → %s</li>")
                        % (
                            line.display_name,
                            labels[fname],
                            format_number(self.env, before, trim=True),
                            format_number(self.env, after, trim=True),
                        )
                    )

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            raise AccessError(self.env._("Evaluation lines are part of their sheet: they cannot be deleted."))
        return super().unlink()
