"""Forms for the privacy pages, one module per area: the audit-trail search, the disclosure log's filters."""
