import { describe, expect, it } from "vitest";
import { FIRST_RUN_KEY, FirstRun, type GuideStorage } from "./firstRun.svelte";

function memoryStorage(initial: Record<string, string> = {}): GuideStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe("the first-run guide", () => {
  it("waits for the accounts' status before it shows anything", () => {
    const guide = new FirstRun(memoryStorage());
    expect(guide.phase).toBe("pending");
    expect(guide.open).toBe(false);
  });

  it("shows on a first run with no account connected", () => {
    const guide = new FirstRun(memoryStorage());
    guide.accountsChanged(false, false);
    expect(guide.phase).toBe("open");
  });

  it("stays open while only one account is connected, and ends when both are", () => {
    const storage = memoryStorage();
    const guide = new FirstRun(storage);
    guide.accountsChanged(false, false);
    guide.accountsChanged(true, false);
    expect(guide.open).toBe(true);
    guide.accountsChanged(true, true);
    expect(guide.open).toBe(false);
    expect(storage.data[FIRST_RUN_KEY]).toBe("done");
    expect(new FirstRun(storage).memory).toBe("done");
  });

  it("does not show when both accounts are already connected", () => {
    const storage = memoryStorage();
    const guide = new FirstRun(storage);
    guide.accountsChanged(true, true);
    expect(guide.phase).toBe("closed");
    expect(storage.data[FIRST_RUN_KEY]).toBe("done");
  });

  it("once skipped, stays closed on later launches", () => {
    const storage = memoryStorage();
    const guide = new FirstRun(storage);
    guide.accountsChanged(false, false);
    guide.skip();
    expect(guide.open).toBe(false);
    const later = new FirstRun(storage);
    later.accountsChanged(false, false);
    expect(later.phase).toBe("closed");
  });

  it("reopens on request, and connecting both then ends it", () => {
    const storage = memoryStorage({ [FIRST_RUN_KEY]: "skipped" });
    const guide = new FirstRun(storage);
    guide.accountsChanged(false, true);
    expect(guide.open).toBe(false);
    guide.reopen();
    expect(guide.phase).toBe("open");
    guide.accountsChanged(true, true);
    expect(guide.open).toBe(false);
    expect(storage.data[FIRST_RUN_KEY]).toBe("done");
  });

  it("reopened after it is done, it closes again without forgetting it was done", () => {
    const storage = memoryStorage({ [FIRST_RUN_KEY]: "done" });
    const guide = new FirstRun(storage);
    guide.accountsChanged(true, true);
    guide.reopen();
    expect(guide.open).toBe(true);
    guide.accountsChanged(true, true);
    expect(guide.open).toBe(true);
    guide.skip();
    expect(guide.open).toBe(false);
    expect(storage.data[FIRST_RUN_KEY]).toBe("done");
  });

  it("a storage that throws does not stop the guide", () => {
    const guide = new FirstRun({
      getItem: () => null,
      setItem: () => {
        throw new Error("quota");
      },
    });
    guide.accountsChanged(false, false);
    guide.skip();
    expect(guide.open).toBe(false);
  });
});
