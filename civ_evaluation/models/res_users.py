from passlib.hash import pbkdf2_sha512

from odoo import api, models

# DEMO DATA ONLY: Odoo hashes a password with 600 000 rounds (about 0.3 s); the ~120 demo users would add
# half a minute to every demo database (and to `make test`).
DEMO_PASSWORD_ROUNDS = 6000


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _civ_demo_set_passwords(self, company_ids):
        """DEMO DATA ONLY (called by demo/civ_demo_district.xml): password = login for the users of the
        employees of the given companies, hashed with few rounds to keep the demo quick to load (the
        format is Odoo's, so logging in works as usual)."""
        users = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "in", company_ids), ("user_id", "!=", False)])
            .user_id
        )
        hasher = pbkdf2_sha512.using(rounds=DEMO_PASSWORD_ROUNDS)
        for user in users:
            users._set_encrypted_password(user.id, hasher.hash(user.login))
        return True
