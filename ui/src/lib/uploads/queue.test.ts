import { describe, expect, it } from "vitest";
import type { QueueSnapshot } from "../bindings/QueueSnapshot";
import { UploadQueue } from "./queue.svelte";
import { FakeBackend } from "../backend/fakeBackend";
import { row } from "../testing/fixtures";

function snapshotOf(...rows: ReturnType<typeof row>[]): QueueSnapshot {
  return { rows, running: rows.length > 0, paused: false, pausedUntil: null, waitingFor: null, error: null, held: null };
}

describe("queue store", () => {
  it("queues sequences, then follows progress events and the end of the batch", async () => {
    let current = snapshotOf();
    const backend = new FakeBackend()
      .answer("upload_sequences", ({ sequenceIds }) => {
        current = snapshotOf(...sequenceIds.map((id, i) => row(i + 1, id)));
        return sequenceIds.map((id, i) => ({ sequenceId: id, sequenceName: id, upload: i + 1, skipped: null }));
      })
      .answer("upload_queue", () => current);
    const queue = new UploadQueue(backend);
    const ended: QueueSnapshot[] = [];
    queue.onBatchEnded = (s) => ended.push(s);
    await queue.listen();

    const outcomes = await queue.upload(["a", "b"]);
    expect(outcomes.map((o) => o.upload)).toEqual([1, 2]);
    expect(backend.calls[0]).toEqual({ command: "upload_sequences", args: { sequenceIds: ["a", "b"], insist: false, hideFromHome: false } });
    expect(queue.summary).toMatchObject({ waiting: 2, total: 2 });

    backend.emit("upload-progress", { kind: "state", upload: 1, sequenceName: "a", state: "uploading", detail: null });
    backend.emit("upload-progress", { kind: "bytes", upload: 1, sent: 50, total: 100 });
    expect(queue.snapshot.rows[0]!.bytes).toEqual({ sent: 50, total: 100 });

    const final = snapshotOf(row(1, "a", { state: "done" }), row(2, "b", { state: "failed", detail: "Strava refused the file." }));
    backend.emit("upload-queue-idle", { ...final, running: false });
    expect(queue.summary).toMatchObject({ done: 1, failed: 1, waiting: 0 });
    expect(ended).toHaveLength(1);
  });

  it("sends the batch's home-feed choice and remembers it without failing the upload", async () => {
    const backend = new FakeBackend()
      .answer("upload_sequences", ({ sequenceIds }) => sequenceIds.map((id, i) => ({ sequenceId: id, sequenceName: id, upload: i + 1, skipped: null })))
      .answer("upload_queue", () => snapshotOf())
      .answer("upload_preferences", () => ({ hideBackfills: false, hideRecent: null, autoHideFromHome: false }))
      .answer("save_upload_preferences", () => {
        throw { code: "store", message: "The database is busy." };
      });
    const queue = new UploadQueue(backend);
    expect(await queue.preferences()).toEqual({ hideBackfills: false, hideRecent: null, autoHideFromHome: false });
    await queue.remember({ hideBackfills: true, hideRecent: null, autoHideFromHome: null });
    await queue.upload(["old"], false, true);
    expect(backend.calls.find((c) => c.command === "upload_sequences")?.args).toEqual({ sequenceIds: ["old"], insist: false, hideFromHome: true });
    expect(await new UploadQueue(new FakeBackend()).preferences()).toBeNull();
  });

  it("reloads once when an event names an upload it does not know", async () => {
    const backend = new FakeBackend().answer("upload_queue", () => snapshotOf(row(7, "g")));
    const queue = new UploadQueue(backend);
    queue.apply({ kind: "bytes", upload: 7, sent: 1, total: 2 });
    queue.apply({ kind: "bytes", upload: 7, sent: 2, total: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // One read for the unknown row, one more because the second event overtook its answer.
    expect(backend.commandNames()).toEqual(["upload_queue", "upload_queue"]);
  });

  it("drops a read of the queue that the batch's end overtook", async () => {
    const backend = new FakeBackend();
    const stale = snapshotOf(row(1, "a", { state: "validating" }));
    const final = { ...snapshotOf(row(1, "a", { state: "notSignedIn" })), running: false };
    backend.answer("upload_queue", () => {
      // The batch ends while the (older) answer is on its way back.
      backend.emit("upload-queue-idle", final);
      return stale;
    });
    const queue = new UploadQueue(backend);
    await queue.listen();
    await queue.load();
    expect(queue.snapshot.rows[0]!.record.state).toBe("notSignedIn");
  });

  it("pauses, resumes and cancels the queue or one upload, and retries one", async () => {
    const backend = new FakeBackend()
      .answer("pause_uploads", () => null)
      .answer("resume_uploads", () => null)
      .answer("cancel_uploads", () => null)
      .answer("retry_upload", () => null)
      .answer("upload_queue", () => snapshotOf());
    const queue = new UploadQueue(backend);
    await queue.pause();
    await queue.resume(3);
    await queue.cancel(3);
    await queue.retry(4);
    expect(backend.calls.filter((c) => c.command !== "upload_queue")).toEqual([
      { command: "pause_uploads", args: { upload: null } },
      { command: "resume_uploads", args: { upload: 3 } },
      { command: "cancel_uploads", args: { upload: 3 } },
      { command: "retry_upload", args: { upload: 4 } },
    ]);
  });

  it("says what failed in a sentence, and reports a missing connection", async () => {
    const backend = new FakeBackend()
      .answer("pause_uploads", () => {
        throw { code: "internal", message: "The queue could not be paused." };
      })
      .answer("upload_queue", () => snapshotOf(row(1, "a")));
    const queue = new UploadQueue(backend);
    await queue.pause();
    expect(queue.error).toBe("The queue could not be paused.");
    const missing: Array<string | null> = [];
    queue.onNotSignedIn = (detail) => missing.push(detail);
    queue.apply({ kind: "state", upload: 1, sequenceName: "a", state: "notSignedIn", detail: "Not signed in to Strava." });
    expect(missing).toEqual(["Not signed in to Strava."]);
  });
});
