"""Research Service Workbench: everything deployed to Lambda."""
