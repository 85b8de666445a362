"""Partnership reads, one module per area; each takes the actor or starts from a case the actor may see."""
