"""What `make deploy DRY_RUN=1` proves without AWS: sample outputs, the settings the app reads, lint.

The sample outputs stand in for the main_account stack's (one per Output the chosen entry point
creates), so the stage configuration and the package are built exactly as a deployment builds them.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = ("main_account", "hosting_account", "catalog", "console")
SETTINGS = ROOT / "chalicelib" / "settings.py"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
# Read by settings.py but rightly absent from a stage: Lambda sets the region itself, and the JWKS
# base URL defaults to Cognito's real one (only `make local` points it at the embedded AWS).
PROVIDED_OR_DEFAULTED = {"AWS_REGION": "set by Lambda", "AWS_DEFAULT_REGION": "set by Lambda",
                         "JWKS_BASE_URL": "defaults to https://cognito-idp.<region>.amazonaws.com",
                         "MULTIPART_THRESHOLD_BYTES": "a tuning knob whose default is the deployed value",
                         "MULTIPART_PART_SIZE_BYTES": "a tuning knob whose default is the deployed value"}
# checkov findings on the Chalice-generated package, each accepted for the reason given (they cannot
# be set per resource: chalice generates the resources, so no Metadata skip can be attached).
PACKAGE_SKIPS = {
    "CKV_AWS_115": "no reserved concurrency: it is carved out of the account's pool and would cap the API; "
                   "API Gateway's stage throttling bounds the load",
    "CKV_AWS_116": "no Lambda DLQ: the API and bootstrap_admin are invoked synchronously, platform_events "
                   "is SQS-driven (the queue has its own DLQ), the scheduled functions are idempotent and "
                   "re-run on their next schedule",
    "CKV_AWS_117": "functions outside a VPC: they call AWS APIs only; the entry point is the API "
                   "(private behind the BYON endpoint when chosen)",
    "CKV_AWS_173": "environment variables hold resource names and ids only, encrypted at rest with "
                   "Lambda's key; the pagination secret is read from Secrets Manager",
    "CKV_AWS_120": "no API cache: every response depends on the caller's token and memberships",
    "CKV_AWS_76": "stage access logs need the account-wide API Gateway CloudWatch role "
                  "(AWS::ApiGateway::Account), an account baseline setting this app must not override",
}


class _IgnoreTags(yaml.SafeLoader):
    """CloudFormation YAML read for its structure only; intrinsic functions become None."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def template_outputs(path: Path) -> dict[str, dict[str, Any]]:
    return yaml.load(path.read_text(), Loader=_IgnoreTags)["Outputs"]  # noqa: S506 - a SafeLoader


def entry_point_conditions(byon: dict[str, str | None]) -> dict[str, bool]:
    """main_account's BYON Conditions for these parameters (mirrors its Conditions section)."""
    vpc = bool(byon.get("VpcId"))
    load_balancer = vpc and (byon.get("LoadBalancer") or "none") != "none"
    return {"Byon": vpc, "CreateApiEndpoint": vpc and not byon.get("ApiVpcEndpointId"),
            "WithLoadBalancer": load_balancer}


def sample_outputs(stage: str, byon: dict[str, str | None], region: str = "us-east-1") -> dict[str, str]:
    """One plausible value per output the stack would have for these parameters."""
    stack = f"rsw-{stage}"
    conditions = entry_point_conditions(byon)
    samples = {
        "PlatformEventsQueueName": f"{stack}-platform-events",
        "UserPoolId": f"{region}_Sample0001", "EnvironmentPortfolioId": "port-sample0000001",
        "ApiVpcEndpointId": byon.get("ApiVpcEndpointId") or "vpce-0a1b2c3d4e5f60718",
        "ApiDomainName": byon.get("DomainName") or "", "ApiCertificateArn": byon.get("CertificateArn") or "",
        "LoadBalancerDnsName": f"internal-{stack}-0123456789.{region}.elb.amazonaws.com",
    }
    outputs = {}
    for key, output in template_outputs(ROOT / "main_account" / "template.yaml").items():
        if "Condition" in output and not conditions.get(output["Condition"], False):
            continue
        outputs[key] = samples.get(key) or f"{stack}-sample-{key}"
    return outputs


def settings_read(path: Path = SETTINGS) -> dict[str, bool]:
    """Every environment variable settings.py reads: {name: has a default}."""
    read: dict[str, bool] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        function = ast.unparse(node.func)
        if function in ("_env", "os.environ.get", "os.getenv") and isinstance(node.args[0].value, str):
            read[node.args[0].value] = len(node.args) > 1
    return read


def environment_problems(config: dict[str, Any], stage: str) -> list[str]:
    """A variable the app reads that the stage does not set (or sets to a placeholder)."""
    environment = {**config.get("environment_variables", {}),
                   **config["stages"][stage].get("environment_variables", {})}
    found = []
    for name in sorted(settings_read()):
        if name in PROVIDED_OR_DEFAULTED:
            continue
        value = environment.get(name)
        if not value:
            found.append(f"{name} is read by chalicelib/settings.py but the stage does not set it")
        elif value.startswith("<"):
            found.append(f"{name} is still the placeholder {value!r}")
    return found


def static_templates() -> list[Path]:
    """Every CloudFormation template of the repository (console/ once it exists)."""
    return sorted(p for d in TEMPLATE_DIRS for ext in ("yaml", "yml") for p in (ROOT / d).glob(f"*.{ext}"))


def checkov_copy(sam: Path) -> Path:
    """The package for checkov with the API's paths cut to one: checkov takes ~30 s over the ~40
    generated routes, has no check that reads an OpenAPI path, and cfn-lint reads them whole."""
    template = json.loads(sam.read_text())
    body = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    body["paths"] = dict(list(body["paths"].items())[:1])
    copy = sam.with_name("sam-for-checkov.json")
    copy.write_text(json.dumps(template, indent=1))
    return copy


def lint(templates: list[Path], packages: list[Path], say: Any = print) -> list[str]:
    """cfn-lint over everything, checkov over every template (package skips as PACKAGE_SKIPS says)."""
    found = []
    run = subprocess.run([str(CFN_LINT), *map(str, templates + packages)],  # noqa: S603
                         capture_output=True, text=True, check=False)
    say(f"    cfn-lint: {len(templates) + len(packages)} file(s), {'clean' if run.returncode == 0 else 'FAILED'}")
    if run.returncode:
        found.append(f"cfn-lint:\n{run.stdout}{run.stderr}")
    if not CHECKOV.exists():
        return [*found, f"checkov is not installed at {CHECKOV}: run `make lint` once"]
    for group, skips in ((templates, {}), ([checkov_copy(p) for p in packages], PACKAGE_SKIPS)):
        if not group:
            continue
        args = [str(CHECKOV), "--framework", "cloudformation", "--quiet", "--compact", "--skip-download"]
        args += ["--skip-check", ",".join(skips)] if skips else []
        run = subprocess.run([*args, *(a for p in group for a in ("-f", str(p)))],  # noqa: S603
                             capture_output=True, text=True, check=False)
        say(f"    checkov: {len(group)} {'packages' if skips else 'templates'}, "
            f"{'clean' if run.returncode == 0 else 'FAILED'}")
        if run.returncode:
            found.append(f"checkov:\n{run.stdout}{run.stderr}")
    return found
