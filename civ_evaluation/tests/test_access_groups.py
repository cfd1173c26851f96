"""The evaluation's security groups and who sees its menu."""

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import make_user


@tagged("post_install", "-at_install", "civ_evaluation", "civ_access")
class TestSecurityGroups(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal_user = make_user(cls.env, "civ_internal", groups="base.group_user")
        cls.portal_user = make_user(cls.env, "civ_portal", groups="base.group_portal")

    def test_groups_exist_and_imply(self):
        user_group = self.env.ref("civ_evaluation.group_civ_user")
        officer = self.env.ref("civ_evaluation.group_civ_officer")
        admin = self.env.ref("civ_evaluation.group_civ_admin")
        self.assertIn(user_group, officer.implied_ids)
        self.assertIn(officer, admin.implied_ids)
        self.assertIn(user_group, self.env.ref("base.group_user").implied_ids)
        self.assertTrue(self.internal_user.has_group("civ_evaluation.group_civ_user"))
        self.assertFalse(self.internal_user.has_group("civ_evaluation.group_civ_officer"))
        self.assertFalse(self.portal_user.has_group("civ_evaluation.group_civ_user"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("civ_evaluation.group_civ_admin"))

    def test_menu_visibility(self):
        root = self.env.ref("civ_evaluation.menu_civ_root")
        Menu = self.env["ir.ui.menu"]
        visible_internal = Menu.with_user(self.internal_user)._visible_menu_ids()
        # portal users may not read menus at all: compute their visible menus with their groups
        visible_portal = Menu.with_user(self.portal_user).sudo()._visible_menu_ids()
        self.assertIn(root.id, visible_internal)
        self.assertNotIn(root.id, visible_portal)
        self.assertEqual(root.name, "Đánh giá CBCCVC")
