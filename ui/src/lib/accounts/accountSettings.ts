// What the Accounts view says about settings and sign-ins: where a value comes from, what the
// granted scopes mean, what an MTPW operator must register, and the settings a form changed.

import type { EffectiveSettings } from "../bindings/EffectiveSettings";
import type { RedirectMode } from "../bindings/RedirectMode";
import type { SecretSource } from "../bindings/SecretSource";
import type { SettingsUpdate } from "../bindings/SettingsUpdate";
import type { SettingValue } from "../bindings/SettingValue";

/** Where the Strava Client Secret comes from, as a short sentence (never the secret). */
export function secretNote(source: SecretSource): string {
  switch (source) {
    case "environment":
      return "Set by MTP_STRAVA_CLIENT_SECRET for this run; it is used, never saved.";
    case "keyring":
      return "Saved in your keyring.";
    case "notSet":
      return "Not set yet.";
    case "unknown":
      return "The keyring cannot be read, so the app cannot tell whether it is saved.";
  }
}

/** "Set by MTPW_BASE for this run" for a value from the environment, else null. */
export function environmentNote(setting: SettingValue): string | null {
  if (!setting.fromEnvironment) return null;
  return setting.envVar ? `Set by ${setting.envVar} for this run.` : "Set by the environment for this run.";
}

/** The names of the settings the environment sets for this run. */
export function environmentVariables(settings: EffectiveSettings): string[] {
  const values = [
    settings.stravaClientId,
    settings.stravaApiBase,
    settings.stravaOauthBase,
    settings.stravaScopes,
    settings.mtpwBase,
    settings.mtpwClientId,
    settings.mtpwRedirectUri,
  ];
  const names = values.filter((v) => v.fromEnvironment && v.envVar).map((v) => v.envVar as string);
  if (settings.stravaClientSecret === "environment") names.push("MTP_STRAVA_CLIENT_SECRET");
  return names;
}

const SCOPE_MEANINGS: Record<string, string> = {
  read: "public profile",
  read_all: "private routes and segments",
  "profile:read_all": "full profile",
  "profile:write": "edit profile",
  "activity:read": "read activities",
  "activity:read_all": "read private activities",
  "activity:write": "upload activities",
};

/** A granted scope as the photographer reads it: "upload activities (activity:write)". */
export function scopeLabel(scope: string): string {
  const meaning = SCOPE_MEANINGS[scope];
  return meaning ? `${meaning} (${scope})` : scope;
}

/** The redirect URI a loopback sign-in to Map the Paths uses (any port). */
const MTPW_LOOPBACK_URI = "http://127.0.0.1/mtpw/callback";

/** What a Map the Paths operator must register for the app's client, one line each. */
export function mtpwRegistration(redirectUri: string, mode: RedirectMode): string[] {
  const lines = [`Redirect URI ${redirectUri}`];
  const scheme = schemeOf(redirectUri);
  if (scheme && scheme !== "https" && scheme !== "http") lines.push(`Allowed scheme ${scheme}`);
  if (mode === "loopback") lines.push(`Redirect URI ${MTPW_LOOPBACK_URI} (any port) and allowed scheme http`);
  return lines;
}

function schemeOf(uri: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(uri);
  return match?.[1]?.toLowerCase() ?? null;
}

/** The form of the Accounts view: every non-secret setting as the photographer typed it. */
export interface SettingsForm {
  stravaClientId: string;
  stravaApiBase: string;
  stravaOauthBase: string;
  stravaScopes: string;
  redirectMode: RedirectMode;
  mtpwBase: string;
  mtpwClientId: string;
  mtpwRedirectUri: string;
}

/** The form filled with the settings in effect. */
export function formOf(settings: EffectiveSettings): SettingsForm {
  return {
    stravaClientId: settings.stravaClientId.value,
    stravaApiBase: settings.stravaApiBase.value,
    stravaOauthBase: settings.stravaOauthBase.value,
    stravaScopes: settings.stravaScopes.value,
    redirectMode: settings.redirectMode,
    mtpwBase: settings.mtpwBase.value,
    mtpwClientId: settings.mtpwClientId.value,
    mtpwRedirectUri: settings.mtpwRedirectUri.value,
  };
}

/**
 * Only what the form changed, trimmed; values set by the environment are left alone (the field
 * is read-only then). An emptied field resets its setting to the default. Null: nothing changed.
 */
export function settingsUpdate(form: SettingsForm, settings: EffectiveSettings): SettingsUpdate | null {
  const update: SettingsUpdate = {
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
  let changed = false;
  const text = (typed: string, current: SettingValue): string | null => {
    const value = typed.trim();
    if (current.fromEnvironment || value === current.value) return null;
    changed = true;
    return value;
  };
  update.stravaClientId = text(form.stravaClientId, settings.stravaClientId);
  update.stravaApiBase = text(form.stravaApiBase, settings.stravaApiBase);
  update.stravaOauthBase = text(form.stravaOauthBase, settings.stravaOauthBase);
  update.stravaScopes = text(form.stravaScopes, settings.stravaScopes);
  update.mtpwBase = text(form.mtpwBase, settings.mtpwBase);
  update.mtpwClientId = text(form.mtpwClientId, settings.mtpwClientId);
  update.mtpwRedirectUri = text(form.mtpwRedirectUri, settings.mtpwRedirectUri);
  if (form.redirectMode !== settings.redirectMode) {
    update.redirectMode = form.redirectMode;
    changed = true;
  }
  return changed ? update : null;
}

/** A message shown alone reads as a sentence: a capital first, a full stop last. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** What the Accounts view says when there is no keyring. */
export const KEYRING_MISSING = "No keyring available (is a Secret Service running?)";

/** The engine's reason without the headline the view already shows; null when nothing is left. */
export function keyringProblem(message: string | null): string | null {
  if (message == null) return null;
  const rest = message.startsWith(KEYRING_MISSING) ? message.slice(KEYRING_MISSING.length) : message;
  const detail = rest.replace(/^[\s:]+/, "").trim();
  return detail === "" ? null : asSentence(detail);
}
