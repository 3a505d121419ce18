import { describe, expect, it } from "vitest";
import type { SequenceStatus } from "../bindings/SequenceStatus";
import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadState } from "../bindings/UploadState";
import { clickSelect, EMPTY_SELECTION, selectAllReady } from "./selection";

function sequence(id: string, status: SequenceStatus, mtpwUuid: string | null = "6f1c2c1e-8d0b-4a57-9a0e-2d7f7b3b8a10"): Pick<SequenceSummary, "id" | "status" | "mtpwUuid"> {
  return { id, status, mtpwUuid };
}

const order = ["a", "b", "c", "d", "e"];
const plain = { shift: false, toggle: false };
const ctrl = { shift: false, toggle: true };
const shift = { shift: true, toggle: false };
const ctrlShift = { shift: true, toggle: true };

const ids = (selection: { ids: ReadonlySet<string> }) => [...selection.ids].sort();

describe("selectAllReady", () => {
  it("selects only the sequences that can be uploaded now", () => {
    const library = [
      sequence("ready-1", "ready"),
      sequence("invalid", "invalid"),
      sequence("walk", "notEligible"),
      sequence("desktop", "uploadedByDesktop"),
      sequence("checking", "checking"),
      sequence("ready-2", "ready"),
      sequence("no-mtpw-id", "ready", null),
    ];
    const selection = selectAllReady(library);
    expect(ids(selection)).toEqual(["ready-1", "ready-2"]);
    expect(selection.anchor).toBe("ready-1");
  });

  it("leaves out what the queue is uploading or has uploaded, as the chips say", () => {
    const library = [sequence("a", "ready"), sequence("b", "ready"), sequence("c", "ready"), sequence("d", "ready")];
    const live: Record<string, UploadState> = { a: "uploading", b: "done", c: "cancelled" };
    expect(ids(selectAllReady(library, (id) => live[id] ?? null))).toEqual(["c", "d"]);
  });

  it("selects nothing in a library without ready sequences", () =>
    expect(selectAllReady([sequence("x", "invalid")])).toEqual({ ids: new Set(), anchor: null }));

  it("selects thousands: every other one of 10,000", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => sequence(`s${i}`, i % 2 ? "invalid" : "ready"));
    const selection = selectAllReady(many);
    expect(selection.ids.size).toBe(5_000);
    expect(selection.ids.has("s9998")).toBe(true);
    expect(selection.ids.has("s9999")).toBe(false);
  });
});

describe("clickSelect", () => {
  it("a plain click selects only that row and moves the anchor", () => {
    const first = clickSelect(EMPTY_SELECTION, order, "b", plain);
    expect(ids(first)).toEqual(["b"]);
    expect(ids(clickSelect(first, order, "d", plain))).toEqual(["d"]);
  });

  it("ctrl-click adds and removes one row", () => {
    let selection = clickSelect(EMPTY_SELECTION, order, "b", plain);
    selection = clickSelect(selection, order, "d", ctrl);
    expect(ids(selection)).toEqual(["b", "d"]);
    selection = clickSelect(selection, order, "b", ctrl);
    expect(ids(selection)).toEqual(["d"]);
  });

  it("shift-click selects the range from the anchor, either way, replacing the rest", () => {
    let selection = clickSelect(EMPTY_SELECTION, order, "e", plain);
    selection = clickSelect(selection, order, "a", ctrl);
    selection = clickSelect(selection, order, "c", shift);
    expect(ids(selection)).toEqual(["a", "b", "c"]);
    // the anchor stays: a second shift-click re-ranges from it
    selection = clickSelect(selection, order, "b", shift);
    expect(ids(selection)).toEqual(["a", "b"]);
  });

  it("ctrl-shift-click adds the range to what was selected", () => {
    let selection = clickSelect(EMPTY_SELECTION, order, "a", plain);
    selection = clickSelect(selection, order, "d", ctrl);
    selection = clickSelect(selection, order, "e", ctrlShift);
    expect(ids(selection)).toEqual(["a", "d", "e"]);
  });

  it("shift-click without an anchor, or with one filtered out, selects just that row", () => {
    expect(ids(clickSelect(EMPTY_SELECTION, order, "c", shift))).toEqual(["c"]);
    const hidden = { ids: new Set(["z"]), anchor: "z" };
    expect(ids(clickSelect(hidden, order, "c", shift))).toEqual(["c"]);
  });

  it("never changes the selection it was given", () => {
    const before = clickSelect(EMPTY_SELECTION, order, "a", plain);
    clickSelect(before, order, "c", ctrl);
    clickSelect(before, order, "e", shift);
    expect(ids(before)).toEqual(["a"]);
  });
});
