import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const open = vi.fn();
/** The fake of Tauri's Channel: what the shell sends arrives at `onmessage`. */
class FakeChannel {
  static made: FakeChannel[] = [];
  onmessage: (message: unknown) => void = () => undefined;
  constructor() {
    FakeChannel.made.push(this);
  }
  toJSON(): string {
    return "__CHANNEL__:1";
  }
}
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: (...args: unknown[]) => open(...args) }));

const { tauriBackend } = await import("./tauriBackend");

describe("the Tauri backend", () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
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

  it("takes every event through one channel handed to the shell once, never app-wide listening", async () => {
    const hovers: boolean[] = [];
    const outcomes: unknown[] = [];
    const stop = await tauriBackend.on("drop-hover", (hover) => hovers.push(hover.active));
    await tauriBackend.on("drop-outcome", (outcome) => outcomes.push(outcome));
    expect(FakeChannel.made).toHaveLength(1);
    const subscriptions = invoke.mock.calls.filter(([command]) => command === "subscribe_events");
    expect(subscriptions).toEqual([["subscribe_events", { args: { channel: FakeChannel.made[0] } }]]);
    const channel = FakeChannel.made[0];
    if (!channel) throw new Error("no channel");
    channel.onmessage({ event: "drop-hover", payload: { active: true } });
    channel.onmessage({ event: "drop-outcome", payload: { added: [] } });
    channel.onmessage({ event: "upload-progress", payload: {} });
    expect(hovers).toEqual([true]);
    expect(outcomes).toEqual([{ added: [] }]);
    stop();
    channel.onmessage({ event: "drop-hover", payload: { active: false } });
    expect(hovers).toEqual([true]);
  });

  it("answers the folder picker as a list, empty when cancelled", async () => {
    open.mockResolvedValueOnce(null).mockResolvedValueOnce("/one").mockResolvedValueOnce(["/a", "/b"]);
    expect(await tauriBackend.chooseFolders()).toEqual([]);
    expect(await tauriBackend.chooseFolders()).toEqual(["/one"]);
    expect(await tauriBackend.chooseFolders()).toEqual(["/a", "/b"]);
    expect(open).toHaveBeenCalledWith({ directory: true, multiple: true, title: "Add sequence folders" });
  });
});
