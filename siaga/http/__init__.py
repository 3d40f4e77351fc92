"""What the JSON API and the dashboard share over HTTP: who is asking (sessions, roles, CSRF),
parameters, the application object as a dependency, row visibility, and the middleware."""
