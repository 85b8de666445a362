"""Insights and governance (issue 18): reads every other app and is read by none (.importlinter)."""
