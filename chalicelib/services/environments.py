"""Environments: launch, read, list, start, stop, terminate and connect, per the state machine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..auth.decision import may_operate
from ..auth.policy import PolicyStore
from ..auth.principal import Principal
from ..aws_errors import AWS_ERRORS, dependency_failed
from ..errors import DependencyFailed, InvalidInput, InvalidState, NotAllowed, NotFound
from ..lifecycle import states
from ..lifecycle.automation import Automation
from ..lifecycle.drivers import driver_for
from ..models.base import new_id, now
from ..models.configurations import ConfigurationLink
from ..models.environments import Connection, CreateEnvironment, Environment, EnvironmentView
from ..repositories.accounts import AccountRepository
from ..repositories.base import PageRequest
from ..repositories.config_links import ConfigLinkRepository
from ..repositories.configurations import ConfigurationRepository
from ..repositories.environment_types import EnvironmentTypeRepository
from ..repositories.environments import EnvironmentRepository
from ..repositories.projects import ProjectRepository
from .dataset_mounts import DatasetMounts

USABLE_ACCOUNT = ("CURRENT", "NEEDS_UPDATE")


class EnvironmentService:
    def __init__(self, envs: EnvironmentRepository, projects: ProjectRepository, types: EnvironmentTypeRepository,
                 configurations: ConfigurationRepository, links: ConfigLinkRepository, accounts: AccountRepository,
                 automation: Automation, mounts: DatasetMounts, policy: PolicyStore,
                 clock: Callable[[], datetime] = now) -> None:
        self._envs = envs
        self._projects = projects
        self._types = types
        self._configurations = configurations
        self._links = links
        self._accounts = accounts
        self._automation = automation
        self._mounts = mounts
        self._policy = policy
        self._clock = clock

    # -- launch -------------------------------------------------------------
    def launch(self, principal: Principal, project_id: str, request: CreateEnvironment) -> EnvironmentView:
        project = self._projects.get(project_id)
        env_type, configuration = self._launchable(project_id, request)
        env_id = new_id("env")
        mounts = self._mounts.plan(project_id, env_id, request.dataset_ids)  # refuses before anything exists
        account = self._accounts.get(project.account_id)
        if account.status not in USABLE_ACCOUNT:
            raise InvalidState(f"the project's hosting account is {account.status}: {account.status_reason}",
                               code="ACCOUNT_NOT_READY", hint="Ask an IT admin to verify the hosting account.")
        driver = driver_for(env_type.product_name)
        stamp = self._clock()
        # The mounts (and their DATASET#/MOUNT# rows) are written with the environment, before the
        # access points exist: whatever happens next, terminate finds every access point to remove.
        env = self._envs.add(Environment(
            id=env_id, name=request.name, description=request.description, project_id=project_id,
            env_type_id=env_type.id, env_type_config_id=configuration.id, owner=principal.user_id,
            account_id=account.id, aws_account_id=account.aws_account_id, driver=driver.name,
            dataset_ids=[m.dataset_id for m in mounts], mounts=mounts,
            status="PENDING", status_reason="starting the launch automation in the hosting account",
            status_changed_at=stamp, created_at=stamp, updated_at=stamp, created_by=principal.user_id,
            updated_by=principal.user_id))
        try:
            env = env.model_copy(update={"mounts": self._mounts.create(env, account)})
        except AWS_ERRORS as error:
            return self._launch_failed(principal, env, dependency_failed(
                error, "create the datasets' access points in the main account",
                "Terminate this environment and launch again; if it fails again, ask an IT admin."))
        try:
            session = self._automation.session(account)
            supplied = self._automation.supplied_parameters(account, env)
            declared = {p.key for p in env_type.params}
            parameters = {**{k: v for k, v in supplied.items() if k in declared},
                          **{p.key: p.value for p in configuration.params}}
            execution = self._automation.start_launch(session, account, env, env_type, parameters)
        except (*AWS_ERRORS, DependencyFailed) as error:
            failure = error if isinstance(error, DependencyFailed) else dependency_failed(
                error, "start the launch in the hosting account",
                "Ask an IT admin to verify the hosting account, then terminate this environment and launch again.")
            return self._launch_failed(principal, env, failure)
        updated = self._envs.transition(env, "PENDING", "provisioning the environment (the launch automation runs)",
                                        expected=("PENDING",), at=stamp,
                                        changes={"automationExecutionId": execution, "mounts": [
                                            m.model_dump(mode="json", by_alias=True) for m in env.mounts]})
        return self.view(principal, updated or env)

    def _launch_failed(self, principal: Principal, env: Environment, failure: DependencyFailed) -> EnvironmentView:
        updated = self._envs.transition(env, "FAILED", f"{failure.detail}. {failure.hint}", expected=("PENDING",),
                                        at=self._clock(), changes={"mounts": [
                                            m.model_dump(mode="json", by_alias=True) for m in env.mounts]})
        return self.view(principal, updated or env)

    def _launchable(self, project_id: str, request: CreateEnvironment):
        errors = []
        try:
            env_type = self._types.get(request.env_type_id)
            if env_type.status != "APPROVED":
                errors.append({"field": "envTypeId", "message": f"environment type {env_type.id} is not approved"})
        except NotFound:
            errors.append({"field": "envTypeId", "message": f"environment type {request.env_type_id} not found"})
        link = ConfigurationLink(project_id=project_id, env_type_id=request.env_type_id,
                                 configuration_id=request.env_type_config_id)
        if not self._links.is_linked(link):
            errors.append({"field": "envTypeConfigId", "message": f"configuration {request.env_type_config_id} is "
                                                                  "not available to this project"})
        if errors:
            raise InvalidInput("the environment cannot be launched: " + errors[0]["message"], errors=errors)
        return env_type, self._configurations.get(request.env_type_config_id)

    # -- reads ----------------------------------------------------------------
    def list(self, principal: Principal, page: PageRequest, *, project_id: str | None = None,
             status: str | None = None, owner: str | None = None) -> tuple[list[EnvironmentView], str | None]:
        items, token = self._envs.list_filtered(page, project_id=project_id, status=status, owner=owner)
        return [self.view(principal, e) for e in items], token

    def view(self, principal: Principal, env: Environment) -> EnvironmentView:
        manage = may_operate(principal, env.project_id, self._policy)
        return EnvironmentView(**env.model_dump(), allowed_actions=states.allowed_actions(
            env, principal.user_id, manage))

    # -- actions ----------------------------------------------------------------
    def act(self, principal: Principal, project_id: str, env_id: str, action: str) -> EnvironmentView:
        env = self._envs.get_in_project(project_id, env_id)
        if env.owner != principal.user_id and not may_operate(principal, project_id, self._policy):
            raise NotAllowed(f"only the environment's owner or a project admin may {action} it",
                             code="NOT_ENVIRONMENT_OWNER")
        target = states.plan(env, action)
        if target is None:
            return self.view(principal, env)  # an allowed no-op: 202 with the current state
        if action == "terminate" and not env.provisioned_product_id:
            # Nothing was provisioned (the launch failed before Service Catalog made anything).
            done = self._envs.transition(env, "TERMINATED", "terminated; nothing had been provisioned",
                                         expected=(env.status,), actor=principal.user_id, at=self._clock())
            return self.view(principal, self._mounts.release(done) if done else self._envs.get(env_id))
        moved = self._envs.transition(env, target, f"{action} requested by {principal.user.username}",
                                      expected=(env.status,), actor=principal.user_id, at=self._clock())
        if moved is None:  # someone else changed it first: answer from what is true now
            return self.view(principal, self._envs.get(env_id))
        return self.view(principal, self._carry_out(moved, action))

    def _carry_out(self, env: Environment, action: str) -> Environment:
        account = self._accounts.get(env.account_id)
        try:
            session = self._automation.session(account)
            if action == "terminate":
                execution = self._automation.start_terminate(session, account, env)
                return self._envs.transition(env, env.status, "terminating the provisioned product",
                                             expected=(env.status,), at=env.status_changed_at,
                                             changes={"automationExecutionId": execution}) or env
            driver = driver_for(env.driver)
            (driver.start if action == "start" else driver.stop)(session, env)
            return env
        except AWS_ERRORS as error:
            failure = dependency_failed(error, f"{action} the environment in the hosting account")
            return self._envs.transition(env, states.failure_of(env.status), f"{failure.detail}. {failure.hint}",
                                         expected=(env.status,), at=self._clock()) or env

    def connect(self, principal: Principal, project_id: str, env_id: str) -> Connection:
        env = self._envs.get_in_project(project_id, env_id)
        if env.owner != principal.user_id:
            raise NotAllowed("only the environment's owner may connect to it", code="NOT_ENVIRONMENT_OWNER")
        if env.status != "COMPLETED":
            raise InvalidState(f"environment {env_id} is {env.status}", code="ENVIRONMENT_INVALID_STATE",
                               hint="Connect when it is COMPLETED; start it first if it is STOPPED.")
        account = self._accounts.get(env.account_id)
        try:
            return driver_for(env.driver).connect(self._automation.session(account), env)
        except AWS_ERRORS as error:
            raise dependency_failed(error, "create a connection link") from None
