import { describe, expect, it } from "vitest";
import { Accounts } from "../accounts/accounts.svelte";
import { COMMAND_NAMES } from "../bindings/ipc";
import { Library } from "../library/library.svelte";
import { MtpwLinker } from "../library/mtpwLinker.svelte";
import { History } from "../uploads/history.svelte";
import { UploadQueue } from "../uploads/queue.svelte";
import { FakeBackend } from "./fakeBackend";

describe("commands", () => {
  it("every command the shell declares is called by a store, and only those", async () => {
    const backend = new FakeBackend();
    backend.fallback = () => ({ roots: [], eligibility: [], rows: [], records: [], total: 0, readCount: 0, pendingTracks: 0 });
    backend.pickedFolders = ["/a"];
    const library = new Library(backend);
    await library.refresh();
    await library.addFolders().catch(() => undefined);
    await library.removeFolder("/a");
    await library.detail("2f61");
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
    const accounts = new Accounts(backend);
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
      },
      "typed",
    );
    await accounts.connect("mtpw");
    await accounts.cancel("mtpw");
    await accounts.disconnect("mtpw");
    const called = [...new Set(backend.commandNames())].sort();
    expect(called).toEqual([...COMMAND_NAMES].sort());
  });
});
