"""The dashboard, language choice and error pages."""
