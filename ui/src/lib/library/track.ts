// Projects a [lat, lon] polyline into an SVG box: equirectangular, x scaled by cos(latitude)
// so shapes keep their proportions, fitted and centred with the same scale on both axes.

interface Point {
  x: number;
  y: number;
}

interface ProjectedTrack {
  /** The SVG path data ("M x y L x y ..."). */
  d: string;
  start: Point;
  end: Point;
  /** The projected points, in order. */
  points: Point[];
}

/** The projected track, or null when there are no points to draw. */
export function projectTrack(
  latLon: ReadonlyArray<readonly [number, number]>,
  width: number,
  height: number,
  padding = 16,
): ProjectedTrack | null {
  const valid = latLon.filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon));
  if (valid.length === 0) return null;

  const lats = valid.map(([lat]) => lat);
  const lons = valid.map(([, lon]) => lon);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const minLon = Math.min(...lons);
  const maxLon = Math.max(...lons);
  const xScale = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);

  const spanX = (maxLon - minLon) * xScale;
  const spanY = maxLat - minLat;
  const innerW = Math.max(width - 2 * padding, 1);
  const innerH = Math.max(height - 2 * padding, 1);
  // A single point or a perfectly straight line has no extent on one axis: fit the other.
  const scale = Math.min(spanX > 0 ? innerW / spanX : Infinity, spanY > 0 ? innerH / spanY : Infinity);
  const unit = Number.isFinite(scale) ? scale : 0;
  const offsetX = (width - spanX * unit) / 2;
  const offsetY = (height - spanY * unit) / 2;

  const points = valid.map(([lat, lon]) => ({
    x: round(offsetX + (lon - minLon) * xScale * unit),
    y: round(offsetY + (maxLat - lat) * unit),
  }));
  const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ");
  // `valid` is not empty, so both ends exist.
  return { d, start: points[0] as Point, end: points[points.length - 1] as Point, points };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
