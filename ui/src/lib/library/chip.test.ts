import { describe, expect, it } from "vitest";
import type { UploadState } from "../bindings/UploadState";
import { chipHint, chipLabel, chipState, isUploadable, type ChipState } from "./chip";
import { sequence } from "../testing/fixtures";

describe("chipState", () => {
  it("is the engine's status for a sequence that is not being uploaded", () => {
    expect(chipState(sequence("a"))).toBe("ready");
    expect(chipState(sequence("a", { status: "invalid" }))).toBe("invalid");
    expect(chipState(sequence("a", { status: "notEligible", mtpwUuid: null }))).toBe("notEligible");
    expect(chipState(sequence("a", { status: "checking" }))).toBe("checking");
    expect(chipState(sequence("a", { status: "uploadedByDesktop" }))).toBe("uploadedByDesktop");
  });

  it("says a ready sequence without a Map the Paths id needs its link, not Ready", () => {
    const unlinked = sequence("a", { mtpwUuid: null });
    expect(chipState(unlinked)).toBe("needsMtpwId");
    expect(chipLabel("needsMtpwId")).toBe("Needs MTPW link");
    expect(isUploadable(unlinked)).toBe(false);
    expect(isUploadable(sequence("b"))).toBe(true);
  });

  it("follows the live state of the sequence's upload", () => {
    const ready = sequence("a");
    const cases: Array<[UploadState, ChipState]> = [
      ["queued", "queued"],
      ["validating", "uploading"],
      ["uploading", "uploading"],
      ["processing", "uploading"],
      ["syncingMtpw", "uploading"],
      ["done", "uploaded"],
      ["failed", "uploadFailed"],
      ["activityDeleted", "uploadFailed"],
      ["notSignedIn", "uploadAttention"],
      ["onStravaMtpwNotUpdated", "uploadAttention"],
      ["noMtpwId", "needsMtpwId"],
      ["cancelled", "ready"],
    ];
    for (const [upload, chip] of cases) expect([upload, chipState(ready, upload)]).toEqual([upload, chip]);
    expect(isUploadable(ready, "uploading")).toBe(false);
    expect(isUploadable(ready, "cancelled")).toBe(true);
  });

  it("has words and a hint for every chip", () => {
    const all: ChipState[] = ["ready", "needsMtpwId", "notEligible", "uploadedByDesktop", "invalid", "checking", "queued", "uploading", "uploaded", "uploadAttention", "uploadFailed"];
    for (const state of all) {
      expect(chipLabel(state)).toMatch(/^[A-Z]/);
      expect(chipHint(state)).toMatch(/\.$/);
    }
    expect(chipLabel("ready")).toBe("Ready");
    expect(chipLabel("invalid")).toBe("Needs attention");
    expect(chipLabel("uploaded")).toBe("On Strava");
  });
});
