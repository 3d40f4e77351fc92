"""Security and medical readiness rules: reading readiness files and the district gap table.

Pure: the service (services.readiness) reads and stores; this package decides.
"""
