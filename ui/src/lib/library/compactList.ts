// The library list as the engine sends it (`LibraryList`, engine `compact_list.rs`: one array
// per sequence, each Strava eligibility once, the folder name left out where it is the path's
// last segment) turned back into the `LibraryScan` the stores use.

import type { LibraryList } from "../bindings/LibraryList";
import type { LibraryScan } from "../bindings/LibraryScan";
import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { SummaryRow } from "../bindings/SummaryRow";

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Every summary of the list, newest first, with its roots and counts. */
export function decodeList(list: LibraryList): LibraryScan {
  const sequences = list.rows.map((row) => summaryOf(row, list));
  return { roots: list.roots, sequences, readCount: list.readCount, pendingTracks: list.pendingTracks };
}

function summaryOf(row: SummaryRow, list: LibraryList): SequenceSummary {
  const [id, path, dirName, name, description, transportType, transportMethod, tags, captureDate, durationSec, distanceKm, mtpwUuid, strava, desktopUploader, status, problems] = row;
  const eligibility = list.eligibility[strava];
  if (eligibility == null) throw new Error(`The library list names Strava eligibility ${strava}, which it does not have.`);
  return {
    id,
    path,
    dirName: dirName ?? lastSegment(path),
    name,
    description,
    transportType,
    transportMethod,
    tags,
    captureDate,
    durationSec,
    distanceKm,
    mtpwUuid,
    strava: eligibility,
    desktopUploader,
    status,
    problems,
  };
}
