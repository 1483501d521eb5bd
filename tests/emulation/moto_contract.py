"""What the emulation needs of moto's internals, and a check that the installed moto still has it."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

EMULATION = Path(__file__).resolve().parents[2] / "local" / "emulation"
UPGRADED = "moto was upgraded past 5.2.x; the emulation must be updated"

# What the emulation reads or calls in moto besides what it patches (patching.patched() lists
# those) and the names it imports (read from its source): "owner": ("attribute", ...). An owner is a
# module or a class; "name(a, b)" must accept the keyword arguments a and b (the emulation passes
# them by name); an instance attribute is found where one of the class's moto bases assigns it.
READS: dict[str, tuple[str, ...]] = {
    "moto.cloudformation.parsing": (
        "NULL_MODELS", "get_model_list.cache_clear", "get_model_map.cache_clear", "get_name_type_map.cache_clear"),
    "moto.cloudformation.parsing.ResourceMap": (
        "_template", "_parsed_resources", "resources", "resolved_parameters", "input_parameters", "__getitem__",
        "delete"),
    "moto.cloudformation.models.Stack": (
        "_add_stack_event(resource_status_reason)", "resource_map", "status", "outputs", "stack_id", "tags", "name",
        "parse_template"),
    "moto.cloudformation.models.CloudFormationBackend": (
        "stacks", "create_stack(name, template, parameters, tags, role_arn)", "update_stack(template)",
        "create_change_set(template)", "delete_stack"),
    "moto.cloudformation.utils": ("get_stack_from_s3_url(account_id, partition)",),
    "moto.core.common_models.CloudFormationModel": (
        "cloudformation_type", "cloudformation_name_type", "has_cfn_attr", "create_from_cloudformation_json",
        "update_from_cloudformation_json"),
    "moto.core.models": ("botocore_stubber.enabled",),
    "moto.core.responses.BaseResponse": (
        "dispatch", "call_action", "_get_param", "get_access_key", "current_account", "region", "partition",
        "headers", "body"),
    "moto.dynamodb.models.DynamoDBBackend": ("tables", "update_time_to_live", "update_continuous_backups"),
    "moto.dynamodb.models.table.Table": (
        "name", "items", "stream_shard", "sse_specification", "deletion_protection_enabled"),
    "moto.dynamodb.models.table.StreamShard": ("items",),
    "moto.ssm.models.SimpleSystemManagerBackend": ("_documents", "_get_documents"),
    "moto.ssm.models.Documents": ("permissions", "find(strict)"),
    "moto.ssm.models.Document": ("content_json", "document_type", "document_version"),
    "moto.sagemaker.models.SageMakerModelBackend": (
        "notebook_instances", "get_notebook_instance",
        "create_notebook_instance(notebook_instance_name, instance_type, role_arn, subnet_id, security_group_ids,"
        " kms_key_id, tags, lifecycle_config_name, direct_internet_access, volume_size_in_gb, accelerator_types,"
        " default_code_repository, additional_code_repositories, root_access)"),
    "moto.sagemaker.models.FakeSagemakerNotebookInstance": (
        "arn", "status", "notebook_instance_name", "instance_type", "role_arn", "creation_time", "last_modified_time",
        "tags"),
    "moto.s3.responses.S3Response": ("backend", "parse_bucket_name_from_url"),
    "moto.s3.models.S3Backend": ("get_bucket",),
    "moto.s3.models.FakeBucket": ("cors",),
    "moto.s3.models.CorsRule": (
        "allowed_methods", "allowed_origins", "allowed_headers", "exposed_headers", "max_age_seconds"),
    "moto.events.models.EventsBackend": ("describe_event_bus", "put_events"),
    "moto.events.models.EventBus": ("rules",),
    "moto.events.models.Rule": ("targets", "event_pattern"),
    "moto.events.models.EventPattern": ("matches_event",),
    "moto.sts.models.STSBackend": (
        "get_assumed_role_from_access_key",
        "assume_role(region_name, role_session_name, role_arn, policy, duration, external_id)"),
    "moto.iam.models.IAMBackend": ("get_user_from_access_key_id", "create_temp_access_key", "get_roles"),
    "moto.iam.models.Role": ("name", "assume_role_policy_document"),
    "moto.servicecatalog.models.ServiceCatalogBackend": (
        "portfolios", "products", "portfolio_access", "delete_portfolio",
        "create_portfolio(accept_language, display_name, description, provider_name, tags, idempotency_token)"),
    "moto.servicecatalog.models.Product": ("id", "arn", "name", "account_id", "created_time", "tags", "to_dict"),
    "moto.servicecatalog.models.Portfolio": ("display_name",),
    "moto.secretsmanager.models.SecretsManagerBackend": (
        "secrets",
        "create_secret(name, secret_string, secret_binary, description, tags, kms_key_id, client_request_token,"
        " replica_regions, force_overwrite)",
        "put_secret_value(secret_id, secret_string, secret_binary, client_request_token, version_stages)",
        "delete_secret(recovery_window_in_days, force_delete_without_recovery)"),
    "moto.cognitoidp.models.CognitoIdpBackend": (
        "create_user_pool", "update_user_pool", "delete_user_pool", "create_user_pool_client",
        "update_user_pool_client", "delete_user_pool_client", "create_group", "update_group", "delete_group"),
    "moto.cognitoidp.models.CognitoIdpUserPool": ("id", "arn", "name", "extended_config"),
    "moto.cognitoidp.models.CognitoIdpUserPoolClient": (
        "id", "user_pool_id", "generate_secret", "secret", "extended_config"),
    "moto.ec2.models.EC2Backend": ("subnet_associations", "associate_route_table", "disassociate_route_table"),
    "moto.ec2.models.subnets.SubnetRouteTableAssociation": ("route_table_id", "subnet_id"),
    "moto.kms.models.KmsBackend": ("describe_key",),
    "moto.sqs.models.SQSBackend": ("get_queue",),
}


def missing_imports() -> list[str]:
    """Every `from moto... import name` in the emulation's source that the installed moto lacks."""
    wanted = set()
    for path in sorted(EMULATION.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "moto":
                wanted.update((node.module, alias.name) for alias in node.names)
    return [f"{module}.{name} (imported)" for module, name in sorted(wanted) if not _importable(module, name)]


def _importable(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name) or bool(importlib.import_module(f"{module}.{name}"))
    except ImportError:
        return False


def missing_reads(reads: dict[str, tuple[str, ...]] = READS) -> list[str]:
    """Every READS entry the installed moto lacks (run against moto as it is, without the emulation)."""
    missing = []
    for where, attributes in reads.items():
        owner = _resolve(where)
        missing += [f"{where}.{a} (read)" for a in attributes if owner is None or not _has(owner, a)]
    return missing


def patch_breaches(entries: Iterable[Any]) -> list[str]:
    """patching.patched() entries whose expectation moto no longer meets."""
    found = []
    for entry in entries:
        where = f"{getattr(entry.owner, '__module__', '')}.{getattr(entry.owner, '__qualname__', entry.owner)}"
        if entry.added and entry.found:
            found.append(f"{where.lstrip('.')}.{entry.name} (added by the emulation: moto now defines it)")
        elif not entry.added and not entry.found:
            found.append(f"{where.lstrip('.')}.{entry.name} (replaced or wrapped by the emulation)")
    return found


def report(missing: list[str]) -> str:
    return f"moto {version('moto')}: {UPGRADED}. Not as the emulation expects:\n  " + "\n  ".join(missing)


def _resolve(dotted: str) -> Any:
    """The module, or the object inside the longest importable module prefix, or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            owner = getattr(owner, part, None)
        return owner
    return None


def _has(owner: Any, attribute: str) -> bool:
    name, _, params = attribute.partition("(")
    *path, last = name.split(".")
    for part in path:
        owner = getattr(owner, part, None)
    if owner is None:
        return False
    if not hasattr(owner, last):
        return not params and inspect.isclass(owner) and _assigned_on_instances(owner, last)
    return _accepts(_unwrapped(owner, last), [p.strip() for p in params.rstrip(")").split(",") if p.strip()])


def _unwrapped(owner: Any, name: str) -> Any:
    """moto's own attribute: when the emulation is installed (earlier tests in the same session), its
    wrapper takes **kwargs and would hide a keyword moto dropped."""
    from local.emulation import patching
    try:
        return patching.original(owner, name)
    except (KeyError, AttributeError):
        return getattr(owner, name)


def _assigned_on_instances(cls: type, name: str) -> bool:
    assignment = re.compile(rf"\bself\.{re.escape(name)}\s*(:[^=]+)?=(?!=)")  # annotations may span lines
    for base in cls.__mro__:
        if base.__module__.startswith("moto.") and assignment.search(inspect.getsource(base)):
            return True
    return False


def _accepts(function: Any, keywords: list[str]) -> bool:
    if not keywords:
        return True
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return True
    return all(keyword in parameters for keyword in keywords)
