"""Publishes catalog/ to the main account: environment types as Service Catalog products.

    python -m scripts.publish_catalog --stack rsw-dev [--stage dev] [--namespace rsw]

Run it after deploying main_account/ (and again whenever catalog/ changes). It uploads
catalog/environment-files/** (the notebooks' bootstrap scripts) under `environment-files/` of the
artifacts bucket, hosting_account/template.yaml as `onboarding/hosting-account.yaml` (the
workbench links IT admins to it), and each catalog/<name>.yaml under
`catalog/<name>/<sha256[:12]>.yaml`. A new
template becomes product <name> in the environment portfolio, tagged Stage=<stage> (--stage, or
<stage> of a stack named rsw-<stage>), with a LAUNCH constraint naming the
hosting accounts' launch role by name (each hosting account resolves its own copy); a changed
template becomes a new provisioning artifact (version) of that product; an unchanged one changes
nothing. The workbench then imports the versions as environment types (NOT_APPROVED).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "catalog"
HOSTING_TEMPLATE = ROOT / "hosting_account" / "template.yaml"
FILES_PREFIX = "environment-files/"
ONBOARDING_KEY = "onboarding/hosting-account.yaml"
OWNER = "Research Service Workbench"


def publish(session: boto3.session.Session, outputs: dict[str, str], catalog_dir: Path = Path("catalog"),
            namespace: str = "rsw", hosting_template: Path = HOSTING_TEMPLATE,
            stage: str | None = None) -> list[dict[str, str]]:
    """Upload the bootstrap files and publish every template; [{productId, provisioningArtifactId, name}].
    New products are tagged Stage=<stage> when stage is given."""
    bucket, portfolio_id = outputs["ArtifactsBucketName"], outputs["EnvironmentPortfolioId"]
    s3, catalog = session.client("s3"), session.client("servicecatalog")
    upload_environment_files(s3, bucket, catalog_dir / "environment-files")
    s3.put_object(Bucket=bucket, Key=ONBOARDING_KEY, Body=hosting_template.read_bytes(), ContentType="text/yaml")
    published = []
    for template in sorted(catalog_dir.glob("*.yaml")):
        url, version = upload_template(s3, bucket, session.region_name, template)
        product_id, artifact_id = publish_product(catalog, portfolio_id, template.stem, url, version,
                                                  launch_role_name=f"{namespace}-launch-constraint", stage=stage)
        published.append({"productId": product_id, "provisioningArtifactId": artifact_id, "name": template.stem})
    return published


def upload_environment_files(s3: Any, bucket: str, files_dir: Path) -> list[str]:
    """Every file under files_dir, at environment-files/<relative path>; returns the keys."""
    keys = []
    for path in sorted(p for p in files_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        key = FILES_PREFIX + path.relative_to(files_dir).as_posix()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=content_type)
        keys.append(key)
    return keys


def upload_template(s3: Any, bucket: str, region: str | None, template: Path) -> tuple[str, str]:
    """The template at a content-addressed key; returns (its https URL, its version = sha256[:12])."""
    body = template.read_bytes()
    version = hashlib.sha256(body).hexdigest()[:12]
    key = f"catalog/{template.stem}/{version}.yaml"
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/yaml")
    return f"https://{bucket}.s3.{region or 'us-east-1'}.amazonaws.com/{key}", version


def publish_product(catalog: Any, portfolio_id: str, name: str, url: str, version: str,
                    launch_role_name: str, stage: str | None = None) -> tuple[str, str]:
    """Create product `name` in the portfolio (tagged Stage=<stage> when given), or add version `version`
    to it; (product, artifact) ids."""
    artifact = {"Name": version, "Description": f"{name} template {version}",
                "Info": {"LoadTemplateFromURL": url}, "Type": "CLOUD_FORMATION_TEMPLATE"}
    product_id = _product_in_portfolio(catalog, portfolio_id, name)
    if product_id is None:
        tags = [{"Key": "Stage", "Value": stage}] if stage else []
        created = catalog.create_product(
            Name=name, Owner=OWNER, ProductType="CLOUD_FORMATION_TEMPLATE",
            Description=f"Workbench environment type {name}", ProvisioningArtifactParameters=artifact,
            # Per portfolio: the same template published to another portfolio is another product.
            IdempotencyToken=hashlib.sha256(f"{portfolio_id}/{name}/{version}".encode()).hexdigest()[:64], Tags=tags)
        product_id = created["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
        catalog.associate_product_with_portfolio(ProductId=product_id, PortfolioId=portfolio_id)
        # LocalRoleName, not a role ARN: the portfolio is shared, and Service Catalog resolves the
        # name in the account that launches (the hosting_account stack creates that role).
        catalog.create_constraint(
            PortfolioId=portfolio_id, ProductId=product_id, Type="LAUNCH",
            Parameters=json.dumps({"LocalRoleName": launch_role_name}),
            Description="Environments are created by the hosting account's launch role",
            IdempotencyToken=f"{product_id}-launch")
        return product_id, created["ProvisioningArtifactDetail"]["Id"]
    for existing in catalog.list_provisioning_artifacts(ProductId=product_id)["ProvisioningArtifactDetails"]:
        if existing["Name"] == version:
            return product_id, existing["Id"]
    added = catalog.create_provisioning_artifact(ProductId=product_id, Parameters=artifact,
                                                 IdempotencyToken=f"{product_id}-{version}")
    return product_id, added["ProvisioningArtifactDetail"]["Id"]


def _product_in_portfolio(catalog: Any, portfolio_id: str, name: str) -> str | None:
    request: dict[str, Any] = {"PortfolioId": portfolio_id, "Filters": {"FullTextSearch": [name]}, "PageSize": 20}
    while True:
        page = catalog.search_products_as_admin(**request)
        for detail in page.get("ProductViewDetails", []):
            summary = detail["ProductViewSummary"]
            if summary["Name"] == name:
                return summary["ProductId"]
        if not page.get("NextPageToken"):
            return None
        request["PageToken"] = page["NextPageToken"]


def stack_outputs(session: boto3.session.Session, stack_name: str) -> dict[str, str]:
    stack = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def stage_of(stack_name: str) -> str | None:
    """The stage of a main_account stack named rsw-<stage>; None for any other name."""
    prefix, _, stage = stack_name.partition("-")
    return stage if prefix == "rsw" and stage else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.publish_catalog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True, help="the main_account stack name, e.g. rsw-dev")
    parser.add_argument("--stage", help="tags new products Stage=<stage> (default: <stage> of stack rsw-<stage>)")
    parser.add_argument("--namespace", default="rsw", help="the hosting accounts' Namespace (names their launch role)")
    parser.add_argument("--catalog-dir", type=Path, default=CATALOG_DIR)
    args = parser.parse_args(argv)
    session = boto3.session.Session()
    stage = args.stage or stage_of(args.stack)
    if stage is None:
        parser.error(f"--stage is required: stack {args.stack!r} is not named rsw-<stage>")
    published = publish(session, stack_outputs(session, args.stack), args.catalog_dir, args.namespace, stage=stage)
    print(json.dumps(published, indent=2))


if __name__ == "__main__":
    main()
