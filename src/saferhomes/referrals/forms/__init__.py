"""Partnership forms, one module per area: they carry what was typed; the services decide."""
