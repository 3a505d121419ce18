import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn() }));

const { addPaths, removeRoot, scanLibrary, sequenceDetail } = await import("./api");
const { COMMAND_NAMES } = await import("./bindings/ipc");

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

  it("calls only commands the shell declares", async () => {
    await Promise.all([addPaths([]), removeRoot(""), sequenceDetail(""), scanLibrary()]);
    const called = invoke.mock.calls.map(([name]) => name as string).sort();
    expect(called).toEqual([...COMMAND_NAMES].sort());
  });
});
