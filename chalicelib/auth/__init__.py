"""Authentication (Cognito access tokens) and dynamic authorization (the authorization table)."""
