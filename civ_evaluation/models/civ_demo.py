from collections import defaultdict

from odoo import api, models


class CivDemo(models.AbstractModel):
    """DEMO DATA ONLY: plays the months of the demo district (demo/civ_demo_cycle.xml). Nothing of the
    workflow lives here: it calls the models' own actions, as their users would."""

    _name = "civ.demo"
    _description = "Demo Data of the Evaluation"

    @api.model
    def _civ_fill_periods(self, period_ids, stage, featured_department_ids):
        """Open the periods period_ids (called by demo/civ_demo_cycle.xml) and play the month's
        workflow as superuser. The whole chain is played for the featured units (the leadership and
        the units of the demo logins listed in the README: the "featured" sheets); the other sheets
        only go as far as cheap batch steps allow, to keep the demo quick to load. stage:
        - 'locked': everyone submits, featured sheets are decided, the lock decides the rest;
        - 'decided': everyone submits, featured sheets are decided, the others wait in review;
        - 'current': featured sheets only: a third in self-assessment, a third waiting for their
          first reviewer, a third decided; the other units have not started.
        Points are deterministic: most people "good" (B), one in ten excellent (A), a few weaker."""
        # the messages and notes of the demo in the district's language, whoever installs it
        periods = self.env["civ.period"].browse(period_ids)
        periods = periods.sudo().with_context(
            tracking_disable=True,
            mail_notrack=True,
            mail_create_nolog=True,
            mail_notify_noemail=True,
            lang=periods[:1].company_id.partner_id.lang or self.env.lang,
        )
        periods.action_open()
        for period in periods:
            sheets = period.evaluation_ids.filtered(lambda sheet: not sheet.chain_problem)
            featured = sheets.filtered(lambda sheet: sheet.department_id.id in featured_department_ids)
            if stage == "current":
                sheets = featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3)
            by_value = defaultdict(list)
            for line in sheets.line_ids:
                criterion = line.criterion_id
                profile = line.evaluation_id.employee_id.id % 10
                if criterion.group_id.kind == "deduction":
                    value = criterion.max_points
                elif criterion.group_id.kind == "bonus":
                    value = criterion.max_points if profile == 0 else criterion.min_points
                else:
                    share = 1.0 if profile == 0 else (0.6 if profile == 9 else 0.85)
                    span = criterion.max_points - criterion.min_points
                    value = round(criterion.min_points + share * span)
                by_value[value].append(line.id)
            for value, line_ids in by_value.items():
                self.env["civ.evaluation.line"].sudo().browse(line_ids).write({"self_points": value})
            self._civ_demo_products(sheets.filtered("uses_products"))
            sheets.action_submit()
            if stage == "current":
                featured = featured.filtered(lambda sheet: sheet.employee_id.id % 3 == 1)
            for _step in range(5):
                waiting = featured.filtered(lambda sheet: sheet.state == "review")
                if not waiting:
                    break
                # each level approves as its reviewer (the chatter names them, not the superuser)
                for reviewer, batch in waiting.grouped("current_reviewer_user_id").items():
                    batch.with_user(reviewer).action_approve(
                        quota_reason="Dữ liệu mẫu: vượt tỷ lệ khống chế để minh họa"
                    )
            if stage == "locked":
                period.action_lock()
        return True

    @api.model
    def _civ_demo_products(self, sheets):
        """The products of the month of the sheets graded on products (Nghị định 335/2025): four work
        items each, all done; most people with one of them late, one in ten with two exceeding the
        requirements and nothing late, a few weaker with one item undone and one with a major error."""
        Product = self.env["civ.evaluation.product"].sudo().with_context(tracking_disable=True)
        names = ("Báo cáo tháng", "Tham mưu văn bản", "Giải quyết hồ sơ", "Kiểm tra, đôn đốc")
        vals_list = []
        for sheet in sheets:
            profile = sheet.employee_id.id % 10
            for index, name in enumerate(names):
                done = 0.0 if profile == 9 and index == 3 else 1.0
                late = (profile not in (0, 9) and index == 2) or (profile == 9 and index == 1)
                vals = {
                    "evaluation_id": sheet.id,
                    "sequence": index,
                    "name": name,
                    "qty_assigned": 1.0,
                    "qty_done": done,
                    "qty_quality": done,
                    "qty_on_time": 0.0 if late else done,
                    "delay_count": 1 if late else 0,
                }
                if profile == 0 and index < 2:
                    vals["qty_exceeded"] = 1.0
                vals_list.append(vals)
        Product.create(vals_list)

    @api.model
    def _civ_demo_voices(
        self, period_id, feedback_department_id, collective_department_id, desk_department_id
    ):
        """DEMO DATA ONLY (demo/civ_demo_voices.xml), this month: colleagues' feedback on a sheet of the
        feedback unit (two of its colleagues answered), its collective's meeting recorded, the head
        of the collective unit scored by the leadership collective (Hà Nội 3251-QĐ/TU: the majority of
        the members' levels; two members voted, the others are to vote), and the one-stop desk's
        citizens' satisfaction survey with the month's answers."""
        period = self.env["civ.period"].browse(period_id).sudo()
        env = self.with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True, mail_notify_noemail=True,
            lang=period.company_id.partner_id.lang or self.env.lang,
        ).env  # fmt: skip
        Sheet = env["civ.evaluation"].sudo()
        departments = (
            env["hr.department"]
            .sudo()
            .browse([feedback_department_id, collective_department_id, desk_department_id])
        )
        feedback_unit, collective_unit, desk_unit = departments
        # colleagues' feedback on a specialist's sheet of the unit, two answers given
        survey = env.ref("civ_evaluation.survey_civ_feedback")
        sheet = Sheet.search(
            [("period_id", "=", period.id), ("department_id", "=", feedback_unit.id),
             ("employee_id", "!=", feedback_unit.manager_id.id)], order="id", limit=1,
        )  # fmt: skip
        if sheet:
            respondents = sheet._default_feedback_respondents()
            requests = (
                env["civ.feedback.request"]
                .sudo()
                ._request(sheet, respondents, survey, sheet._feedback_deadline())
            )
            for number, request in enumerate(requests[:2]):
                answer = request.user_input_id
                for question in survey.question_ids:
                    if question.question_type == "simple_choice":
                        choice = question.suggested_answer_ids.sorted("sequence")[number % 2]
                        answer._save_lines(question, choice.id)
                    else:
                        answer._save_lines(
                            question, "Nhiệt tình, phối hợp tốt; cần chủ động hơn trong tham mưu."
                        )
                answer._mark_done()
        # the unit's collective meets on its sheets
        meeting = (
            env["civ.collective.meeting"]
            .sudo()
            .create(
                {
                    "company_id": period.company_id.id,
                    "period_id": period.id,
                    "department_id": feedback_unit.id,
                    "member_employee_ids": [(6, 0, feedback_unit.member_ids.ids)],
                }
            )
        )
        meeting.with_user(feedback_unit.manager_id.user_id or self.env.user).sudo().action_load_sheets()
        meeting.opinion_ids.filtered(lambda o: o.employee_id == sheet.employee_id).write(
            {"opinion": "Tập thể thống nhất với kết quả tự đánh giá."}
        )
        if meeting.opinion_ids:
            meeting.action_record()
        # the leadership collective scores the head of the collective unit
        env["civ.review.policy"].sudo().create(
            {
                "name": "Trưởng phòng: tập thể lãnh đạo UBND quyết định (3251-QĐ/TU)",
                "company_id": period.company_id.id,
                "applies_to": "unit_head",
                "step_ids": [
                    (0, 0, {"name": "Tập thể lãnh đạo UBND quận", "reviewer_rule": "collective",
                            "collective_method": "majority", "can_rescore": True, "is_decision": True}),
                ],
            }
        )  # fmt: skip
        head_sheet = Sheet.search(
            [
                ("period_id", "=", period.id),
                ("employee_id", "=", collective_unit.manager_id.id),
                ("state", "=", "draft"),
            ]
        )
        if head_sheet:
            head_sheet.action_refresh_chain()
            for line in head_sheet.line_ids:
                line.write(
                    {"self_points": line.criterion_id.max_points if line.criterion_id.max_points > 0 else 0}
                )
            head_sheet.with_user(head_sheet.user_id).action_submit()
            levels = head_sheet.framework_id._sorted_levels()
            for vote in head_sheet.vote_ids.filtered(lambda v: not v.is_chair)[:2]:
                vote.write(
                    {"level_id": levels[0].id, "comment": "Hoàn thành xuất sắc các nhiệm vụ trọng tâm."}
                )
                vote.with_user(vote.member_user_id).action_vote()
        # the one-stop desk's satisfaction survey, with the month's answers
        satisfaction = env.ref("civ_evaluation.survey_civ_satisfaction")
        channel = (
            env["civ.satisfaction.channel"]
            .sudo()
            .create(
                {
                    "name": "Bộ phận Tiếp nhận và Trả kết quả (một cửa)",
                    "company_id": period.company_id.id,
                    "survey_id": satisfaction.id,
                    "employee_ids": [
                        (6, 0, desk_unit.member_ids.filtered(lambda e: e != desk_unit.manager_id)[:2].ids)
                    ],
                }
            )
        )
        choices = [0, 1, 0, 0, 1, 2, 0, 1, 3, 0, 1, 0]
        for number, choice in enumerate(choices):
            answer = channel._start_answer(f"demo-{number}")
            for question in satisfaction.question_ids:
                if question.question_type == "simple_choice":
                    answer._save_lines(question, question.suggested_answer_ids.sorted("sequence")[choice].id)
            answer._mark_done()
        return True
