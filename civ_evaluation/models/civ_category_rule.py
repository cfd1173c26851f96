from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import civ_regime
from .hr_employee import CIV_CATEGORIES


class CivCategoryRule(models.Model):
    """A company's rule set for a category of staff (công chức, viên chức, cán bộ, contract staff),
    optionally narrowed to a job position or a group of similar duties: the framework its people are
    evaluated with and the regime (the governing text) that decides the year-end rules, valid between
    two dates. Opening a period gives each sheet the framework and regime of its person's rule (see
    civ.period.action_open); a person whose rule's framework is of another period kind (quarterly
    leaders in a monthly month) has no sheet in that period.

    The regime gives defaults (year-end basis, discipline rule, governing text) that human resources
    may change on the rule."""

    _name = "civ.category.rule"
    _description = "Rule Set of a Staff Category"
    _inherit = ["mail.thread"]
    _order = "company_id, category, sequence, date_from desc, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10, help="Among rules that match a person equally, the first wins.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    category = fields.Selection(CIV_CATEGORIES, string="Staff Category", required=True, tracking=True)
    job_id = fields.Many2one(
        "hr.job",
        string="Job Position",
        check_company=True,
        tracking=True,
        help="Only the people of this job position (optional): a rule with a job position wins over "
        "one of the category alone.",
    )
    duty_group_id = fields.Many2one(
        "civ.duty.group",
        string="Group of Similar Duties",
        check_company=True,
        tracking=True,
        help="Only the people of this group of similar duties (optional).",
    )
    framework_id = fields.Many2one(
        "civ.framework",
        string="Criteria Framework",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    period_kind = fields.Selection(related="framework_id.period_kind", string="Period Kind")
    regime = fields.Selection(civ_regime.REGIMES, required=True, tracking=True)
    date_from = fields.Date(string="Valid From", tracking=True, help="Empty: since always.")
    date_to = fields.Date(string="Valid To", tracking=True, help="Empty: until further notice.")
    year_end_basis = fields.Selection(
        civ_regime.YEAR_END_BASES,
        compute="_compute_regime_defaults",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
        help="How the year is classified from the months. Decree 335/2025 art. 21.3: on the points of the "
        "time actually worked. Decree 90/2020 art. 2(3): under the minimum months worked the person is "
        "not classified, and absent from the lower minimum not above 'Hoàn thành nhiệm vụ' (the minima "
        "are the company's settings).",
    )
    discipline_rule = fields.Selection(
        civ_regime.DISCIPLINE_RULES,
        compute="_compute_regime_defaults",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
        help="Which disciplinary facts of the year make it 'Không hoàn thành nhiệm vụ'. Decree 335/2025: a "
        "violation in official duty disciplined at reprimand or above. Decree 48/2023 (public employees): "
        "any Party or administrative discipline in the year, except a violation already used to lower a "
        "classification and a Party and administrative discipline for one act counted once.",
    )
    legal_text = fields.Char(
        string="Governing Text",
        compute="_compute_regime_defaults",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Cited by the year-end written notice.",
    )
    note = fields.Text()

    @api.depends("category", "job_id", "duty_group_id", "framework_id", "regime", "date_from")
    def _compute_name(self):
        labels = dict(self._fields["category"]._description_selection(self.env))
        for rule in self:
            parts = [labels.get(rule.category) or ""]
            if rule.job_id:
                parts.append(rule.job_id.name)
            if rule.duty_group_id:
                parts.append(rule.duty_group_id.name)
            parts.append(rule.framework_id.code or rule.framework_id.name or "")
            if rule.date_from:
                parts.append(fields.Date.to_string(rule.date_from))
            rule.name = " / ".join(part for part in parts if part)

    @api.depends("regime")
    def _compute_regime_defaults(self):
        for rule in self:
            rule.year_end_basis = civ_regime.year_end_basis(rule.regime)
            rule.discipline_rule = civ_regime.discipline_rule(rule.regime)
            rule.legal_text = civ_regime.legal_text(rule.regime)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for rule in self:
            if rule.date_from and rule.date_to and rule.date_to < rule.date_from:
                raise ValidationError(self.env._("The rule set %s ends before it starts.", rule.name))

    @api.constrains("category", "framework_id", "date_from", "date_to")
    def _check_framework_allowed(self):
        for rule in self:
            reason = rule.framework_id.sudo()._refusal_for_category(rule.category, rule.date_to)
            if reason:
                raise ValidationError(reason)

    # ------------------------------------------------------------------ resolution
    def _matches(self, employee, duty_group_id):
        return (not self.job_id or self.job_id == employee.job_id) and (
            not self.duty_group_id or self.duty_group_id.id == duty_group_id
        )

    @api.model
    def _rules_on(self, company, day):
        """The active rules of company (one or several companies) valid on day, most specific first
        (job position, then group of similar duties, then the category alone; then sequence)."""
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("company_id", "in", company.ids),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", day),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", day),
                ]
            )
        )
        return rules.sorted(lambda rule: (not rule.job_id, not rule.duty_group_id, rule.sequence, rule.id))

    @api.model
    def _resolve(self, company, day, employees, duty_groups=None, rules=None):
        """{employee id: rule or False} for employees of company on day: the first rule of their
        category that matches them (no rule: False).

        :param dict duty_groups: {employee id: duty group id} (the person's group when the period
            opens); read from the employees when not given
        :param rules: the rules of company on day (_rules_on), when the caller has them already
        """
        if rules is None:
            rules = self._rules_on(company, day)
        by_category = {}
        for rule in rules:
            by_category.setdefault(rule.category, []).append(rule)
        result = {}
        for employee in employees:
            duty_group_id = (duty_groups or {}).get(employee.id)
            result[employee.id] = next(
                (
                    rule
                    for rule in by_category.get(employee.civ_category, ())
                    if rule._matches(employee, duty_group_id)
                ),
                False,
            )
        return result
