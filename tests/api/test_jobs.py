"""The functions that are not HTTP routes, invoked as Lambda invokes them."""

from __future__ import annotations

import pytest

from chalicelib.errors import InvalidState


@pytest.fixture
def lambda_client(app):
    from chalice.test import Client
    with Client(app) as client:
        yield client


def test_the_account_schedule_brings_a_pending_account_to_current(lambda_client, app, stack, onboard, api, admin):
    from chalicelib import deps
    from tests.api.environment_world import EventPump
    account, _ = onboard(check=False)
    assert account.status == "PENDING"
    event = lambda_client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                   resources=[])
    lambda_client.lambda_.invoke("check_accounts", event)  # only enqueues one check per account...
    assert deps.container().accounts.get(account.id).status == "PENDING"
    EventPump(app, stack).drain()  # ... which the platform-events handler runs
    checked = deps.container().accounts.get(account.id)
    assert checked.status == "CURRENT", checked.status_reason
    assert {c.name for c in checked.checks} >= {"documentsShared", "portfolioShared", "eventForwarding"}


def test_the_catalog_schedule_imports_a_product_with_any_name(lambda_client, stack):
    from pathlib import Path

    import boto3

    from chalicelib import deps
    from chalicelib.repositories.environment_types import environment_type_id
    from scripts.publish_catalog import publish_product, upload_template

    template = Path(__file__).resolve().parents[2] / "catalog" / "sagemaker-notebook.yaml"
    url, version = upload_template(boto3.client("s3"), stack["ArtifactsBucketName"], "us-east-1", template)
    product_id, artifact_id = publish_product(boto3.client("servicecatalog"), stack["EnvironmentPortfolioId"],
                                              "Notebook (GPU) v2!", url, version, "rsw-launch-constraint")
    event = lambda_client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                   resources=[])
    lambda_client.lambda_.invoke("sync_environment_types", event)
    imported = deps.container().environment_types.get(environment_type_id(product_id, artifact_id))
    assert imported.status == "NOT_APPROVED" and imported.name.startswith("Notebook -GPU- v2-")


def test_bootstrap_refuses_once_the_workbench_has_users(app, admin):
    with pytest.raises(InvalidState) as refused:
        app.handler_map["bootstrap_admin"]({"firstName": "Eve", "lastName": "Late", "email": "eve@example.org"}, None)
    assert refused.value.code == "ALREADY_BOOTSTRAPPED"


def test_bootstrap_rejects_a_malformed_request(app):
    import pydantic
    with pytest.raises(pydantic.ValidationError):
        app.handler_map["bootstrap_admin"]({"firstName": "Eve", "email": "not-an-email", "roles": ["Root"]}, None)
