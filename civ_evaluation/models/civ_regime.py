"""The regimes (chế độ đánh giá): which text governs the evaluation of a category of staff, and the
defaults each regime gives to a company's rule set (civ.category.rule), which human resources may edit.

Plain data, no ORM. Sources: ../shared/DOMAIN.md ("Who is governed by which text in 2026").
"""

REGIMES = [
    ("nd335", "Decree 335/2025 (civil servants)"),
    ("nd90", "Decree 90/2020 and 48/2023 (public employees)"),
    ("luat_vien_chuc_2025", "Law on Public Employees 2025 (public employees)"),
    ("party366", "Regulation 366-QĐ/TW (cadres and Party bodies)"),
    ("agency", "The agency's own regulation (contract staff)"),
]
REGIME_CODES = tuple(code for code, _label in REGIMES)

# How the year is classified from the months:
# - "time_worked": on the points of the time actually worked (ND 335 art. 21.3), no minimum of months;
# - "nd90_months": ND 90/2020 art. 2(3): under the minimum months worked, not classified; absent from the
#   lower minimum, not above "Hoàn thành nhiệm vụ" (the company's settings give both minima).
YEAR_END_BASES = [
    ("time_worked", "Points of the time actually worked (Decree 335, art. 21.3)"),
    ("nd90_months", "Minimum months worked and absence cap (Decree 90, art. 2(3))"),
]
# Which disciplinary facts of the year make the year "Không hoàn thành nhiệm vụ":
# - "official_duty": a violation in official duty disciplined at reprimand or above (ND 335 art. 20.4(a));
# - "any": any Party or administrative discipline in the year, with the two exceptions of ND 48/2023.
DISCIPLINE_RULES = [
    ("official_duty", "Violation in official duty, reprimand or above (Decree 335)"),
    ("any", "Any Party or administrative discipline (Decree 48/2023)"),
]

# regime: (year-end basis, discipline rule, governing text cited by the written notice)
REGIME_DEFAULTS = {
    "nd335": ("time_worked", "official_duty", "Nghị định số 335/2025/NĐ-CP"),
    "nd90": (
        "nd90_months",
        "any",
        "Nghị định số 90/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 48/2023/NĐ-CP",
    ),
    "luat_vien_chuc_2025": ("nd90_months", "any", "Luật Viên chức năm 2025 (Điều 26, 27)"),
    "party366": ("time_worked", "any", "Quy định số 366-QĐ/TW"),
    "agency": ("nd90_months", "any", "Quy chế đánh giá của cơ quan"),
}
# the regime of a category when the company has no rule set for it
CATEGORY_REGIMES = {"cong_chuc": "nd335", "vien_chuc": "nd90", "can_bo": "party366", "hop_dong": "agency"}


# a sheet without a regime (made by hand or by code, not by the opening of a period): the rules the
# addon applied to everyone before the regimes (the company's minimum months and absence cap, the
# discipline in official duty)
NO_REGIME = ("nd90_months", "official_duty", "Nghị định số 90/2020/NĐ-CP")


def year_end_basis(regime):
    return REGIME_DEFAULTS.get(regime, NO_REGIME)[0]


def discipline_rule(regime):
    return REGIME_DEFAULTS.get(regime, NO_REGIME)[1]


def legal_text(regime):
    return REGIME_DEFAULTS.get(regime, NO_REGIME)[2]
