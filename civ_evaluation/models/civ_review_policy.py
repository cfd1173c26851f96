from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_employee import CIV_POSITIONS


class CivReviewPolicy(models.Model):
    """Review chain template: who reviews, in which order, the sheet of a person holding a position.

    The self-assessment is not a step: the sheet's owner does it in draft. The steps are the
    reviewers after submission, resolved along the organisation chart by `_resolve_chains`.

    Lookup: for an employee of company C holding position P, the active policy of (C, P) applies;
    without one, the shared active policy (no company) of P. The shipped defaults are shared.
    """

    _name = "civ.review.policy"
    _description = "Review Chain Policy"
    _inherit = ["mail.thread"]
    _order = "applies_to, company_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        default=lambda self: self.env.company,
        help="Leave empty for a policy shared by every company. A company's own active policy "
        "for a position takes precedence over the shared one.",
    )
    applies_to = fields.Selection(
        CIV_POSITIONS,
        required=True,
        tracking=True,
        help="The evaluation position of the employees whose sheets follow this chain.",
    )
    step_ids = fields.One2many("civ.review.policy.step", "policy_id", string="Review Steps", copy=True)
    step_summary = fields.Char(string="Chain", compute="_compute_step_summary")

    @api.depends("step_ids.name", "step_ids.sequence")
    def _compute_step_summary(self):
        for policy in self:
            policy.step_summary = " → ".join(policy._sorted_steps().mapped("name"))

    def _sorted_steps(self):
        self.ensure_one()
        return self.step_ids.sorted(lambda s: (s.sequence, s.id))

    # ------------------------------------------------------------------ constraints

    @api.constrains("step_ids", "applies_to")
    def _check_steps(self):
        """At least one step; exactly one decision step, the last one; the rule 'Designated
        Employee' names its reviewer, except in the head of agency's policy where an empty
        reviewer means the head of agency's Manager (the superior is often in another company and
        is set per company by HR)."""
        for policy in self.sudo():
            steps = policy._sorted_steps()
            if not steps:
                raise ValidationError(
                    self.env._("The review chain %(policy)s needs at least one step.", policy=policy.name)
                )
            decisions = steps.filtered("is_decision")
            if len(decisions) != 1 or decisions != steps[-1]:
                raise ValidationError(
                    self.env._(
                        "The review chain %(policy)s must have exactly one decision step, "
                        "and it must be the last step.",
                        policy=policy.name,
                    )
                )
            if policy.applies_to != "agency_head":
                for step in steps:
                    if step.reviewer_rule == "employee" and not step.reviewer_employee_id:
                        raise ValidationError(
                            self.env._(
                                "Step %(step)s of the review chain %(policy)s: choose the "
                                "designated reviewer.",
                                step=step.name,
                                policy=policy.name,
                            )
                        )

    @api.constrains("company_id", "applies_to", "active")
    def _check_unique_active(self):
        labels = dict(self._fields["applies_to"]._description_selection(self.env))
        for policy in self.sudo().filtered("active"):
            duplicate = self.sudo().search(
                [
                    ("id", "!=", policy.id),
                    ("company_id", "=", policy.company_id.id),
                    ("applies_to", "=", policy.applies_to),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "There is already an active review chain for %(position)s in %(company)s: "
                        "%(policy)s. Archive it first.",
                        position=labels.get(policy.applies_to),
                        company=policy.company_id.name or self.env._("all companies (shared)"),
                        policy=duplicate.name,
                    )
                )

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        policies = super(CivReviewPolicy, self.with_context(civ_policy_steps_checked=True)).create(vals_list)
        policies._check_steps()  # also when no step was given at all
        return policies.with_env(self.env)

    def _check_policies_of(self, context):
        """Check the chains after their steps were written directly (not through the policy)."""
        if not context.get("civ_policy_steps_checked"):
            self._check_steps()

    def copy_data(self, default=None):
        # a copy starts archived, to be adapted (e.g. given a company) then activated
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        for policy, vals in zip(self, vals_list, strict=True):
            if "name" not in default:
                vals["name"] = self.env._("%s (copy)", policy.name)
            if "active" not in default:
                vals["active"] = False
        return vals_list

    def write(self, vals):
        if "step_ids" not in vals:
            return super().write(vals)
        before = {policy.id: policy.step_summary for policy in self}
        result = super(CivReviewPolicy, self.with_context(civ_policy_steps_checked=True)).write(vals)
        for policy in self:
            policy.invalidate_recordset(["step_summary"])
            if policy.step_summary != before[policy.id]:
                policy.message_post(
                    body=self.env._(
                        "Review steps changed: %(old)s ⇒ %(new)s",
                        old=before[policy.id] or "-",
                        new=policy.step_summary or "-",
                    )
                )
        return result

    # ------------------------------------------------------------------ resolution

    @api.model
    def _resolve_chains(self, employees):
        """Resolve the review chain of each employee along the organisation chart.

        :param employees: hr.employee recordset or ids (any size; a constant number of queries)
        :return: {employee_id: [step_dict, ...]} in review order, where step_dict is
            {"sequence": int, "name": str, "reviewer_employee_id": int|False,
             "reviewer_user_id": int|False, "can_rescore": bool, "is_decision": bool,
             "escalated": bool, "vacancy_note": str|False, "policy_step_id": int}.
            The last step is the decision step. An empty list means nobody can review the sheet
            (see `_chain_problems`).
        """
        return self._civ_resolve(employees)[0]

    @api.model
    def _chain_problems(self, employees):
        """Employees whose review chain is empty or had to be escalated, for HR officers.

        :return: {employee_id: {"empty": bool, "notes": [str, ...]}} for those employees only.
        """
        return self._civ_resolve(employees)[1]

    @api.model
    def _collective_members(self, steps):
        """{review step id: hr.employee} the members of each leadership collective step of the sheets
        (see _ResolveContext.collective_members; the step's policy step as configured now)."""
        steps = steps.sudo()
        ctx = _ResolveContext(self, steps.evaluation_id.employee_id)
        return {
            step.id: ctx.collective_members(
                ctx.employees.browse(step.evaluation_id.employee_id.id), step.policy_step_id
            )
            for step in steps
            if step.policy_step_id.reviewer_rule == "collective"
        }

    @api.model
    def _civ_resolve(self, employees):
        ctx = _ResolveContext(self, employees)
        chains, problems = {}, {}
        for employee in ctx.employees:
            env = ctx.env_for(employee)
            policy = ctx.policy_for(employee)
            if not policy:
                chains[employee.id] = []
                problems[employee.id] = {
                    "empty": True,
                    "notes": [
                        env._(
                            "No active review chain for the position %(position)s.",
                            position=ctx.labels(env, "position").get(employee.civ_position, "-"),
                        )
                    ],
                }
                continue
            chain, notes = ctx.chain_for(employee, policy)
            chains[employee.id] = chain
            if not chain or notes:
                if not chain:
                    notes.append(env._("Nobody is left to review this sheet."))
                problems[employee.id] = {"empty": not chain, "notes": notes}
        return chains, problems


class _ResolveContext:
    """Everything `_resolve_chains` needs, fetched in a handful of queries for the whole batch."""

    def __init__(self, policy_model, employees):
        env = policy_model.env
        self.env = env
        Employee = env["hr.employee"].sudo().with_context(active_test=False)
        # a recordset (hr.employee or hr.employee.public) or a list of ids
        ids = employees.ids if hasattr(employees, "ids") else list(employees)
        self.employees = Employee.browse(list(dict.fromkeys(ids)))
        self.employees.fetch(["civ_position", "parent_id", "department_id", "company_id"])
        company_ids = self.employees.company_id.ids

        policies = (
            policy_model.sudo()
            .with_context(active_test=True)
            .search([("company_id", "in", [*company_ids, False])])
        )
        policies.step_ids.fetch(
            [
                "policy_id",
                "sequence",
                "name",
                "reviewer_rule",
                "reviewer_employee_id",
                "can_rescore",
                "is_decision",
                "collective_method",
            ]
        )
        # the members of leadership collectives, read only when a chain has such a step
        collective_steps = policies.step_ids.filtered(lambda step: step.reviewer_rule == "collective")
        self.policies = {(p.company_id.id, p.applies_to): p for p in policies}
        self.steps = {p.id: p._sorted_steps() for p in policies}

        departments = self.employees.department_id
        departments.fetch(["manager_id", "parent_id"])
        departments.parent_id.fetch(["manager_id", "parent_id"])
        leaderships = (
            env["hr.department"]
            .sudo()
            .with_context(active_test=True)
            .search([("civ_is_leadership", "=", True), ("company_id", "in", [*company_ids, False])])
        )
        leaderships.fetch(["manager_id", "parent_path", "company_id"])
        # the leadership unit at the top of the tree, per company (False: shared)
        self.agency_heads, self.leaderships = {}, {}
        for unit in leaderships.sorted(lambda d: (-(d.parent_path or "").count("/"), -d.id)):
            self.agency_heads[unit.company_id.id] = unit.manager_id
            self.leaderships[unit.company_id.id] = unit

        reviewers = (
            self.employees.parent_id
            | departments.manager_id
            | departments.parent_id.manager_id
            | leaderships.manager_id
            | policies.step_ids.reviewer_employee_id
            | (
                collective_steps.collective_member_ids | leaderships.civ_deputy_ids
                if collective_steps
                else Employee
            )
            | self.employees.company_id.civ_superior_employee_id
        ).with_context(active_test=False)
        reviewers.fetch(["name", "active", "user_id"])
        reviewers.user_id.with_context(active_test=False).fetch(["active"])

        # the notes are stored on the review steps: written in the language of the employee's company
        self.langs = {
            company.id: company.partner_id.lang or env.lang for company in self.employees.company_id.sudo()
        }
        self.envs = {}
        self._labels = {}

    def env_for(self, employee):
        """The environment in the language of the employee's company."""
        lang = self.langs.get(employee.company_id.id) or self.env.lang
        if lang not in self.envs:
            self.envs[lang] = (
                self.env if lang == self.env.lang else self.env(context=dict(self.env.context, lang=lang))
            )
        return self.envs[lang]

    def labels(self, env, kind):
        """{value: label} of the positions (kind "position") or reviewer rules ("rule") in env's language."""
        key = (env.lang, kind)
        if key not in self._labels:
            model, fname = {
                "position": ("hr.employee", "civ_position"),
                "rule": ("civ.review.policy.step", "reviewer_rule"),
            }[kind]
            self._labels[key] = dict(env[model]._fields[fname]._description_selection(env))
        return self._labels[key]

    def policy_for(self, employee):
        key = employee.civ_position
        return self.policies.get((employee.company_id.id, key)) or self.policies.get((False, key))

    def agency_head(self, employee):
        head = self.agency_heads.get(employee.company_id.id)
        if head is None:
            head = self.agency_heads.get(False)
        return head if head is not None else self.employees.browse()

    def reviewer(self, employee, step):
        rule = step.reviewer_rule
        if rule == "direct_leader":
            return employee.parent_id
        if rule == "collective":
            return self.collective_members(employee, step)[:1]
        if rule in ("unit_head", "unit_collective"):
            department, seen = employee.department_id, set()
            # a head does not review themself: go up to the head of the parent unit
            while department and department.manager_id == employee and department.id not in seen:
                seen.add(department.id)
                department = department.parent_id
            return department.manager_id
        if rule == "parent_unit_head":
            return employee.department_id.parent_id.manager_id
        if rule == "agency_head":
            return self.agency_head(employee)
        # designated employee; empty (allowed for the head of agency): the superior set in the company's
        # settings, else the employee's Manager
        return step.reviewer_employee_id or employee.company_id.civ_superior_employee_id or employee.parent_id

    def collective_members(self, employee, step):
        """The members of a leadership collective step who may score `employee` (the first one
        chairs): the step's members, else the manager and deputies of the leadership unit; never the
        evaluated person, only people with an active user."""
        members = step.collective_member_ids
        if not members:
            unit = self.leaderships.get(employee.company_id.id) or self.leaderships.get(False)
            members = (unit.manager_id | unit.civ_deputy_ids) if unit else members
        return members.filtered(lambda member: member != employee and member.active and member.user_id.active)

    def vacancy(self, employee, reviewer, post):
        """Why `reviewer` cannot review `employee`'s sheet (a note), or None when they can."""
        env = self.env_for(employee)
        if not reviewer:
            return env._("%(post)s vacant: escalated", post=post)
        if reviewer == employee:
            return env._("%(post)s is the evaluated employee: escalated", post=post)
        if not reviewer.active:
            return env._("%(post)s (%(name)s) archived: escalated", post=post, name=reviewer.name)
        if not reviewer.user_id or not reviewer.user_id.active:
            return env._("%(post)s (%(name)s) has no active user: escalated", post=post, name=reviewer.name)
        return None

    def chain_for(self, employee, policy):
        """The resolved chain of one employee and the notes of its vacancies."""
        chain, notes, pending, last_vacant = [], [], [], None
        for step in self.steps[policy.id]:
            reviewer = self.reviewer(employee, step)
            note = self.vacancy(employee, reviewer, self._post(employee, step))
            if note:
                pending.append(note)
                last_vacant = step
                continue
            item = self._item(step, reviewer, pending)
            notes += pending
            pending = []
            if (
                chain
                and chain[-1]["reviewer_employee_id"] == item["reviewer_employee_id"]
                and not (chain[-1].get("separate") or item.get("separate"))
            ):
                self._merge(chain[-1], item)
            else:
                chain.append(item)
        if pending:
            # the last step(s) are vacant: escalate to the head of agency, else to nobody
            notes += pending
            head = self.agency_head(employee)
            if not self.vacancy(employee, head, ""):
                item = self._item(last_vacant, head, pending)
                item.update(is_decision=True, collective_method=False, separate=False)
                if chain and chain[-1]["reviewer_employee_id"] == head.id:
                    self._merge(chain[-1], item)
                else:
                    chain.append(item)
            elif chain:
                # nobody above: the last remaining reviewer decides
                chain[-1]["escalated"] = True
                chain[-1]["vacancy_note"] += pending
        for item in chain:
            item["is_decision"] = False
            item["vacancy_note"] = "; ".join(item["vacancy_note"]) or False
            # the keys of a collective's step only where there is one
            item.pop("separate", None)
            if not item.get("collective_method"):
                item.pop("collective_method", None)
        if chain:
            chain[-1]["is_decision"] = True
        return chain, notes

    def _post(self, employee, step):
        return self.labels(self.env_for(employee), "rule").get(step.reviewer_rule, step.reviewer_rule)

    @staticmethod
    def _item(step, reviewer, pending):
        return {
            "sequence": step.sequence,
            "name": step.name,
            "reviewer_employee_id": reviewer.id,
            "reviewer_user_id": reviewer.user_id.id,
            "can_rescore": step.can_rescore,
            "is_decision": step.is_decision,
            "escalated": bool(pending),
            "vacancy_note": list(pending),
            "policy_step_id": step.id,
            # a leadership collective scores as a body, a unit's collective meets: never merged with a
            # step of their chair
            "collective_method": step.collective_method if step.reviewer_rule == "collective" else False,
            "separate": step.reviewer_rule in ("collective", "unit_collective"),
        }

    @staticmethod
    def _merge(previous, item):
        """Two consecutive steps of the same reviewer become one."""
        previous["can_rescore"] = previous["can_rescore"] or item["can_rescore"]
        previous["escalated"] = previous["escalated"] or item["escalated"]
        previous["vacancy_note"] += item["vacancy_note"]
        if item["is_decision"]:
            previous.update(
                is_decision=True,
                name=item["name"],
                sequence=item["sequence"],
                policy_step_id=item["policy_step_id"],
            )
