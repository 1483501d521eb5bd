"""Embedded-AWS extensions to moto: what our app needs that moto 5.2 lacks.

One call, `install(settings)`, patches moto's backends and response classes in this process, so
the emulation serves both `moto.mock_aws` and a `ThreadedMotoServer` started in the same process.
It emulates AWS only and knows nothing of the app. `uninstall()` gives moto back as it was.
"""

from __future__ import annotations

from . import (
    cfn_cognito,
    cfn_dynamodb,
    cfn_ec2,
    cfn_kms,
    cfn_registry,
    cfn_s3,
    cfn_secretsmanager,
    cfn_servicecatalog,
    cfn_sqs,
    cfn_ssm,
    cfn_stacks,
    cfn_strict,
    dynamodb_atomic,
    events,
    patching,
    s3_events,
    s3_preflight,
    sagemaker,
    servicecatalog,
    ssm_automation,
    sts_trust,
)
from . import settings as _settings
from .accounts import account_credentials
from .runtime import wait_idle
from .sagemaker import lookup_notebook_token
from .settings import EmulationSettings

__all__ = [
    "EmulationSettings",
    "account_credentials",
    "current_settings",
    "install",
    "installed_settings",
    "lookup_notebook_token",
    "uninstall",
    "wait_idle",
]


def install(settings: EmulationSettings | None = None) -> EmulationSettings:
    """Patch moto (idempotent: calling it again only replaces the settings)."""
    applied = settings or EmulationSettings()
    _settings.apply(applied)
    sts_trust.install()
    dynamodb_atomic.install()
    ssm_automation.install()
    servicecatalog.install()
    sagemaker.install()
    events.install()
    s3_events.install()
    s3_preflight.install()
    cfn_kms.install()
    # CloudFormation: the resource types our templates use, as AWS creates them.
    cfn_registry.install()
    cfn_stacks.install()
    cfn_strict.install()
    for module in (cfn_cognito, cfn_secretsmanager, cfn_s3, cfn_sqs, cfn_dynamodb, cfn_ssm, cfn_servicecatalog,
                   cfn_ec2):
        module.install()
    return applied


def uninstall() -> None:
    """Undo every patch (after wait_idle(), so no background work still needs them)."""
    patching.restore_all()
    _settings.apply(EmulationSettings())


def installed_settings() -> EmulationSettings | None:
    """The settings in force, or None when the emulation is not installed."""
    return _settings.current() if patching.active() else None


def current_settings() -> EmulationSettings:
    return _settings.current()
