import { describe, expect, it } from "vitest";
import { clickSelect, EMPTY_SELECTION, selectAllReady } from "../library/selection";
import { sequence } from "../testing/fixtures";
import { keepExisting, uploadPlan } from "./uploadPlan";

describe("upload plan", () => {
  it("lists what is skipped and why", () => {
    const all = [
      sequence("ok"),
      sequence("bad gpx", { status: "invalid", problems: [{ file: "bad.gpx", message: "track point 12 has no time" }] }),
      sequence("walk", { status: "notEligible", strava: { eligible: false, activityType: null, reason: "Boat trips do not go to Strava." } }),
      sequence("no id", { mtpwUuid: null }),
      sequence("old", { status: "uploadedByDesktop" }),
      sequence("checking", { status: "checking" }),
      sequence("not selected"),
    ];
    const plan = uploadPlan(all, new Set(["ok", "bad gpx", "walk", "no id", "old", "checking"]));
    expect(plan.upload.map((s) => s.id)).toEqual(["ok"]);
    expect(plan.skipped.map((s) => [s.sequence.id, s.reason])).toEqual([
      ["bad gpx", "invalidGpx"],
      ["walk", "notEligible"],
      ["no id", "noMtpwId"],
      ["old", "alreadyOnStrava"],
      ["checking", "checking"],
    ]);
    expect(plan.skipped[0]!.text).toBe("Its GPX track is not valid: track point 12 has no time.");
    expect(plan.skipped[1]!.text).toBe("Boat trips do not go to Strava.");
  });

  it("skips what the queue is uploading or has just uploaded", () => {
    const all = [sequence("sending"), sequence("sent"), sequence("stopped"), sequence("new")];
    const live = { sending: "processing", sent: "done", stopped: "failed" } as const;
    const plan = uploadPlan(all, new Set(all.map((s) => s.id)), (id) => live[id as keyof typeof live] ?? null);
    expect(plan.upload.map((s) => s.id)).toEqual(["stopped", "new"]);
    expect(plan.skipped.map((s) => [s.sequence.id, s.reason])).toEqual([
      ["sending", "inQueue"],
      ["sent", "alreadyOnStrava"],
    ]);
  });

  it("select all ready then the plan over 10,000 sequences take well under 100 ms", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => sequence(`s${i}`, { status: i % 3 === 0 ? "invalid" : "ready" }));
    const start = performance.now();
    const plan = uploadPlan(many, selectAllReady(many).ids);
    expect(performance.now() - start).toBeLessThan(100);
    expect(plan.upload).toHaveLength(6_666);
    expect(plan.skipped).toHaveLength(0);
  });

  it("forgets ids the library no longer lists", () => {
    const order = ["a", "b"];
    const s = clickSelect(clickSelect(EMPTY_SELECTION, order, "a", { shift: false, toggle: false }), order, "b", { shift: false, toggle: true });
    const kept = keepExisting(s, [sequence("a")]);
    expect([...kept.ids]).toEqual(["a"]);
    expect(kept.anchor).toBeNull();
    expect(keepExisting(kept, [sequence("a")])).toBe(kept);
  });
});
