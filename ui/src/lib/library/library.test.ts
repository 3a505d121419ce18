import { describe, expect, it } from "vitest";
import { FIRST_PAGE, Library, REST_PART } from "./library.svelte";
import { LibrarySelection } from "./librarySelection.svelte";
import { searchLibrary } from "./search";
import { FakeBackend } from "../backend/fakeBackend";
import type { LibraryList } from "../bindings/LibraryList";
import { Notices } from "../shell/notices.svelte";
import { UploadQueue } from "../uploads/queue.svelte";
import { encodeList, pagedScans, sequence } from "../testing/fixtures";

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

  it("reads the list again when the library watch sees a change, and says its notice once", async () => {
    let names = ["a"];
    const backend = new FakeBackend().answer("scan_library", () => scanOf(...names));
    const notices = new Notices();
    const library = new Library(backend, notices);
    await library.listen();
    await library.refresh();
    names = ["a", "new"];
    await library.applyChange({ changed: 1, rootsChanged: false, notice: null });
    expect(library.sequences.map((s) => s.id)).toEqual(["a", "new"]);
    expect(notices.items).toHaveLength(0);
    await library.applyChange({ changed: 0, rootsChanged: false, notice: "The system allows no more folder watches" });
    expect(notices.items.map((n) => n.text)).toEqual(["The system allows no more folder watches"]);
  });

  it("follows a change seen during a scan with one more scan, never two at once", async () => {
    let scans = 0;
    let running = 0;
    let most = 0;
    const backend = new FakeBackend().answer("scan_library", async () => {
      scans += 1;
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return scanOf("a");
    });
    const library = new Library(backend, new Notices());
    const first = library.refresh();
    const changes = [1, 2, 3].map(() => library.applyChange({ changed: 1, rootsChanged: false, notice: null }));
    await Promise.all([first, ...changes]);
    expect(scans).toBe(2);
    expect(most).toBe(1);
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

  describe("a start with 10,000 sequences", () => {
    /** 10,000 sequences, newest first; every fourth is not eligible, the last one is on the last row. */
    const library10k = () => ({
      roots: [],
      sequences: Array.from({ length: 10_000 }, (_, i) =>
        i % 4 === 3
          ? sequence(`walk ${i}`, { status: "notEligible", strava: { eligible: false, activityType: null, reason: "not for Strava" } })
          : sequence(`ride ${i}`),
      ),
      readCount: 0,
      pendingTracks: 0,
    });

    /** The first page answers at once; the rest waits until `release()`. */
    function setUp() {
      const pages = pagedScans(library10k);
      let release = () => {};
      const restHeld = new Promise<void>((resolve) => (release = resolve));
      const backend = new FakeBackend().answer("scan_library", async (args) => {
        const answer = pages(args);
        if (answer.offset > 0) await restHeld;
        return answer;
      });
      const library = new Library(backend, new Notices());
      const selection = new LibrarySelection(new UploadQueue(backend));
      return { backend, library, selection, release };
    }

    /** Until the first page is shown (the refresh goes on with the rest). */
    async function firstPageShown(library: Library): Promise<void> {
      while (library.sequences.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }

    it("shows the first page first, then the rest of the same scan", async () => {
      const { backend, library, release } = setUp();
      const refreshed = library.refresh();
      await firstPageShown(library);
      expect(library.sequences).toHaveLength(FIRST_PAGE);
      expect([library.total, library.complete, library.loading]).toEqual([10_000, false, false]);
      release();
      await refreshed;
      expect(library.complete).toBe(true);
      expect(library.sequences.map((s) => s.name)).toEqual(library10k().sequences.map((s) => s.name));
      const asked = backend.calls.map((c) => c.args as { first: number | null; restOf: number | null });
      // The rest of the same scan (number 1), part by part.
      expect(asked).toEqual([{ first: FIRST_PAGE, restOf: null }, ...Array(Math.ceil((10_000 - FIRST_PAGE) / REST_PART)).fill({ first: REST_PART, restOf: 1 })]);
      // A rescan of a listed library asks for everything at once: what is shown stays whole.
      await library.refresh();
      expect(backend.calls.at(-1)?.args).toEqual({ first: null, restOf: null });
      expect(library.complete).toBe(true);
    });

    it("runs a search and Select all ready over all 10,000, not the first page", async () => {
      const { library, selection, release } = setUp();
      const refreshed = library.refresh();
      await firstPageShown(library);
      // Ctrl-clicked on the first page, then Select all ready while the rest is on its way.
      expect(searchLibrary(library, "ride 9998")).toBeNull();
      expect(searchLibrary(library, "  ")).toHaveLength(FIRST_PAGE);
      let selected = false;
      const selecting = selection.selectAllReadyWhenComplete(library, () => searchLibrary(library, "") ?? []).then(() => (selected = true));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(selected).toBe(false);
      expect(selection.count).toBe(0);
      release();
      await Promise.all([refreshed, selecting]);
      expect(selection.count).toBe(7_500);
      expect(selection.has("ride 9998")).toBe(true);
      expect(selection.has("walk 9999")).toBe(false);
      expect(searchLibrary(library, "ride 9998")?.map((s) => s.id)).toEqual(["ride 9998"]);
      expect(searchLibrary(library, "walk")).toHaveLength(2_500);
      // Select all ready over a search: only its matches, from the whole library.
      await selection.selectAllReadyWhenComplete(library, () => searchLibrary(library, "ride 999") ?? []);
      const matches = library10k().sequences.filter((s) => s.status === "ready" && s.name.includes("999"));
      expect(matches.length).toBe(7);
      expect([...selection.current.ids].sort()).toEqual(matches.map((s) => s.id).sort());
    });

    it("keeps summaries checked while the rest was on its way, on both parts", async () => {
      const { backend, library, release } = setUp();
      await library.listen();
      const refreshed = library.refresh();
      await firstPageShown(library);
      backend.emit("tracks-checked", [sequence("ride 0", { status: "invalid" }), sequence("ride 9000", { status: "invalid" })]);
      release();
      await refreshed;
      const status = (id: string) => library.sequences.find((s) => s.id === id)?.status;
      expect([status("ride 0"), status("ride 9000"), status("ride 9001")]).toEqual(["invalid", "invalid", "ready"]);
    });

    it("takes a whole new list when the rest was no longer held, and drops an older refresh's answers", async () => {
      const whole = encodeList(library10k());
      const backend = new FakeBackend().answer("scan_library", ({ first, restOf }): LibraryList => {
        if (restOf != null) return { ...whole, scan: 7 };
        return first == null ? whole : { ...whole, rows: whole.rows.slice(0, first), scan: 3 };
      });
      const library = new Library(backend, new Notices());
      await library.refresh();
      expect([library.sequences.length, library.complete]).toEqual([10_000, true]);

      let answerFirst = (_: LibraryList) => {};
      const slow = new FakeBackend().answer("scan_library", () => new Promise<LibraryList>((resolve) => (answerFirst = resolve)));
      const racing = new Library(slow, new Notices());
      const first = racing.refresh();
      slow.answer("scan_library", () => encodeList({ roots: [], sequences: [sequence("new")], readCount: 0, pendingTracks: 0 }));
      await racing.refresh();
      answerFirst(encodeList(library10k()));
      await first;
      expect(racing.sequences.map((s) => s.id)).toEqual(["new"]);
      expect([racing.complete, racing.scanning]).toEqual([true, false]);
    });
  });
});
