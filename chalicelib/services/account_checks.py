"""The onboarding checks of a hosting account, each with what is wrong and how to fix it.

`inspect(repair=True)` (the scheduled sync) also does what the workbench can do itself when a
check shows it is needed: share the SSM documents and the portfolio, accept the share, associate
the env-mgmt role, let the account put events on the main bus and let its environments read the
artifacts bucket's environment files. `repair=False` (verify) only looks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..aws_errors import error_code
from ..hosting import HostingSession, HostingSessions
from ..models.accounts import Account, AccountCheck
from .account_grants import CHECK as ARTIFACTS_ACCESS
from .account_grants import ArtifactGrants

HOSTING_TEMPLATE_VERSION = "3"  # equals hosting_account/template.yaml Metadata.TemplateVersion (tested)
REQUIRED_OUTPUTS = ("EnvMgmtRoleArn", "HostingAccountHandlerRoleArn", "LaunchConstraintRoleName",
                    "EnvironmentBoundaryArn", "VpcId", "SubnetIds", "EncryptionKeyArn", "TemplateVersion")
READY_STACK = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE")
SHARES = frozenset({"documentsShared", "portfolioShared", "mainBusPermission"})
REPAIRABLE = SHARES | {ARTIFACTS_ACCESS}


@dataclass(frozen=True)
class MainAccount:
    """What of the main account the checks need; resolved lazily (one STS call per container)."""
    account_id: Callable[[], str]
    region: str
    portfolio_id: str
    document_names: tuple[str, ...]


@dataclass
class Inspection:
    checks: list[AccountCheck] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, passed: bool, detail: str, hint: str | None = None) -> bool:
        self.checks.append(AccountCheck(name=name, passed=passed, detail=detail, hint=None if passed else hint))
        return passed

    @property
    def status(self) -> tuple[str, str]:
        failed = [c for c in self.checks if not c.passed]
        if not failed:
            return "CURRENT", "every onboarding check passed"
        if [c.name for c in failed] == ["templateVersion"]:
            return "NEEDS_UPDATE", f"{failed[0].detail}: {failed[0].hint}"
        return "ERRORED", f"{failed[0].name}: {failed[0].detail}. {failed[0].hint or ''}".strip()


class AccountInspector:
    def __init__(self, sessions: HostingSessions, main: MainAccount, ssm: Any, catalog: Any, events: Any,
                 grants: ArtifactGrants) -> None:
        self._sessions = sessions
        self._main = main
        self._ssm = ssm
        self._catalog = catalog
        self._events = events
        self._grants = grants

    def inspect(self, account: Account, repair: bool) -> Inspection:
        result = Inspection()
        if not self._configured(result):
            return result
        handler = self._assume(result, "hostingAccountHandlerRole", account.hosting_account_handler_role_arn, account)
        self._assume(result, "envMgmtRole", account.env_mgmt_role_arn, account)
        if handler is None or not self._stack(result, handler, account):
            return result
        step = "network"
        try:
            self._network(result, handler)
            step = "eventForwarding"
            self._forwarding(result, handler)
            step = "sharing"
            shares = self._shares(account)
            failed = {c.name for c in shares if not c.passed} & REPAIRABLE
            if repair and failed:
                self._repair(handler, account, failed)  # only when needed: a healthy account costs no writes
                shares = self._shares(account)
            result.checks += shares
        except (ClientError, BotoCoreError) as error:  # an AWS answer we did not expect: say which step
            code = error_code(error)
            result.add(step, False, f"the {step} check could not run ({code})",
                       "Check the hosting-account roles still have the template's permissions; the sync retries.")
        return result

    def revoke(self, account: Account) -> None:
        """Undo what the sync granted: shares, the bus permission and the artifacts grants, so a
        removed account keeps nothing."""
        target = account.aws_account_id
        self._grants.revoke(account)
        for name in self._main.document_names:
            self._ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToRemove=[target])
        if self._main.portfolio_id:
            _ignore_missing(lambda: self._catalog.delete_portfolio_share(PortfolioId=self._main.portfolio_id,
                                                                         AccountId=target))
        _ignore_missing(lambda: self._events.remove_permission(EventBusName="default", StatementId=f"hosting-{target}"))

    def _configured(self, result: Inspection) -> bool:
        if self._main.portfolio_id and len(self._main.document_names) == 2:
            return True
        result.add("workbenchSettings", False, "the workbench lacks its portfolio or SSM document settings",
                   "Run scripts/configure_stage.py for this stage and redeploy; then the sync shares them.")
        return False

    def _assume(self, result: Inspection, name: str, role_arn: str, account: Account) -> HostingSession | None:
        try:
            session = self._sessions.assume(role_arn, account.external_id, "account-check")
        except (ClientError, BotoCoreError) as error:
            code = error_code(error)
            result.add(name, False, f"cannot assume {role_arn} ({code})",
                       "Check the role exists and that the stack was deployed with the same ExternalId as this "
                       "registration; a mistyped ExternalId cannot be changed: DELETE this registration and "
                       "register the account again with the right one.")
            return None
        result.add(name, True, f"assumed {role_arn} with the registered ExternalId")
        return session

    def _stack(self, result: Inspection, handler: HostingSession, account: Account) -> bool:
        try:
            stack = handler.client("cloudformation").describe_stacks(StackName=account.stack_name)["Stacks"][0]
        except ClientError as error:
            return result.add("stackDeployed", False, f"stack {account.stack_name} not found ({error_code(error)})",
                              "Deploy hosting_account/template.yaml with the createUrl "
                              "from POST /awsAccountTemplateUrls.")
        if not result.add("stackDeployed", stack["StackStatus"] in READY_STACK,
                          f"stack {account.stack_name} is {stack['StackStatus']}",
                          "Open the stack's events in the CloudFormation console, fix the cause and update the stack."):
            return False
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        result.outputs = outputs
        missing = [o for o in REQUIRED_OUTPUTS if o not in outputs]
        mismatched = [k for k, v in (("EnvMgmtRoleArn", account.env_mgmt_role_arn),
                                     ("HostingAccountHandlerRoleArn", account.hosting_account_handler_role_arn))
                      if k in outputs and outputs[k] != v]
        result.add("stackOutputs", not missing and not mismatched,
                   f"missing outputs {missing}" if missing else
                   f"registered role ARNs differ from the stack's {mismatched}" if mismatched else "outputs present",
                   "Register the role ARNs the stack outputs (DELETE and register again), or update the stack.")
        version = outputs.get("TemplateVersion", "none")
        result.add("templateVersion", version == HOSTING_TEMPLATE_VERSION,
                   f"deployed template version {version}, current {HOSTING_TEMPLATE_VERSION}",
                   "Update the stack with the updateUrl from POST /awsAccountTemplateUrls.")
        return True

    def _network(self, result: Inspection, handler: HostingSession) -> None:
        vpc, subnets = result.outputs.get("VpcId", ""), [s for s in result.outputs.get("SubnetIds", "").split(",") if s]
        if not vpc or not result.outputs.get("EncryptionKeyArn"):
            result.add("network", False, "the stack outputs no VpcId or EncryptionKeyArn", "Update the stack.")
            return
        try:
            handler.client("ec2").describe_vpcs(VpcIds=[vpc])
            found = handler.client("ec2").describe_subnets(SubnetIds=subnets)["Subnets"] if subnets else []
            result.add("network", bool(found) and all(s["VpcId"] == vpc for s in found),
                       f"VPC {vpc} with subnets {', '.join(subnets) or 'none'}",
                       "With your own network (BYON), give subnets of that VPC in SubnetIds.")
        except ClientError as error:
            result.add("network", False, f"VPC {vpc} or its subnets do not exist ({error_code(error)})",
                       "Update the stack with an existing VpcId and SubnetIds, "
                       "or leave them empty to create a network.")
        try:
            key = handler.client("kms").describe_key(KeyId=result.outputs.get("EncryptionKeyArn", ""))["KeyMetadata"]
            result.add("encryptionKey", key.get("Enabled", False), f"key {key['KeyId']} is {key.get('KeyState')}",
                       "Re-enable the key or update the stack.")
        except ClientError as error:
            result.add("encryptionKey", False, f"the stack's key cannot be described ({error_code(error)})",
                       "Update the stack so its EncryptionKey exists.")

    def _repair(self, handler: HostingSession, account: Account, failed: set[str]) -> None:
        # Each repair only when its own check failed: the grants' writes wait out concurrent syncs.
        if ARTIFACTS_ACCESS in failed:
            self._grants.grant(account)  # when it cannot, the check read again after this says so
        if failed & SHARES:
            self._share(handler, account)

    def _share(self, handler: HostingSession, account: Account) -> None:
        target = account.aws_account_id
        for name in self._main.document_names:
            self._ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=[target])
        if self._main.portfolio_id:
            _ignore_duplicates(lambda: self._catalog.create_portfolio_share(PortfolioId=self._main.portfolio_id,
                                                                            AccountId=target))
            hosting_catalog = handler.client("servicecatalog")
            _ignore_duplicates(lambda: hosting_catalog.accept_portfolio_share(PortfolioId=self._main.portfolio_id))
            _ignore_duplicates(lambda: hosting_catalog.associate_principal_with_portfolio(
                PortfolioId=self._main.portfolio_id, PrincipalARN=account.env_mgmt_role_arn, PrincipalType="IAM"))
        self._events.put_permission(EventBusName="default", Action="events:PutEvents", Principal=target,
                                    StatementId=f"hosting-{target}")

    def _shares(self, account: Account) -> list[AccountCheck]:
        found = Inspection()
        unshared = [n for n in self._main.document_names if account.aws_account_id not in
                    self._ssm.describe_document_permission(Name=n, PermissionType="Share").get("AccountIds", [])]
        found.add("documentsShared", not unshared, f"documents not shared: {unshared}" if unshared else
                  "launch and terminate documents shared", "The account sync shares them; it runs every few minutes.")
        if self._main.portfolio_id:
            shares = self._catalog.describe_portfolio_shares(PortfolioId=self._main.portfolio_id, Type="ACCOUNT")
            ours = [s for s in shares.get("PortfolioShareDetails", [])
                    if s.get("PrincipalId") == account.aws_account_id]
            found.add("portfolioShared", bool(ours) and all(s.get("Accepted") for s in ours),
                      "environment portfolio shared and accepted" if ours else "environment portfolio not shared",
                      "The account sync shares and accepts it; it runs every few minutes.")
        policy = self._events.describe_event_bus(Name="default").get("Policy") or ""
        found.add("mainBusPermission", f"hosting-{account.aws_account_id}" in policy,
                  "the account may send status events to the main bus" if policy else "the main bus has no policy",
                  "The account sync grants it; it runs every few minutes.")
        found.checks.append(self._grants.check(account))
        return found.checks

    def _forwarding(self, result: Inspection, handler: HostingSession) -> None:
        bus = f"arn:aws:events:{self._main.region}:{self._main.account_id()}:event-bus/default"
        rules = handler.client("events").list_rule_names_by_target(TargetArn=bus).get("RuleNames", [])
        result.add("eventForwarding", bool(rules), f"{len(rules)} rule(s) forward events to the main account",
                   "Update the stack: its ForwardToMainAccount rules send status changes to the workbench.")


def _ignore_duplicates(call: Callable[[], Any]) -> None:
    try:
        call()
    except ClientError as error:
        if error_code(error) not in ("DuplicateResourceException", "ResourceInUseException",
                                                      "InvalidStateException"):
            raise


def _ignore_missing(call: Callable[[], Any]) -> None:
    try:
        call()
    except ClientError as error:
        if error_code(error) not in ("ResourceNotFoundException", "InvalidParametersException"):
            raise

