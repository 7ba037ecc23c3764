"""Samordna."""
