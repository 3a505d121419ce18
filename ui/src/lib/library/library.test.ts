import { describe, expect, it } from "vitest";
import { Library } from "./library.svelte";
import { FakeBackend } from "../backend/fakeBackend";
import { Notices } from "../shell/notices.svelte";
import { encodeList, sequence } from "../testing/fixtures";

function scanOf(...names: string[]) {
  const sequences = names.map((n) => sequence(n, { status: "checking" }));
  return encodeList({ roots: [], sequences, readCount: names.length, pendingTracks: names.length });
}

describe("library store", () => {
  it("shows the scan, then the checked summaries the engine sends", async () => {
    const backend = new FakeBackend().answer("scan_library", () => scanOf("a", "b"));
    const library = new Library(backend, new Notices());
    await library.listen();
    await library.refresh();
    expect(library.loading).toBe(false);
    expect(library.sequences.map((s) => s.status)).toEqual(["checking", "checking"]);

    backend.emit("tracks-checked", [sequence("b", { status: "invalid" })]);
    expect(library.sequences.map((s) => `${s.id}:${s.status}`)).toEqual(["a:checking", "b:invalid"]);
  });

  it("keeps a checked summary that arrives before the scan's answer", async () => {
    const backend = new FakeBackend();
    const library = new Library(backend, new Notices());
    await library.listen();
    backend.answer("scan_library", () => {
      // The track check the scan started is done before the scan's answer is read.
      backend.emit("tracks-checked", [sequence("b", { status: "ready" })]);
      return scanOf("a", "b");
    });
    await library.refresh();
    expect(library.sequences.map((s) => `${s.id}:${s.status}`)).toEqual(["a:checking", "b:ready"]);
  });

  it("keeps the last list and says why when a scan fails", async () => {
    let fail = false;
    const backend = new FakeBackend().answer("scan_library", () => {
      if (fail) throw { code: "store", message: "The library's database could not be read." };
      return scanOf("a");
    });
    const library = new Library(backend, new Notices());
    await library.refresh();
    fail = true;
    await library.refresh();
    expect(library.error).toBe("The library's database could not be read.");
    expect(library.sequences).toHaveLength(1);
    expect(library.scanning).toBe(false);
  });

  it("adds chosen folders through add_paths and rescans only when something was added", async () => {
    const backend = new FakeBackend()
      .answer("scan_library", () => scanOf("a"))
      .answer("add_paths", ({ paths }) => ({ added: [], rejected: paths.map((path) => ({ path, reason: "not a folder" })) }) as never);
    const library = new Library(backend, new Notices());
    backend.pickedFolders = [];
    await library.addFolders();
    expect(backend.commandNames()).toEqual([]);
    backend.pickedFolders = ["/x"];
    await library.addFolders();
    expect(backend.calls).toEqual([{ command: "add_paths", args: { paths: ["/x"] } }]);
  });

  it("adds a typed folder path, trimmed, and says whether it was added", async () => {
    let accept = false;
    const backend = new FakeBackend()
      .answer("scan_library", () => scanOf("a"))
      .answer("add_paths", ({ paths }) =>
        (accept
          ? { added: paths.map((path) => ({ path, sequenceCount: 1, alreadyKnown: false })), rejected: [] }
          : { added: [], rejected: paths.map((path) => ({ path, reason: "does not exist" })) }) as never,
      );
    const library = new Library(backend, new Notices());
    expect(await library.addTypedPath("   ")).toBe(false);
    expect(backend.commandNames()).toEqual([]);
    expect(await library.addTypedPath(" /nowhere ")).toBe(false);
    expect(backend.calls).toEqual([{ command: "add_paths", args: { paths: ["/nowhere"] } }]);
    accept = true;
    expect(await library.addTypedPath("/home/me/Rides")).toBe(true);
    expect(backend.commandNames()).toEqual(["add_paths", "add_paths", "scan_library"]);
  });

  it("removes a folder and rescans", async () => {
    const backend = new FakeBackend().answer("remove_root", () => null).answer("scan_library", () => scanOf());
    const library = new Library(backend, new Notices());
    await library.removeFolder("/old");
    expect(backend.commandNames()).toEqual(["remove_root", "scan_library"]);
  });
});
