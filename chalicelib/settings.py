"""Frozen settings read once from the environment; nothing else reads os.environ."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

# Each environment variable the app's functions get, from the main_account stack output that fills it:
# written into a Chalice stage by scripts/configure_stage.py, set by `make local`, tests and bench.
# DATASETS_BUCKET_NAME and PLATFORM_EVENTS_QUEUE_NAME are for the datasets and the events queue.
ENV_FROM_OUTPUT = {"APP_TABLE_NAME": "AppTableName", "AUTH_TABLE_NAME": "AuthorizationTableName",
                   "USER_POOL_ID": "UserPoolId", "USER_POOL_CLIENT_ID": "UserPoolClientId",
                   "PAGINATION_SECRET_ARN": "PaginationSecretArn", "DATASETS_BUCKET_NAME": "DatasetsBucketName",
                   "ARTIFACTS_BUCKET_NAME": "ArtifactsBucketName",
                   "PLATFORM_EVENTS_QUEUE_NAME": "PlatformEventsQueueName",
                   "ENVIRONMENT_PORTFOLIO_ID": "EnvironmentPortfolioId",
                   "LAUNCH_DOCUMENT_NAME": "LaunchEnvironmentDocumentName",
                   "TERMINATE_DOCUMENT_NAME": "TerminateEnvironmentDocumentName"}


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    app_table: str
    auth_table: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_base_url: str
    pagination_secret_arn: str
    artifacts_bucket: str
    environment_portfolio_id: str
    launch_document_name: str
    terminate_document_name: str
    platform_events_queue: str
    datasets_bucket: str
    multipart_threshold: int   # files above it upload in parts (S3 takes one PUT up to 5 GiB)
    multipart_part_size: int   # S3's minimum part is 5 MiB

    @property
    def token_issuer(self) -> str:
        # Cognito always issues the real AWS form, even when the JWKS is served elsewhere (moto).
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.jwks_base_url.rstrip('/')}/{self.user_pool_id}/.well-known/jwks.json"


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"setting {name} is missing from the environment")
    return value


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    region = _env("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    return Settings(
        stage=_env("STAGE", "dev"),
        region=region,
        app_table=_env("APP_TABLE_NAME"),
        auth_table=_env("AUTH_TABLE_NAME"),
        user_pool_id=_env("USER_POOL_ID"),
        user_pool_client_id=_env("USER_POOL_CLIENT_ID"),
        jwks_base_url=_env("JWKS_BASE_URL", f"https://cognito-idp.{region}.amazonaws.com"),
        pagination_secret_arn=_env("PAGINATION_SECRET_ARN"),
        artifacts_bucket=_env("ARTIFACTS_BUCKET_NAME", ""),
        environment_portfolio_id=_env("ENVIRONMENT_PORTFOLIO_ID", ""),
        launch_document_name=_env("LAUNCH_DOCUMENT_NAME", ""),
        terminate_document_name=_env("TERMINATE_DOCUMENT_NAME", ""),
        platform_events_queue=platform_events_queue_name(),
        datasets_bucket=_env("DATASETS_BUCKET_NAME", ""),
        multipart_threshold=int(_env("MULTIPART_THRESHOLD_BYTES", str(100 * 1024 ** 2))),
        multipart_part_size=int(_env("MULTIPART_PART_SIZE_BYTES", str(64 * 1024 ** 2))),
    )


def platform_events_queue_name() -> str:
    """Read at import by app.py too: Chalice names the queue of an SQS handler when it is declared,
    and `chalice package` imports the app without the stage's variables (deploy sets this one)."""
    return os.environ.get("PLATFORM_EVENTS_QUEUE_NAME", "rsw-dev-platform-events")


def user_pool_arn() -> str:
    """The pool the edge authorizer trusts, read at import like the queue name (Chalice writes it into
    the API definition when `chalice package` runs: export USER_POOL_ARN when packaging a stage)."""
    return os.environ.get("USER_POOL_ARN", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_unset")


def console_origin() -> str:
    """The one origin the API's CORS allows (the console's). Read at import like the queue name:
    Chalice fixes a route's CORS when the route is declared, and `chalice package` writes it into the
    gateway's preflight answers, so export it when packaging too. The default is the local console's
    (`make local`), never `*`; the dev/prod stages hold https://console.invalid (no browser origin)
    until the console stack's ConsoleOrigin output replaces it."""
    return os.environ.get("CONSOLE_ORIGIN", "http://127.0.0.1:8080")


def environment_from_outputs(outputs: dict[str, str]) -> dict[str, str]:
    """The app's environment variables from the main_account stack's outputs; ValueError names any missing."""
    missing = sorted(o for o in ENV_FROM_OUTPUT.values() if o not in outputs)
    if missing:
        raise ValueError(f"the stack lacks outputs {missing}: is it the main_account template?")
    return {env: outputs[output] for env, output in ENV_FROM_OUTPUT.items()}
