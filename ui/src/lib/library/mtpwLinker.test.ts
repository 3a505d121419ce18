import { describe, expect, it } from "vitest";
import { Library } from "./library.svelte";
import { MtpwLinker } from "./mtpwLinker.svelte";
import { FakeBackend } from "../backend/fakeBackend";
import { Notices } from "../shell/notices.svelte";
import { encodeList, sequence } from "../testing/fixtures";

const UUID = "0b8e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";

function setUp() {
  const backend = new FakeBackend().answer("scan_library", () =>
    encodeList({
      roots: [],
      sequences: [sequence("a", { mtpwUuid: null }), sequence("b", { mtpwUuid: null })],
      readCount: 2,
      pendingTracks: 0,
    }),
  );
  const library = new Library(backend, new Notices());
  return { backend, library, linker: new MtpwLinker(backend, library) };
}

function detailOf(id: string, mtpwUuid: string) {
  return { summary: sequence(id, { mtpwUuid }), preview: [], photoCount: 3, track: null };
}

describe("MTPW linking store", () => {
  it("links the pasted text through link_mtpw and shows the sequence linked in the list", async () => {
    const { backend, library, linker } = setUp();
    backend.answer("link_mtpw", ({ id }) => detailOf(id, UUID));
    await library.refresh();
    linker.pasted = `  https://mtp.example/sequence/${UUID}/detail `;
    const detail = await linker.link("a");
    expect(detail?.summary.mtpwUuid).toBe(UUID);
    expect(backend.calls.at(-1)).toEqual({
      command: "link_mtpw",
      args: { id: "a", pasted: `https://mtp.example/sequence/${UUID}/detail` },
    });
    expect(library.sequences.map((s) => `${s.id}:${s.mtpwUuid}`)).toEqual([`a:${UUID}`, "b:null"]);
    expect(linker.pasted).toBe("");
    expect(linker.error).toBeNull();
    expect(linker.busy).toBe(false);
  });

  it("keeps what was pasted and shows the engine's sentence when the text is not a link", async () => {
    const { backend, library, linker } = setUp();
    const message = "‘hello’ is not a Map the Paths sequence link or id";
    backend.answer("link_mtpw", () => {
      throw { code: "invalidInput", message };
    });
    await library.refresh();
    linker.pasted = "hello";
    expect(await linker.link("a")).toBeNull();
    expect(linker.error).toBe(message);
    expect(linker.pasted).toBe("hello");
    expect(library.sequences.map((s) => s.mtpwUuid)).toEqual([null, null]);
  });

  it("asks for a paste before calling the engine when the field is empty", async () => {
    const { backend, linker } = setUp();
    linker.pasted = "   ";
    expect(await linker.link("a")).toBeNull();
    expect(linker.error).toMatch(/Paste a Map the Paths sequence link/);
    expect(backend.commandNames()).toEqual([]);
  });

  it("creates on Map the Paths through create_on_mtpw and clears an earlier failure", async () => {
    const { backend, library, linker } = setUp();
    let connected = false;
    backend.answer("create_on_mtpw", ({ id }) => {
      if (!connected) throw { code: "service", message: "cannot create ‘b’ on Map the Paths: not connected" };
      return detailOf(id, UUID);
    });
    await library.refresh();
    expect(await linker.create("b")).toBeNull();
    expect(linker.error).toMatch(/not connected/);
    connected = true;
    expect((await linker.create("b"))?.summary.mtpwUuid).toBe(UUID);
    expect(linker.error).toBeNull();
    expect(library.sequences.map((s) => `${s.id}:${s.mtpwUuid}`)).toEqual(["a:null", `b:${UUID}`]);
  });
});
