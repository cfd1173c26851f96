import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

BATCH_STATES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
OUTCOMES = ("created", "updated", "unchanged", "refused")
# items loaded per transaction by the background job (a chunk of the whole agency's month takes a few
# seconds: no HTTP worker, no cron transaction holds for minutes)
CHUNK = 2000
CRON = "civ_evaluation_api.ir_cron_civ_api_batches"


class CivApiBatch(models.Model):
    """A batch of work items pushed by a source system (POST /civ/api/v1/products): the items as
    received, then the outcome of each. A small batch is loaded in the request; a larger one is
    queued and loaded by the scheduled action in chunks of CHUNK items, one transaction each, while
    the caller polls /civ/api/v1/batches/<id>. Written by the API only; read by the officers of its
    company (and by its caller, through the API)."""

    _name = "civ.api.batch"
    _description = "Batch of Work Items Received through the API"
    _order = "id desc"

    user_id = fields.Many2one("res.users", string="Caller", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    source = fields.Char(string="Source System", required=True, readonly=True)
    state = fields.Selection(BATCH_STATES, default="queued", required=True, readonly=True, index=True)
    item_count = fields.Integer(string="Items", readonly=True)
    processed = fields.Integer(readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    refused_count = fields.Integer(string="Refused", readonly=True)
    payload = fields.Json(string="Items Received", readonly=True, copy=False)
    results = fields.Json(string="Outcome of Each Item", readonly=True, copy=False)
    error = fields.Text(readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)
    call_ids = fields.One2many("civ.api.call", "batch_id", string="Calls")
    refusals = fields.Text(
        string="Refused Items", compute="_compute_refusals", help="The refused items and why (the first 200)."
    )

    @api.depends("source", "create_date")
    def _compute_display_name(self):
        for batch in self:
            batch.display_name = f"{batch.source or ''} #{batch.id}"

    @api.depends("results")
    def _compute_refusals(self):
        for batch in self:
            refused = [result for result in batch.results or [] if result.get("outcome") == "refused"]
            batch.refusals = "\n".join(
                f"{result['item_id']}: {result.get('message') or result.get('reason')}"
                for result in refused[:200]
            )

    @api.model
    def _civ_receive(self, user, source, items, inline_limit):
        """The batch of items pushed by user, loaded at once when it holds at most inline_limit
        items, else queued for the scheduled action."""
        batch = self.sudo().create(
            {
                "user_id": user.id,
                "company_id": user.company_id.id,
                "source": source,
                "item_count": len(items),
                "payload": items,
                "results": [],
            }
        )
        if len(items) <= inline_limit:
            batch._civ_process(len(items) or 1)
        else:
            self.env.ref(CRON).sudo()._trigger()
        return batch

    def _civ_process(self, chunk=CHUNK):
        """Load the next chunk of items of the batch (superuser; the items were validated when
        received); a failure of the chunk fails the batch, with the error kept, and loads nothing of
        the chunk."""
        self.ensure_one()
        batch = self.sudo()
        items = (batch.payload or [])[batch.processed : batch.processed + chunk]
        batch.state = "running"
        try:
            with self.env.cr.savepoint():
                loaded = (
                    self.env["civ.api.products"]
                    .with_user(batch.user_id)
                    .with_context(lang=batch.user_id.lang, allowed_company_ids=batch.user_id.company_ids.ids)
                    ._load(batch.user_id, batch.source, items)
                )
        except Exception as error:  # noqa: BLE001 - the batch records why, the caller reads it
            _logger.info("API batch %s failed at item %s: %s", batch.id, batch.processed, error)
            batch.write(
                {
                    "state": "failed",
                    "error": str(error.args[0] if getattr(error, "args", None) else error),
                    "date_done": fields.Datetime.now(),
                }
            )
            return batch
        for result in loaded:
            result["index"] += batch.processed
        counts = {outcome: 0 for outcome in OUTCOMES}
        for result in loaded:
            counts[result["outcome"]] += 1
        processed = batch.processed + len(items)
        batch.write(
            {
                "results": (batch.results or []) + loaded,
                "processed": processed,
                "state": "done" if processed >= batch.item_count else "running",
                "date_done": fields.Datetime.now() if processed >= batch.item_count else False,
                **{f"{outcome}_count": batch[f"{outcome}_count"] + counts[outcome] for outcome in OUTCOMES},
            }
        )
        return batch

    @api.model
    def _cron_process_batches(self):
        """Scheduled action "load the queued batches of the API": one chunk of the oldest batch,
        its progress reported; Odoo calls it again at once while items are left."""
        if not self.env.su:
            raise AccessError(self.env._("Only the scheduler loads the batches of the API."))
        pending = self.search([("state", "in", ("queued", "running"))], order="id")
        if not pending:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        batch = pending[0]
        before = batch.processed
        batch._civ_process()
        left = sum(
            pending.filtered(lambda other: other.state in ("queued", "running")).mapped(
                lambda other: other.item_count - other.processed
            )
        )
        self.env["ir.cron"]._notify_progress(done=batch.processed - before, remaining=left)

    def _civ_as_json(self, with_items=True):
        """The batch as the API answers it."""
        self.ensure_one()
        batch = self.sudo()
        answer = {
            "batch_id": batch.id,
            "source": batch.source,
            "state": batch.state,
            "item_count": batch.item_count,
            "processed": batch.processed,
            "counts": {outcome: batch[f"{outcome}_count"] for outcome in OUTCOMES},
        }
        if batch.error:
            answer["error"] = batch.error
        if with_items:
            answer["items"] = batch.results or []
        return answer
