"""Privacy pages for the data protection officer, one module per area: the audit trail, the disclosure log."""
