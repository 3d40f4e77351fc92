"""Accounts and sessions: who may sign in, and who holds a session."""

from __future__ import annotations

from datetime import timedelta

from siaga.application.concern import Concern
from siaga.auth.throttle import ThrottlePolicy
from siaga.domain.access import Principal, Role
from siaga.services import users as user_service
from siaga.services.users import Account


class Users(Concern):
    """Accounts (add, list, password, enable) and sessions (login, logout, look-up)."""

    def add(self, username: str, password: str, role: Role, *, agency: str | None = None,
            display_name: str | None = None) -> Account:
        """Return the account created (UserError on a bad name, role or duplicate)."""
        return user_service.add_user(self.app.store, username, password, role, agency=agency,
                                     display_name=display_name)

    def accounts(self) -> list[Account]:
        """Return every account, without its password hash."""
        return user_service.list_accounts(self.app.store)

    def set_password(self, username: str, password: str) -> int:
        """Return how many sessions ended when the password was replaced."""
        return user_service.set_password(self.app.store, username, password)

    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable an account; disabling ends its sessions at once."""
        user_service.set_active(self.app.store, username, active)

    def throttle(self) -> ThrottlePolicy:
        """Return the login throttling the settings ask for."""
        settings = self.app.settings
        return ThrottlePolicy(settings.login_failures_per_account,
                              settings.login_failures_per_address,
                              timedelta(minutes=settings.login_window_minutes))

    def login(self, username: str, password: str, *,
              address: str | None = None) -> tuple[str, Principal] | None:
        """Return a new session token and its principal, None for wrong credentials
        (LoginThrottled while the account or address is throttled)."""
        return user_service.login(self.app.store, username, password,
                                  hours=self.app.settings.session_hours, address=address,
                                  throttle=self.throttle())

    def principal(self, token: str) -> Principal | None:
        """Return who holds a session token, or None (unknown, ended or expired)."""
        return user_service.principal_for(self.app.store, token)

    def logout(self, token: str) -> None:
        """End one session."""
        user_service.logout(self.app.store, token)
