"""The evaluation coefficient of Project's tasks and projects has the bound of a product line's
coefficient (civ_numbers.MAX_WEIGHT): 0 on a task is "the project's", negative is refused."""

import math

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.civ_evaluation.models.civ_numbers import MAX_WEIGHT


@tagged("post_install", "-at_install", "civ_evaluation_project", "civ_project")
class TestCoefficientBounds(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create({"name": "Cải cách hành chính"})
        cls.task = cls.env["project.task"].create({"name": "Rà soát thủ tục", "project_id": cls.project.id})

    def test_task_and_project_coefficients_are_bounded(self):
        for record in (self.task, self.project):
            for weight in (0, 1.5, MAX_WEIGHT, "2"):
                record.civ_weight = weight
            for weight in (-1, -0.5, MAX_WEIGHT + 1, 1e300, 1e308, "1e308", math.inf, "5000"):
                with self.subTest(model=record._name, weight=weight):
                    with (
                        self.assertRaisesRegex(ValidationError, "must be between 0 .*and 1,000"),
                        self.env.cr.savepoint(),
                    ):
                        record.write({"civ_weight": weight})
            self.assertEqual(record.civ_weight, 2.0)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["project.task"].create(
                {"name": "Nặng", "project_id": self.project.id, "civ_weight": 10_000}
            )
        # 0 on a task: the project's coefficient; 0 on the project: 1
        self.task.civ_weight = 0
        self.assertEqual(self.task._civ_evaluation_weight(), 2.0)
        self.project.civ_weight = 0
        self.assertEqual(self.task._civ_evaluation_weight(), 1.0)
        self.assertTrue(math.isfinite(self.task._civ_evaluation_weight()))
