"""Campaign events and gatherings: clash detection, security and medical readiness."""
