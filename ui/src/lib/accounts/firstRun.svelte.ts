// The first-run guide's state: shown on a first run with an account missing, ended once both
// accounts are connected, skipped (remembered in localStorage: view state, not a secret) and
// reopened from the sidebar or Accounts.

/** What the guide remembers between launches. */
type GuideMemory = "new" | "skipped" | "done";

/** Where the guide stands: `pending` until the accounts' status is first known. */
type GuidePhase = "pending" | "open" | "closed";

/** The localStorage key of what the guide remembers. */
export const FIRST_RUN_KEY = "mtp.firstRunGuide";

/** The part of `localStorage` the guide needs (a fake one in vitest). */
export type GuideStorage = Pick<Storage, "getItem" | "setItem">;

export class FirstRun {
  memory = $state<GuideMemory>("new");
  open = $state(false);
  /** Whether both accounts were connected at the last status; `null` before the first. */
  #bothConnected: boolean | null = $state(null);
  #storage: GuideStorage | null;

  constructor(storage: GuideStorage | null) {
    this.#storage = storage;
    const stored = storage?.getItem(FIRST_RUN_KEY);
    if (stored === "skipped" || stored === "done") this.memory = stored;
  }

  get phase(): GuidePhase {
    if (this.#bothConnected === null) return "pending";
    return this.open ? "open" : "closed";
  }

  /** The accounts' status changed (or was first read). */
  accountsChanged(strava: boolean, mtpw: boolean): void {
    const both = strava && mtpw;
    const before = this.#bothConnected;
    this.#bothConnected = both;
    if (before === null) {
      if (both) this.#remember("done");
      else if (this.memory === "new") this.open = true;
    } else if (both && !before) {
      // Connecting the second account ends the guide.
      this.#remember("done");
      this.open = false;
    }
  }

  /** Skip (or Escape): closed now and on later launches, until reopened. */
  skip(): void {
    if (this.memory !== "done") this.#remember("skipped");
    this.open = false;
  }

  /** From the sidebar or Accounts: shows the guide again, whatever it remembers. */
  reopen(): void {
    this.open = true;
  }

  #remember(memory: GuideMemory): void {
    this.memory = memory;
    try {
      this.#storage?.setItem(FIRST_RUN_KEY, memory);
    } catch {
      // A storage that refuses only means the guide may show again next time.
    }
  }
}

/** The webview's localStorage, or null where there is none (or it refuses to be read). */
export function browserStorage(): GuideStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
