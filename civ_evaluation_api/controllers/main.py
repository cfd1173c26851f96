"""The HTTP API of the evaluation, version 1 (/civ/api/v1/...), described by the OpenAPI document it
publishes (schema.py). Every call but the document's needs an Odoo API key (res.users.apikeys) of a
user of the group "Evaluation API client", as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
the key's user reads and writes only its own companies, and every call is logged (civ.api.call).
Errors are JSON ({"error", "message", "problems"}) with the HTTP status, never a traceback."""

import json
import logging
import re
import time
from urllib.parse import urlencode

from werkzeug.exceptions import HTTPException

from odoo import http
from odoo.exceptions import AccessDenied, UserError, ValidationError
from odoo.http import request

from ..schema import PERIOD_PATTERN, PayloadError, openapi, validate_batch

_logger = logging.getLogger(__name__)

PREFIX = "/civ/api/v1"
CLIENT_GROUP = "civ_evaluation_api.group_civ_api_client"
# the settings (ir.config_parameter), with their defaults
MAX_BODY_PARAM, MAX_BODY_DEFAULT = "civ_evaluation_api.max_body_bytes", 20 * 1024 * 1024
INLINE_PARAM, INLINE_DEFAULT = "civ_evaluation_api.inline_items", 500
MAX_PAGE = 1000


class ApiError(Exception):
    def __init__(self, status, code, message, problems=None):
        super().__init__(message)
        self.status, self.code, self.message, self.problems = status, code, message, problems


class CivApiController(http.Controller):
    # ------------------------------------------------------------------ the routes
    @http.route(
        f"{PREFIX}/openapi.json", type="http", auth="none", methods=["GET"], csrf=False, save_session=False
    )
    def civ_api_openapi(self):
        """The OpenAPI 3 document (public: it describes, it gives nothing)."""
        base = request.httprequest.host_url.rstrip("/") + PREFIX
        return request.make_json_response(openapi(base))

    @http.route(
        f"{PREFIX}/products",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def civ_api_push_products(self):
        """A batch of work items (upsert by source and item_id)."""

        def push(env, user, log):
            payload = self._json_body(env)
            try:
                source, items = validate_batch(env, payload)
            except PayloadError as error:
                log["item_count"] = len(payload.get("items") or []) if isinstance(payload, dict) else 0
                raise ApiError(
                    400,
                    "invalid_payload",
                    env._("The request does not follow the API's schema."),
                    error.problems,
                ) from None
            log["item_count"] = len(items)
            inline = self._int_param(env, INLINE_PARAM, INLINE_DEFAULT)
            batch = env["civ.api.batch"]._civ_receive(user, source, items, inline)
            log["batch_id"] = batch.id
            answer = batch._civ_as_json()
            if batch.state in ("queued", "running"):
                answer["poll"] = f"{PREFIX}/batches/{batch.id}"
                log["outcome"] = env._("queued")
                return 202, answer
            if batch.state == "failed":
                log["outcome"] = batch.error
                raise ApiError(422, "batch_failed", batch.error)
            log["outcome"] = ", ".join(f"{outcome} {count}" for outcome, count in answer["counts"].items())
            return 200, answer

        return self._serve(push)

    @http.route(
        f"{PREFIX}/batches/<int:batch_id>",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def civ_api_batch(self, batch_id):
        """A batch pushed by the caller: its state and the outcome of each item."""

        def read(env, user, log):
            batch = env["civ.api.batch"].sudo().browse(batch_id).exists()
            if not batch or batch.user_id != user:
                raise ApiError(404, "not_found", env._("No batch %s of yours.", batch_id))
            log["batch_id"] = batch.id
            log["outcome"] = batch.state
            return 200, batch._civ_as_json()

        return self._serve(read)

    @http.route(
        f"{PREFIX}/results",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def civ_api_results(self, **params):
        """A page of the decided and locked months (kind=month, the default) or of the year-end
        results (kind=year) of the caller's companies, by period or year and unit."""

        def read(env, user, log):
            known = {"kind", "period", "year", "unit", "company", "limit", "offset"}
            unknown = sorted(set(params) - known)
            if unknown:
                raise ApiError(400, "invalid_parameter", env._("Unknown parameters: %s.", ", ".join(unknown)))
            kind = params.get("kind") or "month"
            if kind not in ("month", "year"):
                raise ApiError(400, "invalid_parameter", env._("kind is month or year."))
            limit = self._int_arg(env, params, "limit", 100, 1, MAX_PAGE)
            offset = self._int_arg(env, params, "offset", 0, 0, 10**9)
            companies = user.company_ids
            if params.get("company"):
                company = self._int_arg(env, params, "company", None, 1, 2**31 - 1)
                if company not in companies.ids:
                    raise ApiError(403, "forbidden", env._("The company %s is not one of yours.", company))
                companies = companies.browse(company)
            Results = env["civ.api.results"]
            unit = None
            if params.get("unit"):
                try:
                    unit = Results._check_unit(
                        companies, self._int_arg(env, params, "unit", None, 1, 2**31 - 1)
                    )
                except UserError as error:
                    raise ApiError(404, "not_found", error.args[0]) from None
            if kind == "month":
                period = params.get("period")
                if period and not re.match(PERIOD_PATTERN, period):
                    raise ApiError(400, "invalid_parameter", env._("period is a month written YYYY-MM."))
                count, rows = Results._months(companies, period=period, unit=unit, limit=limit, offset=offset)
            else:
                year = self._int_arg(env, params, "year", None, 1900, 9999) if params.get("year") else None
                count, rows = Results._years(companies, year=year, unit=unit, limit=limit, offset=offset)
            log["item_count"] = len(rows)
            log["outcome"] = env._("%(rows)s of %(count)s results", rows=len(rows), count=count)
            following = None
            if offset + len(rows) < count:
                query = dict(params, offset=offset + len(rows), limit=limit)
                following = f"{PREFIX}/results?{urlencode(query)}"
            return 200, {"count": count, "limit": limit, "offset": offset, "next": following, "results": rows}

        return self._serve(read)

    # ------------------------------------------------------------------ the frame of every call
    def _serve(self, handler):
        """Authenticate the caller, run handler(env, user, log) -> (status, answer), log the call;
        every failure becomes a JSON error with its status, and what a failed call wrote is undone
        (the log stays)."""
        started = time.monotonic()
        log = {"item_count": 0, "outcome": "", "batch_id": False, "user": None}
        if not request.db:
            return request.make_json_response(
                {"error": "no_database", "message": "No database is selected for this host (dbfilter)."},
                status=400,
            )
        env = request.env(user=None)
        try:
            user = self._authenticate(log)
            env = request.env(
                user=user.id,
                context=dict(request.env.context, lang=user.lang, allowed_company_ids=user.company_ids.ids),
            )
            with env.cr.savepoint():
                status, answer = handler(env, user, log)
        except ApiError as error:
            status = error.status
            answer = {"error": error.code, "message": error.message}
            if error.problems:
                answer["problems"] = error.problems
        except (UserError, ValidationError, AccessDenied) as error:
            status, answer = 400, {"error": "refused", "message": error.args[0] if error.args else str(error)}
        except HTTPException:
            raise
        except Exception:
            # a bug of ours: logged with its traceback here, a plain answer there
            _logger.exception(
                "civ_evaluation_api: %s %s failed", request.httprequest.method, request.httprequest.path
            )
            status, answer = (
                500,
                {"error": "internal", "message": "The server could not answer this request."},
            )
        if status >= 400 and not log["outcome"]:
            log["outcome"] = f"{answer['error']}: {answer['message']}"[:500]
        self._log(log["user"], status, log, started)
        return request.make_json_response(answer, status=status)

    def _authenticate(self, log):
        """The user of the request's API key (also in log["user"]), or ApiError 401/403."""
        headers = request.httprequest.headers
        key = headers.get("X-API-Key")
        match = re.match(r"^bearer\s+(.+)$", headers.get("Authorization") or "", re.IGNORECASE)
        if match:
            key = match.group(1)
        env = request.env(user=None, su=True)
        if not key:
            raise ApiError(
                401, "unauthorized", "An API key is required: Authorization: Bearer <key> or X-API-Key."
            )
        uid = env["res.users.apikeys"]._check_credentials(scope="rpc", key=key.strip())
        if not uid:
            raise ApiError(401, "unauthorized", "The API key is wrong, expired or of an inactive user.")
        user = log["user"] = env["res.users"].browse(uid)
        if not user.has_group(CLIENT_GROUP):
            raise ApiError(
                403,
                "forbidden",
                user.with_context(lang=user.lang).env._("This user is not a client of the API."),
            )
        return user

    def _log(self, user, status, log, started):
        request.env["civ.api.call"].sudo().create(
            {
                "user_id": user.id if user else False,
                "company_id": user.company_id.id if user else False,
                "method": request.httprequest.method,
                "path": request.httprequest.path[:200],
                "status": status,
                "item_count": log["item_count"],
                "outcome": (log["outcome"] or "")[:500],
                "batch_id": log["batch_id"],
                "duration_ms": int((time.monotonic() - started) * 1000),
                "remote_addr": request.httprequest.remote_addr,
            }
        )

    # ------------------------------------------------------------------ reading the request
    def _json_body(self, env):
        limit = self._int_param(env, MAX_BODY_PARAM, MAX_BODY_DEFAULT)
        length = request.httprequest.content_length
        if length is not None and length > limit:
            raise ApiError(413, "too_large", env._("The body is larger than %s bytes.", limit))
        if length is None:
            raise ApiError(411, "length_required", env._("The request must say its Content-Length."))
        data = request.httprequest.get_data(cache=False)
        try:
            return json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "invalid_json", env._("The body is not JSON.")) from None

    def _int_param(self, env, name, default):
        try:
            return int(env["ir.config_parameter"].sudo().get_param(name, default))
        except (TypeError, ValueError):
            return default

    def _int_arg(self, env, params, name, default, low, high):
        value = params.get(name)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except ValueError:
            raise ApiError(400, "invalid_parameter", env._("%s must be a whole number.", name)) from None
        if not low <= number <= high:
            raise ApiError(
                400,
                "invalid_parameter",
                env._("%(name)s must be from %(low)s to %(high)s.", name=name, low=low, high=high),
            )
        return number
