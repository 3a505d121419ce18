import { describe, expect, it } from "vitest";
import type { SequenceSummary } from "./bindings/SequenceSummary";
import { filterSequences, fold, prepareSearch } from "./search";

function sequence(name: string, extra: Partial<SequenceSummary> = {}): SequenceSummary {
  return {
    id: name,
    path: `/home/ana/MTP/sequences/${name}`,
    dirName: name.toLowerCase().replace(/\s+/g, "_"),
    name,
    description: null,
    transportType: null,
    transportMethod: null,
    tags: [],
    captureDate: null,
    durationSec: null,
    distanceKm: null,
    mtpwUuid: null,
    strava: { eligible: true, activityType: "Ride", reason: null },
    desktopUploader: null,
    status: "ready",
    problems: [],
    ...extra,
  };
}

const library = [
  sequence("Morning ride to Córdoba", { transportMethod: "Bicycle", captureDate: "2024-05-01" }),
  sequence("Lake paddle", { transportMethod: "Paddleboard", tags: ["summer", "lake"] }),
  sequence("Hill walk", { description: "Foggy ridge above the village" }),
];

describe("filterSequences", () => {
  it("returns everything for an empty query", () => expect(filterSequences(library, "  ")).toBe(library));

  it("matches names without case or accents", () =>
    expect(filterSequences(library, "CORDOBA").map((s) => s.name)).toEqual(["Morning ride to Córdoba"]));

  it("matches tags, transport and description", () => {
    expect(filterSequences(library, "summer").map((s) => s.name)).toEqual(["Lake paddle"]);
    expect(filterSequences(library, "bicycle").map((s) => s.name)).toEqual(["Morning ride to Córdoba"]);
    expect(filterSequences(library, "foggy").map((s) => s.name)).toEqual(["Hill walk"]);
  });

  it("needs every word", () => {
    expect(filterSequences(library, "lake summer")).toHaveLength(1);
    expect(filterSequences(library, "lake winter")).toHaveLength(0);
  });

  it("matches the capture date", () => expect(filterSequences(library, "2024-05")).toHaveLength(1));

  it("keeps the original order", () =>
    expect(filterSequences(library, "e").map((s) => s.name)).toEqual(library.map((s) => s.name)));
});

describe("fold", () => {
  it("drops accents and case", () => expect(fold("Ålesund Café")).toBe("alesund cafe"));
});

describe("filterSequences over a changing library", () => {
  it("finds a replaced summary by its new fields, not by what the old one said", () => {
    const before = sequence("Coast ride", { tags: ["spring"] });
    expect(filterSequences([before], "spring")).toHaveLength(1);
    const after = { ...before, tags: ["autumn"] };
    expect(filterSequences([after], "spring")).toHaveLength(0);
    expect(filterSequences([after], "autumn")).toEqual([after]);
  });

  it("filters 10,000 sequences by every word, keeping their order", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      sequence(`Ride ${i} part ${i % 7}`, { tags: i % 2 === 0 ? ["even"] : ["odd"] }),
    );
    const found = filterSequences(many, "EVEN ride 12");
    expect(found.map((s) => s.name)).toEqual(
      many.filter((_, i) => i % 2 === 0 && String(i).includes("12")).map((s) => s.name),
    );
  });
});

describe("prepareSearch", () => {
  it("folds ahead without changing what a search finds", () => {
    const many = [sequence("Río Tinto ride"), sequence("Hill walk")];
    prepareSearch(many);
    expect(filterSequences(many, "rio").map((s) => s.name)).toEqual(["Río Tinto ride"]);
  });
});
