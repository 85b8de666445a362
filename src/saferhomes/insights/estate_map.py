"""The estates map (issue 18 part 3): estates placed by their coordinates (Web Mercator, as map tiles are drawn)
and sized by their count of cases, as SVG geometry the template draws with presentation attributes only. Pure: plain
values in, coordinates out. No tiles are fetched here: when a tile server is configured the template draws the
tiles this names beneath the estates (offline, none is reachable, and the map still reads without them)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 640, 420, 40
TILE = 256
MAX_ZOOM = 17
MAX_TILES = 24
MIN_RADIUS, MAX_RADIUS = 5.0, 28.0


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    count: int


@dataclass(frozen=True)
class Marker:
    name: str
    count: int
    x: float
    y: float
    r: float
    label_y: float


@dataclass(frozen=True)
class TileImage:
    href: str
    x: float
    y: float


@dataclass(frozen=True)
class EstateMap:
    width: int
    height: int
    markers: list[Marker]
    tiles: list[TileImage]
    summary: str


def _world(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at `zoom` (what tile servers use)."""
    scale = TILE * 2**zoom
    lat = max(min(latitude, 85.05112878), -85.05112878)
    x = (longitude + 180.0) / 360.0 * scale
    siny = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    return x, y


def _zoom_to_fit(places: Sequence[Place]) -> int:
    """The closest zoom at which every estate fits inside the margins."""
    for zoom in range(MAX_ZOOM, -1, -1):
        points = [_world(p.latitude, p.longitude, zoom) for p in places]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if max(xs) - min(xs) <= WIDTH - 2 * MARGIN and max(ys) - min(ys) <= HEIGHT - 2 * MARGIN:
            return zoom
    return 0


def radius(count: int, largest: int) -> float:
    """A marker's radius: its area grows with its count (so a count twice as large looks twice as large)."""
    if largest <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / largest), 1)


def estate_map(places: Sequence[Place], *, tile_url: str = "") -> EstateMap | None:
    """The map of `places` (None without any); `tile_url` like 'https://tiles.example/{z}/{x}/{y}.png' or empty."""
    if not places:
        return None
    zoom = _zoom_to_fit(places)
    points = [_world(p.latitude, p.longitude, zoom) for p in places]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    origin_x = (min(xs) + max(xs)) / 2 - WIDTH / 2
    origin_y = (min(ys) + max(ys)) / 2 - HEIGHT / 2
    largest = max(p.count for p in places)
    markers = []
    for place, (x, y) in zip(places, points, strict=True):
        r = radius(place.count, largest)
        mx, my = round(x - origin_x, 1), round(y - origin_y, 1)
        markers.append(Marker(name=place.name, count=place.count, x=mx, y=my, r=r, label_y=round(my + r + 14, 1)))
    # Biggest first, so a small estate's marker is drawn over (and stays visible on top of) a big neighbour's.
    markers.sort(key=lambda m: -m.r)
    tiles = _tiles(tile_url, zoom, origin_x, origin_y) if tile_url else []
    busiest = max(places, key=lambda p: p.count)
    summary = (
        f"Map of {len(places)} estate{'s' if len(places) != 1 else ''}, each a circle sized by its number of cases; "
        f"the most is {busiest.name} with {busiest.count:,}. The table gives every estate's figure."
    )
    return EstateMap(width=WIDTH, height=HEIGHT, markers=markers, tiles=tiles, summary=summary)


def _tiles(template: str, zoom: int, origin_x: float, origin_y: float) -> list[TileImage]:
    """The tiles that cover the drawing, each placed where it belongs (at most MAX_TILES)."""
    first_x, last_x = math.floor(origin_x / TILE), math.floor((origin_x + WIDTH) / TILE)
    first_y, last_y = math.floor(origin_y / TILE), math.floor((origin_y + HEIGHT) / TILE)
    limit = 2**zoom
    tiles: list[TileImage] = []
    for tx in range(first_x, last_x + 1):
        for ty in range(max(0, first_y), min(limit - 1, last_y) + 1):
            href = template.replace("{z}", str(zoom)).replace("{x}", str(tx % limit)).replace("{y}", str(ty))
            tiles.append(TileImage(href=href, x=round(tx * TILE - origin_x, 1), y=round(ty * TILE - origin_y, 1)))
    return tiles[:MAX_TILES]
