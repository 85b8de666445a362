"""Performance benches for Saferhomes (`saferhomes bench`): a synthetic-landlord generator and timing harness."""
