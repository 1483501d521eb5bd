"""Wiring only: the blueprints, the schedules and the event handlers."""

from chalice import Chalice, Rate

from chalicelib import deps
from chalicelib.api import (accounts, configurations, cost_centers, environment_types, health, members,
                            projects, users)
from chalicelib.api.fallbacks import problem_middleware, register_method_fallbacks
from chalicelib.api.routing import ROUTES

app = Chalice(app_name="research-workbench")
app.api.binary_types = []  # everything here is JSON

for module in (health, members, projects, users, cost_centers, accounts, environment_types, configurations):
    app.register_blueprint(module.bp)
register_method_fallbacks(app, ROUTES)
app.register_middleware(problem_middleware(app), "http")


@app.schedule(Rate(5, unit=Rate.MINUTES), name="check_accounts")
def check_accounts(event):
    """Re-checks every hosting account so its status says whether the workbench can act in it."""
    deps.container().accounts.check_all()


@app.schedule(Rate(1, unit=Rate.HOURS), name="sync_environment_types")
def sync_environment_types(event):
    """Imports products and versions newly published to the Service Catalog portfolio."""
    deps.container().environment_types.sync("system")


@app.lambda_function(name="bootstrap_admin")
def bootstrap_admin(event, context):
    """`chalice invoke -n bootstrap_admin` with {firstName, lastName, email}: the first IT admin."""
    from chalicelib.models.users import CreateUser
    user = deps.container().users.bootstrap_first_admin(CreateUser.model_validate(event))
    return user.to_json()
