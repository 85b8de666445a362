"""Demo data for the performance report and the TSM (seed step 80, after every case, report and survey is made):
a few homes sold during the current TSM year, so homes owned at its end differ from the register's count. The cases
demo already spreads cases, closures and survey answers over the months the report compares."""

from __future__ import annotations

import datetime as dt
import random

from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.housing.models import Property
from saferhomes.insights import rules
from saferhomes.insights.models import HomeSale

STEP = "insights"
SALE_NOTES = ("Right to buy", "Right to acquire", "Sold at auction (void, beyond economic repair)")


def seed_insights(ctx: SeedContext) -> None:
    """Record a handful of homes as sold earlier in the current TSM year (and no longer owned)."""
    rng = random.Random(f"{ctx.seed}:{STEP}")  # noqa: S311 - demo data, not security
    year_start, _ = rules.tsm_year_bounds(rules.tsm_year_of(ctx.today))
    days = max(1, (ctx.today - year_start).days)
    homes = list(Property.objects.filter(is_owned=True, cases__isnull=True, sale__isnull=True).order_by("pk")[:200])
    sold = rng.sample(homes, k=min(len(homes), max(1, ctx.homes // 400)))
    for home in sold:
        HomeSale.objects.create(
            property=home,
            sold_on=year_start + dt.timedelta(days=rng.randrange(days)),
            note=rng.choice(SALE_NOTES),
        )
    Property.objects.filter(pk__in=[home.pk for home in sold]).update(is_owned=False)
    ctx.counts["Homes sold this year"] = len(sold)


def register() -> None:
    """Make `seed_insights` a step of the demo seed (80: after the cases, reports and surveys)."""
    seed_step_register(STEP, seed_insights, order=80)
