import { describe, expect, it } from "vitest";
import { dropNotices } from "./dropNotices";

describe("dropNotices", () => {
  it("names each added folder with its sequence count", () => {
    const notices = dropNotices({
      added: [
        { path: "/media/ana/rides", sequenceCount: 12, alreadyKnown: false },
        { path: "/media/ana/one_walk", sequenceCount: 1, alreadyKnown: false },
      ],
      rejected: [],
    });
    expect(notices).toEqual([
      { tone: "success", text: "Added ‘rides’ (12 sequences)." },
      { tone: "success", text: "Added ‘one_walk’ (1 sequence)." },
    ]);
  });

  it("says when a folder was already there", () => {
    const [notice] = dropNotices({
      added: [{ path: "/home/ana/MTP/sequences", sequenceCount: 3, alreadyKnown: true }],
      rejected: [],
    });
    expect(notice).toEqual({ tone: "info", text: "‘sequences’ is already in your library." });
  });

  it("keeps a reason that already names the path", () => {
    const [notice] = dropNotices({
      added: [],
      rejected: [{ path: "/tmp/notes.txt", reason: "notes.txt is a file, not a sequence folder." }],
    });
    expect(notice).toEqual({ tone: "error", text: "notes.txt is a file, not a sequence folder." });
  });

  it("names the path when the reason does not", () => {
    const [notice] = dropNotices({
      added: [],
      rejected: [{ path: "/tmp/holiday", reason: "This folder holds no sequences." }],
    });
    expect(notice?.text).toBe("‘holiday’: This folder holds no sequences.");
  });

  it("ends the engine's reason as a sentence", () => {
    const [notice] = dropNotices({
      added: [],
      rejected: [{ path: "/tmp/cats", reason: "‘cats’ is not a sequence folder and contains no sequence folders" }],
    });
    expect(notice?.text).toBe("‘cats’ is not a sequence folder and contains no sequence folders.");
  });

  it("says something when nothing happened", () => {
    expect(dropNotices({ added: [], rejected: [] })).toEqual([{ tone: "info", text: "Nothing was added." }]);
  });
});
