import { describe, expect, it } from "vitest";
import { record, sequence } from "../testing/fixtures";
import { captureTime, feedWords, hideByDefault, isBackfill, rememberChoice } from "./feedChoice";

const NOW = new Date("2026-12-03T12:00:00").getTime();
const daysAgo = (days: number) => new Date(NOW - days * 24 * 3600 * 1000).toISOString();

describe("keeping a batch off the followers' home feeds", () => {
  it("calls a batch of more than 5 sequences, or one captured over 14 days ago, a backfill", () => {
    const recent = (n: number) => Array.from({ length: n }, (_, i) => sequence(`s${i}`, { captureDate: daysAgo(1) }));
    expect(isBackfill(recent(5), NOW)).toBe(false);
    expect(isBackfill(recent(6), NOW)).toBe(true);
    expect(isBackfill([sequence("a", { captureDate: daysAgo(13) })], NOW)).toBe(false);
    expect(isBackfill([sequence("a", { captureDate: daysAgo(15) })], NOW)).toBe(true);
    // The engine's local forms, and a sequence without a date (not old).
    expect(isBackfill([sequence("a", { captureDate: "2026-11-01" })], NOW)).toBe(true);
    expect(isBackfill([sequence("a", { captureDate: "2026-12-01T09:30:00" })], NOW)).toBe(false);
    expect(isBackfill([sequence("a", { captureDate: null }), sequence("b", { captureDate: "garbage" })], NOW)).toBe(false);
    expect(captureTime("2026-12-01")).toBe(new Date(2026, 11, 1).getTime());
  });

  it("ticks the box for a backfill unless the user's last choice for that kind says otherwise", () => {
    expect(hideByDefault(true, null)).toBe(true);
    expect(hideByDefault(false, null)).toBe(false);
    const prefs = { hideBackfills: false, hideRecent: true, autoHideFromHome: false };
    expect(hideByDefault(true, prefs)).toBe(false);
    expect(hideByDefault(false, prefs)).toBe(true);
    expect(hideByDefault(true, { hideBackfills: null, hideRecent: null, autoHideFromHome: true })).toBe(true);
    expect(rememberChoice(true, false)).toEqual({ hideBackfills: false, hideRecent: null, autoHideFromHome: null });
    expect(rememberChoice(false, true)).toEqual({ hideBackfills: null, hideRecent: true, autoHideFromHome: null });
  });

  it("says where an uploaded activity stands", () => {
    expect(feedWords(record(1, "a", { activityId: "12", hideFromHome: true, hiddenFromHome: true }))).toBe("Kept off your followers' home feeds");
    expect(feedWords(record(1, "a", { activityId: "12" }))).toBe("Shown on your followers' home feeds");
    expect(feedWords(record(1, "a", { activityId: "12", hideFromHome: true }))).toContain("not confirmed");
    expect(feedWords(record(1, "a"))).toBeNull();
  });
});
