"""Structured JSON logs (Powertools Logger) carrying the request id and the actor."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="research-workbench")
