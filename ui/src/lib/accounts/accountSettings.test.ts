import { describe, expect, it } from "vitest";
import {
  asSentence,
  keyringProblem,
  environmentNote,
  environmentVariables,
  formOf,
  mtpwRegistration,
  scopeLabel,
  secretNote,
  settingsUpdate,
} from "./accountSettings";
import type { EffectiveSettings } from "../bindings/EffectiveSettings";
import type { SettingValue } from "../bindings/SettingValue";

const stored = (value: string, envVar: string | null = null): SettingValue => ({
  value,
  fromEnvironment: false,
  envVar,
});
const fromEnv = (value: string, envVar: string): SettingValue => ({ value, fromEnvironment: true, envVar });

function settings(overrides: Partial<EffectiveSettings> = {}): EffectiveSettings {
  return {
    stravaClientId: stored("", "MTP_STRAVA_CLIENT_ID"),
    stravaClientSecret: "notSet",
    stravaApiBase: stored("https://www.strava.com/api/v3", "MTP_STRAVA_API_BASE"),
    stravaOauthBase: stored("https://www.strava.com", "MTP_STRAVA_OAUTH_BASE"),
    stravaScopes: stored("activity:write,read"),
    redirectMode: "deepLink",
    mtpwBase: stored("https://www.mapthepaths.com", "MTPW_BASE"),
    mtpwClientId: stored("", "MTPW_CLIENT_ID"),
    mtpwRedirectUri: stored("mtp-strava-uploader://localhost/mtpw/callback", "MTPW_REDIRECT_URI"),
    debugLog: false,
    autoUploadSince: null,
    ...overrides,
  };
}

describe("where values come from", () => {
  it("names the variable that sets a value for this run", () => {
    expect(environmentNote(fromEnv("http://127.0.0.1:9/api/v3", "MTP_STRAVA_API_BASE"))).toBe(
      "Set by MTP_STRAVA_API_BASE for this run.",
    );
    expect(environmentNote(stored("x", "MTPW_BASE"))).toBeNull();
  });

  it("lists every variable in effect, the client secret's too, never its value", () => {
    const names = environmentVariables(
      settings({
        stravaClientId: fromEnv("180001", "MTP_STRAVA_CLIENT_ID"),
        mtpwBase: fromEnv("http://127.0.0.1:9", "MTPW_BASE"),
        stravaClientSecret: "environment",
      }),
    );
    expect(names).toEqual(["MTP_STRAVA_CLIENT_ID", "MTPW_BASE", "MTP_STRAVA_CLIENT_SECRET"]);
  });

  it("says where the client secret is kept", () => {
    expect(secretNote("keyring")).toBe("Saved in your keyring.");
    expect(secretNote("environment")).toContain("never saved");
    expect(secretNote("notSet")).toBe("Not set yet.");
    expect(secretNote("unknown")).toContain("keyring cannot be read");
  });
});

describe("scopeLabel", () => {
  it("explains known scopes and keeps unknown ones as they are", () => {
    expect(scopeLabel("activity:write")).toBe("upload activities (activity:write)");
    expect(scopeLabel("read")).toBe("public profile (read)");
    expect(scopeLabel("something:new")).toBe("something:new");
  });
});

describe("mtpwRegistration", () => {
  it("asks for the deep link and its scheme", () => {
    expect(mtpwRegistration("mtp-strava-uploader://localhost/mtpw/callback", "deepLink")).toEqual([
      "Redirect URI mtp-strava-uploader://localhost/mtpw/callback",
      "Allowed scheme mtp-strava-uploader",
    ]);
  });

  it("adds the loopback URI in loopback mode, and no scheme for https", () => {
    expect(mtpwRegistration("https://example.org/cb", "loopback")).toEqual([
      "Redirect URI https://example.org/cb",
      "Redirect URI http://127.0.0.1/mtpw/callback (any port) and allowed scheme http",
    ]);
  });
});

describe("settingsUpdate", () => {
  it("is null when nothing changed", () => {
    const current = settings();
    expect(settingsUpdate(formOf(current), current)).toBeNull();
  });

  it("sends only changed fields, trimmed", () => {
    const current = settings();
    const form = { ...formOf(current), stravaClientId: " 123456 ", redirectMode: "loopback" as const };
    const update = settingsUpdate(form, current);
    expect(update).toMatchObject({ stravaClientId: "123456", redirectMode: "loopback", mtpwBase: null });
  });

  it("sends an emptied field as empty (back to the default)", () => {
    const current = settings({ stravaScopes: stored("activity:write") });
    const update = settingsUpdate({ ...formOf(current), stravaScopes: "  " }, current);
    expect(update?.stravaScopes).toBe("");
  });

  it("leaves values set by the environment alone", () => {
    const current = settings({ mtpwBase: fromEnv("http://127.0.0.1:9", "MTPW_BASE") });
    expect(settingsUpdate({ ...formOf(current), mtpwBase: "http://elsewhere" }, current)).toBeNull();
  });
});

describe("asSentence", () => {
  it("starts a message with a capital and ends it with a full stop unless it has one", () => {
    expect(asSentence("you declined access on Strava: nothing was changed")).toBe(
      "You declined access on Strava: nothing was changed.",
    );
    expect(asSentence("Connect again!")).toBe("Connect again!");
  });
});

describe("keyringProblem", () => {
  it("keeps the engine's reason, without the headline shown above it", () => {
    expect(keyringProblem("No keyring available (is a Secret Service running?): no D-Bus session")).toBe(
      "No D-Bus session.",
    );
    expect(keyringProblem("No keyring available (is a Secret Service running?)")).toBeNull();
    expect(keyringProblem("the keyring is locked")).toBe("The keyring is locked.");
    expect(keyringProblem(null)).toBeNull();
  });
});
