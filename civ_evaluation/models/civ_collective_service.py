import logging
from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from . import civ_sql
from .civ_format import format_number

_logger = logging.getLogger(__name__)

TODO = "mail.mail_activity_data_todo"
CHUNK = 200


class CivCollectiveService(models.AbstractModel):
    """The one place of the leadership collective's scoring (reviewer_rule "collective" of a review
    policy step, TP.HCM QĐ 20/2024 and Hà Nội 3251-QĐ/TU): the members' votes opened when the step
    becomes pending, the step's result once every member voted or at its deadline with those who did
    (their average per criterion, or the majority of their levels), the votes closed at the lock. Every
    member's points are kept in civ.review.step.point (member_user_id), like the other levels'. Called
    as superuser after the gates."""

    _name = "civ.collective.service"
    _description = "Scoring by a Leadership Collective"

    @api.model
    def _start_votes(self, steps):
        """One vote per member on each collective step that just became pending, starting from the
        points the previous level gave; a to-do activity for each member but the chair (who has the
        step's). A step pending again after a return starts new votes."""
        steps = steps.sudo().filtered("collective_method")
        if not steps:
            return
        old = steps.vote_ids
        if old:
            self.env["civ.review.step.point"].sudo().search(
                [("step_id", "in", steps.ids), ("member_user_id", "!=", False)]
            ).unlink()
            old.unlink()
        members = self.env["civ.review.policy"].sudo()._collective_members(steps)
        vote_vals, activity_vals = [], []
        model_id = self.env["ir.model"]._get_id("civ.evaluation")
        todo = self.env.ref(TODO)
        for step in steps:
            sheet = step.evaluation_id
            people = members.get(step.id) or step.reviewer_employee_id
            lines = sheet.line_ids.sorted(lambda line: (line.sequence, line.id))
            for sequence, member in enumerate(people, start=1):
                vote_vals.append(
                    {
                        "step_id": step.id,
                        "evaluation_id": sheet.id,
                        "sequence": sequence,
                        "member_employee_id": member.id,
                        "member_user_id": member.user_id.id,
                        "is_chair": member == step.reviewer_employee_id,
                        "line_ids": [
                            (0, 0, {
                                "line_id": line.id,
                                "criterion_id": line.criterion_id.id,
                                "sequence": line.sequence,
                                "previous_points": line.reviewer_points,
                                "points": line.reviewer_points,
                            })
                            for line in lines
                        ],
                    }
                )  # fmt: skip
                if member.user_id != step.reviewer_user_id:
                    activity_vals.append(
                        {
                            "res_model_id": model_id,
                            "res_id": sheet.id,
                            "activity_type_id": todo.id,
                            "user_id": member.user_id.id,
                            "date_deadline": step.date_due or sheet.period_id.date_end,
                            "summary": self.env._("Vote on the evaluation of %s", sheet.employee_id.name),
                            "automated": True,
                        }
                    )
            step.write({"member_user_ids": [(6, 0, people.user_id.ids)], "collective_level_id": False})
        self.env["civ.collective.vote"].sudo().create(vote_vals)
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activity_vals
            )

    @api.model
    def _step_result(self, step):
        """{line id: average points}, the majority level (or an empty record) and the votes counted,
        of a collective step's cast votes."""
        voted = step.vote_ids.filtered(lambda vote: vote.state == "voted")
        points = defaultdict(list)
        for line in voted.line_ids:
            points[line.line_id.id].append(line.points)
        averages = {line_id: round(sum(values) / len(values), 2) for line_id, values in points.items()}
        level = self.env["civ.level"]
        if step.collective_method == "majority":
            counts = Counter(vote.level_id.id for vote in voted if vote.level_id)
            if counts:
                best = max(counts.values())
                tied = self.env["civ.level"].browse([lid for lid, count in counts.items() if count == best])
                chair = voted.filtered("is_chair").level_id
                level = chair if chair and chair in tied else tied.sorted(lambda lv: (lv.sequence, lv.id))[:1]
        return averages, level, voted

    @api.model
    def _close_steps(self, steps):
        """The result of each collective step with at least one vote cast: the lines' reviewer points
        become the members' average, the step keeps them and, for a majority step, the level; the
        members who did not vote are marked so; then the step is approved for the collective (the
        decision step decides). A result the quota service refuses stays for the chair, with the reason
        in the chatter."""
        for step in steps.sudo().filtered(lambda s: s.state == "pending" and s.collective_method):
            averages, level, voted = self._step_result(step)
            if not voted:
                continue
            sheet = step.evaluation_id
            self._mark_absent(step.vote_ids.filtered(lambda vote: vote.state == "pending"))
            civ_sql.lines_set_points(self.env, "reviewer_points", list(averages.items()))
            figures = {
                "count": len(voted),
                "total": len(step.vote_ids),
                "names": ", ".join(voted.member_user_id.mapped("name")),
                "score": format_number(self.env, sum(voted.mapped("score")) / len(voted), trim=True),
            }
            summary = self.env._(
                "Result of the leadership collective: %(count)s of %(total)s members voted (%(names)s), "
                "%(score)s points on average.",
                **figures,
            )
            if level:
                summary = self.env._(
                    "Result of the leadership collective: %(count)s of %(total)s members voted (%(names)s), "
                    "%(score)s points on average, level %(level)s by majority.",
                    level=level.display_name,
                    **figures,
                )
            step.write({"collective_level_id": level.id, "comment": summary})
            sheet._update_scores({"reviewer"})
            civ_sql.step_points_record(self.env, step.ids)
            sheet._message_log(body=Markup("<p>%s</p>") % summary)
            try:
                with self.env.cr.savepoint():
                    sheet.action_approve(
                        quota_reason=self.env._("Result of the leadership collective's vote")
                    )
            except UserError as error:
                sheet._message_log(
                    body=self.env._(
                        "The collective's result could not be recorded: %(error)s The chair (%(chair)s) "
                        "decides the sheet.",
                        error=str(error),
                        chair=step.reviewer_user_id.name or "-",
                    )
                )

    @api.model
    def _cron_close_overdue_steps(self):
        """Cron: the collective steps past their deadline are closed with the members who voted (in
        chunks, progress logged)."""
        steps = (
            self.env["civ.review.step"]
            .sudo()
            .search(
                [
                    ("state", "=", "pending"),
                    ("collective_method", "!=", False),
                    ("is_overdue", "=", True),
                    ("vote_ids.state", "=", "voted"),
                ]
            )
        )
        done = 0
        for chunk in split_every(CHUNK, steps.ids):
            self._close_steps(self.env["civ.review.step"].sudo().browse(chunk))
            done += len(chunk)
            _logger.info("Collective steps past their deadline: %s/%s closed", done, len(steps))

    @api.model
    def _close_at_lock(self, sheets):
        """At the lock the votes not cast are marked so (the sheets are decided by the lock rules)."""
        votes = (
            self.env["civ.collective.vote"]
            .sudo()
            .search([("evaluation_id", "in", sheets.ids), ("state", "=", "pending")])
        )
        self._mark_absent(votes)

    @api.model
    def _mark_absent(self, votes):
        """The votes not cast when the step closes: marked so, their members' to-dos removed."""
        if not votes:
            return
        votes.write({"state": "absent"})
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "civ.evaluation"),
                ("res_id", "in", votes.evaluation_id.ids),
                ("activity_type_id", "=", self.env.ref(TODO).id),
                ("user_id", "in", votes.member_user_id.ids),
            ]
        ).unlink()
