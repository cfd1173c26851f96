"""18.0.1.1.0, before the new code's tables and data are loaded.

- The six inherited views of 18.0.1.0.0 that this release no longer has (the quota, appeal and export
  extensions of the sheet and period forms, now in the main views) are deleted first: Odoo would delete
  them only at the end of the update, so the new views would be checked with them still applied and
  Odoo would warn that they show officer-only fields (quota_breach_count, quota_check_html) to every
  user.
- civ.discipline gets its column recorded_by_id ("Recorded by") filled with who created each fact
  (create_uid): left to Odoo, the field's default would name the upgrade's superuser as who recorded
  every fact of the past.
- Databases with the 18.0.1.0.0 demo only: that demo made Odoo's main company the district; the new demo
  creates the district as a company of its own (civ_evaluation.company_long_bien, same name, a unique
  name), which fails on such a database and makes Odoo drop the demo flag. The new demo's district
  (company and partner) is mapped onto the old one, whose records the demo then keeps as they are.
"""

import logging

from odoo.tools import sql

_logger = logging.getLogger(__name__)

# views of 18.0.1.0.0 gone from 18.0.1.1.0 (views/civ_quota_check_views.xml, the appeal and export
# extensions of the forms)
OBSOLETE_VIEWS = (
    "civ_evaluation_view_form_quota",
    "civ_evaluation_view_list_quota",
    "civ_evaluation_view_search_quota",
    "civ_period_view_form_quota",
    "civ_evaluation_view_form_appeal",
    "civ_period_view_form_export",
)


def drop_obsolete_views(cr):
    """Delete the obsolete views that nothing inherits from, with their xml ids."""
    cr.execute(
        """
        SELECT data.id, data.res_id FROM ir_model_data data
         WHERE data.module = 'civ_evaluation' AND data.model = 'ir.ui.view' AND data.name IN %s
           AND NOT EXISTS (SELECT 1 FROM ir_ui_view child WHERE child.inherit_id = data.res_id)
        """,
        [OBSOLETE_VIEWS],
    )
    rows = cr.fetchall()
    if not rows:
        return
    cr.execute("DELETE FROM ir_ui_view WHERE id IN %s", [tuple(view_id for _data, view_id in rows)])
    cr.execute("DELETE FROM ir_model_data WHERE id IN %s", [tuple(data_id for data_id, _view in rows)])
    _logger.info("civ_evaluation 18.0.1.1.0: %s obsolete views deleted", len(rows))


def fill_recorded_by(cr):
    """civ_discipline.recorded_by_id = create_uid for the facts recorded before the field existed."""
    if not sql.table_exists(cr, "civ_discipline"):
        return
    if sql.column_exists(cr, "civ_discipline", "recorded_by_id"):
        return
    sql.create_column(cr, "civ_discipline", "recorded_by_id", "int4")
    cr.execute("UPDATE civ_discipline SET recorded_by_id = create_uid")
    _logger.info("civ_evaluation 18.0.1.1.0: recorded_by_id of %s facts set to their creator", cr.rowcount)


def map_old_demo_district(cr):
    """On a database with the 18.0.1.0.0 demo (the module's demo flag set, the demo's chairman in the
    main company, no company_long_bien yet): civ_evaluation.company_long_bien and partner_long_bien
    name the main company and its partner, as noupdate records, so the new demo keeps them."""
    cr.execute("SELECT demo FROM ir_module_module WHERE name = 'civ_evaluation'")
    row = cr.fetchone()
    if not (row and row[0]):
        return
    cr.execute("SELECT 1 FROM ir_model_data WHERE module = 'civ_evaluation' AND name = 'company_long_bien'")
    if cr.fetchone():
        return
    cr.execute(
        """
        SELECT company.id, company.partner_id
          FROM ir_model_data main
          JOIN res_company company ON company.id = main.res_id
          JOIN ir_model_data chairman ON chairman.module = 'civ_evaluation' AND chairman.name = 'user_chutich'
                                      AND chairman.model = 'res.users'
          JOIN res_users u ON u.id = chairman.res_id AND u.company_id = company.id
         WHERE main.module = 'base' AND main.name = 'main_company'
        """
    )
    row = cr.fetchone()
    if not row:
        return
    company_id, partner_id = row
    cr.executemany(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate, create_uid, create_date,
                                   write_uid, write_date)
        VALUES ('civ_evaluation', %s, %s, %s, TRUE, 1, now() at time zone 'UTC', 1, now() at time zone 'UTC')
        ON CONFLICT (module, name) DO NOTHING
        """,
        [("company_long_bien", "res.company", company_id), ("partner_long_bien", "res.partner", partner_id)],
    )
    _logger.info("civ_evaluation 18.0.1.1.0: the demo district of 18.0.1.0.0 (company %s) kept", company_id)


def migrate(cr, version):
    if not version:
        return
    drop_obsolete_views(cr)
    fill_recorded_by(cr)
    map_old_demo_district(cr)
