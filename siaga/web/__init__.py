"""Dashboard templates and static assets, served locally (no CDN)."""
