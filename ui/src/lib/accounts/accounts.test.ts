import { describe, expect, it } from "vitest";
import { FakeBackend } from "../backend/fakeBackend";
import { Accounts } from "./accounts.svelte";

const status = (strava: Record<string, unknown>) => ({
  keyring: { available: true, message: null },
  strava: { connected: false, waiting: false, message: null, ...strava },
  mtpw: { connected: false, waiting: false, message: null },
});

describe("accounts status", () => {
  it("a sign-in made on other servers than the settings' shows why it does not count", async () => {
    const message = "signed in on www.strava.com; sign in again for strava.example";
    const backend = new FakeBackend()
      .answer("accounts_status", () => status({ message }) as never)
      .answer("accounts_settings", () => ({}) as never);
    const accounts = new Accounts(backend);
    await accounts.load();
    expect(accounts.connected("strava")).toBe(false);
    expect(accounts.problem.strava).toBe("Signed in on www.strava.com; sign in again for strava.example.");
    expect(accounts.problem.mtpw).toBeNull();
  });
});
