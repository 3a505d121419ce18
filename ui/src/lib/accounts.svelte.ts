// The Accounts view's state: both accounts, the settings in effect, sign-ins waiting for the
// browser, and the last problem of each service. Secrets never come here.

import * as api from "./accounts-api";
import type { AccountsStatus } from "./bindings/AccountsStatus";
import type { EffectiveSettings } from "./bindings/EffectiveSettings";
import type { Provider } from "./bindings/Provider";
import type { SettingsUpdate } from "./bindings/SettingsUpdate";
import type { SignInStarted } from "./bindings/SignInStarted";
import { asSentence } from "./accounts";
import { userMessage } from "./format";

const errorText = (error: unknown): string => asSentence(userMessage(error));

/** A sign-in waiting for the browser: what to show with Copy and Cancel. */
export interface Waiting {
  authorizeUrl: string;
  browserError: string | null;
}

class Accounts {
  status = $state<AccountsStatus | null>(null);
  settings = $state<EffectiveSettings | null>(null);
  /** Set when status or settings could not be read at all. */
  loadError = $state<string | null>(null);
  waiting = $state<Record<Provider, Waiting | null>>({ strava: null, mtpw: null });
  problem = $state<Record<Provider, string | null>>({ strava: null, mtpw: null });
  busy = $state<Record<Provider, boolean>>({ strava: false, mtpw: false });
  #listening: Promise<unknown> | null = null;

  /** Listens to the shell's account events (once) and reads status and settings. */
  async load(): Promise<void> {
    this.#listening ??= api.listenToAccounts({
      changed: (status) => this.#changed(status),
      failed: (failure) => {
        this.waiting[failure.provider] = null;
        this.problem[failure.provider] = errorText(failure.error);
      },
    });
    await this.#listening;
    try {
      const [status, settings] = await Promise.all([api.accountsStatus(), api.accountsSettings()]);
      this.#changed(status);
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
      const started: SignInStarted = await api.startSignIn(provider);
      // The sign-in may already be over (a quick browser): only show it while the engine waits.
      if (!this.connected(provider)) {
        this.waiting[provider] = { authorizeUrl: started.authorizeUrl, browserError: started.browserError };
      }
    });
  }

  async cancel(provider: Provider): Promise<void> {
    this.waiting[provider] = null;
    await this.#busy(provider, () => api.cancelSignIn(provider));
  }

  async disconnect(provider: Provider): Promise<void> {
    this.problem[provider] = null;
    await this.#busy(provider, async () => {
      const outcome = await api.disconnect(provider);
      if (outcome.warning) {
        this.problem[provider] = `Signed out here, but Strava could not be told: ${outcome.warning}`;
      }
      this.#changed(await api.accountsStatus());
    });
  }

  /** Saves changed settings; answers the error text, or null when saved. */
  async save(update: SettingsUpdate | null, secret: string | null): Promise<string | null> {
    try {
      if (update) this.settings = await api.saveAccountsSettings(update);
      if (secret != null) this.settings = await api.setStravaClientSecret(secret);
      this.#changed(await api.accountsStatus());
      return null;
    } catch (error) {
      return errorText(error);
    }
  }

  #changed(status: AccountsStatus): void {
    this.status = status;
    for (const provider of ["strava", "mtpw"] as const) {
      if (!status[provider].waiting) this.waiting[provider] = null;
      if (status[provider].connected) this.problem[provider] = null;
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

export const accounts = new Accounts();
