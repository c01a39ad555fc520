"""Shared user-interface helpers (HTTP idioms, charts, status badges).

The bottom of the app graph: it imports no feature app, so every app may use it
(see docs/architecture.md and tests/test_architecture.py).
"""
