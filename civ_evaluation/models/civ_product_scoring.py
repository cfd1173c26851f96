"""Task results computed from products and work (Nghị định 335/2025/NĐ-CP): the one formula.

Plain functions, no ORM: `civ.framework.compute_product_score` feeds them the sheet's product lines
and the group's settings (cuts, components and weights, all data of the framework), and writes the
points they give on the group's line of the sheet.

For the items of a person in the period, each counted in standard units (quantity × weight):
- a (quantity, %) = completed ÷ assigned;
- b (quality, %) = completed meeting the requirements ÷ assigned, each major error cutting
  `error_cut` % of the quality score of ONE product of the line (Nghị định 335/2025 art. 14–15: the
  cut is per product, not per line), unless the competent level confirmed an objective cause of the
  errors of the line;
- c (progress, %) = completed on time ÷ assigned, each delay cutting `delay_cut` % of the progress
  score of one product (unless an objective cause of the delays was confirmed: the two
  confirmations are separate). A line of 2 products, both done on time and meeting the
  requirements, with 2 delays: c = (2 − 2 × 25%) ÷ 2 = 75% (not 50%); 10 products with 1 major
  error: b = (10 − 25%) ÷ 10 = 97.5%;
- the group's percentage = the weighted mean of its components (a, b, c, and for leaders the unit's
  result and the organisation of its work), the points = percentage × the group's maximum, never
  above it.

Bad data never scores: a sum or a ratio that is not a finite number (an infinite or NaN input, or an
overflow) counts 0, never 100% (min(100, NaN) would be 100). The product lines are bounded anyway (see
civ_numbers).
"""

import math

from odoo.tools import float_round

# what the formula reads of an item (a product line)
ITEM_FIELDS = (
    "weight",
    "qty_assigned",
    "qty_done",
    "qty_quality",
    "qty_on_time",
    "error_count",
    "delay_count",
    "objective_cause",
    "objective_cause_delays",
)
PERCENT_DIGITS = 2


def _after_cuts(quantity, count, cut_percent, objective_cause):
    """What is left of the `quantity` products of a line meeting the requirements (or on time) after
    `count` errors (or delays), each cutting `cut_percent` % of one product's score; never below 0."""
    quantity = quantity or 0.0
    if objective_cause or not count:
        return quantity
    left = quantity - count * (cut_percent or 0.0) / 100.0
    return max(0.0, left) if math.isfinite(left) else 0.0


def _bounded(percent):
    """percent between 0 and 100; 0 when it is not a finite number."""
    return min(100.0, max(0.0, percent)) if math.isfinite(percent) else 0.0


def item_ratios(items, error_cut=25.0, delay_cut=25.0):
    """(a, b, c) in % over the items, unrounded.

    :param items: iterable of mappings with weight, qty_assigned, qty_done, qty_quality, qty_on_time,
        error_count, delay_count, objective_cause (of the errors), objective_cause_delays
    """
    assigned = done = quality = on_time = 0.0
    for item in items:
        weight = item["weight"] or 0.0
        assigned += weight * (item["qty_assigned"] or 0.0)
        done += weight * (item["qty_done"] or 0.0)
        quality += weight * _after_cuts(
            item["qty_quality"], item["error_count"], error_cut, item.get("objective_cause")
        )
        on_time += weight * _after_cuts(
            item["qty_on_time"], item["delay_count"], delay_cut, item.get("objective_cause_delays")
        )
    if not math.isfinite(assigned) or assigned <= 0:
        return 0.0, 0.0, 0.0
    return tuple(_bounded(100.0 * value / assigned) for value in (done, quality, on_time))


def group_points(percentages, weights, max_points):
    """(percentage, points) of a group from its components.

    :param dict percentages: {component: % reached}; a component missing here (e.g. the unit's
        result of a leader who has nobody under them) is left out of the mean
    :param dict weights: {component: weight} of the components that apply to the person
    """
    used = {name: weight for name, weight in weights.items() if name in percentages and weight > 0}
    total_weight = sum(used.values())
    if not math.isfinite(total_weight) or total_weight <= 0 or not math.isfinite(max_points or 0.0):
        return 0.0, 0.0
    percent = _bounded(sum(percentages[name] * weight for name, weight in used.items()) / total_weight)
    points = min(max_points, percent * max_points / 100.0)
    return (
        float_round(percent, precision_digits=PERCENT_DIGITS),
        float_round(points, precision_digits=PERCENT_DIGITS),
    )


def unit_result_percent(levels_reached, full_percent=100.0, partial_percent=50.0):
    """The leader's unit component: full when every person under them reached the required level,
    partial otherwise; None when nobody is under them (the component is then left out).

    :param levels_reached: one boolean per person under the leader
    """
    levels_reached = list(levels_reached)
    if not levels_reached:
        return None
    return full_percent if all(levels_reached) else partial_percent


def condition_shares(items):
    """The shares (%) of the tasks, in converted units over the quantity assigned, that the level
    conditions of Quy định 366-QĐ/TW read: completed meeting the requirements ("quality"), not
    completed on time ("late") and exceeding the requirements ("exceeded"); None when nothing is
    assigned. Raw quantities: the cuts of errors and delays are for the points, not these shares.

    :param items: mappings with weight, qty_assigned, qty_quality, qty_on_time, qty_exceeded
    """
    assigned = quality = on_time = exceeded = 0.0
    for item in items:
        weight = item["weight"] or 0.0
        assigned += weight * (item["qty_assigned"] or 0.0)
        quality += weight * (item["qty_quality"] or 0.0)
        on_time += weight * (item["qty_on_time"] or 0.0)
        exceeded += weight * (item.get("qty_exceeded") or 0.0)
    if not math.isfinite(assigned) or assigned <= 0:
        return None
    return {
        "quality": _bounded(100.0 * quality / assigned),
        "late": _bounded(100.0 - 100.0 * on_time / assigned),
        "exceeded": _bounded(100.0 * exceeded / assigned),
    }
