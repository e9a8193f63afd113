"""The OpenAPI 3.1 document, generated from the code that answers.

Each API view is registered with `endpoint(...)`: its path, its parameters and the TypedDict it
returns (the type checker holds the view to that TypedDict). `document()` turns the registry
into OpenAPI 3.1, each TypedDict into a JSON Schema (3.1 is JSON Schema 2020-12) with every
key required and no other key allowed, so a response that drifts from its type fails the
schemathesis run in the tests. No library: django-ninja cost 101 µs a request over a plain
view, DRF 505 µs (bench/api_overhead.py, README "The API"), and plain views keep the
conditional-response machinery (articles/conditional.py) as the reader pages use it.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict, Union, get_args, get_origin, get_type_hints

API_TITLE = "Newsroom API"
API_VERSION = "1"


@dataclass(frozen=True)
class Param:
    """A path or query parameter: `schema` is its JSON Schema."""

    name: str
    where: Literal["path", "query"]
    schema: dict[str, Any]
    description: str
    required: bool = False


SLUG = Param("slug", "path", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, "The story.", True)


def number(name: str, description: str) -> Param:
    return Param(name, "path", {"type": "integer", "minimum": 0}, description, True)


@dataclass(frozen=True)
class Endpoint:
    path: str
    name: str
    summary: str
    description: str
    response: type
    params: tuple[Param, ...] = ()
    cache_control: str = ""
    # Other answers than JSON, as {status: (media type, description)}.
    other: dict[str, tuple[str, str]] = field(default_factory=dict)


ENDPOINTS: list[Endpoint] = []


def endpoint(
    path: str,
    response: type,
    *,
    params: tuple[Param, ...] = (),
    cache_control: str = "",
    other: dict[str, tuple[str, str]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view in the OpenAPI document: summary and description from its docstring."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        summary, _, description = (view.__doc__ or "").strip().partition("\n")
        ENDPOINTS.append(
            Endpoint(
                path=path,
                name=view.__name__,
                summary=summary.strip(),
                description=" ".join(description.split()),
                response=response,
                params=params,
                cache_control=cache_control,
                other=other or {},
            )
        )
        return view

    return register


class Error(TypedDict):
    """Every error: a short code (the HTTP status's phrase, e.g. "not_found") and what failed."""

    error: str
    detail: str


def document() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for spec in ENDPOINTS:
        paths[spec.path] = {"get": _operation(spec, schemas)}
    _schema(Error, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": API_TITLE,
            "version": API_VERSION,
            "description": (
                "Read-only: stories, their revisions, the structured diff of any two, and "
                "search across every version. Retracted revisions' text is never served."
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _operation(spec: Endpoint, schemas: dict[str, Any]) -> dict[str, Any]:
    headers = {
        name: {"schema": {"type": "string"}, "description": text}
        for name, text in (
            ("ETag", "Strong; send it back in If-None-Match for a 304."),
            ("Last-Modified", "When what the answer shows last changed."),
            ("Cache-Control", spec.cache_control or "How long caches may keep the answer."),
        )
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": headers,
            "content": {"application/json": {"schema": _schema(spec.response, schemas)}},
        },
        "304": {"description": "Not Modified: the ETag (or date) sent is current."},
        "400": {"description": "A parameter is malformed.", "content": error},
        "404": {"description": "No such story or revision.", "content": error},
    }
    for status, (media_type, description) in spec.other.items():
        content = error if media_type == "application/json" else {media_type: {"schema": {}}}
        if status == "200":
            responses["200"]["content"][media_type] = {"schema": {"type": "string"}}
        else:
            responses[status] = {"description": description, "content": content}
    return {
        "operationId": spec.name,
        "summary": spec.summary,
        "description": spec.description,
        "parameters": [
            {
                "name": param.name,
                "in": param.where,
                "required": param.required,
                "description": param.description,
                "schema": param.schema,
            }
            for param in spec.params
        ],
        "responses": responses,
    }


def _schema(annotation: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a type annotation; a TypedDict goes into `schemas` once, by name."""
    if annotation is str:
        return {"type": "string"}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is float:
        return {"type": "number"}
    if annotation is type(None):
        return {"type": "null"}
    if annotation is datetime:
        return {"type": "string", "format": "date-time"}
    origin = get_origin(annotation)
    if origin is Literal:
        return {"enum": list(get_args(annotation))}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema(arg, schemas) for arg in get_args(annotation)]}
    if origin in (list, tuple):
        item = get_args(annotation)[0]
        return {"type": "array", "items": _schema(item, schemas)}
    if isinstance(annotation, type) and issubclass(annotation, dict):
        name = annotation.__name__
        if name not in schemas:
            schemas[name] = {}  # a placeholder while its own fields are made
            hints = get_type_hints(annotation)
            schemas[name] = {
                "type": "object",
                "description": " ".join((annotation.__doc__ or "").split()),
                "properties": {key: _schema(hint, schemas) for key, hint in hints.items()},
                "required": sorted(getattr(annotation, "__required_keys__", hints)),
                "additionalProperties": False,
            }
        return {"$ref": f"#/components/schemas/{name}"}
    raise TypeError(f"no JSON Schema for {annotation!r}")
