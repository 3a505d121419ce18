import { describe, expect, it } from "vitest";
import type { LibraryList } from "../bindings/LibraryList";
import { decodeList } from "./compactList";
import { encodeList, sequence } from "../testing/fixtures";

describe("the compact library list", () => {
  it("reads a row as the engine writes it (compact_list.rs's own example)", () => {
    const list: LibraryList = JSON.parse(
      `{"roots":[],"eligibility":[{"eligible":true,"activityType":"Ride","reason":null}],"rows":[` +
        `["2f6c69622f615f72696465","/lib/a_ride",null,"Morning Ride","along the coast","Earth","Bicycle",["coast"],"2025-10-05",600.0,9.412345678,null,0,null,"ready",[]]` +
        `],"readCount":3,"pendingTracks":1}`,
    );
    const scan = decodeList(list);
    expect(scan.readCount).toBe(3);
    expect(scan.pendingTracks).toBe(1);
    expect(scan.sequences).toEqual([
      {
        id: "2f6c69622f615f72696465",
        path: "/lib/a_ride",
        dirName: "a_ride",
        name: "Morning Ride",
        description: "along the coast",
        transportType: "Earth",
        transportMethod: "Bicycle",
        tags: ["coast"],
        captureDate: "2025-10-05",
        durationSec: 600,
        distanceKm: 9.412345678,
        mtpwUuid: null,
        strava: { eligible: true, activityType: "Ride", reason: null },
        desktopUploader: null,
        status: "ready",
        problems: [],
      },
    ]);
  });

  it("keeps the folder names it was sent", () => {
    const odd = sequence("x", { id: "2f6c69622f636166e9", path: "/lib/caf\u{fffd}", dirName: "caf\u{fffd}" });
    const scan = { roots: [], sequences: [odd, sequence("y")], readCount: 0, pendingTracks: 0 };
    expect(decodeList(encodeList(scan))).toEqual(scan);
  });

  it("says so when a row names an eligibility the list does not have", () => {
    const list = encodeList({ roots: [], sequences: [sequence("a")], readCount: 0, pendingTracks: 0 });
    list.eligibility = [];
    expect(() => decodeList(list)).toThrow(/eligibility 0/);
  });
});
