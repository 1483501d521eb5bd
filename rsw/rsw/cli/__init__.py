"""The `rsw` command line: typer commands over `rsw.Client`, rich for people, --output json for scripts."""
