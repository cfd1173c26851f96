"""The API's payloads, in one place: the schema of a pushed work item and of a batch, the validation
of a request against it (types, sizes, unknown fields; every problem named, no traceback) and the
OpenAPI 3 document the server publishes at /civ/api/v1/openapi.json, built from the same schema."""

import re
from datetime import date

from odoo.addons.civ_evaluation.models.civ_numbers import MAX_COUNT, MAX_QUANTITY

API_VERSION = "1.0.0"
# the most items a batch carries, and the most problems a refusal lists
MAX_ITEMS = 10_000
MAX_PROBLEMS = 50
PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

PERSON_SCHEMA = {
    "badge": {"type": "string", "maxLength": 64, "description": "The badge number (hr.employee barcode)."},
    "identification_id": {
        "type": "string",
        "maxLength": 64,
        "description": "The identification number (số định danh / CCCD).",
    },
    "work_email": {"type": "string", "maxLength": 254, "description": "The work e-mail."},
}
QUANTITY = {"type": "number", "minimum": 0, "maximum": MAX_QUANTITY}
COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
ITEM_SCHEMA = {
    "item_id": {
        "type": "string",
        "maxLength": 128,
        "required": True,
        "description": "The source system's own id of the work item: with the batch's source, the key of "
        "the upsert.",
    },
    "person": {
        "type": "object",
        "required": True,
        "properties": PERSON_SCHEMA,
        "description": "Who the item was assigned to: at least one of badge, identification_id, work_email "
        "(all given must name the same person of the caller's companies).",
    },
    "name": {"type": "string", "maxLength": 500, "required": True, "description": "The product or work."},
    "product_type": {
        "type": "string",
        "maxLength": 64,
        "description": "The code of the type in the catalogue of products of the person's job position; "
        "the coefficient of conversion is the catalogue's (1 without a type).",
    },
    "qty_assigned": dict(QUANTITY, description="Quantity assigned (default 1)."),
    "qty_done": dict(QUANTITY, description="Quantity completed (default 0)."),
    "qty_quality": dict(QUANTITY, description="Quantity completed meeting the requirements (default 0)."),
    "qty_on_time": dict(QUANTITY, description="Quantity completed on time (default 0)."),
    "error_count": dict(COUNT, description="Major quality errors recorded by the source (default 0)."),
    "delay_count": dict(COUNT, description="Delays recorded by the source (default 0)."),
    "date_deadline": {"type": "string", "format": "date", "description": "The deadline (YYYY-MM-DD)."},
    "date_done": {"type": "string", "format": "date", "description": "The completion date (YYYY-MM-DD)."},
    "period": {
        "type": "string",
        "pattern": PERIOD_PATTERN,
        "description": "The month the item counts for (YYYY-MM); by default the month of date_done, or "
        "else of date_deadline.",
    },
    "note": {"type": "string", "maxLength": 2000, "description": "What was done, where the evidence is."},
}
BATCH_SCHEMA = {
    "source": {
        "type": "string",
        "maxLength": 64,
        "required": True,
        "description": "The source system (e.g. its name): with each item_id, the key of the upsert.",
    },
    "items": {"type": "array", "required": True, "maxItems": MAX_ITEMS, "items": ITEM_SCHEMA},
}


class PayloadError(Exception):
    """A request whose body does not follow the schema: problems is a list of
    {"item": index or None, "field": name, "message": text}."""

    def __init__(self, problems):
        super().__init__("invalid payload")
        self.problems = problems


def _type_problem(env, spec, value):
    """What is wrong with value for spec (a string in the user's language), or None."""
    kind = spec["type"]
    if kind == "string":
        if not isinstance(value, str):
            return env._("must be text")
        if len(value) > spec.get("maxLength", 10_000):
            return env._("is longer than %s characters", spec["maxLength"])
        if spec.get("format") == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                return env._("must be a date written YYYY-MM-DD")
        if spec.get("pattern") and not re.match(spec["pattern"], value):
            return env._("must be a month written YYYY-MM")
        return None
    if kind in ("number", "integer"):
        # JSON numbers only: text ("1.5") and true/false are refused, not guessed
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return env._("must be a number")
        if kind == "integer" and not float(value).is_integer():
            return env._("must be a whole number")
        if value < spec.get("minimum", float("-inf")):
            return env._("cannot be less than %s", spec.get("minimum"))
        if value > spec.get("maximum", float("inf")):
            return env._("cannot be more than %s", spec["maximum"])
        return None
    if kind == "object" and not isinstance(value, dict):
        return env._("must be an object")
    return None


def _object_problems(env, schema, value, item=None, prefix=""):
    problems = []
    if not isinstance(value, dict):
        return [{"item": item, "field": prefix.rstrip(".") or None, "message": env._("must be an object")}]
    for name in sorted(set(value) - set(schema)):
        problems.append({"item": item, "field": prefix + name, "message": env._("is not a field of the API")})
    for name, spec in schema.items():
        if name not in value or value[name] is None:
            if spec.get("required"):
                problems.append({"item": item, "field": prefix + name, "message": env._("is required")})
            continue
        if spec["type"] in ("object", "array"):
            continue
        problem = _type_problem(env, spec, value[name])
        if problem:
            problems.append({"item": item, "field": prefix + name, "message": problem})
    return problems


def validate_batch(env, payload):
    """(source, items) of a pushed batch, or PayloadError naming the problems (at most
    MAX_PROBLEMS)."""
    problems = _object_problems(env, BATCH_SCHEMA, payload)
    items = payload.get("items") if isinstance(payload, dict) else None
    if items is not None and not isinstance(items, list):
        problems.append({"item": None, "field": "items", "message": env._("must be a list")})
    elif isinstance(items, list):
        if len(items) > MAX_ITEMS:
            problems.append(
                {"item": None, "field": "items", "message": env._("holds more than %s items", MAX_ITEMS)}
            )
        else:
            seen = set()
            for index, item in enumerate(items):
                if len(problems) >= MAX_PROBLEMS:
                    break
                item_problems = _object_problems(env, ITEM_SCHEMA, item, item=index)
                if isinstance(item, dict) and isinstance(item.get("person"), (dict, type(None))):
                    person = item.get("person") or {}
                    item_problems += _object_problems(
                        env, PERSON_SCHEMA, person, item=index, prefix="person."
                    )
                    if item.get("person") is not None and not any(person.get(key) for key in PERSON_SCHEMA):
                        item_problems.append(
                            {
                                "item": index,
                                "field": "person",
                                "message": env._("needs a badge, an identification number or a work e-mail"),
                            }
                        )
                elif isinstance(item, dict):
                    item_problems.append(
                        {"item": index, "field": "person", "message": env._("must be an object")}
                    )
                if isinstance(item, dict) and isinstance(item.get("item_id"), str):
                    if item["item_id"] in seen:
                        item_problems.append(
                            {
                                "item": index,
                                "field": "item_id",
                                "message": env._("appears twice in the batch"),
                            }
                        )
                    seen.add(item["item_id"])
                problems += item_problems
    if problems:
        raise PayloadError(problems[:MAX_PROBLEMS])
    return payload["source"], items


def _openapi_schema(schema):
    properties, required = {}, []
    for name, field_spec in schema.items():
        spec = dict(field_spec)
        if spec.pop("required", False):
            required.append(name)
        if spec["type"] == "object":
            spec.update(_openapi_schema(spec.pop("properties")))
        elif spec["type"] == "array":
            spec["items"] = _openapi_schema(spec["items"])
        properties[name] = spec
    result = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        result["required"] = required
    return result


def _result_schema():
    number = {"type": "number"}
    text = {"type": "string"}
    return {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["month", "year"]},
            "sheet_id": {"type": "integer"},
            "employee_id": {"type": "integer"},
            "person": text,
            "badge": text,
            "identification_id": text,
            "unit_id": {"type": "integer"},
            "unit": text,
            "company_id": {"type": "integer"},
            "period": text,
            "date_start": {"type": "string", "format": "date"},
            "date_end": {"type": "string", "format": "date"},
            "self_points": number,
            "levels": {
                "type": "array",
                "description": "The points each level of the review chain gave, in order.",
                "items": {
                    "type": "object",
                    "properties": {
                        "step": text,
                        "reviewer": text,
                        "points": number,
                        "decides": {"type": "boolean"},
                    },
                },
            },
            "final_points": number,
            "level": text,
            "level_name": text,
            "regime": text,
            "state": text,
            "sealed": {"type": "boolean"},
        },
    }


def openapi(base_url):
    """The OpenAPI 3 document of the API (servers: base_url, e.g. https://host/civ/api/v1)."""
    error = {
        "type": "object",
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "item": {"type": ["integer", "null"]},
                        "field": {"type": ["string", "null"]},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    }
    outcome = {
        "type": "object",
        "properties": {
            "index": {"type": "integer"},
            "item_id": {"type": "string"},
            "outcome": {"type": "string", "enum": ["created", "updated", "unchanged", "refused"]},
            "reason": {
                "type": "string",
                "description": "Why an item was refused: unknown_person, ambiguous_person, unknown_type, "
                "type_not_in_catalogue, no_sheet, period_locked, sheet_decided, no_products, "
                "invalid_quantities, line_confirmed, counted_elsewhere.",
            },
            "message": {"type": "string"},
            "sheet_id": {"type": "integer"},
            "line_id": {"type": "integer"},
        },
    }
    batch = {
        "type": "object",
        "properties": {
            "batch_id": {"type": "integer"},
            "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
            "item_count": {"type": "integer"},
            "processed": {"type": "integer"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "items": {"type": "array", "items": outcome},
            "poll": {"type": "string", "description": "Where to read the batch while it is processed."},
        },
    }

    def body(name, description):
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + name}}},
        }

    def responses(name, description, **more):
        return {
            "200": body(name, description),
            "400": body("Error", "Invalid request"),
            "401": body("Error", "No or wrong API key"),
            "403": body("Error", "The key's user is not a client of the API"),
            **more,
        }

    page = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
        },
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        {
            "name": "unit",
            "in": "query",
            "schema": {"type": "integer"},
            "description": "A department id (with its sub-units).",
        },
        {
            "name": "company",
            "in": "query",
            "schema": {"type": "integer"},
            "description": "One of the caller's companies.",
        },
    ]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "civ_evaluation API",
            "version": API_VERSION,
            "description": (
                "Work items in from the agency's document and task systems, as the products and work of the "
                "monthly evaluation sheets (Nghị định 335/2025 art. 26.1); decided results out for the HR "
                "database and higher levels. Authentication: an Odoo API key of a technical user of the "
                "group 'Evaluation API client', as `Authorization: Bearer <key>` or `X-API-Key: <key>`."
            ),
        },
        "servers": [{"url": base_url}],
        "security": [{"bearer": []}, {"apiKey": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
            "schemas": {
                "Batch": batch,
                "BatchRequest": _openapi_schema(BATCH_SCHEMA),
                "Result": _result_schema(),
                "Results": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "next": {"type": ["string", "null"]},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
                    },
                },
                "Error": error,
            },
        },
        "paths": {
            "/products": {
                "post": {
                    "summary": "Push work items (upsert by source and item_id)",
                    "description": "Small batches are loaded at once (200, the outcome of each item); larger "
                    "ones are queued and loaded in the background in chunks (202, poll /batches/{id}).",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}
                        },
                    },
                    "responses": responses(
                        "Batch",
                        "Batch loaded",
                        **{"202": body("Batch", "Batch queued"), "413": body("Error", "Body too large")},
                    ),
                }
            },
            "/batches/{batch_id}": {
                "get": {
                    "summary": "A pushed batch: its state and the outcome of each item",
                    "parameters": [
                        {"name": "batch_id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": responses(
                        "Batch", "Batch", **{"404": body("Error", "No such batch of the caller")}
                    ),
                }
            },
            "/results": {
                "get": {
                    "summary": "Decided and locked months, or year-end results",
                    "parameters": [
                        {
                            "name": "period",
                            "in": "query",
                            "schema": {"type": "string", "pattern": PERIOD_PATTERN},
                            "description": "A month (YYYY-MM).",
                        },
                        {
                            "name": "year",
                            "in": "query",
                            "schema": {"type": "integer"},
                            "description": "With kind=year: the year.",
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["month", "year"], "default": "month"},
                        },
                        *page,
                    ],
                    "responses": responses("Results", "A page of results"),
                }
            },
        },
    }
