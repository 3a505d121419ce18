// Builders of the engine's types for store tests.

import type { SequenceSummary } from "../bindings/SequenceSummary";

/** A ready, eligible sequence named `name` (its id is the name); `extra` overrides fields. */
export function sequence(name: string, extra: Partial<SequenceSummary> = {}): SequenceSummary {
  return {
    id: name,
    path: `/home/ana/MTP/sequences/${name}`,
    dirName: name,
    name,
    description: null,
    transportType: "cycling",
    transportMethod: "Bicycle",
    tags: [],
    captureDate: "2024-05-01T08:00:00Z",
    durationSec: 3600,
    distanceKm: 20,
    mtpwUuid: "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10",
    strava: { eligible: true, activityType: "Ride", reason: null },
    desktopUploader: null,
    status: "ready",
    problems: [],
    track: null,
    ...extra,
  };
}
