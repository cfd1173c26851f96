import logging
import time
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..reports import xlsx_aggregate, xlsx_annual, xlsx_unit_list
from ..reports.xlsx_common import XLSX_MIMETYPE, ReportScope

_logger = logging.getLogger(__name__)

REPORT_KINDS = [
    ("unit_list", "Unit List (one row per person)"),
    ("aggregate", "Aggregate per Company and Department"),
    ("annual", "Year Summary (twelve months)"),
]
BUILDERS = {
    "unit_list": xlsx_unit_list.build,
    "aggregate": xlsx_aggregate.build,
    "annual": xlsx_annual.build,
}
FILE_NAMES = {
    "unit_list": "danh_sach_danh_gia_{suffix}.xlsx",
    "aggregate": "tong_hop_danh_gia_{suffix}.xlsx",
    "annual": "ket_qua_danh_gia_nam_{suffix}.xlsx",
}


class CivExportWizard(models.TransientModel):
    """Excel exports of the evaluation results (Decree 30/2020 layout): the per-unit list, the
    aggregate for upward reporting and the year summary. The user's own rights decide what is in
    them: sheets are searched with the user's environment (record rules apply) over the chosen
    companies, which must be among the user's allowed companies."""

    _name = "civ.export.wizard"
    _description = "Export Evaluation Results to Excel"

    report_kind = fields.Selection(REPORT_KINDS, string="Report", required=True, default="unit_list")
    period_ids = fields.Many2many(
        "civ.period",
        string="Periods",
        help="The months to export (one worksheet per month, all chosen companies together).",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.companies,
        help="The agencies to export, among those you are allowed on. Empty: all your current companies.",
    )
    department_ids = fields.Many2many(
        "hr.department",
        string="Departments",
        help="Only these departments and their sub-departments. Empty: every department.",
    )
    year = fields.Integer(default=lambda self: fields.Date.context_today(self).year)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    file_name = fields.Char(related="attachment_id.name")
    row_count = fields.Integer(string="Rows", readonly=True)

    @api.model
    def default_get(self, fields_list):
        """Preselect from where the wizard was opened: periods (from the period form or list), or
        the periods, companies and departments of the sheets selected in a list."""
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or (
            [self.env.context["active_id"]] if self.env.context.get("active_id") else []
        )
        if not ids or model not in ("civ.period", "civ.evaluation"):
            return values
        if model == "civ.period":
            periods = self.env["civ.period"].browse(ids).exists()
            departments = self.env["hr.department"]
        else:
            sheets = self.env["civ.evaluation"].browse(ids).exists()
            periods, departments = sheets.period_id, sheets.department_id
        if "period_ids" in fields_list:
            values["period_ids"] = [fields.Command.set(periods.ids)]
        if "company_ids" in fields_list and periods:
            values["company_ids"] = [fields.Command.set(periods.company_id.ids)]
        if "department_ids" in fields_list and departments:
            values["department_ids"] = [fields.Command.set(departments.ids)]
        if "year" in fields_list and periods:
            values["year"] = max(periods.mapped("date_start")).year
        return values

    def unlink(self):
        # the files live as long as their wizard (transient records are vacuumed)
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        return super().unlink()

    # ------------------------------------------------------------------ scope
    def _report_companies(self):
        """The chosen companies, checked against the user's allowed companies."""
        self.ensure_one()
        companies = self.company_ids or self.env.companies
        foreign = companies - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You are not allowed to export the results of %s.",
                    ", ".join(foreign.sudo().mapped("name")),
                )
            )
        return companies

    def _report_scope(self):
        """The ReportScope of the export: the user's environment restricted to the chosen companies
        (record rules apply), the periods and the sheet domain."""
        self.ensure_one()
        companies = self._report_companies()
        env = self.env(context=dict(self.env.context, allowed_company_ids=companies.ids))
        Period = env["civ.period"]
        if self.report_kind == "annual":
            if not 1900 < self.year < 3000:
                raise UserError(self.env._("Give the year of the summary."))
            periods = Period.search(
                [
                    ("company_id", "in", companies.ids),
                    ("date_start", ">=", date(self.year, 1, 1)),
                    ("date_start", "<=", date(self.year, 12, 31)),
                ],
                order="date_start, company_id",
            )
            if not periods:
                raise UserError(
                    self.env._("There is no evaluation period in %s for these companies.", self.year)
                )
        else:
            if not self.period_ids:
                raise UserError(self.env._("Choose the periods to export."))
            periods = Period.search(
                [("id", "in", self.period_ids.ids), ("company_id", "in", companies.ids)],
                order="date_start, company_id",
            )
            if not periods:
                raise UserError(self.env._("None of the chosen periods belongs to the chosen companies."))
        domain = [("period_id", "in", periods.ids), ("company_id", "in", companies.ids)]
        if self.department_ids:
            domain.append(("department_id", "child_of", self.department_ids.ids))
        issuer = self.env.company if self.env.company in companies else companies[:1]
        return ReportScope(
            env=env,
            companies=companies,
            periods=periods,
            departments=self.department_ids,
            domain=domain,
            issuer=issuer,
            today=fields.Date.context_today(self),
            year=self.year,
            preparer=self.env.user.name,
        )

    def _file_name(self, scope):
        if self.report_kind == "annual":
            suffix = str(self.year)
        else:
            months = sorted({(p.date_start.year, p.date_start.month) for p in scope.periods})
            suffix = "_".join(f"{year}_{month:02d}" for year, month in months[:3])
            if len(months) > 3:
                suffix += "_etc"
        return FILE_NAMES[self.report_kind].format(suffix=suffix)

    # ------------------------------------------------------------------ export
    def action_export(self):
        """Build the workbook, store it as an attachment of the wizard (attachment_id) and return
        the action downloading it (also usable over RPC: read attachment_id afterwards)."""
        self.ensure_one()
        scope = self._report_scope()
        if self.report_kind != "aggregate" and not scope.env["civ.evaluation"].search_count(
            scope.domain, limit=1
        ):
            raise UserError(
                self.env._(
                    "No evaluation sheet you may read matches these periods, companies and departments."
                )
            )
        started = time.monotonic()
        content, rows = BUILDERS[self.report_kind](scope)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._file_name(scope),
                "raw": content,
                "mimetype": XLSX_MIMETYPE,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write({"attachment_id": attachment.id, "row_count": rows})
        _logger.info(
            "Export %s by %s: %s rows, %s bytes in %.1f s",
            self.report_kind,
            self.env.user.login,
            rows,
            len(content),
            time.monotonic() - started,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
