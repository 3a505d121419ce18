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
    ...extra,
  };
}

import type { QueueRow } from "../bindings/QueueRow";
import type { UploadRecord } from "../bindings/UploadRecord";

/** A stored upload record `id` of sequence `name`; `extra` overrides fields. */
export function record(id: number, name: string, extra: Partial<UploadRecord> = {}): UploadRecord {
  return {
    id,
    sequenceId: name,
    sequenceName: name,
    folder: `/home/ana/MTP/sequences/${name}`,
    mtpwUuid: "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10",
    gpxSha256: "ab".repeat(32),
    state: "queued",
    detail: null,
    stravaUploadId: null,
    activityId: null,
    sportType: "Ride",
    hideFromHome: false,
    hiddenFromHome: false,
    createdAt: "2026-11-23T10:00:00.000Z",
    updatedAt: "2026-11-23T10:00:00.000Z",
    attempts: [],
    ...extra,
  };
}

/** A queue row without live progress. */
export function row(id: number, name: string, extra: Partial<UploadRecord> = {}): QueueRow {
  return { record: record(id, name, extra), bytes: null, attempt: null };
}

import type { LibraryList } from "../bindings/LibraryList";
import type { LibraryScan } from "../bindings/LibraryScan";
import type { SummaryRow } from "../bindings/SummaryRow";

/** The compact list of `scan` (tests' fake backend answers with it; folder names always sent). */
export function encodeList(scan: LibraryScan): LibraryList {
  const eligibility: SequenceSummary["strava"][] = [];
  const rows = scan.sequences.map((s): SummaryRow => {
    let index = eligibility.findIndex((e) => JSON.stringify(e) === JSON.stringify(s.strava));
    if (index < 0) index = eligibility.push(s.strava) - 1;
    return [s.id, s.path, s.dirName, s.name, s.description, s.transportType, s.transportMethod, s.tags, s.captureDate, s.durationSec, s.distanceKm, s.mtpwUuid, index, s.desktopUploader, s.status, s.problems];
  });
  return { roots: scan.roots, eligibility, rows, readCount: scan.readCount, pendingTracks: scan.pendingTracks, offset: 0, total: rows.length, scan: 1 };
}

/**
 * A `scan_library` answer over `scan` that pages as the engine does (`ListPages`): a call with
 * `first` answers that many rows and holds the rest of that scan for `restOf`, which answers
 * the next `first` of them (all when `first` is null).
 */
export function pagedScans(scan: () => LibraryScan): (args: { first: number | null; restOf: number | null }) => LibraryList {
  let number = 0;
  let held: LibraryList | null = null;
  const take = (list: LibraryList, first: number | null): LibraryList => {
    held = first == null || first >= list.rows.length ? null : { ...list, rows: list.rows.slice(first), offset: list.offset + first };
    return held == null ? list : { ...list, rows: list.rows.slice(0, first ?? undefined) };
  };
  return ({ first, restOf }) => {
    if (held != null && restOf === held.scan) return take(held, first);
    number += 1;
    return take({ ...encodeList(scan()), scan: number }, first);
  };
}
