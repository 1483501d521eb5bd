"""Bounded parsing of everything a request carries: body, query values, path ids and headers.

Every value is checked for length and encoding before it reaches a parser, a signature check or
DynamoDB, so no input can make those raise (int() on 4,000 digits, compare_digest on non-ASCII,
json.loads on 1,000 nested brackets, Decimal on 39 digits, a lone surrogate in boto3's JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from ..errors import ContentTooLarge, InvalidInput, NotFound, UnsupportedMediaType

MAX_BODY_BYTES = 256 * 1024     # our largest body (a configuration's params) is a few KiB
MAX_DEPTH = 32                  # deeper than any of our models; json's C scanner recurses per level
MAX_QUERY_VALUE = 2048          # a pagination token is ~200 characters, a name filter 112
MAX_HEADER_VALUE = 8192         # a Cognito access token is ~1 KiB; API Gateway itself caps at 10 KiB
MAX_ETAG_DIGITS = 15            # versions are counters; DynamoDB numbers hold 38 digits, int64 18
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")  # prefixed UUIDs, Cognito subs
# Ids minted by AWS rather than by us: S3 multipart upload ids are long and use . _ too.
ID_PATTERNS = {"upload_id": re.compile(r"[A-Za-z0-9._~-]{1,1024}")}
JSON_TYPES = ("application/json", "application/merge-patch+json")


def field_error(field: str, message: str, detail: str | None = None, **kwargs: Any) -> InvalidInput:
    return InvalidInput(detail or f"{field}: {message}", errors=[{"field": field, "message": message}], **kwargs)


def encodable(text: str) -> bool:
    """False for lone surrogates ("\\ud800" in JSON), which no UTF-8 serializer downstream accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_body(raw: bytes | str | None, content_type: str | None) -> dict[str, Any]:
    """The one body parser: a JSON object of bounded size and depth, with UTF-8-safe strings."""
    raw = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else (raw or b"")
    if not raw.strip():
        return {}
    if not _is_json(content_type):
        raise UnsupportedMediaType(f"send the body as JSON (Content-Type: application/json), not "
                                   f"{(content_type or '')[:100]!r}", hint="Set Content-Type: application/json.")
    if len(raw) > MAX_BODY_BYTES:
        raise ContentTooLarge(f"the body is larger than {MAX_BODY_BYTES // 1024} KiB")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        reason = "it is nested too deeply" if isinstance(error, RecursionError) else str(error)[:200]
        raise InvalidInput(f"the body is not valid JSON: {reason}", code="MALFORMED_JSON") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object", code="MALFORMED_JSON")
    _check_tree(data)
    return data


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "application/json").split(";")[0].strip().lower()
    return media in JSON_TYPES


def _check_tree(data: Any) -> None:
    """Depth and string checks without recursion (the input decides how deep it goes)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(f"the body is nested more than {MAX_DEPTH} levels deep", code="MALFORMED_JSON")
        if isinstance(value, dict):
            for key, item in value.items():
                if not encodable(key):
                    raise InvalidInput("the body has a field name that is not valid Unicode", code="MALFORMED_JSON")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not encodable(value):
            raise InvalidInput("the body has a string that is not valid Unicode (a lone surrogate)",
                               code="MALFORMED_JSON")


def query_values(given: Mapping[str, str] | None) -> dict[str, str]:
    query = dict(given or {})
    for name, value in query.items():
        if len(name) > 64 or len(value) > MAX_QUERY_VALUE or not (encodable(name) and encodable(value)):
            raise field_error(name[:64], f"at most {MAX_QUERY_VALUE} characters of valid Unicode")
    return query


def page_size(value: str | None) -> int:
    size = value if value is not None else "50"
    if not (size.isascii() and size.isdecimal() and len(size) <= 3 and 1 <= int(size) <= 100):
        raise field_error("pageSize", "must be a whole number from 1 to 100",
                          "pageSize must be a whole number from 1 to 100")
    return int(size)


def pagination_token(value: str | None) -> str | None:
    """Tokens we issue are URL-safe base64 of a nonce, a ciphertext and a tag; nothing else can be ours."""
    if value and not re.fullmatch(r"[A-Za-z0-9_\-]{38,2048}", value):
        raise InvalidInput("paginationToken is malformed, expired or belongs to another list",
                           code="INVALID_PAGINATION_TOKEN",
                           hint="Repeat the request without paginationToken to start from the first page.")
    return value or None


def if_match(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text or text == "*":
        return None
    digits = text.removeprefix("W/").strip('"')
    if not (digits.isascii() and digits.isdecimal() and len(digits) <= MAX_ETAG_DIGITS):
        raise field_error("If-Match", "not an etag", "If-Match must be an etag this API returned, e.g. \"3\"")
    return int(digits)


def idempotency_key(value: str) -> str:
    if not 1 <= len(value) <= 64 or not value.isascii() or not value.isprintable():
        raise field_error("Idempotency-Key", "1..64 printable ASCII characters",
                          "Idempotency-Key must be 1 to 64 printable ASCII characters")
    return value


def path_ids(params: dict[str, str]) -> dict[str, str]:
    """Path ids decoded once; one that cannot be any id of ours is simply not found."""
    decoded = {}
    for name, raw in params.items():
        value = unquote(raw, errors="replace")
        if not ID_PATTERNS.get(name, ID_PATTERN).fullmatch(value):
            shown = value[:40] + ("…" if len(value) > 40 else "")
            raise NotFound(f"no {name.removesuffix('_id').replace('_', ' ')} has the id {shown!r}",
                           code="NOT_FOUND")
        decoded[name] = value
    return decoded


def header(headers: Any, name: str) -> str | None:
    value = headers.get(name)
    if value is not None and (len(value) > MAX_HEADER_VALUE or not encodable(value)):
        raise field_error(name, f"at most {MAX_HEADER_VALUE} characters", f"the {name} header is too long")
    return value
