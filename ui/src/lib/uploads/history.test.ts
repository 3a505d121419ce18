import { describe, expect, it } from "vitest";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import { History, PAGE_SIZE } from "./history.svelte";
import { FakeBackend } from "../backend/fakeBackend";
import { record } from "../testing/fixtures";

/** A history of `count` records, newest first, that the fake filters like the engine. */
function backendWith(count: number): FakeBackend {
  const all = Array.from({ length: count }, (_, i) =>
    record(count - i, `Sequence ${count - i}`, { state: (count - i) % 5 === 0 ? "failed" : "done" }),
  );
  return new FakeBackend().answer("upload_history", (query: HistoryQuery) => {
    const matching = all.filter(
      (r) =>
        (query.states.length === 0 || query.states.includes(r.state)) &&
        (query.text == null || r.sequenceName.toLowerCase().includes(query.text.toLowerCase())),
    );
    return { records: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  });
}

describe("history store", () => {
  it("loads the first page newest first, then only the pages the list shows", async () => {
    const backend = backendWith(450);
    const history = new History(backend);
    await history.load();
    expect(history.total).toBe(450);
    expect(history.records).toHaveLength(450);
    expect(history.records[0]!.id).toBe(450);
    expect(history.records[PAGE_SIZE - 1]!.id).toBe(450 - PAGE_SIZE + 1);
    expect(history.records[PAGE_SIZE]).toBeUndefined();
    // The end of the list (the End key): only the last page is asked for.
    await history.show(430, 450);
    expect(history.records.at(-1)?.id).toBe(1);
    expect(history.records[PAGE_SIZE + 10]).toBeUndefined();
    const offsets = () => backend.calls.map((c) => (c.args as HistoryQuery).offset);
    expect(offsets()).toEqual([0, 2 * PAGE_SIZE]);
    // Shown again, nothing is asked twice; the middle comes when shown.
    await history.show(430, 450);
    await history.show(190, 230);
    expect(offsets()).toEqual([0, 2 * PAGE_SIZE, PAGE_SIZE]);
    expect(history.records.every((r) => r !== undefined)).toBe(true);
  });

  it("starts over when new uploads shift the positions", async () => {
    let count = 300;
    const backend = new FakeBackend().answer("upload_history", (query: HistoryQuery) => {
      const all = Array.from({ length: count }, (_, i) => record(count - i, `Sequence ${count - i}`));
      return { records: all.slice(query.offset, query.offset + query.limit), total: count };
    });
    const history = new History(backend);
    await history.load();
    count = 301;
    await history.show(250, 260);
    expect(history.total).toBe(301);
    expect(history.records[250]!.id).toBe(51);
    // The first page was from before: it is asked for again when shown.
    expect(history.records[0]).toBeUndefined();
    await history.show(0, 10);
    expect(history.records[0]!.id).toBe(301);
  });

  it("filters by state and text, from the first page again", async () => {
    const backend = backendWith(100);
    const history = new History(backend);
    await history.filterStates(["failed"]);
    expect(history.total).toBe(20);
    expect(history.records.every((r) => r?.state === "failed")).toBe(true);
    await history.search(" Sequence 10 ");
    expect(history.records.map((r) => r?.id)).toEqual([100, 10]);
    expect(backend.calls.at(-1)?.args).toEqual({ states: ["failed"], text: "Sequence 10", offset: 0, limit: PAGE_SIZE });
  });

  it("drops the answer to an older query", async () => {
    let release: (() => void) | null = null;
    const backend = backendWith(10);
    const slow = new FakeBackend().answer("upload_history", async (query) => {
      if (query.text === "slow") await new Promise<void>((resolve) => (release = resolve));
      return backend.call("upload_history", query);
    });
    const history = new History(slow);
    const first = history.search("slow");
    await history.search("Sequence 3");
    release!();
    await first;
    expect(history.records.map((r) => r?.id)).toEqual([3]);
  });

  it("opens a record with its attempts, retries it and opens links through the shell", async () => {
    const backend = backendWith(3)
      .answer("upload_record", ({ upload }) =>
        record(upload, "x", { state: "failed", attempts: [{ at: "2026-11-23T10:00:00Z", step: "upload", httpStatus: 503, error: "Strava answered 503.", note: null }] }),
      )
      .answer("retry_upload", () => null)
      .answer("open_link", () => null);
    const history = new History(backend);
    await history.open(2);
    expect(history.selected?.attempts).toHaveLength(1);
    await history.retry(2);
    await history.openActivity("12345");
    await history.openMtpw("6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10");
    const names = backend.commandNames();
    expect(names).toContain("retry_upload");
    expect(backend.calls.filter((c) => c.command === "open_link").map((c) => c.args)).toEqual([
      { kind: "stravaActivity", activityId: "12345" },
      { kind: "mtpwSequence", uuid: "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10" },
    ]);
  });
});
