import math
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import SQL_DEFAULT
from odoo.tools import float_compare

from . import civ_sql
from .civ_format import format_number
from .civ_numbers import (
    INT_MAX,
    INT_MIN,
    MAX_COUNT,
    MAX_QUANTITY,
    MAX_WEIGHT,
    NOT_WHOLE,
    TOO_LARGE,
    TOO_SMALL,
    parse_number,
)
from .civ_product_loader import is_loader

# who writes what (see the sheet's gate, SHEET_ACTIONS): the employee lists and reports the products
# of the period while the sheet is a draft, the re-scoring reviewer corrects them in review ...
EDIT_FIELDS = frozenset(
    {
        "sequence",
        "name",
        "product_type_id",
        "weight",
        "qty_assigned",
        "qty_done",
        "qty_quality",
        "qty_on_time",
        "qty_exceeded",
        "date_deadline",
        "date_done",
        "note",
    }
)
# ... and only reviewers record errors and delays, grant objective causes and confirm the lines
REVIEW_FIELDS = frozenset(
    {
        "error_count",
        "delay_count",
        "objective_cause",
        "objective_cause_delays",
        "objective_cause_note",
        "weight_note",
        "confirmed",
    }
)
QUANTITY_FIELDS = ("weight", "qty_assigned", "qty_done", "qty_quality", "qty_on_time", "qty_exceeded")
COUNT_FIELDS = ("error_count", "delay_count")
# the largest value of each number of a line (see civ_numbers), checked for every route: the form, RPC
# (numbers or text), the Excel import, the loader of Project's tasks
LIMITS = {
    "weight": MAX_WEIGHT,
    "qty_assigned": MAX_QUANTITY,
    "qty_done": MAX_QUANTITY,
    "qty_quality": MAX_QUANTITY,
    "qty_on_time": MAX_QUANTITY,
    "qty_exceeded": MAX_QUANTITY,
    "error_count": MAX_COUNT,
    "delay_count": MAX_COUNT,
}
# what a change of which is written in the sheet's chatter
TRACKED_FIELDS = (
    "name",
    "product_type_id",
    *QUANTITY_FIELDS,
    *COUNT_FIELDS,
    "objective_cause",
    "objective_cause_delays",
    "objective_cause_note",
    "weight_note",
    "confirmed",
)


class CivEvaluationProduct(models.Model):
    """One product or work item (sản phẩm, công việc) of a person in the period, in the quantities
    assigned, completed, completed meeting the requirements and completed on time. The task results
    of a criteria group "computed from products" come from these lines (see
    civ.framework.compute_product_score); they follow the sheet's workflow, gate, lock and seal."""

    _name = "civ.evaluation.product"
    _description = "Product or Work Item of an Evaluation Sheet"
    _inherit = ["civ.bulk.create.mixin", "civ.workflow.mixin"]
    _order = "evaluation_id, sequence, id"
    # a line follows its sheet: the sheet's gate decides, then the line's confirmation
    _workflow_parent = "evaluation_id"

    evaluation_id = fields.Many2one(
        "civ.evaluation", string="Evaluation Sheet", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Product / Work", required=True)
    product_type_id = fields.Many2one(
        "civ.product.type",
        string="Type",
        index="btree_not_null",
        ondelete="restrict",
        help="The entry of the catalogue of products of the job position (optional).",
    )
    weight = fields.Float(
        string="Coefficient",
        compute="_compute_weight",
        store=True,
        readonly=False,
        precompute=True,
        help="Conversion coefficient to standard units (đã quy đổi): the catalogue's (the type's), 1 "
        "without a type. The employee cannot change it; a reviewer may, with the reason in Coefficient "
        f"Note (written in the chatter). Positive, at most {MAX_WEIGHT:,}.",
    )
    weight_note = fields.Text(
        string="Coefficient Note",
        help="Why the reviewer used another coefficient than the catalogue's: required then.",
    )
    qty_assigned = fields.Float(
        string="Assigned", default=1.0, help=f"The quantity assigned: from 0 to {MAX_QUANTITY:,}."
    )
    qty_done = fields.Float(
        string="Completed", help=f"Completed, at most the quantity assigned (and {MAX_QUANTITY:,})."
    )
    qty_quality = fields.Float(
        string="Meeting Requirements",
        help="Completed meeting the quality requirements, at most the quantity completed.",
    )
    qty_on_time = fields.Float(string="On Time", help="Completed on time, at most the quantity completed.")
    qty_exceeded = fields.Float(
        string="Exceeding Requirements",
        help="Completed exceeding the requirements, at most the quantity meeting them: read by the "
        "conditions of the levels (Quy định 366-QĐ/TW: A needs at least 30% exceeding).",
    )
    error_count = fields.Integer(
        string="Major Errors",
        help="Each major quality error cuts 25% (by default) of the quality score of one product of the "
        f"line (Decree 335/2025, art. 15). From 0 to {MAX_COUNT:,}.",
    )
    delay_count = fields.Integer(
        string="Delays",
        help="Each delay cuts 25% (by default) of the progress score of one product of the line (Decree "
        f"335/2025, art. 15). From 0 to {MAX_COUNT:,}.",
    )
    objective_cause = fields.Boolean(
        string="Objective Cause of the Errors",
        help="The competent level confirms an objective cause of the major errors: they cut nothing. "
        "Set by a reviewer only. (A month locked before version 18.0.1.2.0 had one confirmation for the "
        "errors and the delays: it is kept here.)",
    )
    objective_cause_delays = fields.Boolean(
        string="Objective Cause of the Delays",
        help="The competent level confirms an objective cause of the delays: they cut nothing. Set by a "
        "reviewer only.",
    )
    objective_cause_note = fields.Text()
    date_deadline = fields.Date(string="Deadline")
    date_done = fields.Date(string="Completed On")
    note = fields.Text(help="The employee's report on this item: what was done, where the evidence is.")
    source = fields.Selection(
        [("manual", "Typed"), ("project", "Project Task"), ("import", "Imported")],
        required=True,
        default="manual",
        readonly=True,
    )
    confirmed = fields.Boolean(
        readonly=True,
        copy=False,
        help="Confirmed by a reviewer (when they change it, or approve the sheet): the employee no "
        "longer changes it, and reloading tasks does not touch it.",
    )

    @api.depends("product_type_id")
    def _compute_weight(self):
        for product in self:
            product.weight = product.product_type_id.weight or product.weight or 1.0

    # ------------------------------------------------------------------ guards
    def _writable_outside_workflow(self):
        return dict(
            super()._writable_outside_workflow(),
            **dict.fromkeys(EDIT_FIELDS, "edit_products"),
            **dict.fromkeys(REVIEW_FIELDS, "review_products"),
        )

    def _workflow_extra_refusal(self, action, record):
        # after the sheet's gate: a line confirmed by a reviewer changes only by a reviewer
        if action == "edit_products" and record.confirmed and not self.env.su:
            try:
                record.evaluation_id.with_env(self.env)._check_workflow_access("review_products")
            except (AccessError, UserError) as error:
                return error
        return None

    @api.model
    def _to_number(self, value, label, integer=False, minimum=None, maximum=None):
        """value as a number (see civ_numbers.parse_number: an RPC client may send text, "5" or "4,5");
        anything else, or a number out of [minimum, maximum], is refused with a clear message naming
        label (and the limit)."""
        number, problem = parse_number(value, integer=integer, minimum=minimum, maximum=maximum)
        if problem is None:
            return number
        if integer:  # parse_number's own bounds of an integer
            minimum = INT_MIN if minimum is None else max(minimum, INT_MIN)
            maximum = INT_MAX if maximum is None else min(maximum, INT_MAX)
        if problem == TOO_SMALL:
            if minimum == 0:
                message = self.env._("%(field)s cannot be negative (%(value)r).", field=label, value=value)
            else:
                message = self.env._(
                    "%(field)s cannot be less than %(limit)s (%(value)r).",
                    field=label,
                    limit=format_number(self.env, minimum, trim=True),
                    value=value,
                )
        elif problem == TOO_LARGE:
            message = self.env._(
                "%(field)s cannot be more than %(limit)s (%(value)r).",
                field=label,
                limit=format_number(self.env, maximum, trim=True),
                value=value,
            )
        elif problem == NOT_WHOLE:
            message = self.env._("%(field)s must be a whole number (%(value)r).", field=label, value=value)
        else:
            message = self.env._("%(field)s must be a number (%(value)r).", field=label, value=value)
        raise ValidationError(message)

    @api.model
    def _convert_numbers(self, vals):
        """The quantities and counts of vals as numbers within their bounds (LIMITS), before anything is
        written: a count beyond PostgreSQL's integer never reaches the database."""
        converted = dict(vals)
        for fname in (*QUANTITY_FIELDS, *COUNT_FIELDS):
            if fname in vals:
                converted[fname] = self._to_number(
                    vals[fname],
                    self._fields[fname]._description_string(self.env),
                    integer=fname in COUNT_FIELDS,
                    minimum=0,
                    maximum=LIMITS[fname],
                )
        return converted

    @api.model
    def _convert_percent(self, value):
        """A percentage typed on the sheet (the organisation of a leader's unit): 0 to 100."""
        label = (
            self.env["civ.evaluation"]._fields["product_organisation_percent"]._description_string(self.env)
        )
        number = self._to_number(value, label)
        if number < 0 or number > 100:
            raise ValidationError(
                self.env._("%(field)s must be between 0 and 100 (%(value)r).", field=label, value=value)
            )
        return number

    @api.constrains(*QUANTITY_FIELDS, *COUNT_FIELDS)
    def _check_quantities(self):
        # the values read a field at a time for all the lines (a load of a whole agency's tasks
        # checks 90,000 lines), compared in plain Python; the message built for the first wrong line
        fnames = (*QUANTITY_FIELDS, *COUNT_FIELDS)
        columns = zip(*(self.mapped(fname) for fname in fnames), strict=True)
        for product, values in zip(self, columns, strict=True):
            problem = self._quantities_problem(dict(zip(fnames, values, strict=True)))
            if problem:
                raise ValidationError(
                    self.env._(
                        "The product %(product)s of %(sheet)s: %(problem)s.",
                        product=product.name,
                        sheet=product.evaluation_id.sudo().display_name,
                        problem=problem,
                    )
                )

    @api.constrains("product_type_id", "evaluation_id")
    def _check_product_type(self):
        """A line picks a type of the catalogue of its person's job position and company."""
        for product in self.filtered("product_type_id"):
            if not product.product_type_id._is_allowed_for(product.evaluation_id):
                raise ValidationError(
                    self.env._(
                        "The type %(type)s is not in the catalogue of products of %(sheet)s (its job "
                        "position or company).",
                        type=product.product_type_id.sudo().display_name,
                        sheet=product.evaluation_id.sudo().display_name,
                    )
                )

    def _quantities_problem(self, values):
        """What is wrong with the quantities of a line ({field: number}), or None."""

        def exceeds(value, limit):
            # float_compare at 4 digits, called only near the limit
            if value <= limit:
                return False
            return value - limit > 0.001 or float_compare(value, limit, precision_digits=4) > 0

        if not all(math.isfinite(value) for value in values.values()):
            return self.env._("quantities, errors and delays must be numbers")
        if any(value < 0 for value in values.values()):
            return self.env._("quantities, errors and delays cannot be negative")
        if not exceeds(values["weight"], 0.0):
            return self.env._("the coefficient must be positive")
        for fname, limit in LIMITS.items():
            if fname in values and values[fname] > limit:
                return self.env._(
                    "%(field)s cannot be more than %(limit)s",
                    field=self._fields[fname]._description_string(self.env),
                    limit=format_number(self.env, limit, trim=True),
                )
        if exceeds(values["qty_done"], values["qty_assigned"]):
            return self.env._("more completed than assigned")
        if exceeds(values["qty_quality"], values["qty_done"]):
            return self.env._("more meeting the requirements than completed")
        if exceeds(values["qty_on_time"], values["qty_done"]):
            return self.env._("more completed on time than completed")
        if exceeds(values.get("qty_exceeded") or 0.0, values["qty_quality"]):
            return self.env._("more exceeding the requirements than meeting them")
        return None

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """Users add lines to the sheets they may edit the products of (the gate); a line they create
        is typed (source), and only a reviewer's may carry errors, delays or an objective cause."""
        vals_list = [self._convert_numbers(vals) for vals in vals_list]
        sheets = self.env["civ.evaluation"].browse({vals.get("evaluation_id") for vals in vals_list} - {None})
        # nothing is added to a locked month, superuser included
        sheets.sudo()._check_not_locked()
        if not self.env.su:
            sheets._check_workflow_access("edit_products")
            reviewing = [
                vals
                for vals in vals_list
                if REVIEW_FIELDS.intersection(name for name, value in vals.items() if value)
            ]
            if reviewing:
                sheets.browse({vals.get("evaluation_id") for vals in reviewing})._check_workflow_access(
                    "review_products"
                )
            for vals in vals_list:
                vals.pop("source", None)
                vals.pop("confirmed", None)
        products = super().create(vals_list)
        if not self.env.su:
            products._check_catalogue_weight()
        products.evaluation_id._civ_refresh_product_points(
            notes=products._change_notes(
                {product: [product._describe_line(self.env._("added"))] for product in products}
            )
        )
        return products

    @api.model
    def _civ_insert_loaded(self, vals_list):
        """Insert the loader's new lines (superuser, after the gate of whoever asked; see
        civ.product.loader): the rows the ORM's create() would write (the same defaults and magic
        fields, the same conversion of each value), in one statement per 1,000 lines, then the
        model's constraints checked on them. What is skipped is the work per record that a load does
        not need (the cache of each new record, the sheets' lists of lines, the per-line notes and
        refreshes): about a fifth of loading a whole agency's tasks. The loader writes its own notes
        and refreshes the points once (civ.product.loader._apply).
        test_loaded_line_is_the_line_create_writes keeps the rows equal to create()'s."""
        if not vals_list:
            return self.browse()
        if not (self.env.su and is_loader(self.env)):
            raise AccessError(
                self.env._("Only the loader of products from other systems inserts product lines.")
            )
        self.env["civ.evaluation"].browse({vals["evaluation_id"] for vals in vals_list})._check_not_locked()
        vals_list = self._prepare_create_values(vals_list)
        columns = sorted(
            {
                fname
                for vals in vals_list
                for fname in vals
                if fname in self._fields and self._fields[fname].store and self._fields[fname].column_type
            }
        )
        rows = [
            tuple(
                self._fields[fname].convert_to_column_insert(vals[fname], self, vals)
                if fname in vals
                else SQL_DEFAULT
                for fname in columns
            )
            for vals in vals_list
        ]
        ids = civ_sql.insert_rows(self.env, self._name, columns, rows)
        self.env["civ.evaluation"].invalidate_model(["product_ids"])
        products = self.browse(ids)
        products._validate_fields(columns)
        return products

    def write(self, vals):
        self._check_direct_write(vals)
        vals = self._convert_numbers(vals)
        # a reviewer who corrects a line (its review fields, or its quantities in review) confirms it
        if (
            not self.env.su
            and "confirmed" not in vals
            and (
                REVIEW_FIELDS.intersection(vals)
                or (EDIT_FIELDS.intersection(vals) and "review" in self.evaluation_id.mapped("state"))
            )
        ):
            vals["confirmed"] = True
        tracked = [fname for fname in TRACKED_FIELDS if fname in vals]
        old = {product.id: {fname: product[fname] for fname in tracked} for product in self.sudo()}
        result = super().write(vals)
        if not self.env.su and {"weight", "product_type_id", "weight_note"}.intersection(vals):
            self._check_catalogue_weight()
        if tracked:
            self.evaluation_id._civ_refresh_product_points(
                notes=self._change_notes(
                    {product: product._describe_changes(old[product.id], tracked) for product in self.sudo()}
                )
            )
        return result

    def _check_catalogue_weight(self):
        """The conversion coefficient is the catalogue's (the type's; 1 without a type): only a
        reviewer of the sheet may use another, with the reason in weight_note; the employee cannot
        (any route: the form, RPC, the Excel import). Checked after the write, on what is stored."""
        off = self.sudo().filtered(
            lambda product: float_compare(
                product.weight, product.product_type_id.weight or 1.0, precision_digits=4
            )
            != 0
        )
        if not off:
            return
        # the gate once per sheet, then the reason of each line
        for sheet, products in off.grouped("evaluation_id").items():
            try:
                sheet.with_env(self.env)._check_workflow_access("review_products")
            except (AccessError, UserError) as error:
                raise UserError(
                    self.env._(
                        "The coefficient of %(product)s is the catalogue's (%(weight)s): only a reviewer of "
                        "the sheet may change it, with the reason. %(why)s",
                        product=products[0].name,
                        weight=format_number(self.env, products[0].product_type_id.weight or 1.0, trim=True),
                        why=error.args[0] if error.args else "",
                    )
                ) from error
        for product in off:
            if not (product.weight_note or "").strip():
                raise UserError(
                    self.env._(
                        "Say in Coefficient Note why %(product)s is counted with the coefficient %(weight)s "
                        "instead of the catalogue's %(catalogue)s.",
                        product=product.name,
                        weight=format_number(self.env, product.weight, trim=True),
                        catalogue=format_number(self.env, product.product_type_id.weight or 1.0, trim=True),
                    )
                )

    def unlink(self):
        self._check_not_locked()
        if not self.env.su:
            self._check_workflow_access("edit_products")
        sheets = self.evaluation_id
        notes = self._change_notes(
            {product: [product._describe_line(self.env._("removed"))] for product in self.sudo()}
        )
        result = super().unlink()
        sheets.exists()._civ_refresh_product_points(notes=notes)
        return result

    def action_confirm(self):
        """The re-scoring reviewer confirms the lines as they are."""
        self._check_workflow_access("review_products")
        self.filtered(lambda product: not product.confirmed).write({"confirmed": True})
        return True

    # ------------------------------------------------------------------ chatter
    def _display_value(self, fname, value):
        if fname == "product_type_id":
            return value.sudo().display_name or "-"
        if isinstance(value, bool):
            return self.env._("yes") if value else self.env._("no")
        if isinstance(value, (int, float)):
            return format_number(self.env, value, trim=True)
        return value or "-"

    # the loader (civ.product.loader) writes its own, shorter note per sheet: the lines it creates,
    # updates and removes are neither described nor logged one by one
    def _describe_line(self, what):
        self.ensure_one()
        if is_loader(self.env):
            return ""
        return Markup("<li>%s — %s: %s %s / %s %s</li>") % (
            self.name,
            what,
            self.env._("assigned"),
            self._display_value("qty_assigned", self.qty_assigned),
            self.env._("completed"),
            self._display_value("qty_done", self.qty_done),
        )

    def _describe_changes(self, old, tracked):
        self.ensure_one()
        if is_loader(self.env):
            return []
        rows = []
        for fname in tracked:
            before, after = old[fname], self[fname]
            if before == after:
                continue
            rows.append(
                Markup("<li>%s — %s: %s → %s</li>")
                % (
                    self.name,
                    self._fields[fname]._description_string(self.env),
                    self._display_value(fname, before),
                    self._display_value(fname, after),
                )
            )
        return rows

    def _change_notes(self, rows_by_product):
        """{sheet id: note listing the product lines' changes}: written in the sheet's chatter with
        the points they change, one note per sheet (see civ.evaluation._civ_refresh_product_points)."""
        if is_loader(self.env):
            return {}
        rows_by_sheet = defaultdict(list)
        for product, rows in rows_by_product.items():
            rows_by_sheet[product.sudo().evaluation_id.id] += rows
        return {
            sheet_id: Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("Products and work changed"), Markup("").join(rows))
            for sheet_id, rows in rows_by_sheet.items()
            if rows
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_never_locked(self):
        if any(sheet.state == "locked" for sheet in self.sudo().evaluation_id):
            raise AccessError(self.env._("The products of a locked month cannot be deleted."))
