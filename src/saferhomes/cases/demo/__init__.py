"""Demo cases for the synthetic landlord: a few hundred cases in every state, so every screen has something true.

`seed_cases` is a step of `saferhomes seed` (registered from `CasesConfig.ready`, because housing sits below cases
in the import layers). About 15 cases per 100 homes: anti-social behaviour of every kind, hate incidents with
their strands, domestic abuse (DA-sensitive, with the domestic abuse specialist), a few restricted cases; new,
triaged, open, closing, closed and reopened, each with data that matches its state: parties from the register
(reporters, victims, alleged perpetrators, witnesses, some of them children), incidents, first responses (some
late), contact plans (some contacts missed), actions (some overdue), outcome discussions, closures and survey
answers. Everything is drawn from the step's own random stream and `ctx.today`, so a seed always gives the same
cases. Rows are bulk-inserted; case numbers are allocated in order of receipt and the reference counters set to
match, so cases created afterwards carry on from them.
"""

from __future__ import annotations

from saferhomes.cases.demo.seed import seed_cases
from saferhomes.core.seed import seed_step_register


def register_seed_step() -> None:
    """Make `seed_cases` a step of the demo seed, after the register (housing, 10-45) and before risk (60)."""
    seed_step_register("cases", seed_cases, order=50)
