"""The embedded AWS the benchmarks run in: emulation on, main account deployed, the app as its role."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import boto3

from local.aws_calls import CallCounter


@contextmanager
def embedded_aws(stack_name: str) -> Iterator[tuple[dict[str, str], CallCounter]]:
    """Yields the main stack's outputs and a counter of the app's AWS calls."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 - embedded AWS
                      AWS_DEFAULT_REGION="us-east-1",
                      POWERTOOLS_LOG_LEVEL="WARNING")
    from moto import mock_aws
    from moto.utilities.utils import load_resource

    from chalicelib import deps
    from chalicelib.aws import AwsClients
    from chalicelib.settings import environment_from_outputs, get_settings
    from local import emulation
    from local.app_identity import app_credentials
    from local.main_account import deploy_main_account

    with mock_aws():
        emulation.install(emulation.EmulationSettings(strict_cloudformation=True))
        try:
            outputs = deploy_main_account(boto3.session.Session(), stack_name=stack_name)
            os.environ.update(environment_from_outputs(outputs))
            get_settings.cache_clear()
            session = boto3.session.Session(**app_credentials())
            counter = CallCounter(session)
            deps.reset(deps.Container(aws=AwsClients(session),
                                      jwks=lambda: load_resource("cognitoidp/resources/jwks-public.json")))
            yield outputs, counter
        finally:
            emulation.uninstall()


def onboard(actor: str, index: int):
    """A hosting account with the real stack, registered (not yet checked)."""
    from chalicelib import deps
    from chalicelib.models.accounts import CreateAccount
    from local.emulation import account_credentials
    from local.hosting_account import deploy_hosting_account

    aws_id = f"{uuid.uuid4().int % 8 * 10**11 + 10**11 + index:012d}"
    hosting = deploy_hosting_account(boto3.session.Session(**account_credentials(aws_id)), "123456789012", "bench")
    return deps.container().accounts.register(actor, CreateAccount(
        name=f"bench-{index}", aws_account_id=aws_id, env_mgmt_role_arn=hosting["EnvMgmtRoleArn"],
        hosting_account_handler_role_arn=hosting["HostingAccountHandlerRoleArn"], external_id="bench"))
