"""Reads of the programmes app, one module per entity."""
