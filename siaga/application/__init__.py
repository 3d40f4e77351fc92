"""The application object (`Siaga`) every interface calls, and the names it speaks in."""

from siaga.application.core import Siaga

__all__ = ["Siaga"]
