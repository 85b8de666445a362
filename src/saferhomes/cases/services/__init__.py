"""Case services (writes), one module per area: import from the module, e.g. `cases.services.record`."""
