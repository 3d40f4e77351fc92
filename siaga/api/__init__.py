"""The JSON API: one route module per concern (`<concern>_routes.py`), composed by
`siaga.server.create_app`."""
