"""Writes and documents of the insights app: the monthly report in its three formats and its monthly email."""
