import { describe, expect, it } from "vitest";
import type { QueueSnapshot } from "../bindings/QueueSnapshot";
import { row } from "../testing/fixtures";
import { applyUploadEvent, attemptWords, batchNotice, batchProgress, batchSummary, isOnStrava, progressOf, stateWords } from "./uploads";

function snapshot(...rows: ReturnType<typeof row>[]): QueueSnapshot {
  return { rows, running: true, paused: false, pausedUntil: null, waitingFor: null, error: null, held: null };
}

describe("upload rows", () => {
  it("fold bytes, retries and states; a new state ends the retry and the byte count", () => {
    let s = snapshot(row(1, "a", { state: "uploading" }), row(2, "b"));
    s = applyUploadEvent(s, { kind: "bytes", upload: 1, sent: 250, total: 1000 }).snapshot;
    expect(progressOf(s.rows[0]!)).toEqual({ kind: "bytes", fraction: 0.25 });
    s = applyUploadEvent(s, { kind: "attempt", upload: 1, step: "upload", attempt: 2, of: 4, error: "Strava answered 503." }).snapshot;
    expect(attemptWords(s.rows[0]!)).toBe("Retrying uploading: attempt 2 of 4");
    s = applyUploadEvent(s, { kind: "state", upload: 1, sequenceName: "a", state: "processing", detail: null }).snapshot;
    expect(s.rows[0]!.record.state).toBe("processing");
    expect(s.rows[0]!.attempt).toBeNull();
    expect(s.rows[0]!.bytes).toBeNull();
    expect(progressOf(s.rows[0]!)).toEqual({ kind: "indeterminate" });
    expect(s.rows[1]).toEqual(row(2, "b"));
  });

  it("say when an event names a row it does not have, and keep the rate-limit pause time", () => {
    const s = snapshot(row(1, "a"));
    expect(applyUploadEvent(s, { kind: "bytes", upload: 9, sent: 1, total: 2 }).unknown).toBe(true);
    const paused = applyUploadEvent(s, { kind: "pausedUntil", until: "2026-11-23T14:15:00Z" });
    expect(paused.snapshot.pausedUntil).toBe("2026-11-23T14:15:00Z");
    // Another row finishing on Map the Paths while the queue waits keeps the banner.
    const other = applyUploadEvent(paused.snapshot, { kind: "state", upload: 1, sequenceName: "a", state: "done", detail: null });
    expect(other.snapshot.pausedUntil).toBe("2026-11-23T14:15:00Z");
    const resumed = applyUploadEvent(paused.snapshot, { kind: "state", upload: 1, sequenceName: "a", state: "processing", detail: null });
    expect(resumed.snapshot.pausedUntil).toBeNull();
    const waiting = applyUploadEvent(s, { kind: "waitingForOtherRun", holder: "the command-line uploader (process 42)" });
    expect(waiting.snapshot.waitingFor).toBe("the command-line uploader (process 42)");
    expect(waiting.unknown).toBe(false);
    expect(applyUploadEvent(waiting.snapshot, { kind: "waitingForOtherRun", holder: null }).snapshot.waitingFor).toBeNull();
  });

  it("summarise the batch as done, failed, waiting and needing attention", () => {
    const rows = [
      row(1, "a", { state: "done" }),
      row(2, "b", { state: "failed" }),
      row(3, "c", { state: "uploading" }),
      row(4, "d", { state: "queued" }),
      row(5, "e", { state: "notSignedIn" }),
      row(6, "f", { state: "onStravaMtpwNotUpdated" }),
    ];
    expect(batchSummary(rows)).toEqual({ done: 1, failed: 2, waiting: 2, attention: 1, cancelled: 0, total: 6 });
    expect(batchProgress(batchSummary(rows))).toEqual({ kind: "bytes", fraction: 4 / 6 });
  });

  it("fill the batch bar once nothing is left to do, and show none for an empty queue", () => {
    const none = { done: 0, failed: 0, waiting: 0, attention: 0, cancelled: 0, total: 0 };
    expect(batchProgress({ ...none, done: 3, failed: 1, total: 4 })).toEqual({ kind: "full" });
    expect(batchProgress(none)).toEqual({ kind: "none" });
    expect(batchProgress({ ...none, waiting: 200, total: 200 })).toEqual({ kind: "bytes", fraction: 0 });
  });

  it("count cancelled rows as cancelled, not failed, in the summary and the batch notice", () => {
    const rows = [row(1, "a", { state: "done" }), row(2, "b", { state: "cancelled" }), row(3, "c", { state: "cancelled" })];
    expect(batchSummary(rows)).toMatchObject({ done: 1, failed: 0, cancelled: 2 });
    expect(batchNotice(rows)).toEqual({ tone: "info", text: "1 of 3 sequences uploaded; 2 cancelled." });
    const failedToo = [...rows, row(4, "d", { state: "failed" })];
    expect(batchNotice(failedToo).text).toBe("1 of 4 sequences uploaded; 1 failed, 2 cancelled. See Uploads for what to do.");
  });

  it("know which rows Strava already has (no Cancel for them)", () => {
    expect(isOnStrava(row(1, "a", { state: "queued" }))).toBe(false);
    expect(isOnStrava(row(1, "a", { state: "uploading" }))).toBe(false);
    expect(isOnStrava(row(1, "a", { state: "processing" }))).toBe(true);
    expect(isOnStrava(row(1, "a", { state: "queued", activityId: "123" }))).toBe(true);
  });

  it("put every state in words", () => {
    expect(stateWords("processing")).toBe("Strava is processing the upload");
    expect(stateWords("onStravaMtpwNotUpdated")).toBe("On Strava; Map the Paths not updated");
  });
});

describe("upload texts", () => {
  it("start messages with a capital and keep the rest", async () => {
    const { sentence } = await import("./uploads");
    expect(sentence("not signed in to Strava. Sign in to Strava, then Retry.")).toBe("Not signed in to Strava. Sign in to Strava, then Retry.");
    expect(sentence("")).toBe("");
  });
});
