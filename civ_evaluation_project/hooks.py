"""Installation and upgrade of the bridge: what Project already holds when it arrives."""


def post_init_hook(env):
    """Tasks already closed when the bridge is installed: their closing date is the best one Project
    kept (the end date of a folded stage, else the last stage change), not the installation day. The
    tasks' assignees are recorded as assigned by the task's creator (see civ.task.assignment)."""
    env.cr.execute(
        """
        UPDATE project_task
           SET civ_date_closed = COALESCE(date_end, date_last_stage_update, write_date)
         WHERE state = '1_done'
        """
    )
    env["project.task"].invalidate_model(["civ_date_closed"])
    record_existing_assignments(env.cr)


def record_existing_assignments(cr):
    """One civ.task.assignment per assignee of the tasks that have none yet, assigned by the task's
    creator when it was created (the best evidence Project kept): a task its assignee created for
    themself is then not evidence. Writes civ_task_assignment only."""
    cr.execute(
        """
        INSERT INTO civ_task_assignment
               (task_id, user_id, company_id, assigned_by_id, date_assigned, credited,
                create_uid, create_date, write_uid, write_date)
        SELECT DISTINCT rel.task_id, rel.user_id, task.company_id, task.create_uid, task.create_date, TRUE,
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM project_task_user_rel rel
          JOIN project_task task ON task.id = rel.task_id
         WHERE rel.user_id IS NOT NULL
            ON CONFLICT (task_id, user_id) DO NOTHING
        """
    )


def flag_projects_already_loaded(cr):
    """The projects whose tasks were loaded into evaluation sheets before the flag existed keep
    counting for the evaluation. Writes project_project.civ_evaluation only."""
    cr.execute(
        """
        UPDATE project_project SET civ_evaluation = TRUE
         WHERE id IN (SELECT task.project_id FROM civ_evaluation_product line
                        JOIN project_task task ON task.id = line.task_id
                       WHERE task.project_id IS NOT NULL)
        """
    )
