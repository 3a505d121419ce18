import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn() }));

const { addPaths, removeRoot, scanLibrary, sequenceDetail } = await import("./tauriBackend");
const accounts = await import("../accounts/accountsApi");
const { COMMAND_NAMES } = await import("../bindings/ipc");

describe("commands", () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
  });

  it("sends arguments as { args } and nothing for argument-less commands", async () => {
    await addPaths(["/a", "/b"]);
    await removeRoot("/a");
    await sequenceDetail("2f61");
    await scanLibrary();
    expect(invoke.mock.calls).toEqual([
      ["add_paths", { args: { paths: ["/a", "/b"] } }],
      ["remove_root", { args: { path: "/a" } }],
      ["sequence_detail", { args: { id: "2f61" } }],
      ["scan_library", {}],
    ]);
  });

  it("sends the accounts commands' arguments the same way", async () => {
    await accounts.startSignIn("strava");
    await accounts.setStravaClientSecret("typed");
    await accounts.accountsStatus();
    expect(invoke.mock.calls).toEqual([
      ["start_sign_in", { args: { provider: "strava" } }],
      ["set_strava_client_secret", { args: { secret: "typed" } }],
      ["accounts_status", {}],
    ]);
  });

  it("calls every command the shell declares, and only those (with the stores' calls)", async () => {
    await Promise.all([
      addPaths([]),
      removeRoot(""),
      sequenceDetail(""),
      scanLibrary(),
      accounts.accountsStatus(),
      accounts.accountsSettings(),
      accounts.saveAccountsSettings({
        stravaClientId: null,
        stravaApiBase: null,
        stravaOauthBase: null,
        stravaScopes: null,
        redirectMode: "loopback",
        mtpwBase: null,
        mtpwClientId: null,
        mtpwRedirectUri: null,
      }),
      accounts.setStravaClientSecret(""),
      accounts.startSignIn("mtpw"),
      accounts.cancelSignIn("mtpw"),
      accounts.disconnect("mtpw"),
    ]);
    const viaApi = invoke.mock.calls.map(([name]) => name as string);
    const { FakeBackend } = await import("./fakeBackend");
    const { Library } = await import("../library/library.svelte");
    const { UploadQueue } = await import("../uploads/queue.svelte");
    const { History } = await import("../uploads/history.svelte");
    const backend = new FakeBackend();
    backend.fallback = () => ({ roots: [], sequences: [], rows: [], records: [], total: 0 });
    backend.pickedFolders = ["/a"];
    const library = new Library(backend);
    await library.refresh();
    await library.addFolders().catch(() => undefined);
    await library.removeFolder("/a");
    await library.detail("2f61");
    const { MtpwLinker } = await import("../library/mtpwLinker.svelte");
    const linker = new MtpwLinker(backend, library);
    linker.pasted = "0b8e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    await linker.link("2f61");
    await linker.create("2f61");
    const queue = new UploadQueue(backend);
    await queue.upload(["2f61"]);
    await queue.pause();
    await queue.resume();
    await queue.cancel();
    await queue.retry(1);
    const history = new History(backend);
    await history.load();
    await history.open(1);
    await history.openActivity("1");
    const called = [...new Set(backend.commandNames())].sort();
    const all = [...new Set([...viaApi, ...called])].sort();
    expect(all).toEqual([...COMMAND_NAMES].sort());
  });
});
