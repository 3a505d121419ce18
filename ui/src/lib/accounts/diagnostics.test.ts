import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeBackend } from "../backend/fakeBackend";
import { Accounts } from "./accounts.svelte";

const status = {
  keyring: { available: true, message: null },
  strava: { connected: false, waiting: false },
  mtpw: { connected: false, waiting: false },
};

describe("diagnostics", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("the report the app copied is shown as copied, and the WebView's clipboard is left alone", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    const backend = new FakeBackend().answer("copy_diagnostics", () => ({ text: "MTP Strava Uploader 0.1.0\nOS: x", copied: true }));
    const result = await new Accounts(backend).copyDiagnostics();
    expect(result).toEqual({ text: "MTP Strava Uploader 0.1.0\nOS: x", problem: null });
    expect(writeText).not.toHaveBeenCalled();
  });

  it("where the app cannot copy, the WebView's clipboard gets the text; a refusal is the problem", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    const backend = new FakeBackend().answer("copy_diagnostics", () => ({ text: "report", copied: false }));
    expect((await new Accounts(backend).copyDiagnostics()).problem).toBeNull();
    expect(writeText).toHaveBeenCalledWith("report");

    writeText.mockRejectedValueOnce(new Error("Clipboard access denied"));
    const refused = await new Accounts(backend).copyDiagnostics();
    expect(refused.text).toBeNull();
    expect(refused.problem).toContain("Clipboard access denied");
  });

  it("the detailed-log switch saves only that setting", async () => {
    const backend = new FakeBackend()
      .answer("save_accounts_settings", () => ({ debugLog: true }) as never)
      .answer("accounts_status", () => status as never);
    expect(await new Accounts(backend).setDetailedLog(true)).toBeNull();
    const saved = backend.calls.find((c) => c.command === "save_accounts_settings")?.args as Record<string, unknown>;
    expect(saved.debugLog).toBe(true);
    expect(Object.entries(saved).filter(([, v]) => v != null)).toEqual([["debugLog", true]]);
  });
});
