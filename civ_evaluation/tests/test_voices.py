"""The voices a grade needs beyond the review chain (issue: colleagues' feedback, the collective's
opinion, the leadership collective's score, citizens' satisfaction): a leadership collective scores the
head of a section (three members give 80, 85 and 90: the step's points are 85; two of three at the
deadline: their average; or the majority of their levels); colleagues answer feedback forms in Odoo's
Surveys (a respondent sees only their own, the evaluated person only the aggregate) and the answers are
sealed with the month; the unit's collective records its opinion on every sheet in one go; the citizens'
answers of the period fill a criterion's points, with a fallback below the minimum of answers."""

from datetime import date, datetime, timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import MAY, RpcMixin, level_of, make_person
from .cycle_common import CivCycleCase


class VoicesCase(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a second vice-chairman: the leadership collective is the chairman and the two vice-chairmen
        cls.user_vice2, cls.vice2 = make_person(
            cls.env,
            cls.company,
            "Bùi Văn Ba",
            "phochutich2_t",
            department=cls.leadership,
            job_title="Phó Chủ tịch",
            parent_id=cls.chairman.id,
        )
        cls.leadership.civ_deputy_ids = [Command.link(cls.vice2.id)]
        cls.A, cls.B = level_of(cls.framework, "A"), level_of(cls.framework, "B")

    @classmethod
    def _collective_policy(cls, method="average"):
        """The heads of section of the district are scored by the leadership collective, which decides."""
        return cls.env["civ.review.policy"].create(
            {
                "name": "Trưởng phòng: tập thể lãnh đạo chấm điểm",
                "company_id": cls.company.id,
                "applies_to": "unit_head",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Tập thể lãnh đạo UBND",
                            "reviewer_rule": "collective",
                            "collective_method": method,
                            "can_rescore": True,
                            "is_decision": True,
                        }
                    )
                ],
            }
        )

    def _submitted_head_sheet(self):
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.head)
        self._set_points(sheet, self.user_head, "self_points", self.SELF_90)
        sheet.with_user(self.user_head).action_submit()
        return sheet

    def _vote(self, sheet, user, total, level=None):
        """`user` gives the head `total` points (2.2 carries the difference from 90) and votes."""
        vote = sheet.vote_ids.filtered(lambda v: v.member_user_id == user).with_user(user)
        line = vote.line_ids.filtered(lambda line: line.criterion_id.code == "2.2")
        vals = {"line_ids": [Command.update(line.id, {"points": 32 - (90 - total)})]}
        if level:
            vals["level_id"] = level.id
        vote.write(vals)
        vote.action_vote()
        return vote


@tagged("post_install", "-at_install", "civ_evaluation", "civ_voices")
class TestLeadershipCollective(VoicesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._collective_policy()

    def test_average_of_three_members(self):
        sheet = self._submitted_head_sheet()
        step = sheet.current_step_id
        self.assertEqual(step.collective_method, "average")
        self.assertEqual(step.reviewer_user_id, self.user_chairman, "the chairman chairs")
        self.assertEqual(step.member_user_ids, self.user_chairman | self.user_vice | self.user_vice2)
        self.assertEqual(len(sheet.vote_ids), 3)
        # each member has a to-do (the chair the step's)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "civ.evaluation"), ("res_id", "=", sheet.id)]
        )
        self.assertEqual(activities.user_id, step.member_user_ids)
        self._vote(sheet, self.user_vice, 80)
        self._vote(sheet, self.user_vice2, 85)
        # the chair neither approves nor re-scores for the collective while a vote is to cast
        with self.assertRaisesRegex(UserError, "2 of 3 votes"):
            sheet.with_user(self.user_chairman).action_approve()
        self.assertEqual(sheet.state, "review")
        self._vote(sheet, self.user_chairman, 90)
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 85.0)
        self.assertEqual(sheet.level_id, level_of(self.framework, "B"))
        self.assertEqual(step.state, "approved")
        # every member's points are kept like the other levels', and shown side by side
        points = step.point_ids
        self.assertEqual(len(points.filtered("member_user_id")), 3 * len(sheet.line_ids))
        own = points.filtered(lambda p: not p.member_user_id and p.line_id.criterion_id.code == "2.2")
        self.assertEqual(own.points, 27.0)
        table = sheet.with_user(self.user_head).level_points_html
        for name in (self.user_vice.name, self.user_vice2.name, self.user_chairman.name):
            self.assertIn(name, table)
        self.assertIn("3 of 3 members voted", step.comment)

    def test_one_row_per_line_for_the_step_and_for_each_member(self):
        """civ_sql.step_point_unique_indexes: the step's own points and each member's, once per line."""
        sheet = self._submitted_head_sheet()
        self._vote(sheet, self.user_vice, 80)
        step, line = sheet.current_step_id, sheet.line_ids[:1]
        Point = self.env["civ.review.step.point"]
        base = {"step_id": step.id, "line_id": line.id, "evaluation_id": sheet.id, "points": 1.0}
        # another member's row and the step's own row stand beside the member's
        Point.create([dict(base, member_user_id=self.user_vice2.id), base])
        self.env.flush_all()
        for vals in (dict(base, member_user_id=self.user_vice.id), base):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                Point.create(vals)
                self.env.flush_all()

    def test_deadline_with_those_who_voted(self):
        sheet = self._submitted_head_sheet()
        self._vote(sheet, self.user_vice, 80)
        self._vote(sheet, self.user_chairman, 85)
        today = fields.Date.today()
        sheet.period_id.sudo().write(
            {"review_deadline": today, "decision_deadline": today + timedelta(days=2)}
        )
        service = self.env["civ.collective.service"]
        service._cron_close_overdue_steps()
        self.assertEqual(sheet.state, "review", "before the deadline the collective waits")
        sheet.period_id.sudo().write(
            {"review_deadline": date(2026, 6, 3), "decision_deadline": date(2026, 6, 5)}
        )
        service._cron_close_overdue_steps()
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 82.5)
        absent = sheet.vote_ids.filtered(lambda v: v.member_user_id == self.user_vice2)
        self.assertEqual(absent.state, "absent")
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "civ.evaluation"),
                    ("res_id", "=", sheet.id),
                    ("user_id", "=", self.user_vice2.id),
                ]
            ),
            "the member who did not vote has nothing left to do",
        )
        # a late vote is refused
        with self.assertRaises(UserError):
            absent.with_user(self.user_vice2).action_vote()

    def test_majority_of_levels(self):
        self.policy.step_ids.collective_method = "majority"
        sheet = self._submitted_head_sheet()
        self._vote(sheet, self.user_chairman, 90, self.A)
        other_level = self.env["civ.level"].search([("framework_id", "!=", self.framework.id)], limit=1)
        with self.assertRaises(ValidationError):
            sheet.vote_ids.filtered(lambda v: v.member_user_id == self.user_vice).with_user(
                self.user_vice
            ).write({"level_id": other_level.id})
        with self.assertRaisesRegex(UserError, "Choose the level"):
            sheet.vote_ids.filtered(lambda v: v.member_user_id == self.user_vice).with_user(
                self.user_vice
            ).action_vote()
        self._vote(sheet, self.user_vice, 90, self.B)
        self._vote(sheet, self.user_vice2, 90, self.B)
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.final_score, 90.0)
        self.assertEqual(sheet.level_id, self.B, "two of three chose B: the points alone would give A")
        self.assertIn("majority", sheet.level_reason)

    def test_majority_tie_goes_to_the_chair(self):
        self.policy.step_ids.collective_method = "majority"
        sheet = self._submitted_head_sheet()
        step = sheet.current_step_id
        self._vote(sheet, self.user_vice, 90, self.B)
        self._vote(sheet, self.user_chairman, 90, self.A)
        sheet.period_id.sudo().write(
            {"review_deadline": date(2026, 6, 3), "decision_deadline": date(2026, 6, 5)}
        )
        self.env["civ.collective.service"]._close_steps(step)
        self.assertEqual(sheet.level_id, self.A)

    def test_who_votes(self):
        sheet = self._submitted_head_sheet()
        vice_vote = sheet.vote_ids.filtered(lambda v: v.member_user_id == self.user_vice)
        # another member never writes or casts someone else's vote
        with self.assertRaises(AccessError):
            vice_vote.with_user(self.user_vice2).action_vote()
        with self.assertRaises(AccessError):
            vice_vote.line_ids[:1].with_user(self.user_vice2).write({"points": 1})
        # nobody outside the collective votes; the evaluated head does not see the votes being cast
        with self.assertRaises(AccessError):
            vice_vote.with_user(self.user_officer).action_vote()
        self.assertFalse(
            self.env["civ.collective.vote"]
            .with_user(self.user_head)
            .search([("evaluation_id", "=", sheet.id)])
        )
        # members read the sheet they vote on
        sheet.with_user(self.user_vice2).check_access("read")
        # votes are made by the workflow only
        with self.assertRaises(AccessError):
            self.env["civ.collective.vote"].with_user(self.user_vice).create(
                {
                    "step_id": sheet.current_step_id.id,
                    "evaluation_id": sheet.id,
                    "member_user_id": self.user_vice.id,
                }
            )
        self._vote(sheet, self.user_vice, 80)
        self.assertEqual(
            self.env["civ.collective.vote"]
            .with_user(self.user_head)
            .search([("evaluation_id", "=", sheet.id)]),
            vice_vote,
            "a vote cast is read by the evaluated person, like the other levels",
        )
        # a cast vote no longer changes
        with self.assertRaises(UserError):
            vice_vote.line_ids[:1].with_user(self.user_vice).write({"points": 1})

    def test_lock_and_seal(self):
        sheet = self._submitted_head_sheet()
        self._vote(sheet, self.user_vice, 80)
        period = sheet.period_id
        period.with_user(self.user_officer).action_lock()
        self.assertEqual(sheet.state, "locked")
        self.assertEqual(set(sheet.vote_ids.mapped("state")), {"voted", "absent"})
        self.assertFalse(period._integrity_failures())
        vote = sheet.vote_ids.filtered(lambda v: v.state == "voted")
        with self.assertRaises(UserError):
            vote.sudo().write({"comment": "x"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE civ_collective_vote SET level_id = %s WHERE id = %s", (self.A.id, vote.id)
        )
        self.assertEqual(period._integrity_failures(), sheet)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_voices")
class TestColleagueFeedback(VoicesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("civ_evaluation.survey_civ_feedback")
        cls.framework.feedback_survey_id = cls.survey
        cls.period = cls._open_period(MAY)
        cls.sheet = cls._sheet(cls.period, cls.staff)

    def _ask(self, user, sheet=None):
        sheet = sheet or self.sheet
        action = sheet.with_user(user).action_request_feedback()
        wizard = (
            self.env["civ.feedback.request.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({})
        )
        wizard.action_confirm()
        return sheet.sudo().feedback_request_ids

    def _answer(self, request, choice_index):
        """The respondent answers every choice question with the choice at `choice_index` (0: best)."""
        answer = request.sudo().user_input_id
        for question in self.survey.question_ids:
            if question.question_type == "simple_choice":
                answer._save_lines(
                    question, question.suggested_answer_ids.sorted("sequence")[choice_index].id
                )
            else:
                answer._save_lines(question, "Nhiệt tình, cần chủ động hơn")
        answer._mark_done()

    def test_request_and_answers(self):
        requests = self._ask(self.user_head)
        # by default the people of the same unit, not the evaluated person
        self.assertEqual(requests.respondent_user_id, self.user_head | self.user_deputy | self.user_staff2)
        self.assertEqual(set(requests.mapped("state")), {"requested"})
        staff2_request = requests.filtered(lambda r: r.respondent_user_id == self.user_staff2)
        deputy_request = requests.filtered(lambda r: r.respondent_user_id == self.user_deputy)
        # each respondent has a to-do on their request and opens only their own form
        self.assertTrue(staff2_request.activity_ids.filtered(lambda a: a.user_id == self.user_staff2))
        action = staff2_request.with_user(self.user_staff2).action_answer()
        self.assertIn(staff2_request.sudo().user_input_id.access_token, action["url"])
        with self.assertRaises(AccessError):
            deputy_request.with_user(self.user_staff2).action_answer()
        self._answer(staff2_request, 0)  # 100 %
        self._answer(deputy_request, 1)  # 75 %
        self.assertEqual(staff2_request.state, "answered")
        self.assertEqual(staff2_request.score, 100.0)
        # the aggregate, seen by the evaluated person too
        sheet = self.sheet.with_user(self.user_staff)
        self.assertEqual((sheet.feedback_count, sheet.feedback_answered_count), (3, 2))
        self.assertEqual(sheet.feedback_score, 87.5)
        # ... who does not read the answers, unless the company opens them
        Request = self.env["civ.feedback.request"]
        self.assertFalse(Request.with_user(self.user_staff).search([("evaluation_id", "=", self.sheet.id)]))
        with self.assertRaises(AccessError):
            staff2_request.with_user(self.user_staff).read(["answers"])
        self.company.civ_feedback_open_to_employee = True
        self.assertEqual(
            len(Request.with_user(self.user_staff).search([("evaluation_id", "=", self.sheet.id)])), 3
        )
        self.company.civ_feedback_open_to_employee = False
        # a colleague never sees another's answers
        self.assertEqual(Request.with_user(self.user_staff2).search([]), staff2_request)
        with self.assertRaises(AccessError):
            deputy_request.with_user(self.user_staff2).read(["answers"])
        # the reviewer (the direct leader) reads them all
        self.sheet.with_user(self.user_staff).action_submit()
        answers = staff2_request.with_user(self.user_deputy).answers
        self.assertIn("Nhiệt tình", answers)
        self.assertIn("Tốt", answers)
        # the Surveys app's own officers do not read these answers
        survey_manager = self.env["res.users"].create(
            {
                "name": "Survey Manager",
                "login": "survey_mgr_t",
                "groups_id": [Command.set([self.env.ref("survey.group_survey_manager").id])],
            }
        )
        self.assertFalse(
            self.env["survey.user_input"]
            .with_user(survey_manager)
            .search([("survey_id", "=", self.survey.id)])
        )

    def test_who_asks(self):
        # the evaluated person and a colleague do not choose the respondents; the head and officers do
        for user in (self.user_staff, self.user_staff2):
            with self.assertRaises(AccessError):
                self.sheet.with_user(user).action_request_feedback()
        self.assertTrue(self._ask(self.user_officer))
        # nobody creates a request or writes it directly
        with self.assertRaises(AccessError):
            self.env["civ.feedback.request"].with_user(self.user_head).create(
                {
                    "evaluation_id": self.sheet.id,
                    "survey_id": self.survey.id,
                    "respondent_user_id": self.user_head.id,
                }
            )
        request = self.sheet.sudo().feedback_request_ids[:1]
        with self.assertRaises(AccessError):
            request.with_user(self.user_head).write({"state": "answered"})

    def test_answers_sealed_with_the_month(self):
        requests = self._ask(self.user_head)
        answered = requests.filtered(lambda r: r.respondent_user_id == self.user_staff2)
        self._answer(answered, 0)
        self.period.with_user(self.user_officer).action_lock()
        self.assertEqual(set(requests.mapped("state")), {"answered", "expired"})
        self.assertFalse(self.period._integrity_failures())
        line = answered.user_input_id.user_input_line_ids.filtered(
            lambda line: line.answer_type == "text_box"
        )
        with self.assertRaises(UserError):
            line.write({"value_text_box": "Khác"})
        with self.assertRaises(UserError):
            answered.user_input_id.unlink()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE survey_user_input_line SET value_text_box = 'Sửa' WHERE id = %s", (line.id,)
        )
        self.assertEqual(self.period._integrity_failures(), self.sheet)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_voices")
class TestUnitCollective(VoicesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the staff's chain: the direct leader re-scores, the unit's collective gives its opinion, the
        # head decides
        steps = [
            {
                "sequence": 1,
                "name": "Lãnh đạo trực tiếp",
                "reviewer_rule": "direct_leader",
                "can_rescore": True,
            },
            {"sequence": 2, "name": "Tập thể phòng", "reviewer_rule": "unit_collective"},
            {"sequence": 3, "name": "Trưởng phòng", "reviewer_rule": "unit_head", "is_decision": True},
        ]
        cls.env["civ.review.policy"].create(
            {
                "name": "Chuyên viên: có ý kiến tập thể",
                "company_id": cls.company.id,
                "applies_to": "staff",
                "step_ids": [Command.create(step) for step in steps],
            }
        )
        cls.period = cls._open_period(MAY)

    def test_meeting_records_opinions(self):
        sheets = self._sheet(self.period, self.staff) | self._sheet(self.period, self.staff2)
        for sheet in sheets:
            self._set_points(sheet, sheet.user_id, "self_points", self.SELF_90)
            sheet.with_user(sheet.user_id).action_submit()
            sheet.with_user(self.user_deputy).action_approve()
        staff_sheet = sheets[0]
        self.assertEqual(staff_sheet.current_step_id.name, "Tập thể phòng")
        self.assertEqual(staff_sheet.current_reviewer_user_id, self.user_head)
        Meeting = self.env["civ.collective.meeting"]
        # only the head of the unit (or an officer) holds its meeting
        for user in (self.user_staff, self.user_vice):
            with self.assertRaises(AccessError):
                Meeting.with_user(user).create(
                    {"period_id": self.period.id, "department_id": self.section.id}
                )
        meeting = Meeting.with_user(self.user_head).create(
            {
                "period_id": self.period.id,
                "department_id": self.section.id,
                "date": date(2026, 6, 2),
                "member_employee_ids": [
                    Command.set((self.head | self.deputy | self.staff | self.staff2).ids)
                ],
                "state": "recorded",
            }
        )
        self.assertEqual(meeting.state, "draft", "a meeting is recorded with its button")
        meeting.action_load_sheets()
        # the unit's sheets, but the head's own
        self.assertEqual(meeting.opinion_ids.employee_id, self.deputy | self.staff | self.staff2)
        # an opinion belongs to a sheet of the meeting's unit and month
        chairman_sheet = self._sheet(self.period, self.chairman)
        with self.assertRaises(ValidationError):
            self.env["civ.collective.opinion"].with_user(self.user_head).create(
                {"meeting_id": meeting.id, "evaluation_id": chairman_sheet.id}
            )
        opinion = meeting.opinion_ids.filtered(lambda o: o.evaluation_id == staff_sheet)
        opinion.write({"agreed": False, "proposed_level_id": self.B.id, "opinion": "Còn chậm tiến độ"})
        meeting.action_record()
        self.assertEqual(meeting.state, "recorded")
        # the opinion is on the sheet, the collective's step approved: the head decides
        self.assertIn("Còn chậm tiến độ", staff_sheet.with_user(self.user_staff).collective_opinion)
        self.assertTrue(staff_sheet.current_step_id.is_decision)
        self.assertIn(
            "Còn chậm tiến độ", staff_sheet.step_ids.filtered(lambda s: s.name == "Tập thể phòng").comment
        )
        with self.assertRaises(UserError):
            opinion.with_user(self.user_head).write({"opinion": "Khác"})
        # printed on the sheet
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("civ_evaluation.action_report_civ_evaluation_sheet", staff_sheet.ids)[0]
            .decode()
        )
        self.assertIn("Còn chậm tiến độ", html)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_voices")
class TestCitizensSatisfaction(VoicesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("civ_evaluation.survey_civ_satisfaction")
        cls.criterion = cls.framework.criterion_ids.filtered(lambda c: c.code == "2.1")
        cls.criterion.write({"points_source": "satisfaction", "satisfaction_min_answers": 4})
        cls.channel = cls.env["civ.satisfaction.channel"].with_user(cls.user_officer).create(
            {"name": "Bộ phận một cửa", "company_id": cls.company.id, "survey_id": cls.survey.id,
             "employee_ids": [Command.set(cls.staff.ids)]}
        )  # fmt: skip
        cls.period = cls._open_period(MAY)
        cls.sheet = cls._sheet(cls.period, cls.staff)

    def _citizen(self, choice_index, when=datetime(2026, 5, 20, 9, 0)):
        answer = self.channel._start_answer(f"203.0.113.{choice_index}")
        for question in self.survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"):
            answer._save_lines(question, question.suggested_answer_ids.sorted("sequence")[choice_index].id)
        answer._mark_done()
        answer.sudo().write({"end_datetime": when})
        return answer

    def _submit_and_review(self):
        self._set_points(self.sheet, self.user_staff, "self_points", self.SELF_90)
        self.sheet.with_user(self.user_staff).action_submit()
        return self.sheet.line_ids.filtered(lambda line: line.criterion_id == self.criterion)

    def test_answers_fill_the_criterion(self):
        for choice in (0, 1, 0, 3):  # three satisfied, one not
            self._citizen(choice)
        self._citizen(0, when=datetime(2026, 4, 20, 9, 0))  # another month: not counted
        line = self._submit_and_review()
        self.assertEqual((line.satisfaction_answers, line.satisfaction_percent), (4, 75.0))
        self.assertEqual(line.reviewer_points, 26.25)
        # the reviewer cannot keep other points: the decision counts the answers
        self._set_points(self.sheet, self.user_deputy, "reviewer_points", {"2.1": 35})
        self.sheet.with_user(self.user_deputy).action_approve()
        self.sheet.with_user(self.user_head).action_approve()
        self.assertEqual(line.final_points, 26.25)
        self.assertEqual(self.channel.answer_count, 5)

    def test_too_few_answers_keep_the_reviewers_points(self):
        self._citizen(3)
        line = self._submit_and_review()
        self.assertEqual(line.satisfaction_answers, 1)
        self.assertEqual(line.reviewer_points, 33.0, "the self points, as the reviewer starts from them")

    def test_abuse_limit(self):
        self.channel.max_answers_per_hour = 2
        self.channel._start_answer("198.51.100.7")
        self.channel._start_answer("198.51.100.7")
        with self.assertRaises(UserError):
            self.channel._start_answer("198.51.100.7")
        self.channel._start_answer("198.51.100.8")
        keys = (
            self.env["survey.user_input"]
            .search([("civ_channel_id", "=", self.channel.id)])
            .mapped("civ_client_key")
        )
        self.assertNotIn("198.51.100.7", keys, "no client address is kept")


@tagged("post_install", "-at_install", "civ_evaluation", "civ_voices", "civ_access")
class TestVoicesOverHttp(RpcMixin, VoicesCase, HttpCase):
    def test_public_link_and_rpc(self):
        survey = self.env.ref("civ_evaluation.survey_civ_satisfaction")
        channel = self.env["civ.satisfaction.channel"].create(
            {
                "name": "Một cửa",
                "company_id": self.company.id,
                "survey_id": survey.id,
                "max_answers_per_hour": 1,
            }
        )
        # without login, one answer per visit, up to the limit
        response = self.url_open(f"/civ/satisfaction/{channel.access_token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/survey/start/{survey.access_token}", response.headers["Location"])
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/civ/satisfaction/{channel.access_token}").status_code, 429)
            self.assertEqual(self.url_open("/civ/satisfaction/nothing").status_code, 404)
        # a member's vote over JSON-RPC: only their own, numbers sent as text read as numbers
        self._collective_policy()
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.head)
        self._set_points(sheet, self.user_head, "self_points", self.SELF_90)
        sheet.with_user(self.user_head).action_submit()
        vice_vote = sheet.vote_ids.filtered(lambda v: v.member_user_id == self.user_vice)
        line = vice_vote.line_ids.filtered(lambda vote_line: vote_line.criterion_id.code == "2.2")
        self._as(self.user_vice2)
        self.assertEqual(
            self._refused("civ.collective.vote", "action_vote", [vice_vote.id]), "odoo.exceptions.AccessError"
        )
        self.assertEqual(
            self._refused("civ.collective.vote.line", "write", [line.id], {"points": 1}),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._refused("civ.collective.vote", "write", [vice_vote.id], {"state": "voted"}),
            "odoo.exceptions.AccessError",
        )
        self._as(self.user_vice)
        self.assertTrue(self._call("civ.collective.vote.line", "write", [line.id], {"points": "22"}))
        self.assertEqual(
            self._refused("civ.collective.vote.line", "write", [line.id], {"points": "abc"}),
            "odoo.exceptions.ValidationError",
        )
        self.assertTrue(self._call("civ.collective.vote", "action_vote", [vice_vote.id]))
        self.env.invalidate_all()
        self.assertEqual((vice_vote.state, vice_vote.score), ("voted", 80.0))

    def test_feedback_over_rpc(self):
        survey = self.env.ref("civ_evaluation.survey_civ_feedback")
        period = self._open_period(MAY)
        sheet = self._sheet(period, self.staff)
        requests = self.env["civ.feedback.request"]._request(
            sheet, {sheet: self.user_deputy | self.user_staff2}, survey, date(2026, 6, 5)
        )
        deputy_request = requests.filtered(lambda r: r.respondent_user_id == self.user_deputy)
        # a colleague reads neither another's request nor its answers, nor writes their own
        self._as(self.user_staff2)
        self.assertEqual(
            self._refused("civ.feedback.request", "read", deputy_request.ids, ["answers"]),
            "odoo.exceptions.AccessError",
        )
        own = requests - deputy_request
        self.assertEqual(
            self._refused("civ.feedback.request", "write", own.ids, {"state": "answered", "score": 100}),
            "odoo.exceptions.AccessError",
        )
        # the evaluated person asks nobody, and reads the aggregate only
        self._as(self.user_staff)
        self.assertEqual(
            self._refused("civ.evaluation", "action_request_feedback", sheet.ids),
            "odoo.exceptions.AccessError",
        )
        wizard_id = self._call(
            "civ.feedback.request.wizard",
            "create",
            {"evaluation_ids": [(6, 0, sheet.ids)], "survey_id": survey.id, "deadline": "2026-06-05"},
        )
        self.assertEqual(
            self._refused("civ.feedback.request.wizard", "action_confirm", [wizard_id]),
            "odoo.exceptions.AccessError",
        )
        values = self._call(
            "civ.evaluation", "read", sheet.ids, ["feedback_count", "feedback_answered_count"]
        )
        self.assertEqual(values[0]["feedback_count"], 2)
