"""18.0.1.5.0: the points of each review level also keep each member's of a leadership collective
(civ.review.step.point.member_user_id). The unique constraint (step, line) becomes two partial unique
indexes, created by the model's init(): one for the step's own points, one per member."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE IF EXISTS civ_review_step_point "
        "DROP CONSTRAINT IF EXISTS civ_review_step_point_step_line_unique"
    )
