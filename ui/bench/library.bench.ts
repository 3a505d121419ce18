// `make bench` (UI part): the library's pure logic over 10,000 sequences, as the app runs it on
// every search keystroke and on "select all ready". Run with `npx vitest bench --run`.

import { bench, describe } from "vitest";
import type { SequenceStatus } from "../src/lib/bindings/SequenceStatus";
import type { SequenceSummary } from "../src/lib/bindings/SequenceSummary";
import { filterSequences } from "../src/lib/library/search";
import { selectAllReady } from "../src/lib/library/selection";
import { visibleRange } from "../src/lib/shell/windowing";

const COUNT = 10_000;
const PLACES = ["Farnham Heath", "Lake Bled", "Brecon Beacons", "Chamonix", "Cape Point", "Blue Ridge"];
const METHODS = ["Bicycle", "Walk", "Paddleboard", "Ski", "Car", "Kayak", "Paraglide", "Electric Bicycle"];
const STATUSES: SequenceStatus[] = ["ready", "ready", "ready", "notEligible", "invalid", "uploadedByDesktop"];

/** Summaries shaped like the generator's (and the scan's) for a library of `count`. */
function library(count: number): SequenceSummary[] {
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length] ?? "";
    const method = METHODS[i % METHODS.length] ?? "";
    const name = `${place} ${method} ${String(i).padStart(4, "0")}${i % 7 === 3 ? " Part 2" : ""}`;
    return {
      id: `id-${i}`,
      path: `/home/ana/MTP/sequences/${name.toLowerCase().replaceAll(" ", "_")}`,
      dirName: name.toLowerCase().replaceAll(" ", "_"),
      name,
      description: `${method} around ${place}, sequence ${i}`,
      transportType: "Earth",
      transportMethod: method,
      tags: [place.toLowerCase().replaceAll(" ", "-"), method.toLowerCase()],
      captureDate: `2024-05-${String((i % 28) + 1).padStart(2, "0")}T07:00:00`,
      durationSec: 1800,
      distanceKm: 12.3,
      // Synced sequences have their Map the Paths id: "select all ready" selects them.
      mtpwUuid: `6f1c2c1e-8d0b-4a57-9a0e-${String(i).padStart(12, "0")}`,
      strava: { eligible: true, activityType: "Ride", reason: null },
      desktopUploader: null,
      status: STATUSES[i % STATUSES.length] ?? "ready",
      problems: [],
    } as unknown as SequenceSummary;
  });
}

const warm = library(COUNT);
filterSequences(warm, "warm up the folded texts");
const typed = "lake bled walk 12";

describe(`${COUNT.toLocaleString("en")} sequences`, () => {
  // Two queries that do not extend each other: each keystroke reads all 10,000 texts.
  let flip = false;
  bench("search keystroke over all of them ('lake bled walk 12' / 'brecon ride 3', texts folded)", () => {
    flip = !flip;
    filterSequences(warm, flip ? typed : "brecon ride 3");
  });

  bench("typing 'lake bled walk 12' one character at a time (17 keystrokes, each narrows the last)", () => {
    for (let end = 1; end <= typed.length; end++) filterSequences(warm, typed.slice(0, end));
  });

  // Each run takes a library it has never searched: its texts are folded during the keystroke.
  const unsearched = Array.from({ length: 25 }, () => library(COUNT));
  let next = 0;
  bench(
    "first search keystroke after a scan (folds every text)",
    () => {
      filterSequences(unsearched[next++ % unsearched.length] ?? warm, "l");
    },
    { iterations: unsearched.length, time: 0, warmupIterations: 0, warmupTime: 0 },
  );

  bench("select all ready", () => {
    selectAllReady(warm);
  });

  bench("rows for a scroll offset", () => {
    visibleRange(123_456, 700, 60, COUNT);
  });
});
