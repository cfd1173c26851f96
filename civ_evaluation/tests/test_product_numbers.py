"""The numbers of the product lines (issue "Trust in the evidence", items 11 and the one number
parser): the parser itself, the bounds of a line on every route (the ORM, the real JSON-RPC endpoint
with numbers or text), the catalogue's coefficient, and the formula, which never scores bad data."""

import json
import math

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from ..models import civ_product_scoring
from ..models.civ_numbers import (
    INT_MAX,
    INT_MIN,
    MAX_COUNT,
    MAX_QUANTITY,
    MAX_WEIGHT,
    NOT_A_NUMBER,
    NOT_WHOLE,
    TOO_LARGE,
    TOO_SMALL,
    parse_number,
)
from .common import nd335
from .cycle_common import CivCycleCase
from .test_product_scoring import item


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestNumberParser(TransactionCase):
    def test_what_is_a_number(self):
        for value, kwargs, expected in (
            (5, {}, (5.0, None)),
            (4.5, {}, (4.5, None)),
            ("5", {}, (5.0, None)),
            ("4,5", {}, (4.5, None)),
            ("4.5", {}, (4.5, None)),
            (" 1 000 ", {}, (1000.0, None)),
            ("1\xa0000,5", {}, (1000.5, None)),
            ("-2.5e3", {}, (-2500.0, None)),
            ("1e308", {}, (1e308, None)),
            (10**400, {}, (None, NOT_A_NUMBER)),
            (None, {}, (0.0, None)),
            (False, {}, (0.0, None)),
            (None, {"empty": None}, (None, NOT_A_NUMBER)),
            (False, {"empty": None}, (None, NOT_A_NUMBER)),
            (True, {}, (None, NOT_A_NUMBER)),
            (math.nan, {}, (None, NOT_A_NUMBER)),
            (math.inf, {}, (None, NOT_A_NUMBER)),
            (-math.inf, {}, (None, NOT_A_NUMBER)),
            ("nan", {}, (None, NOT_A_NUMBER)),
            ("inf", {}, (None, NOT_A_NUMBER)),
            ("1e400", {}, (None, NOT_A_NUMBER)),
            ("1_000", {}, (None, NOT_A_NUMBER)),
            ("0x10", {}, (None, NOT_A_NUMBER)),
            ("1.234,5", {}, (None, NOT_A_NUMBER)),
            ("", {}, (None, NOT_A_NUMBER)),
            ("nhiều", {}, (None, NOT_A_NUMBER)),
            ([1], {}, (None, NOT_A_NUMBER)),
            ({"a": 1}, {}, (None, NOT_A_NUMBER)),
            # integers
            ("3", {"integer": True}, (3, None)),
            (3.0, {"integer": True}, (3, None)),
            ("1e3", {"integer": True}, (1000, None)),
            (None, {"integer": True}, (0, None)),
            (1.5, {"integer": True}, (None, NOT_WHOLE)),
            ("1,5", {"integer": True}, (None, NOT_WHOLE)),
            (INT_MAX, {"integer": True}, (INT_MAX, None)),
            (2**31, {"integer": True}, (None, TOO_LARGE)),
            (10**12, {"integer": True}, (None, TOO_LARGE)),
            (1e308, {"integer": True}, (None, TOO_LARGE)),
            (INT_MIN - 1, {"integer": True}, (None, TOO_SMALL)),
            # bounds
            (1000, {"minimum": 0, "maximum": 1000}, (1000.0, None)),
            (1000.5, {"minimum": 0, "maximum": 1000}, (None, TOO_LARGE)),
            ("1e308", {"maximum": 1000}, (None, TOO_LARGE)),
            (10**400, {"maximum": 1000}, (None, TOO_LARGE)),
            (-0.5, {"minimum": 0}, (None, TOO_SMALL)),
            (10**12, {"integer": True, "minimum": 0, "maximum": 1000}, (None, TOO_LARGE)),
        ):
            with self.subTest(value=value, **kwargs):
                result = parse_number(value, **kwargs)
                self.assertEqual(result, expected)
                if result[1] is None:
                    self.assertIs(type(result[0]), int if kwargs.get("integer") else float)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductFormulaNonFinite(TransactionCase):
    """Bad data never scores: a coefficient of 1e308 on a half-done line used to give 100 % on a, b
    and c (the weighted sums overflow to inf, inf / inf is NaN, and min(100, NaN) is 100)."""

    def test_non_finite_inputs_never_give_100(self):
        for bad in (math.inf, -math.inf, math.nan, 1e308):
            for fname in ("weight", "qty_assigned", "qty_done", "qty_quality", "qty_on_time"):
                for items in (
                    [dict(item(10, 5, 5, 5), **{fname: bad})],
                    [item(4, 4, 4, 4), dict(item(10, 5, 5, 5), **{fname: bad})],
                ):
                    with self.subTest(fname=fname, bad=bad, items=len(items)):
                        ratios = civ_product_scoring.item_ratios(items)
                        self.assertTrue(all(math.isfinite(ratio) and 0 <= ratio < 100 for ratio in ratios))
        for bad in (math.inf, math.nan):
            for fname in ("error_count", "delay_count"):
                ratios = civ_product_scoring.item_ratios([dict(item(10, 10, 10, 10), **{fname: bad})])
                self.assertTrue(all(math.isfinite(ratio) and ratio <= 100 for ratio in ratios))
                self.assertLess(min(ratios), 100)

    def test_the_group_never_scores_non_finite_components(self):
        weights = {"quantity": 1.0, "quality": 1.0, "progress": 1.0}
        for bad in (math.inf, -math.inf, math.nan):
            percent, points = civ_product_scoring.group_points(
                {"quantity": bad, "quality": 100.0, "progress": 100.0}, weights, 70.0
            )
            self.assertEqual((percent, points), (0.0, 0.0))
            # a bad weight of a component: a person at 50 % of the quantity never gets the maximum
            percent, points = civ_product_scoring.group_points(
                {"quantity": 50.0, "quality": 100.0, "progress": 100.0}, dict(weights, quality=bad), 70.0
            )
            self.assertLess(points, 70.0)
            self.assertTrue(math.isfinite(percent) and math.isfinite(points))

    def test_a_huge_coefficient_on_a_half_done_line(self):
        framework = nd335(self.env)
        group = self.env.ref("civ_evaluation.nd335_group_2")
        result = framework.compute_product_score([item(10, 5, 5, 5, weight=1e308)])
        self.assertEqual((result["quantity"], result["quality"], result["progress"]), (0.0, 0.0, 0.0))
        self.assertEqual(result["groups"][group.id]["points"], 0.0)
        # a sane coefficient: 50 % of each, 35 of 70
        result = framework.compute_product_score([item(10, 5, 5, 5, weight=MAX_WEIGHT)])
        self.assertEqual((result["quantity"], result["groups"][group.id]["points"]), (50.0, 35.0))


class ProductNumbersCase(CivCycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.civ_framework_id = nd335(cls.env)
        cls.period = cls._open_period()
        cls.sheet = cls._sheet(cls.period, cls.staff)
        cls.Product = cls.env["civ.evaluation.product"]
        # the coefficient is the catalogue's: the types of the lines with another coefficient than 1
        cls.type_two = cls.env["civ.product.type"].create(
            {"name": "Báo cáo chuyên đề", "weight": 2.0, "company_id": cls.company.id}
        )
        cls.type_max = cls.env["civ.product.type"].create(
            {"name": "Đề án lớn", "weight": MAX_WEIGHT, "company_id": cls.company.id}
        )

    def _vals(self, **vals):
        return dict(
            {
                "evaluation_id": self.sheet.id,
                "name": "Báo cáo tháng",
                "qty_assigned": 10,
                "qty_done": 5,
                "qty_quality": 5,
                "qty_on_time": 5,
            },
            **vals,
        )

    def _line_values(self, product):
        return product.read(["weight", "qty_assigned", "qty_done", "error_count", "delay_count"])[0]


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductBounds(ProductNumbersCase):
    # (the values refused, whoever sends them) field, value, what the message says
    TOO_LARGE_VALUES = (
        ("weight", 1e308, "Coefficient cannot be more than 1,000 (1e+308)."),
        ("weight", "1e308", "Coefficient cannot be more than 1,000 ('1e308')."),
        ("weight", 1000.5, "Coefficient cannot be more than 1,000 (1000.5)."),
        ("qty_assigned", 10**12, "Assigned cannot be more than 1,000,000 (1000000000000)."),
        ("qty_done", "2 000 000", "Completed cannot be more than 1,000,000 ('2 000 000')."),
        ("error_count", 10**12, "Major Errors cannot be more than 1,000 (1000000000000)."),
        ("delay_count", 2**31, "Delays cannot be more than 1,000 (2147483648)."),
        ("delay_count", "1001", "Delays cannot be more than 1,000 ('1001')."),
    )
    OTHER_VALUES = (
        ("weight", "inf", "Coefficient must be a number ('inf')."),
        ("weight", math.nan, "Coefficient must be a number (nan)."),
        ("qty_done", -1, "Completed cannot be negative (-1)."),
        ("error_count", -(10**12), "Major Errors cannot be negative (-1000000000000)."),
        ("error_count", 1.5, "Major Errors must be a whole number (1.5)."),
        ("delay_count", True, "Delays must be a number (True)."),
    )

    def test_bounds_when_a_line_is_created(self):
        # the employee's create goes through the conversion before the gate: errors and delays too
        Product = self.Product.with_user(self.user_staff)
        for fname, value, message in self.TOO_LARGE_VALUES + self.OTHER_VALUES:
            with self.subTest(fname=fname, value=value):
                with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                    Product.create(self._vals(**{fname: value}))
                self.assertEqual(str(caught.exception), message)
        self.assertFalse(self.sheet.product_ids)
        # at the limits
        product = Product.create(
            self._vals(
                product_type_id=self.type_max.id,
                weight=MAX_WEIGHT,
                qty_assigned=MAX_QUANTITY,
                qty_done="1 000 000",
                qty_quality=1,
            )
        )
        self.assertEqual((product.weight, product.qty_done), (1000.0, 1_000_000.0))

    def test_bounds_when_a_line_is_written_whoever_writes(self):
        product = self.Product.with_user(self.user_staff).create(self._vals())
        before = self._line_values(product)
        for fname, value, message in self.TOO_LARGE_VALUES:
            if fname in ("error_count", "delay_count"):
                continue
            with self.subTest(fname=fname, value=value):
                with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                    product.with_user(self.user_staff).write({fname: value})
                self.assertEqual(str(caught.exception), message)
        # errors and delays: the reviewer, in review; and superuser code too
        self.sheet.with_user(self.user_staff).action_submit()
        for writer in (product.with_user(self.user_deputy), product.sudo()):
            for fname, value, message in self.TOO_LARGE_VALUES + self.OTHER_VALUES:
                with self.subTest(fname=fname, value=value, su=writer.env.su):
                    with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                        writer.write({fname: value})
                    self.assertEqual(str(caught.exception), message)
        self.env.invalidate_all()
        self.assertEqual(self._line_values(product), before)
        product.with_user(self.user_deputy).write({"error_count": MAX_COUNT, "delay_count": "1000"})
        self.assertEqual((product.error_count, product.delay_count), (1000, 1000))
        # a thousand errors leave nothing of the line's quality, never less
        self.assertEqual(self.sheet.product_score_quality, 0.0)

    def test_the_constraint_names_the_field_and_the_limit(self):
        values = {
            "weight": 1.0,
            "qty_assigned": 10.0,
            "qty_done": 5.0,
            "qty_quality": 5.0,
            "qty_on_time": 5.0,
            "error_count": 0,
            "delay_count": 0,
        }
        self.assertIsNone(self.Product._quantities_problem(values))
        for fname, value, expected in (
            ("weight", 5000.0, "Coefficient cannot be more than 1,000"),
            ("qty_assigned", 2e6, "Assigned cannot be more than 1,000,000"),
            ("delay_count", 1001, "Delays cannot be more than 1,000"),
            ("qty_done", math.nan, "quantities, errors and delays must be numbers"),
            ("weight", math.inf, "quantities, errors and delays must be numbers"),
        ):
            with self.subTest(fname=fname):
                self.assertEqual(self.Product._quantities_problem(dict(values, **{fname: value})), expected)

    def test_the_catalogue_coefficient_is_bounded(self):
        ProductType = self.env["civ.product.type"]
        for weight in (1e308, "1e308", 1000.01, math.inf):
            with self.subTest(weight=weight):
                with (
                    self.assertRaisesRegex(ValidationError, "cannot be more than 1,000"),
                    self.env.cr.savepoint(),
                ):
                    ProductType.create({"name": "Đề án", "weight": weight, "company_id": self.company.id})
        heavy = ProductType.create({"name": "Đề án", "weight": MAX_WEIGHT, "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "must be positive"), self.env.cr.savepoint():
            heavy.weight = 0
        line = self.Product.with_user(self.user_staff).create(self._vals(product_type_id=heavy.id))
        self.assertEqual(line.weight, 1000.0)


@tagged("post_install", "-at_install", "civ_evaluation", "civ_products")
class TestProductBoundsOverRpc(ProductNumbersCase, HttpCase):
    """The same bounds through /web/dataset/call_kw, as the sheet's employee (and then its reviewer)
    with a plain client: a clear ValidationError, never PostgreSQL's NumericValueOutOfRange, and
    nothing written."""

    def _rpc(self, model, method, *args, **kwargs):
        """The decoded JSON-RPC response (its result, or its error with the message)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def _refused(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"):
            response = self._rpc(model, method, *args, **kwargs)
        self.assertIn("error", response, response.get("result"))
        data = response["error"]["data"]
        return data["name"], data["message"]

    def test_bounds_over_json_rpc(self):
        self.authenticate("nhanvien_t", "nhanvien_t")
        validation = "odoo.exceptions.ValidationError"
        for vals, message in (
            ({"error_count": 10**12}, "Major Errors cannot be more than 1,000 (1000000000000)."),
            ({"delay_count": 2**31}, "Delays cannot be more than 1,000 (2147483648)."),
            ({"weight": 1e308}, "Coefficient cannot be more than 1,000 (1e+308)."),
            ({"weight": "1e308"}, "Coefficient cannot be more than 1,000 ('1e308')."),
            ({"qty_assigned": 10**12}, "Assigned cannot be more than 1,000,000 (1000000000000)."),
        ):
            with self.subTest(vals=vals):
                self.assertEqual(
                    self._refused("civ.evaluation.product", "create", self._vals(**vals)),
                    (validation, message),
                )
        self.env.invalidate_all()
        self.assertFalse(self.sheet.product_ids)
        # a good line, then the same values written to it
        product_id = self._rpc(
            "civ.evaluation.product", "create", self._vals(weight="2", product_type_id=self.type_two.id)
        )["result"]
        for vals in ({"weight": 1e308}, {"weight": "1e308"}, {"qty_done": 10**12}):
            with self.subTest(vals=vals):
                name, _message = self._refused("civ.evaluation.product", "write", [product_id], vals)
                self.assertEqual(name, validation)
        # the reviewer records errors and delays
        self._rpc("civ.evaluation", "action_submit", [self.sheet.id])
        self.authenticate("photruongphong_t", "photruongphong_t")
        for vals in ({"error_count": 10**12}, {"delay_count": 2**31}, {"error_count": "1e12"}):
            with self.subTest(vals=vals):
                name, _message = self._refused("civ.evaluation.product", "write", [product_id], vals)
                self.assertEqual(name, validation)
        self.env.invalidate_all()
        product = self.Product.browse(product_id)
        self.assertEqual(self.sheet.product_ids, product)
        self.assertEqual(
            (product.weight, product.qty_done, product.error_count, product.delay_count, product.confirmed),
            (2.0, 5.0, 0, 0, False),
        )
        # and the sheet scores what it holds: 50 % of each
        self.assertEqual(self.sheet.product_score_quantity, 50.0)
