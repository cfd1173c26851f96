def post_init_hook(env):
    """Tasks already closed when the bridge is installed: their closing date is the best one Project
    kept (the end date of a folded stage, else the last stage change), not the installation day."""
    env.cr.execute(
        """
        UPDATE project_task
           SET civ_date_closed = COALESCE(date_end, date_last_stage_update, write_date)
         WHERE state = '1_done'
        """
    )
    env["project.task"].invalidate_model(["civ_date_closed"])
