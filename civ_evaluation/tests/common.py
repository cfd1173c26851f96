import re
from contextlib import contextmanager

from odoo import Command
from odoo.tests.common import TransactionCase


class FrameworkCase(TransactionCase):
    """A small framework built from scratch: standard 20 + 70, bonus 10, deduction -10."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Framework = cls.env["civ.framework"]
        cls.framework = cls._make_framework()

    @classmethod
    def _make_framework(cls, code="TEST", **overrides):
        vals = {
            "name": "Khung thử nghiệm",
            "code": code,
            "company_id": False,
            "max_score": 90.0,
            "score_ceiling": 100.0,
            "group_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "code": "G1",
                        "name": "Ý thức tổ chức kỷ luật",
                        "kind": "standard",
                        "max_points": 20.0,
                        "criterion_ids": [
                            Command.create({"code": "C1", "name": "Kỷ luật", "max_points": 10.0}),
                            Command.create({"code": "C2", "name": "Đạo đức", "max_points": 10.0}),
                        ],
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "code": "G2",
                        "name": "Kết quả thực hiện nhiệm vụ",
                        "kind": "standard",
                        "max_points": 70.0,
                        "criterion_ids": [
                            Command.create({"code": "C3", "name": "Khối lượng", "max_points": 40.0}),
                            Command.create({"code": "C4", "name": "Chất lượng", "max_points": 30.0}),
                        ],
                    }
                ),
                Command.create(
                    {
                        "sequence": 3,
                        "code": "G3",
                        "name": "Điểm thưởng",
                        "kind": "bonus",
                        "max_points": 10.0,
                        "criterion_ids": [
                            Command.create({"code": "C5", "name": "Sáng kiến", "max_points": 6.0}),
                            Command.create({"code": "C6", "name": "Đột xuất", "max_points": 4.0}),
                        ],
                    }
                ),
                Command.create(
                    {
                        "sequence": 4,
                        "code": "G4",
                        "name": "Điểm trừ",
                        "kind": "deduction",
                        "max_points": 0.0,
                        "min_points": -10.0,
                        "criterion_ids": [
                            Command.create(
                                {"code": "C7", "name": "Vi phạm", "min_points": -8.0, "max_points": 0.0}
                            ),
                            Command.create(
                                {"code": "C8", "name": "Chậm trễ", "min_points": -8.0, "max_points": 0.0}
                            ),
                        ],
                    }
                ),
            ],
            "level_ids": [
                Command.create({"sequence": 1, "code": "A", "name": "Xuất sắc", "min_score": 90.0}),
                Command.create({"sequence": 2, "code": "B", "name": "Tốt", "min_score": 70.0}),
                Command.create({"sequence": 3, "code": "C", "name": "Hoàn thành", "min_score": 50.0}),
                Command.create({"sequence": 4, "code": "D", "name": "Không hoàn thành", "min_score": 0.0}),
            ],
        }
        vals.update(overrides)
        framework = cls.env["civ.framework"].create(vals)
        framework.write(
            {
                "quota_ids": [
                    Command.create(
                        {
                            "level_id": cls._level(framework, "A").id,
                            "basis": "evaluated",
                            "max_percent": 30.0,
                            "exceptional_max_percent": 40.0,
                        }
                    )
                ]
            }
        )
        return framework

    @staticmethod
    def _level(framework, code):
        return framework.level_ids.filtered(lambda level: level.code == code)

    @staticmethod
    def _group(framework, code):
        return framework.group_ids.filtered(lambda group: group.code == code)

    @staticmethod
    def _criterion(framework, code):
        return framework.criterion_ids.filtered(lambda criterion: criterion.code == code)

    @contextmanager
    def assertRaisesText(self, exception, pattern):
        """assertRaises (which rolls back the failed operation) + a regex check of the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertTrue(
            re.search(pattern, str(caught.exception)), f"{pattern!r} not in {str(caught.exception)!r}"
        )

    def _points(self, framework, **by_code):
        return {self._criterion(framework, code).id: value for code, value in by_code.items()}
