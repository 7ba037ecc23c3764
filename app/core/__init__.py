"""Shared building blocks: organisations, materials, audit log, access rules, formatting."""
