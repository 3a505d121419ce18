// Typed calls for the Accounts view, over the declared commands and events (bindings/ipc.ts).

import type { UnlistenFn } from "@tauri-apps/api/event";
import { call, on } from "../backend/tauriBackend";
import type { AccountsStatus } from "../bindings/AccountsStatus";
import type { DisconnectOutcome } from "../bindings/DisconnectOutcome";
import type { EffectiveSettings } from "../bindings/EffectiveSettings";
import type { Provider } from "../bindings/Provider";
import type { SettingsUpdate } from "../bindings/SettingsUpdate";
import type { SignInFailed } from "../bindings/SignInFailed";
import type { SignInStarted } from "../bindings/SignInStarted";

/** Both accounts and the keyring. */
export function accountsStatus(): Promise<AccountsStatus> {
  return call("accounts_status", null);
}

/** The settings in effect, saying which come from the environment. */
export function accountsSettings(): Promise<EffectiveSettings> {
  return call("accounts_settings", null);
}

/** Saves the changed settings; answers the settings in effect. */
export function saveAccountsSettings(update: SettingsUpdate): Promise<EffectiveSettings> {
  return call("save_accounts_settings", update);
}

/** Puts the Strava Client Secret in the keyring (empty: removes it). It never comes back. */
export function setStravaClientSecret(secret: string): Promise<EffectiveSettings> {
  return call("set_strava_client_secret", { secret });
}

/** Opens the browser on the service's consent page; the outcome arrives as an event. */
export function startSignIn(provider: Provider): Promise<SignInStarted> {
  return call("start_sign_in", { provider });
}

/** Stops waiting for the browser. */
export async function cancelSignIn(provider: Provider): Promise<void> {
  await call("cancel_sign_in", { provider });
}

/** Signs out (Strava is asked to revoke); the local sign-in is always gone. */
export function disconnect(provider: Provider): Promise<DisconnectOutcome> {
  return call("disconnect", { provider });
}

/** Handlers for what the shell reports about sign-ins. */
export interface AccountHandlers {
  changed: (status: AccountsStatus) => void;
  failed: (failure: SignInFailed) => void;
}

/** Listens to account changes and failed sign-ins; the returned function stops listening. */
export async function listenToAccounts(handlers: AccountHandlers): Promise<UnlistenFn> {
  const stops = await Promise.all([on("accounts-changed", handlers.changed), on("sign-in-failed", handlers.failed)]);
  return () => stops.forEach((stop) => stop());
}
