from collections import defaultdict
from datetime import date

from odoo import api, models

from odoo.addons.civ_evaluation.models import civ_sql
from odoo.addons.civ_evaluation.models.civ_product_loader import CONFIRMED, CREATE, UNCHANGED

# the values of a product line that come from a pushed item (an item that leaves one out gives the
# line its default: a push is the item's whole state, not a patch)
ITEM_LINE_DEFAULTS = {
    "name": False,
    "product_type_id": False,
    "qty_assigned": 1.0,
    "qty_done": 0.0,
    "qty_quality": 0.0,
    "qty_on_time": 0.0,
    "error_count": 0,
    "delay_count": 0,
    "date_deadline": False,
    "date_done": False,
    "note": False,
}
QUANTITIES = ("qty_assigned", "qty_done", "qty_quality", "qty_on_time", "error_count", "delay_count")
PERSON_KEYS = {"badge": "barcode", "identification_id": "identification_id", "work_email": "work_email"}


class CivApiProducts(models.AbstractModel):
    """Work items pushed by the agency's document and task systems, loaded as product lines of the
    sheets by the one loader of the core (civ.product.loader), the rules of Project's tasks: an item
    is keyed by (technical user, source, item id); a new item adds a line, a changed one updates its
    line while no reviewer has confirmed it; confirmed lines and lines typed by people are never
    touched. Each item gets an outcome: created, updated, unchanged, or refused with the reason.
    Batched: a few searches for the whole chunk, one insert, one write per group of equal changes,
    one refresh of the points."""

    _name = "civ.api.products"
    _description = "Work Items Received through the API"

    @api.model
    def _load(self, user, source, items):
        """Load items (validated by schema.validate_batch) pushed by user for source; returns
        [{index, item_id, outcome, reason?, message?, sheet_id?, line_id?}], in the items' order.
        Superuser after the caller's checks: only the companies of user are read or written."""
        env = self.sudo().env
        companies = user.company_ids
        results = [{"index": index, "item_id": item["item_id"]} for index, item in enumerate(items)]
        people = self._people(companies, items)
        types = self._types(companies, items)
        wanted = {}
        for result, item in zip(results, items, strict=True):
            employee = people.get(result["index"])
            if not isinstance(employee, models.BaseModel):
                self._refuse(result, employee or "unknown_person")
                continue
            wanted[result["index"]] = (employee, self._month_day(item))
        sheets = self._sheets(wanted)
        Loader = env["civ.product.loader"]
        Product = Loader._products()
        existing = {
            line.external_item_id: line
            for line in Product.search_fetch(
                [
                    ("external_user_id", "=", user.id),
                    ("external_source", "=", source),
                    ("external_item_id", "in", [item["item_id"] for item in items]),
                ],
                ["evaluation_id", "confirmed", *ITEM_LINE_DEFAULTS],
            )
        }
        desired, targets, stale = {}, {}, Product.browse()
        for index, (employee, day) in wanted.items():
            result, item = results[index], items[index]
            sheet = sheets.get((employee.id, day))
            refusal = self._sheet_refusal(sheet)
            vals = None
            if not refusal:
                vals, refusal = self._line_values(sheet, item, types)
            if refusal:
                self._refuse(result, *(refusal if isinstance(refusal, tuple) else (refusal,)))
                continue
            line = existing.get(item["item_id"])
            if line and line.evaluation_id != sheet:
                # the item moved to another month or person: its old line goes while it may
                if line.confirmed or line.evaluation_id.state not in ("draft", "review"):
                    self._refuse(result, "counted_elsewhere", line.evaluation_id.display_name)
                    continue
                stale |= line
                del existing[item["item_id"]]
            result["sheet_id"] = sheet.id
            desired[item["item_id"]] = vals
            targets[item["item_id"]] = (index, sheet)
        plan = Loader._plan(existing, desired)
        to_create, create_keys, to_write = [], [], defaultdict(list)
        for key, (outcome, line, changes) in plan.items():
            index, sheet = targets[key]
            result = results[index]
            if outcome == CONFIRMED:
                if changes:
                    self._refuse(result, "line_confirmed")
                else:
                    result.update(outcome="unchanged", line_id=line.id)
            elif outcome == UNCHANGED:
                result.update(outcome="unchanged", line_id=line.id)
            elif outcome == CREATE:
                to_create.append(
                    dict(
                        changes,
                        evaluation_id=sheet.id,
                        source="api",
                        external_user_id=user.id,
                        external_source=source,
                        external_item_id=key,
                    )
                )
                create_keys.append(key)
                result["outcome"] = "created"
            else:
                to_write[tuple(sorted(changes.items()))].append(line.id)
                result.update(outcome="updated", line_id=line.id)
        created = Loader._apply(
            to_create, to_write, stale, env._("Products and work received from %s", source)
        )
        for key, line in zip(create_keys, created, strict=True):
            results[targets[key][0]]["line_id"] = line.id
        return results

    # ------------------------------------------------------------------ the parts of an item
    @api.model
    def _refuse(self, result, reason, detail=None):
        messages = {
            "unknown_person": self.env._("No person of the caller's companies has these identifiers."),
            "ambiguous_person": self.env._("The identifiers name more than one person."),
            "unknown_type": self.env._("No type of product of the catalogue has this code."),
            "type_not_in_catalogue": self.env._(
                "The type is not in the catalogue of products of the person's job position or company."
            ),
            "no_sheet": self.env._("The person has no evaluation sheet for the month of the item."),
            "period_locked": self.env._("The month is locked: nothing changes in it."),
            "sheet_decided": self.env._("The sheet of the month is already decided."),
            "no_products": self.env._("The person's framework does not count products and work."),
            "line_confirmed": self.env._(
                "A reviewer has confirmed the line of this item: the reviewer changes it, not the source."
            ),
            "counted_elsewhere": self.env._("The item is already counted on %s.", detail),
            "invalid_quantities": self.env._("Wrong quantities: %s.", detail),
        }
        result.update(outcome="refused", reason=reason, message=messages[reason])

    @api.model
    def _people(self, companies, items):
        """{item index: employee, or the reason of a refusal}: the person each item names, among the
        active employees of companies; every identifier given must name the same one person."""
        values = defaultdict(set)
        for item in items:
            for key, value in (item.get("person") or {}).items():
                if value:
                    values[key].add(value.strip().lower() if key == "work_email" else value.strip())
        employees = self.env["hr.employee"].sudo().browse()
        for key, field in PERSON_KEYS.items():
            if values[key]:
                employees |= (
                    self.env["hr.employee"]
                    .sudo()
                    .search_fetch(
                        [("company_id", "in", companies.ids), (field, "in", list(values[key]))],
                        ["barcode", "identification_id", "work_email", "company_id"],
                    )
                    if key != "work_email"
                    else self._by_email(companies, values[key])
                )
        index = {key: defaultdict(set) for key in PERSON_KEYS}
        for employee in employees:
            for key, field in PERSON_KEYS.items():
                value = employee[field]
                if value:
                    index[key][value.strip().lower() if key == "work_email" else value.strip()].add(
                        employee.id
                    )
        people = {}
        for position, item in enumerate(items):
            found = None
            for key, value in (item.get("person") or {}).items():
                if not value:
                    continue
                ids = index[key].get(value.strip().lower() if key == "work_email" else value.strip(), set())
                found = ids if found is None else found & ids
            if not found:
                people[position] = "unknown_person"
            elif len(found) > 1:
                people[position] = "ambiguous_person"
            else:
                people[position] = employees.browse(list(found))
        return people

    @api.model
    def _by_email(self, companies, emails):
        # work e-mails compared without case: the agencies' systems do not keep it
        employees = (
            self.env["hr.employee"]
            .sudo()
            .browse(civ_sql.employee_ids_by_work_email(self.env, companies.ids, emails))
        )
        employees.fetch(["barcode", "identification_id", "work_email", "company_id"])
        return employees

    @api.model
    def _types(self, companies, items):
        """{(code, company id or False): type} of the codes the items name, of companies or shared."""
        codes = {item["product_type"] for item in items if item.get("product_type")}
        if not codes:
            return {}
        types = (
            self.env["civ.product.type"]
            .sudo()
            .search_fetch(
                [("code", "in", list(codes)), ("company_id", "in", [*companies.ids, False])],
                ["code", "company_id", "job_ids", "weight"],
            )
        )
        return {(product_type.code, product_type.company_id.id): product_type for product_type in types}

    @api.model
    def _month_day(self, item):
        """The day that says which month the item counts for: the first of its period, its completion
        date, or else its deadline (None without any)."""
        if item.get("period"):
            year, month = item["period"].split("-")
            return date(int(year), int(month), 1)
        for fname in ("date_done", "date_deadline"):
            if item.get(fname):
                return date.fromisoformat(item[fname])
        return None

    @api.model
    def _sheets(self, wanted):
        """{(employee id, day): the sheet of the employee's period that covers day (a monthly one
        before a quarterly one)}, in one search."""
        days = [day for _employee, day in wanted.values() if day]
        if not days:
            return {}
        employees = self.env["hr.employee"].browse({employee.id for employee, _day in wanted.values()})
        sheets = (
            self.env["civ.evaluation"]
            .sudo()
            .search_fetch(
                [
                    ("employee_id", "in", employees.ids),
                    ("period_id.date_start", "<=", max(days)),
                    ("period_id.date_end", ">=", min(days)),
                ],
                ["employee_id", "period_id", "state", "company_id", "framework_id"],
            )
        )
        by_employee = defaultdict(list)
        for sheet in sheets:
            by_employee[sheet.employee_id.id].append(sheet)
        found = {}
        for employee, day in wanted.values():
            if not day:
                continue
            covering = [
                sheet
                for sheet in by_employee.get(employee.id, ())
                if sheet.period_id.date_start <= day <= sheet.period_id.date_end
                and sheet.company_id == employee.company_id
            ]
            covering.sort(key=lambda sheet: (sheet.period_id.date_end - sheet.period_id.date_start, sheet.id))
            if covering:
                found[employee.id, day] = covering[0]
        return found

    @api.model
    def _sheet_refusal(self, sheet):
        if not sheet:
            return "no_sheet"
        if sheet.state == "locked" or sheet.period_id.state == "locked":
            return "period_locked"
        if sheet.state == "done":
            return "sheet_decided"
        if not sheet.uses_products:
            return "no_products"
        return None

    @api.model
    def _line_values(self, sheet, item, types):
        """(the line values of item on sheet, None) or (None, the reason of a refusal)."""
        vals = dict(ITEM_LINE_DEFAULTS)
        for fname in ITEM_LINE_DEFAULTS:
            if item.get(fname) is not None and fname != "product_type_id":
                vals[fname] = item[fname]
        for fname in ("date_deadline", "date_done"):
            vals[fname] = date.fromisoformat(vals[fname]) if vals[fname] else False
        for fname in QUANTITIES:
            vals[fname] = int(vals[fname]) if fname.endswith("_count") else float(vals[fname])
        weight = 1.0
        code = item.get("product_type")
        if code:
            product_type = types.get((code, sheet.company_id.id)) or types.get((code, False))
            if not product_type:
                return None, "unknown_type"
            if not product_type._is_allowed_for(sheet):
                return None, "type_not_in_catalogue"
            vals["product_type_id"] = product_type.id
            weight = product_type.weight
        problem = self.env["civ.evaluation.product"]._quantities_problem(
            {fname: vals[fname] for fname in QUANTITIES} | {"weight": weight}
        )
        if problem:
            return None, ("invalid_quantities", problem)
        return vals, None
