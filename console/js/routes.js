// Every screen and who may see it: admin screens are refused to anyone without the ITAdmin role
// before anything is fetched (the API refuses them too; this keeps the refusal plain). The audit trail is
// also open to project admins, for the projects they administer.
import { accountsView } from "./admin/accounts.js";
import { auditView, canReadAudit } from "./admin/audit.js";
import { configurationsView } from "./admin/configurations.js";
import { costCentersView } from "./admin/cost_centers.js";
import { linksView } from "./admin/links.js";
import { adminProjectsView } from "./admin/projects.js";
import { typesView } from "./admin/types.js";
import { usersView } from "./admin/users.js";
import { route } from "./router.js";
import { datasetView, datasetsView } from "./views/datasets.js";
import { environmentsView } from "./views/environments.js";
import { launchView } from "./views/launch.js";
import { membersView } from "./views/members.js";
import { projectsView } from "./views/projects.js";

route("/projects", projectsView, { title: "My projects" });
route("/projects/:projectId", environmentsView, { title: "Environments" });
route("/projects/:projectId/launch", launchView, { title: "Launch an environment" });
route("/projects/:projectId/datasets", datasetsView, { title: "Datasets" });
route("/projects/:projectId/datasets/:datasetId", datasetView, { title: "Dataset" });
route("/projects/:projectId/members", membersView, { title: "Members" });
route("/admin/accounts", accountsView, { admin: true, title: "Hosting accounts" });
route("/admin/users", usersView, { admin: true, title: "Users" });
route("/admin/cost-centers", costCentersView, { admin: true, title: "Cost centers" });
route("/admin/projects", adminProjectsView, { admin: true, title: "Projects" });
route("/admin/types", typesView, { admin: true, title: "Environment types" });
route("/admin/types/:envTypeId", configurationsView, { admin: true, title: "Configurations" });
route("/admin/links", linksView, { admin: true, title: "Links" });
route("/admin/audit", auditView, { allow: canReadAudit, audience: "IT admins and project admins", title: "Audit events" });
