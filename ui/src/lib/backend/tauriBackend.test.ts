import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
const open = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (...args: unknown[]) => listen(...args) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: (...args: unknown[]) => open(...args) }));

const { tauriBackend } = await import("./tauriBackend");

describe("the Tauri backend", () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
    listen.mockReset();
    open.mockReset();
  });

  it("sends arguments as { args } and nothing for argument-less commands", async () => {
    await tauriBackend.call("add_paths", { paths: ["/a", "/b"] });
    await tauriBackend.call("remove_root", { path: "/a" });
    await tauriBackend.call("sequence_detail", { id: "2f61" });
    await tauriBackend.call("scan_library", { first: 100, restOf: null });
    await tauriBackend.call("start_sign_in", { provider: "strava" });
    await tauriBackend.call("set_strava_client_secret", { secret: "typed" });
    await tauriBackend.call("accounts_status", null);
    expect(invoke.mock.calls).toEqual([
      ["add_paths", { args: { paths: ["/a", "/b"] } }],
      ["remove_root", { args: { path: "/a" } }],
      ["sequence_detail", { args: { id: "2f61" } }],
      ["scan_library", { args: { first: 100, restOf: null } }],
      ["start_sign_in", { args: { provider: "strava" } }],
      ["set_strava_client_secret", { args: { secret: "typed" } }],
      ["accounts_status", {}],
    ]);
  });

  it("hands a listener the event's payload, and stops it with Tauri's unlisten", async () => {
    const unlisten = vi.fn();
    listen.mockResolvedValue(unlisten);
    const seen: boolean[] = [];
    const stop = await tauriBackend.on("drop-hover", (hover) => seen.push(hover.active));
    const [[event, deliver]] = listen.mock.calls as [[string, (message: { payload: unknown }) => void]];
    expect(event).toBe("drop-hover");
    deliver({ payload: { active: true } });
    expect(seen).toEqual([true]);
    stop();
    expect(unlisten).toHaveBeenCalledOnce();
  });

  it("answers the folder picker as a list, empty when cancelled", async () => {
    open.mockResolvedValueOnce(null).mockResolvedValueOnce("/one").mockResolvedValueOnce(["/a", "/b"]);
    expect(await tauriBackend.chooseFolders()).toEqual([]);
    expect(await tauriBackend.chooseFolders()).toEqual(["/one"]);
    expect(await tauriBackend.chooseFolders()).toEqual(["/a", "/b"]);
    expect(open).toHaveBeenCalledWith({ directory: true, multiple: true, title: "Add sequence folders" });
  });
});
