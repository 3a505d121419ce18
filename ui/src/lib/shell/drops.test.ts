import { describe, expect, it } from "vitest";
import { FakeBackend } from "../backend/fakeBackend";
import { Library } from "../library/library.svelte";
import { encodeList, sequence } from "../testing/fixtures";
import { Drops } from "./drops.svelte";
import { Notices } from "./notices.svelte";

function setUp() {
  const backend = new FakeBackend().answer("scan_library", () =>
    encodeList({ roots: [], sequences: [sequence("a")], readCount: 1, pendingTracks: 0 }),
  );
  const notices = new Notices();
  const drops = new Drops(backend, new Library(backend, notices), notices);
  return { backend, notices, drops };
}

describe("drops", () => {
  it("shows the overlay while files hover, and hides it when they leave", async () => {
    const { backend, drops } = setUp();
    await drops.listen();
    backend.emit("drop-hover", { active: true });
    expect(drops.hovering).toBe(true);
    backend.emit("drop-hover", { active: false });
    expect(drops.hovering).toBe(false);
  });

  it("hands what a drop added to the library, which rescans", async () => {
    const { backend, drops, notices } = setUp();
    await drops.listen();
    backend.emit("drop-hover", { active: true });
    backend.emit("drop-outcome", { added: [{ path: "/media/rides", sequenceCount: 2, alreadyKnown: false }], rejected: [] });
    expect(drops.hovering).toBe(false);
    await Promise.resolve();
    expect(backend.commandNames()).toEqual(["scan_library"]);
    expect(notices.items.map((n) => n.text)).toEqual(["Added ‘rides’ (2 sequences)."]);
  });

  it("says why a drop failed, and stops listening when asked", async () => {
    const { backend, drops, notices } = setUp();
    const stop = await drops.listen();
    backend.emit("drop-failed", { code: "internal", message: "The dropped paths could not be read." });
    expect(notices.items).toMatchObject([{ tone: "error", text: "The dropped paths could not be read." }]);
    stop();
    expect(backend.listenerCount("drop-hover")).toBe(0);
  });
});
