"""Reads of the insights app, by concept: the monthly report (`monthly`), the Tenant Satisfaction Measures (`tsm`)."""
