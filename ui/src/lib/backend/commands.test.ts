import { describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "../bindings/ipc";
import { createStores } from "../shell/context";
import { FakeBackend } from "./fakeBackend";

describe("commands", () => {
  it("every command the shell declares is called by a store made from the backend, and only those", async () => {
    const backend = new FakeBackend();
    backend.fallback = () => ({ roots: [], eligibility: [], rows: [], records: [], total: 0, readCount: 0, pendingTracks: 0 });
    backend.pickedFolders = ["/a"];
    const { library, mtpwLinker: linker, uploadQueue: queue, history, accounts } = createStores(backend, null);
    await library.refresh();
    await library.addFolders().catch(() => undefined);
    await library.removeFolder("/a");
    await library.detail("2f61");
    linker.pasted = "0b8e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    await linker.link("2f61");
    await linker.create("2f61");
    await queue.upload(["2f61"]);
    await queue.preferences();
    await queue.remember({ hideBackfills: true, hideRecent: null, autoHideFromHome: null });
    await queue.latestOf("2f61");
    await queue.pause();
    await queue.resume();
    await queue.cancel();
    await queue.retry(1);
    await history.load();
    await history.open(1);
    await history.openActivity("1");
    await accounts.load();
    await accounts.save(
      {
        stravaClientId: null,
        stravaApiBase: null,
        stravaOauthBase: null,
        stravaScopes: null,
        redirectMode: "loopback",
        mtpwBase: null,
        mtpwClientId: null,
        mtpwRedirectUri: null,
        debugLog: null,
        autoUpload: null,
      },
      "typed",
    );
    await accounts.connect("mtpw");
    await accounts.cancel("mtpw");
    await accounts.disconnect("mtpw");
    await accounts.copyDiagnostics();
    const called = [...new Set(backend.commandNames())].sort();
    // subscribe_events is the Tauri backend's own (its event channel, see tauriBackend.test.ts).
    expect(called).toEqual(COMMAND_NAMES.filter((name) => name !== "subscribe_events").sort());
  });
});
