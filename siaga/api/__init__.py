"""HTTP adapter: the FastAPI app factory and its routers."""

from siaga.api.app import create_app

__all__ = ["create_app"]
