"""The composition root: builds every collaborator once per container, lazily.

No boto3 client exists before first use, so tests can start moto first; `reset()` swaps the
container (tests give it a JWKS source that reads moto's keys instead of the network).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .auth.policy import PolicyStore
from .auth.principal import PrincipalStore
from .auth.tokens import JwksSource, TokenVerifier, fetch_jwks
from .aws import AwsClients
from .events.dispatch import Dispatcher
from .events.fan_out import FanOut, account_of
from .hosting import HostingSessions
from .lifecycle import sagemaker_notebook  # noqa: F401 - registers the first driver
from .lifecycle.automation import Automation, MainAccountFacts
from .lifecycle.reconciliation import RECONCILE, Reconciler
from .repositories.accounts import AccountRepository
from .repositories.audit import AuditRepository
from .repositories.config_links import ConfigLinkRepository
from .repositories.configurations import ConfigurationRepository
from .repositories.cost_centers import CostCenterRepository
from .repositories.cursor import CursorCodec
from .repositories.dataset_files import DatasetFileRepository
from .repositories.datasets import DatasetRepository
from .repositories.environment_types import EnvironmentTypeRepository
from .repositories.environments import EnvironmentRepository
from .repositories.idempotency import IdempotencyStore
from .repositories.memberships import MembershipRepository
from .repositories.projects import ProjectRepository
from .repositories.users import UserRepository
from .services.account_checks import AccountInspector, MainAccount
from .services.accounts import ACCOUNT_CHECK, AccountService
from .services.audit import AuditTrail
from .services.configurations import ConfigurationService
from .services.cost_centers import CostCenterService
from .services.dataset_index import DatasetIndex
from .services.dataset_mounts import DatasetMounts, DatasetsBucket
from .services.dataset_uploads import DatasetUploads
from .services.datasets import PURGE, DatasetService
from .services.environment_events import EnvironmentEvents
from .services.environment_types import EnvironmentTypeService
from .services.environments import EnvironmentService
from .services.health import HealthService
from .services.members import MemberService
from .services.onboarding import OnboardingService
from .services.projects import ProjectService
from .services.users import UserService
from .settings import Settings, get_settings

cached = functools.cached_property


class Container:
    def __init__(self, settings: Settings | None = None, aws: AwsClients | None = None,
                 jwks: JwksSource | None = None) -> None:
        self.settings = settings or get_settings()
        self.aws = aws or AwsClients()
        self._jwks = jwks or fetch_jwks(self.settings.jwks_url)

    # tables and shared mechanics
    @cached
    def app_table(self) -> Any:
        return self.aws.table(self.settings.app_table)

    @cached
    def auth_table(self) -> Any:
        return self.aws.table(self.settings.auth_table)

    @cached
    def cursor(self) -> CursorCodec:
        return CursorCodec(self._pagination_secret)

    @functools.lru_cache(maxsize=1)  # noqa: B019 - one container, one secret
    def _pagination_secret(self) -> bytes:
        secret = self.aws.client("secretsmanager").get_secret_value(SecretId=self.settings.pagination_secret_arn)
        return secret["SecretString"].encode()

    # authentication and authorization
    @cached
    def token_verifier(self) -> TokenVerifier:
        return TokenVerifier(self.settings.token_issuer, self.settings.user_pool_client_id, self._jwks)

    @cached
    def principals(self) -> PrincipalStore:
        return PrincipalStore(self.users_repo)

    @cached
    def policy(self) -> PolicyStore:
        return PolicyStore(self.auth_table)

    # repositories
    @cached
    def projects_repo(self) -> ProjectRepository:
        return ProjectRepository(self.app_table, self.cursor)

    @cached
    def cost_centers_repo(self) -> CostCenterRepository:
        return CostCenterRepository(self.app_table, self.cursor)

    @cached
    def accounts_repo(self) -> AccountRepository:
        return AccountRepository(self.app_table, self.cursor)

    @cached
    def users_repo(self) -> UserRepository:
        return UserRepository(self.auth_table, self.cursor)

    @cached
    def memberships_repo(self) -> MembershipRepository:
        return MembershipRepository(self.auth_table, self.cursor)

    @cached
    def environment_types_repo(self) -> EnvironmentTypeRepository:
        return EnvironmentTypeRepository(self.app_table, self.cursor)

    @cached
    def configurations_repo(self) -> ConfigurationRepository:
        return ConfigurationRepository(self.app_table, self.cursor)

    @cached
    def config_links_repo(self) -> ConfigLinkRepository:
        return ConfigLinkRepository(self.app_table, self.cursor)

    @cached
    def idempotency(self) -> IdempotencyStore:
        return IdempotencyStore(self.app_table)

    # services
    @cached
    def projects(self) -> ProjectService:
        return ProjectService(self.projects_repo, self.cost_centers_repo, self.memberships_repo,
                              self.config_links_repo, self.environments_repo,
                              self.datasets_repo)

    @cached
    def cost_centers(self) -> CostCenterService:
        return CostCenterService(self.cost_centers_repo, self.accounts_repo, self.projects_repo)

    @cached
    def accounts(self) -> AccountService:
        return AccountService(self.accounts_repo, self.cost_centers_repo, self.account_inspector,
                              self.environments_repo)

    @cached
    def account_inspector(self) -> AccountInspector:
        docs = tuple(d for d in (self.settings.launch_document_name, self.settings.terminate_document_name) if d)
        main = MainAccount(account_id=self.main_account_id, region=self.settings.region,
                           portfolio_id=self.settings.environment_portfolio_id, document_names=docs)
        from .services.account_grants import ArtifactGrants
        grants = ArtifactGrants(self.aws.client("s3"), self.aws.client("kms"), self.settings.artifacts_bucket,
                                self.settings.region, datasets_bucket=self.settings.datasets_bucket)
        return AccountInspector(self.hosting_sessions, main,
                                self.aws.client("ssm"), self.aws.client("servicecatalog"), self.aws.client("events"),
                                grants)

    @cached
    def hosting_sessions(self) -> HostingSessions:
        """One per container: the account check, reconciliation and environment actions share sessions."""
        return HostingSessions(self.aws.client("sts"), self.settings.region)

    @cached
    def onboarding(self) -> OnboardingService:
        return OnboardingService(self.aws.client("s3"), self.settings.artifacts_bucket, self.settings.region,
                                 self.main_account_id, self.settings.stage)

    @functools.lru_cache(maxsize=1)  # noqa: B019 - who we are does not change within a container
    def main_account_id(self) -> str:
        return self.aws.client("sts").get_caller_identity()["Account"]

    @cached
    def users(self) -> UserService:
        return UserService(self.users_repo, self.memberships_repo, self.aws.client("cognito-idp"),
                           self.settings.user_pool_id)

    @cached
    def members(self) -> MemberService:
        return MemberService(self.memberships_repo, self.projects_repo, self.users_repo)
    @cached
    def environment_types(self) -> EnvironmentTypeService:
        return EnvironmentTypeService(self.environment_types_repo, self.configurations_repo,
                                      self.aws.client("servicecatalog"), self.aws.client("s3"),
                                      self.settings.environment_portfolio_id)

    @cached
    def configurations(self) -> ConfigurationService:
        return ConfigurationService(self.configurations_repo, self.environment_types_repo, self.config_links_repo,
                                    self.projects_repo, self.environments_repo)
    # environments
    @cached
    def environments_repo(self) -> EnvironmentRepository:
        return EnvironmentRepository(self.app_table, self.cursor)

    @cached
    def automation(self) -> Automation:
        s = self.settings
        return Automation(self.hosting_sessions, MainAccountFacts(
            account_id=self.main_account_id, region=s.region, launch_document=s.launch_document_name,
            terminate_document=s.terminate_document_name, artifacts_bucket=s.artifacts_bucket))

    @cached
    def environments(self) -> EnvironmentService:
        return EnvironmentService(self.environments_repo, self.projects_repo, self.environment_types_repo,
                                  self.configurations_repo, self.config_links_repo, self.accounts_repo,
                                  self.automation, self.dataset_mounts, self.policy)

    @cached
    def environment_events(self) -> EnvironmentEvents:
        return EnvironmentEvents(self.environments_repo, self.accounts_repo, self.automation, self.dataset_mounts)

    @cached
    def dataset_mounts(self) -> DatasetMounts:
        s = self.settings
        return DatasetMounts(self.aws.client("s3control"), DatasetsBucket(
            name=s.datasets_bucket, region=s.region, account_id=self.main_account_id, stage=s.stage),
            self.datasets.access, self.environments_repo)

    @cached
    def reconciler(self) -> Reconciler:
        return Reconciler(self.environments_repo, self.accounts_repo, self.automation, self.environment_events)

    @cached
    def fan_out(self) -> FanOut:
        return FanOut(self.accounts_repo, self.aws.client("sqs"), self._events_queue_url)

    @functools.lru_cache(maxsize=1)  # noqa: B019 - one queue per stage
    def _events_queue_url(self) -> str:
        return self.aws.client("sqs").get_queue_url(QueueName=self.settings.platform_events_queue)["QueueUrl"]

    @cached
    def dispatcher(self) -> Dispatcher:
        apply = self.environment_events.apply
        return Dispatcher({("workbench.automation", None): apply, ("aws.sagemaker", None): apply,
                           (RECONCILE.source, RECONCILE.detail_type): lambda e: self.reconciler.reconcile_account(
                               account_of(e)),
                           (ACCOUNT_CHECK.source, ACCOUNT_CHECK.detail_type): lambda e: self.accounts.check_account(
                               account_of(e)),
                           ("aws.s3", None): self.dataset_index.apply,
                           PURGE: self.dataset_index.purge}, self.aws.client("sqs"),
                          self.audit.event_applied)

    def _enqueue(self, message: dict) -> None:
        """Work for the platform-events queue's own handler (fan-out units, dataset purges)."""
        self.aws.client("sqs").send_message(QueueUrl=self._events_queue_url(), MessageBody=json.dumps(message))

    # the audit trail
    @cached
    def audit(self) -> AuditTrail:
        return AuditTrail(AuditRepository(self.app_table, self.cursor))

    # datasets
    @cached
    def datasets_repo(self) -> DatasetRepository:
        return DatasetRepository(self.app_table, self.cursor)

    @cached
    def dataset_files_repo(self) -> DatasetFileRepository:
        return DatasetFileRepository(self.app_table, self.cursor)

    @cached
    def datasets(self) -> DatasetService:
        return DatasetService(self.datasets_repo, self.dataset_files_repo, self.projects_repo, self._enqueue)

    @cached
    def dataset_uploads(self) -> DatasetUploads:
        s = self.settings
        return DatasetUploads(self.datasets_repo, self.aws.client("s3"), s.datasets_bucket, s.multipart_threshold,
                              s.multipart_part_size, self.datasets.access)

    @cached
    def dataset_index(self) -> DatasetIndex:
        return DatasetIndex(self.datasets_repo, self.dataset_files_repo, self.aws.client("s3"),
                            self.settings.datasets_bucket, self._enqueue)

    @cached
    def health(self) -> HealthService:
        return HealthService({"appTable": self.app_table, "authorizationTable": self.auth_table})


_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        _container = Container()
    return _container


def reset(new: Container | None = None) -> None:
    global _container
    _container = new
