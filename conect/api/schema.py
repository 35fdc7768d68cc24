"""The OpenAPI schema's shared parts: the introduction (authentication, rate limits,
pagination, formats, conditional requests, errors), the token security scheme and the
error answers every operation can give, all translated."""

from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .throttling import ANONYMOUS, AUTHENTICATED

API_DESCRIPTION = _(
    """Open data of CONECT, the civic registry of Romania's General Secretariat of the \
Government: NGOs, public institutions, relationship officials, advisory structures, \
development regions, counties, domains of activity and the national map's statistics.

## Authentication and rate limits
Reading needs no account: anonymous clients may send %(anonymous)s from each IP \
address. With a personal API token (create one in your profile, under “API tokens”) the \
limit is %(authenticated)s for each account. Send the token in the Authorization \
header: `Authorization: Token <key>` (or `Bearer <key>`). Every answer says the limit and \
what is left (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`); past the \
limit the answer is 429 with `Retry-After` (seconds).

Writing (updating an organisation's profile) needs a token of one of the organisation's \
administrators.

## Pagination
Large lists are paginated by page number (`?page=2&page_size=100`, at most 100 a page, \
with the total `count`). To download a whole list, use a cursor: ask for \
`?pagination=cursor` (up to `page_size=1000`) and follow `next` until it is null; records \
then come ordered by id and every page is as fast as the first.

## Incremental synchronisation
Filter by `updated_since` (ISO 8601) to fetch only the records changed since your last \
download. Records removed from public view (a suspended organisation, an official who \
withdrew) stop appearing: compare ids to find them.

## Formats
JSON by default. CSV with `?format=csv` or `Accept: text/csv`: a list comes whole, \
streamed, one row per record. Regions and counties also in GeoJSON (`?format=geojson` or \
`Accept: application/geo+json`), with their boundaries and counts.

## Conditional requests
Every answer carries an `ETag`; a single organisation, institution or official also \
`Last-Modified`. Send the ETag back in `If-None-Match` (or the date in \
`If-Modified-Since`): when nothing changed the answer is 304 Not Modified, without a \
body, and costs little.

## Languages
Send `Accept-Language: ro` or `en`: names of domains, labels and error messages come in \
that language (Romanian by default).

## Errors
Every error has the same shape: `{"error": {"code", "message", "details"}}`. `code` is \
stable (for programs), `message` is meant for people and translated, `details` lists \
each invalid field with its messages, or `retry_after` for 429."""
)

ERROR_DESCRIPTIONS = {
    "400": _(
        "Invalid request: a filter, a parameter or a field has a wrong value (see error.details)."
    ),
    "401": _("Authentication needed, or the API token is not valid or has been revoked."),
    "403": _("You are authenticated but may not do this."),
    "404": _("Not found, or not public."),
    "406": _("The format asked for (Accept or ?format) is not available here."),
    "415": _("The request body is not JSON."),
    "429": _("Too many requests: wait the number of seconds in Retry-After."),
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": str(_("A stable code for programs, e.g. not_found.")),
                    "example": "not_found",
                },
                "message": {
                    "type": "string",
                    "description": str(_("What went wrong, in the language of the request.")),
                },
                "details": {
                    "type": "object",
                    "nullable": True,
                    "additionalProperties": True,
                    "description": str(
                        _(
                            "For invalid data, each field with a list of {message, code}; "
                            "for 429, retry_after in seconds; otherwise null."
                        )
                    ),
                },
            },
        }
    },
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "conect.api.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A personal API token from your profile. Send “Authorization: Token "
                    "<key>” or “Authorization: Bearer <key>”."
                )
            ),
        }


PERIODS = {"s": _("second"), "m": _("minute"), "h": _("hour"), "d": _("day")}


def _rate(scope: str) -> str:
    """A rate such as "60/min" in words: "60 requests per minute"."""
    from rest_framework.settings import api_settings

    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if not rate:
        return str(_("any number of requests"))
    count, period = rate.split("/")
    return ngettext(
        "%(count)s request per %(period)s", "%(count)s requests per %(period)s", int(count)
    ) % {"count": count, "period": PERIODS.get(period[:1], period)}


def _errors_for(method: str, path: str) -> list[str]:
    # 404 on every operation: a record not found or not public, but also a page number
    # out of range (?page=0, past the end) and a format that does not exist (?format=).
    codes = ["400", "401", "404", "406", "429"]
    if method in ("patch", "put", "post", "delete"):
        codes += ["403", "415"]
    return sorted(set(codes))


# Filters by a record's id: an id that names nothing finds nothing (conect.api.filters).
ID_PARAMETERS = {"institution", "consultation", "organisation"}


def _unwrap_feature_collection(operation: dict) -> None:
    """drf-spectacular puts a list action's answer in an array; the GeoJSON answer of a
    list is one FeatureCollection object."""
    content = operation["responses"].get("200", {}).get("content", {})
    schema = content.get("application/geo+json", {}).get("schema", {})
    if schema.get("type") == "array" and "FeatureCollection" in str(schema.get("items")):
        content["application/geo+json"]["schema"] = schema["items"]


def _reference_codes() -> dict[str, list[str]]:
    """The values that the region, county and domain filters take: the codes and slugs
    that /regions/, /counties/ and /domains/ list (the active domains), or empty for no
    filter. Any other value is refused with 400, so the schema says which are valid."""
    from registry.models import County, Domain, Region

    try:
        return _read_reference_codes(Region, County, Domain)
    except DatabaseError:
        # `manage.py spectacular` without a database: the parameters stay free strings.
        return {}


def _read_reference_codes(Region, County, Domain) -> dict[str, list[str]]:
    codes = {
        "region": [*Region.objects.order_by("code").values_list("code", flat=True), ""],
        "county": [*County.objects.order_by("code").values_list("code", flat=True), ""],
        "domain": [
            *Domain.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True),
            "",
        ],
    }
    codes["works_in"] = codes["county"]  # issue 18: a county's code too
    return codes


FORMAT_DESCRIPTION = _(
    "The format of the answer: json (the default) or csv (a list comes whole, streamed, "
    "one row per record). The Accept header does the same."
)


# Descriptions of the parameters that several collections share, for those whose filter
# gives none (the web filters have labels for their forms, not sentences for the API).
COMMON_PARAMETERS = {
    "format": FORMAT_DESCRIPTION,
    "q": _("Words to search for, regardless of diacritics and case."),
    "region": _("NUTS-2 code of the development region, e.g. RO11."),
    "county": _("NUTS-3 code of the county, e.g. RO113."),
    "domain": _("Identifier (slug) of a domain of activity, e.g. education."),
    "institution": _("The institution's id."),
    "works_in": _(
        "NUTS-3 code of a county, e.g. RO113: the organisations that work there, including "
        "those that work in its region or nationally."
    ),
}


def postprocess_schema(result, generator, request, public):
    """Translate the introduction, describe the error shape and add the error answers to
    every operation (a hook in SPECTACULAR_SETTINGS)."""
    result["info"]["description"] = str(API_DESCRIPTION) % {
        "anonymous": _rate(ANONYMOUS),
        "authenticated": _rate(AUTHENTICATED),
    }
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        **ERROR_SCHEMA,
        "description": str(_("The shape of every error answer.")),
    }
    references = _reference_codes()
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if method == "get" and {} not in operation.get("security", [{}]):
                # Every read is public: a token only raises the rate limit.
                operation["security"].append({})
            for parameter in operation.get("parameters", []):
                name = parameter.get("name")
                common = COMMON_PARAMETERS.get(name)
                if common and not parameter.get("description"):
                    parameter["description"] = str(common)
                if parameter.get("in") != "query":
                    continue
                if name in references:
                    parameter["schema"] = {"type": "string", "enum": references[name]}
                elif "enum" in parameter.get("schema", {}):
                    # A choice left empty (?format=, ?level=) chooses nothing: the default.
                    if "" not in parameter["schema"]["enum"]:
                        parameter["schema"]["enum"].append("")
                elif name in ID_PARAMETERS:
                    parameter["schema"] = {"type": "integer"}
                elif parameter.get("schema", {}).get("format") in ("date", "date-time"):
                    # A date filter left empty filters nothing, as in the web forms.
                    parameter["schema"] = {
                        "anyOf": [
                            {"type": "string", "format": parameter["schema"]["format"]},
                            {"type": "string", "maxLength": 0},
                        ]
                    }
            _unwrap_feature_collection(operation)
            for code in _errors_for(method, path):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": str(ERROR_DESCRIPTIONS[code]),
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
