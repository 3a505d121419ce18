// The Accounts view's state: both accounts, the settings in effect, sign-ins waiting for the
// browser, and the last problem of each service. Secrets never come here.

import type { Backend } from "../backend/backend";
import type { AccountsStatus } from "../bindings/AccountsStatus";
import type { EffectiveSettings } from "../bindings/EffectiveSettings";
import type { Provider } from "../bindings/Provider";
import type { SettingsUpdate } from "../bindings/SettingsUpdate";
import type { SignInStarted } from "../bindings/SignInStarted";
import { asSentence } from "./accountSettings";
import { userMessage } from "../shell/format";

const errorText = (error: unknown): string => asSentence(userMessage(error));

/** A sign-in waiting for the browser: what to show with Copy and Cancel. */
export interface Waiting {
  authorizeUrl: string;
  browserError: string | null;
}

/** What "Copy diagnostics" did: the text copied, or the problem. */
export interface DiagnosticsResult {
  text: string | null;
  problem: string | null;
}

/** A settings update that changes nothing (fields are set on a copy). */
const NO_CHANGE: SettingsUpdate = {
  stravaClientId: null,
  stravaApiBase: null,
  stravaOauthBase: null,
  stravaScopes: null,
  redirectMode: null,
  mtpwBase: null,
  mtpwClientId: null,
  mtpwRedirectUri: null,
  debugLog: null,
  autoUpload: null,
};

export class Accounts {
  status = $state<AccountsStatus | null>(null);
  settings = $state<EffectiveSettings | null>(null);
  /** Set when status or settings could not be read at all. */
  loadError = $state<string | null>(null);
  waiting = $state<Record<Provider, Waiting | null>>({ strava: null, mtpw: null });
  problem = $state<Record<Provider, string | null>>({ strava: null, mtpw: null });
  busy = $state<Record<Provider, boolean>>({ strava: false, mtpw: false });
  #backend: Backend;
  #listening: Promise<unknown> | null = null;
  /** Counts the shell's account events: a status read while one arrived is older than it. */
  #events = 0;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Listens to the shell's account events (once) and reads status and settings. */
  async load(): Promise<void> {
    this.#listening ??= Promise.all([
      this.#backend.on("accounts-changed", (status) => {
        this.#events += 1;
        this.#changed(status);
      }),
      this.#backend.on("sign-in-failed", (failure) => {
        this.#events += 1;
        this.waiting[failure.provider] = null;
        this.problem[failure.provider] = errorText(failure.error);
      }),
    ]);
    await this.#listening;
    try {
      const seen = this.#events;
      const [status, settings] = await Promise.all([
        this.#backend.call("accounts_status", null),
        this.#backend.call("accounts_settings", null),
      ]);
      if (seen === this.#events) this.#changed(status);
      this.settings = settings;
      this.loadError = null;
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  connected(provider: Provider): boolean {
    return this.status?.[provider].connected ?? false;
  }

  async connect(provider: Provider): Promise<void> {
    this.problem[provider] = null;
    await this.#busy(provider, async () => {
      const seen = this.#events;
      const started: SignInStarted = await this.#backend.call("start_sign_in", { provider });
      // A quick browser may have finished already: then its event came first and said how.
      if (seen === this.#events) {
        this.waiting[provider] = { authorizeUrl: started.authorizeUrl, browserError: started.browserError };
      }
    });
  }

  async cancel(provider: Provider): Promise<void> {
    this.waiting[provider] = null;
    await this.#busy(provider, () => this.#backend.call("cancel_sign_in", { provider }));
  }

  async disconnect(provider: Provider): Promise<void> {
    this.problem[provider] = null;
    await this.#busy(provider, async () => {
      const outcome = await this.#backend.call("disconnect", { provider });
      if (outcome.warning) {
        this.problem[provider] = `Signed out here, but Strava could not be told: ${outcome.warning}`;
      }
      await this.#refresh();
    });
  }

  /** Saves changed settings; answers the error text, or null when saved. */
  async save(update: SettingsUpdate | null, secret: string | null): Promise<string | null> {
    try {
      if (update) this.settings = await this.#backend.call("save_accounts_settings", update);
      if (secret != null) this.settings = await this.#backend.call("set_strava_client_secret", { secret });
      await this.#refresh();
      return null;
    } catch (error) {
      return errorText(error);
    }
  }

  /** Turns the detailed (debug) log on or off at once; answers the error text, or null. */
  async setDetailedLog(on: boolean): Promise<string | null> {
    return this.save({ ...NO_CHANGE, debugLog: on }, null);
  }

  /** "Upload new sequences automatically" on (from now) or off; answers the error text, or null. */
  async setAutoUpload(on: boolean): Promise<string | null> {
    return this.save({ ...NO_CHANGE, autoUpload: on }, null);
  }

  /**
   * Makes the diagnostics report and puts it on the clipboard (the app does it where it can,
   * else the WebView's clipboard); answers what was copied, or why not.
   */
  async copyDiagnostics(): Promise<DiagnosticsResult> {
    let report;
    try {
      report = await this.#backend.call("copy_diagnostics", null);
    } catch (error) {
      return { text: null, problem: errorText(error) };
    }
    if (report.copied) return { text: report.text, problem: null };
    try {
      await navigator.clipboard.writeText(report.text);
      return { text: report.text, problem: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { text: null, problem: `The clipboard refused the report (${reason}).` };
    }
  }

  /** Reads the status, unless an event told something newer meanwhile. */
  async #refresh(): Promise<void> {
    const seen = this.#events;
    const status = await this.#backend.call("accounts_status", null);
    if (seen === this.#events) this.#changed(status);
  }

  #changed(status: AccountsStatus): void {
    this.status = status;
    for (const provider of ["strava", "mtpw"] as const) {
      if (!status[provider].waiting) this.waiting[provider] = null;
      if (status[provider].connected) this.problem[provider] = null;
      // A sign-in made on other servers than the settings' now: say so on the card.
      else if (status[provider].message) this.problem[provider] ??= asSentence(status[provider].message);
    }
  }

  async #busy(provider: Provider, job: () => Promise<unknown>): Promise<void> {
    this.busy[provider] = true;
    try {
      await job();
    } catch (error) {
      this.problem[provider] = errorText(error);
    } finally {
      this.busy[provider] = false;
    }
  }
}
