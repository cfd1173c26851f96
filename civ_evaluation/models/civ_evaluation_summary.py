from odoo import api, fields, models

from .civ_format import format_number


class CivEvaluationSummary(models.Model):
    """What the sheet's form shows besides its fields: the live totals while the points are typed,
    and every level's points side by side (QWeb templates of views/civ_summary_templates.xml). A part
    of civ.evaluation; nothing stored."""

    _inherit = "civ.evaluation"

    # live totals of the form: recomputed from the current line points while the user types (not stored)
    live_self_score = fields.Float(string="Self Total (live)", compute="_compute_live_scores", digits=(16, 2))
    live_reviewer_score = fields.Float(
        string="Reviewer Total (live)", compute="_compute_live_scores", digits=(16, 2)
    )
    live_level_id = fields.Many2one(
        "civ.level",
        string="Level it Would Give",
        compute="_compute_live_scores",
        help="The level the points entered would give (self points in self-assessment, the reviewer "
        "points afterwards).",
    )
    live_group_summary = fields.Html(
        string="Totals per Group", compute="_compute_live_scores", sanitize=False
    )

    # every level side by side: self points, each step's points and remarks, the final points
    level_points_html = fields.Html(
        string="Points of Each Level",
        compute="_compute_level_points_html",
        sanitize=False,
        help="The self points, the points and remarks each reviewing level gave (kept when the next "
        "level re-scores) and the final points, one column per step of the review chain.",
    )

    @api.depends(
        "framework_id", "state", "line_ids.self_points", "line_ids.reviewer_points", "line_ids.criterion_id"
    )
    def _compute_live_scores(self):
        for sheet in self:
            framework = sheet.framework_id.sudo()
            if not framework:
                sheet.live_self_score = sheet.live_reviewer_score = 0.0
                sheet.live_level_id = False
                sheet.live_group_summary = False
                continue
            self_points, reviewer_points = {}, {}
            for line in sheet.line_ids:
                criterion_id = line.criterion_id.id
                self_points[criterion_id] = line.self_points
                reviewer_points[criterion_id] = line.reviewer_points
            own = framework.compute_score(self_points)
            reviewed = framework.compute_score(reviewer_points)
            in_review = sheet.state != "draft"
            sheet.live_self_score = own["total"]
            sheet.live_reviewer_score = reviewed["total"] if in_review else 0.0
            sheet.live_level_id = (reviewed if in_review else own)["level"].id
            # a value outside its limits is not clamped silently: no level, and the table says why
            out_of_bounds = sheet.line_ids._out_of_bounds(("self_points", "reviewer_points"))
            if out_of_bounds:
                sheet.live_level_id = False
            sheet.live_group_summary = sheet._live_group_table(
                framework, own, reviewed, in_review, out_of_bounds
            )

    def _live_group_table(self, framework, own, reviewed, in_review, alert=None):
        """A small HTML table: each criteria group's subtotal against its limit (QWeb
        civ_evaluation.sheet_group_totals)."""
        env = self.env
        rows = [
            {
                "label": " ".join(part for part in (group.code, group.name) if part),
                "own": format_number(env, own["group_scores"].get(group.id, 0.0)),
                "reviewed": format_number(env, reviewed["group_scores"].get(group.id, 0.0)),
                "limit": format_number(
                    env, group.min_points if group.kind == "deduction" else group.max_points
                ),
            }
            for group in framework.group_ids.sorted(lambda g: (g.sequence, g.id))
        ]
        return env["ir.qweb"]._render(
            "civ_evaluation.sheet_group_totals", {"rows": rows, "in_review": in_review, "alert": alert}
        )

    @api.depends(
        "state",
        "line_ids.self_points",
        "line_ids.reviewer_points",
        "line_ids.final_points",
        "line_ids.reviewer_note",
        "step_ids.state",
        "step_ids.score",
        "step_ids.comment",
        "step_ids.point_ids",
    )
    def _compute_level_points_html(self):
        for sheet in self:
            sheet.level_points_html = sheet._level_points_table() if sheet.state != "draft" else False

    def _level_columns(self):
        """The review steps of the sheet in the chain's order, each with {line id: (points, remark)}
        it gave (the saved line's id, also while the form is being edited) and its total: the step
        points of an approved re-scoring step, the current lines' reviewer points of the pending one
        (being scored), nothing for the others (sudo reads: the user reads the sheet)."""
        self.ensure_one()
        sheet = self.sudo()
        columns = []
        for step in sheet.step_ids.sorted(lambda step: (step.sequence, step.id)):
            values, total = {}, None
            for vote in step.vote_ids.filtered(lambda vote: vote.state == "voted"):
                # the members of a leadership collective, side by side before its result
                columns.append(
                    {
                        "step": step,
                        "name": step.name,
                        "reviewer": vote.member_user_id.name,
                        "pending": False,
                        "values": {line.line_id.id: (line.points, line.note) for line in vote.line_ids},
                        "total": vote.score,
                        "comment": vote.comment or "",
                    }
                )
            if step.state == "approved":
                values = {
                    point.line_id.id: (point.points, point.comment)
                    for point in step.point_ids
                    if not point.member_user_id
                }
                total = step.score
            elif step.state == "pending" and sheet.state == "review" and step.can_rescore:
                values = {
                    line._origin.id or line.id: (line.reviewer_points, line.reviewer_note)
                    for line in sheet.line_ids
                }
                total = sheet.framework_id.compute_score(
                    {line.criterion_id.id: line.reviewer_points for line in sheet.line_ids}
                )["total"]
            columns.append(
                {
                    "step": step,
                    "name": step.name,
                    "reviewer": step.reviewer_employee_id.name or step.reviewer_user_id.name or "",
                    "pending": step.state == "pending",
                    "values": values,
                    "total": total,
                    "comment": step.comment if step.state != "returned" else "",
                }
            )
        return columns

    def _level_points_table(self):
        """The HTML table of the form: one row per criterion, one column per level (QWeb
        civ_evaluation.sheet_level_points)."""
        self.ensure_one()
        env = self.env
        columns = self._level_columns()
        decided = self.state in ("done", "locked") and not self.not_evaluated

        def number(value):
            return "" if value is None else format_number(env, value, trim=True)

        rows = []
        for line in self.line_ids.sorted(lambda line: (line.sequence, line.id)):
            levels = []
            for column in columns:
                points, remark = column["values"].get(line._origin.id or line.id, (None, None))
                levels.append((number(points), remark))
            rows.append(
                {
                    "name": line.display_name,
                    "self": number(line.self_points),
                    "levels": levels,
                    "final": number(line.final_points) if decided else "",
                }
            )
        totals = {
            "self": number(self.self_score),
            "levels": [number(column["total"]) for column in columns],
            "final": number(self.final_score) if decided else "",
        }
        return env["ir.qweb"]._render(
            "civ_evaluation.sheet_level_points", {"columns": columns, "rows": rows, "totals": totals}
        )
