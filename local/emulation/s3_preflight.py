"""S3's answer to a browser's CORS preflight (OPTIONS on a bucket or object URL), as AWS gives it.

AWS never authenticates a preflight: it answers from the bucket's CORS configuration alone, with the
first rule whose AllowedOrigins, AllowedMethods and AllowedHeaders match the request's Origin,
Access-Control-Request-Method and every name in Access-Control-Request-Headers, else 403.
moto 5.2 differs where it matters to a console uploading through a pre-signed URL:
- it runs a pre-signed URL's checks before it looks at the method, so the preflight of a SigV2 URL
  signed with a Content-Type (content-type in its query) fails with 403 SignatureDoesNotMatch: a
  preflight never carries the headers of the request it asks about;
- it merges every rule instead of choosing the first that matches, ignores the requested method and
  headers, and matches origins by prefix (`https://a.example` admits `https://a.example.evil`).
"""

from __future__ import annotations

import re
from typing import Any

from moto.s3.exceptions import AccessForbidden, BadRequest, MissingBucket
from moto.s3.responses import S3Response

from .patching import original, patch

_NOT_ALLOWED = ("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
                "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
                "whitelisted by the resource's CORS spec.")


def _matches(value: str, patterns: list[str] | None, case_sensitive: bool = True) -> bool:
    """S3's wildcard: one `*` in a pattern stands for any run of characters; the rest is literal."""
    flags = 0 if case_sensitive else re.IGNORECASE
    return any(re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), value, flags)
               for pattern in patterns or [])


def _requested_headers(headers: Any) -> list[str]:
    names = headers.get("Access-Control-Request-Headers") or ""
    return [name.strip().lower() for name in names.split(",") if name.strip()]


def _first_matching_rule(bucket: Any, origin: str, method: str, requested: list[str]) -> Any:
    for rule in bucket.cors:
        if (_matches(origin, rule.allowed_origins) and method in (rule.allowed_methods or [])
                and all(_matches(name, rule.allowed_headers, case_sensitive=False) for name in requested)):
            return rule
    return None


def preflight(response: S3Response, headers: Any, bucket_name: str) -> tuple[int, dict[str, str], str]:
    """The answer S3 gives to OPTIONS: the CORS headers of the first matching rule, or an error."""
    origin, method = headers.get("Origin"), headers.get("Access-Control-Request-Method")
    if not origin:
        raise BadRequest("Insufficient information. Origin request header needed.")
    if not method:
        raise BadRequest("Invalid Access-Control-Request-Method: null")
    try:
        bucket = response.backend.get_bucket(bucket_name)
    except MissingBucket:
        raise AccessForbidden("CORSResponse: Bucket not found") from None
    if not bucket.cors:
        raise AccessForbidden("CORSResponse: CORS is not enabled for this bucket.")
    requested = _requested_headers(headers)
    rule = _first_matching_rule(bucket, origin, method, requested)
    if rule is None:
        raise AccessForbidden(_NOT_ALLOWED)
    wildcard = "*" in rule.allowed_origins
    answer = {"Access-Control-Allow-Origin": "*" if wildcard else origin,
              "Access-Control-Allow-Methods": ", ".join(rule.allowed_methods),
              "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"}
    if not wildcard:  # S3 allows credentials only to origins it names
        answer["Access-Control-Allow-Credentials"] = "true"
    if requested:  # S3 echoes the names asked for, not the rule's patterns
        answer["Access-Control-Allow-Headers"] = ", ".join(requested)
    if rule.exposed_headers:
        answer["Access-Control-Expose-Headers"] = ", ".join(rule.exposed_headers)
    if rule.max_age_seconds is not None:
        answer["Access-Control-Max-Age"] = str(rule.max_age_seconds)
    return 200, answer, ""


def _key_response(self: S3Response, request: Any, full_url: str) -> Any:
    if request.method == "OPTIONS":  # before moto's pre-signed URL checks, which a preflight cannot pass
        return preflight(self, request.headers, self.parse_bucket_name_from_url(request, full_url))
    return original(S3Response, "_key_response")(self, request, full_url)


def _bucket_response(self: S3Response, request: Any, full_url: str) -> Any:
    bucket_name = self.parse_bucket_name_from_url(request, full_url)
    # Without a bucket moto's answer stands: the server sends S3 whatever it cannot place, such as the
    # preflight of Cognito's JSON API (POST /), which moto's global CORS then answers.
    if request.method == "OPTIONS" and bucket_name:
        return preflight(self, request.headers, bucket_name)
    return original(S3Response, "_bucket_response")(self, request, full_url)


def install() -> None:
    patch(S3Response, "_key_response", _key_response)
    patch(S3Response, "_bucket_response", _bucket_response)
