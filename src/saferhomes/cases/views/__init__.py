"""Case views, one module per area: cases, record, closure, survey (public)."""
