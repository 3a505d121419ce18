import { describe, expect, it } from "vitest";
import type { SequenceSummary } from "../bindings/SequenceSummary";
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

describe("typing a query one character at a time", () => {
  const many = Array.from({ length: 2_000 }, (_, i) =>
    sequence(`Lake ${["Bled", "Como", "Bohinj"][i % 3]} walk ${i}`, { tags: i % 5 === 0 ? ["bled-trip"] : [] }),
  );
  const fresh = (query: string) => {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return many.filter((s) => words.every((w) => fold([s.name, s.dirName, ...s.tags, s.strava.activityType ?? ""].join("\n")).includes(w)));
  };

  it("finds at each keystroke what a search from scratch finds, also when deleting", () => {
    const typed = "lake bled walk 12";
    const steps = [...typed].map((_, i) => typed.slice(0, i + 1));
    for (const query of [...steps, "lake bl", "lake bo", "", "walk 1", "walk 12 "]) {
      expect(filterSequences(many, query).map((s) => s.name), query).toEqual(fresh(query).map((s) => s.name));
    }
  });

  it("starts again from the whole list when the list is a new one", () => {
    expect(filterSequences(many, "como")).toHaveLength(fresh("como").length);
    const more = [...many, sequence("Lake Como swim")];
    expect(filterSequences(more, "como swim").map((s) => s.name)).toEqual(["Lake Como swim"]);
  });
});

describe("prepareSearch", () => {
  it("folds ahead without changing what a search finds", () => {
    const many = [sequence("Río Tinto ride"), sequence("Hill walk")];
    prepareSearch(many);
    expect(filterSequences(many, "rio").map((s) => s.name)).toEqual(["Río Tinto ride"]);
  });
});
