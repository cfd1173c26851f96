from odoo import api, models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def _visible_menu_ids(self, debug=False):
        # Users without read access to menus (portal, public) see no menu at all, instead of an
        # AccessError raised by the search inside the standard method.
        if not self.has_access("read"):
            return set()
        return super()._visible_menu_ids(debug=debug)
