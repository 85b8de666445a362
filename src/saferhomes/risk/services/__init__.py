"""Risk services: instruments (loading, publishing, retiring) and assessments on cases."""
