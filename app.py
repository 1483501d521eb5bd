"""Wiring only: the blueprints, the schedules and the event handlers."""

from chalice import Chalice, Rate

from chalicelib import deps
from chalicelib.api import (
    accounts,
    audit,
    configurations,
    cost_centers,
    datasets,
    environment_types,
    environments,
    health,
    members,
    projects,
    users,
)
from chalicelib.api.fallbacks import problem_middleware, register_method_fallbacks
from chalicelib.api.routing import ROUTES
from chalicelib.events.dispatch import Record
from chalicelib.settings import platform_events_queue_name

app = Chalice(app_name="research-workbench")
app.api.binary_types = []  # everything here is JSON

for module in (health, members, projects, users, cost_centers, accounts,
               environment_types, configurations, environments, datasets, audit):
    app.register_blueprint(module.bp)
register_method_fallbacks(app, ROUTES)
app.register_middleware(problem_middleware(app), "http")


@app.schedule(Rate(5, unit=Rate.MINUTES), name="check_accounts")
def check_accounts(event):
    """Fans out one check per hosting account onto the platform-events queue (see platform_events), so its
    status says whether the workbench can act in it; this function's time does not grow with accounts."""
    from chalicelib.services.accounts import ACCOUNT_CHECK  # here: it loads boto3, which `import app` defers
    deps.container().fan_out.each_account(ACCOUNT_CHECK)


@app.schedule(Rate(1, unit=Rate.HOURS), name="sync_environment_types")
def sync_environment_types(event):
    """Imports products and versions newly published to the Service Catalog portfolio."""
    deps.container().environment_types.sync("system")


@app.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_environments")
def reconcile_environments(event):
    """Fans out one reconciliation unit per hosting account onto the platform-events queue."""
    from chalicelib.lifecycle.reconciliation import RECONCILE
    deps.container().fan_out.each_account(RECONCILE)


@app.on_sqs_message(queue=platform_events_queue_name(), batch_size=10, name="platform_events")
def platform_events(event):
    """Automation results, SageMaker state changes, account checks and reconciliation units, each to its service."""
    deps.container().dispatcher.handle([Record(r.body, r.receipt_handle, r.to_dict()["eventSourceARN"])
                                        for r in event])


@app.lambda_function(name="bootstrap_admin")
def bootstrap_admin(event, context):
    """`chalice invoke -n bootstrap_admin` with {firstName, lastName, email}: the first IT admin."""
    from chalicelib.models.users import CreateUser
    user = deps.container().users.bootstrap_first_admin(CreateUser.model_validate(event))
    return user.to_json()
