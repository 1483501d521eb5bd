"""Routes for /awsAccounts."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.accounts import (
    Account,
    AccountStatus,
    CreateAccount,
    OnboardingUrls,
    TemplateUrlsRequest,
    UpdateAccount,
    Verification,
)
from ..models.base import Page
from .responses import created, no_content, ok, page
from .routing import Call, QueryParam, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/awsAccounts", access=Access("account:read"), paginated=True,
          query=("name", QueryParam.of("status", AccountStatus)), response=Page[Account],
          summary="List hosting accounts")
def list_accounts(call: Call):
    items, token = deps.container().accounts.list(call.page(), call.query.get("name"), call.query.get("status"))
    return page(items, token)


@endpoint(bp, "POST", "/awsAccounts", access=Access("account:create"), body=CreateAccount, response=Account,
          status=201, summary="Register a hosting account (PENDING until its first check)")
def register_account(call: Call):
    account = deps.container().accounts.register(call.actor, call.body())
    return created(account, f"/awsAccounts/{account.id}")


@endpoint(bp, "GET", "/awsAccounts/{account_id}", access=Access("account:read", reads="account"), response=Account,
          summary="Get a hosting account")
def get_account(call: Call, account_id: str):
    return ok(call.resource(Account))


@endpoint(bp, "PATCH", "/awsAccounts/{account_id}", access=Access("account:update"), body=UpdateAccount,
          response=Account, summary="Rename a hosting account")
def update_account(call: Call, account_id: str):
    return ok(deps.container().accounts.update(call.actor, account_id, call.body(), call.if_match()))


@endpoint(bp, "DELETE", "/awsAccounts/{account_id}", access=Access("account:delete"), status=204,
          summary="Delete a hosting account registration nothing uses (any status, including ERRORED)")
def delete_account(call: Call, account_id: str):
    deps.container().accounts.delete(call.actor, account_id, call.if_match())
    return no_content()


@endpoint(bp, "POST", "/awsAccounts/{account_id}/verify", access=Access("account:verify"), response=Verification,
          summary="Run every onboarding check now; each says whether it passed and, if not, how to fix it")
def verify_account(call: Call, account_id: str):
    return ok(deps.container().accounts.verify(account_id))


@endpoint(bp, "POST", "/awsAccountTemplateUrls", access=Access("account:create"), body=TemplateUrlsRequest,
          response=OnboardingUrls,
          summary="Console links to create or update the hosting-account stack (default network and BYON)")
def template_urls(call: Call):
    return ok(deps.container().onboarding.template_urls(call.body().external_id))
