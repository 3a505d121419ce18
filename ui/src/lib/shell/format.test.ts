import { describe, expect, it } from "vitest";
import {
  activityTypeWords,
  baseName,
  formatCaptureDate,
  formatCount,
  formatDistanceKm,
  formatDistanceM,
  formatDuration,
  userMessage,
  errorCode,
} from "./format";

describe("formatDuration", () => {
  it("uses seconds under a minute", () => expect(formatDuration(45)).toBe("45 s"));
  it("uses minutes under an hour", () => expect(formatDuration(12 * 60 + 20)).toBe("12 min"));
  it("uses hours and minutes", () => expect(formatDuration(72 * 60)).toBe("1 h 12 min"));
  it("drops zero minutes", () => expect(formatDuration(3 * 3600)).toBe("3 h"));
  it("rounds 59.6 minutes up to an hour", () => expect(formatDuration(3576)).toBe("1 h"));
  it("shows unknown for missing or bad values", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(-5)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe("formatDistance", () => {
  it("uses metres under a kilometre", () => expect(formatDistanceKm(0.8504)).toBe("850 m"));
  it("uses one decimal under 100 km", () => expect(formatDistanceKm(12.43)).toBe("12.4 km"));
  it("keeps the decimal for whole numbers", () => expect(formatDistanceKm(5)).toBe("5.0 km"));
  it("drops decimals from 100 km", () => expect(formatDistanceKm(1234.4)).toBe("1,234 km"));
  it("converts metres", () => expect(formatDistanceM(12_400)).toBe("12.4 km"));
  it("shows unknown for missing values", () => expect(formatDistanceKm(null)).toBe("—"));
});

describe("formatCaptureDate", () => {
  it("formats a date", () => expect(formatCaptureDate("2024-03-12")).toBe("12 Mar 2024"));
  it("formats a date and time", () =>
    expect(formatCaptureDate("2024-03-12T09:41:07")).toBe("12 Mar 2024, 09:41"));
  it("rejects garbage", () => {
    expect(formatCaptureDate("yesterday")).toBe("—");
    expect(formatCaptureDate("2024-13-01")).toBe("—");
    expect(formatCaptureDate(null)).toBe("—");
  });
});

describe("formatCount", () => {
  it("uses the singular for one", () => expect(formatCount(1, "sequence", "sequences")).toBe("1 sequence"));
  it("groups thousands", () => expect(formatCount(1204, "sequence", "sequences")).toBe("1,204 sequences"));
  it("uses the plural for zero", () => expect(formatCount(0, "sequence", "sequences")).toBe("0 sequences"));
});

describe("baseName", () => {
  it("takes the last segment", () => expect(baseName("/home/ana/MTP/sequences/my_ride")).toBe("my_ride"));
  it("ignores a trailing slash", () => expect(baseName("/data/rides/")).toBe("rides"));
  it("handles Windows paths", () => expect(baseName("C:\\Users\\ana\\ride")).toBe("ride"));
});

describe("userMessage", () => {
  it("keeps a command's sentence", () => expect(userMessage("The folder is gone.")).toBe("The folder is gone."));
  it("never shows objects", () => expect(userMessage({ code: 3 })).toBe("Something went wrong. Please try again."));
  it("shows the sentence of a typed error", () =>
    expect(userMessage({ code: "unknownRoot", message: "‘x’ is not one of your library folders" })).toBe(
      "‘x’ is not one of your library folders",
    ));
});

describe("errorCode", () => {
  it("gives the code of a typed error", () =>
    expect(errorCode({ code: "keyringUnavailable", message: "No keyring available" })).toBe("keyringUnavailable"));
  it("is null for anything else", () => {
    expect(errorCode("a sentence")).toBeNull();
    expect(errorCode(null)).toBeNull();
  });
});

describe("activityTypeWords", () => {
  it("spells Strava's sport types as words", () => {
    expect(activityTypeWords("Ride")).toBe("Ride");
    expect(activityTypeWords("StandUpPaddling")).toBe("Stand Up Paddling");
    expect(activityTypeWords("EBikeRide")).toBe("E-Bike Ride");
    expect(activityTypeWords("AlpineSki")).toBe("Alpine Ski");
  });
});
