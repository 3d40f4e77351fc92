"""Settings from the environment and an optional TOML file, built by a factory, never at import."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator


class SettingsError(ValueError):
    """Settings that cannot be used, with a message naming the setting or file."""


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def proxy_networks(text: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Return the networks of a comma-separated list of addresses and CIDRs.

    Raises ValueError naming the entry that is neither.
    """
    found = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            found.append(ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
    return tuple(found)


class Settings(BaseModel):
    """Every named setting of Siaga. See docs/settings.md for each one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path = Field(
        default=Path("var"), description="Working folder for the database and caches."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: an SQLite file siaga.db under home."
    )
    data_dir: Path | None = Field(
        default=None, description="Folder holding the shared reference data (../shared/data)."
    )
    host: str = Field(default="127.0.0.1", description="Address that `siaga serve` listens on.")
    port: int = Field(default=8000, description="Port that `siaga serve` listens on.")
    session_hours: float = Field(
        default=12, gt=0, description="How long a login lasts before the user must sign in again."
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send the session cookies only over HTTPS; default: yes unless `host` is "
        "a loopback address (localhost, 127.0.0.1, ::1).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses or CIDR networks of reverse proxies, comma-separated; only a "
        "request from one of them may name the client in X-Forwarded-For or Forwarded.",
    )
    login_failures_per_account: int = Field(
        default=5, ge=1,
        description="Wrong passwords for one account within login_window_minutes before "
        "logins to it are refused (429) until the window has passed.",
    )
    login_failures_per_address: int = Field(
        default=20, ge=1,
        description="Failed logins from one client address within login_window_minutes "
        "before logins from it are refused (429).",
    )
    login_window_minutes: float = Field(
        default=15, gt=0, description="The window that login failures are counted over."
    )
    events_clash_km: float = Field(
        default=2.0, ge=0, description="Rival events closer than this (km) may clash."
    )
    events_buffer_hours: float = Field(
        default=2.0, ge=0, description="Hours added around each event when checking overlaps."
    )
    events_tps_radius_km: float = Field(
        default=1.0, ge=0, description="Events within this distance of a TPS rawan are flagged."
    )
    case_rules: Path | None = Field(
        default=None,
        description="Case routing and deadline rules (YAML); default: home/cases/routing.yaml "
        "when present, else the shipped rules.",
    )
    report_limit_per_hour: int = Field(
        default=10, ge=1, description="Reports one public sender may submit per hour."
    )
    attachment_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest accepted attachment, in bytes."
    )
    attachment_types: str = Field(
        default="image/png,image/jpeg,image/webp,image/gif,application/pdf,text/plain",
        description="Accepted attachment media types, comma-separated (recognised from content).",
    )
    alert_rules: Path | None = Field(
        default=None, description="YAML file of alert rules; default: the packaged rules."
    )
    devset_dir: Path | None = Field(
        default=None,
        description="Folder of the real-text dev set's text cache (passages.jsonl); "
        "default: home/devset.",
    )

    smtp_host: str | None = Field(
        default=None, description="SMTP server for e-mailing briefings (none: no e-mail)."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_user: str | None = Field(default=None, description="SMTP login name, if it needs one.")
    smtp_password: SecretStr | None = Field(
        default=None,
        description="SMTP password (keep it in the environment or a private settings file).")
    smtp_from: str = Field(default="siaga@localhost", description="Sender of briefing e-mails.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection to TLS.")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        proxy_networks(value)
        return value

    @property
    def secure_cookies(self) -> bool:
        """Return whether cookies carry `Secure`: as set, else unless serving on loopback."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.host.strip("[]") not in LOOPBACK_HOSTS

    @property
    def proxies(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """Return the trusted proxy networks."""
        return proxy_networks(self.trusted_proxies)

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to an SQLite file under home."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'siaga.db').resolve()}"

    def require_data_dir(self) -> Path:
        """Return the data directory, or raise SettingsError saying how to set it."""
        if self.data_dir is None:
            raise SettingsError(
                "no data directory: set SIAGA_DATA_DIR to the folder holding the shared data "
                "(for a checkout, ../shared/data)"
            )
        if not self.data_dir.is_dir():
            raise SettingsError(
                f"data directory {self.data_dir} does not exist (from SIAGA_DATA_DIR or data_dir "
                "in the settings file)"
            )
        return self.data_dir


ENV_PREFIX = "SIAGA_"
CONFIG_ENV = "SIAGA_CONFIG"


def _from_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path}: {exc}") from exc
    # Allow both a flat file and one with a [siaga] table.
    section = data.get("siaga", data)
    if not isinstance(section, dict):
        raise SettingsError(f"settings file {path}: [siaga] must be a table")
    return dict(section)


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = raw
    return values


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Return settings from (lowest first) defaults, the TOML file, the environment, overrides.

    The file is `config_file`, else the path in SIAGA_CONFIG, else none.
    """
    environ = os.environ if env is None else env
    values: dict[str, Any] = {}
    file_path = config_file or (Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else None)
    if file_path is not None:
        values.update(_from_file(file_path))
    values.update(_from_env(environ))
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from exc
