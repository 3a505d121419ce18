// Human formatting of the numbers, dates and errors the app shows: never raw values.

import type { ErrorCode } from "../bindings/ErrorCode";
import type { UserError } from "../bindings/UserError";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The placeholder shown where a value is unknown. */
export const UNKNOWN = "—";

/** "45 s", "12 min", "1 h 12 min", "3 h"; unknown or negative gives "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "850 m", "12.4 km", "124 km"; unknown or negative gives "—". */
export function formatDistanceKm(km: number | null | undefined): string {
  if (km == null || !Number.isFinite(km) || km < 0) return UNKNOWN;
  if (km < 1) return `${Math.round(km * 1000)} m`;
  if (km < 100) return `${(Math.round(km * 10) / 10).toFixed(1)} km`;
  return `${groupThousands(Math.round(km))} km`;
}

/** Same as [`formatDistanceKm`] for a distance in metres. */
export function formatDistanceM(metres: number | null | undefined): string {
  return formatDistanceKm(metres == null ? metres : metres / 1000);
}

/** A local `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm[:ss]` as "12 Mar 2024" or "12 Mar 2024, 09:41". */
export function formatCaptureDate(value: string | null | undefined): string {
  if (!value) return UNKNOWN;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value.trim());
  if (!match) return UNKNOWN;
  const [, year, month, day, hour, minute] = match;
  const monthName = MONTHS[Number(month) - 1];
  if (!monthName || Number(day) < 1 || Number(day) > 31) return UNKNOWN;
  const date = `${Number(day)} ${monthName} ${year}`;
  return hour && minute ? `${date}, ${hour}:${minute}` : date;
}

/** "1 sequence", "1,204 sequences". */
export function formatCount(count: number, singular: string, plural: string): string {
  return `${groupThousands(count)} ${count === 1 ? singular : plural}`;
}

/** 1204 → "1,204". */
export function groupThousands(value: number): string {
  return String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The last segment of a path ("/home/ana/MTP/sequences/my_ride" → "my_ride"). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  const parts = trimmed.split(/[\\/]/);
  return parts[parts.length - 1] || trimmed || path;
}

/** A caught command error's code, for screens to branch on ("notConnected", "rateLimited", …); null when it has none. */
export function errorCode(error: unknown): ErrorCode | null {
  return isUserError(error) ? error.code : null;
}

/** A caught error as a sentence: command errors carry one; anything else gets a generic line. */
export function userMessage(error: unknown): string {
  if (isUserError(error) && error.message.trim() !== "") return error.message;
  if (typeof error === "string" && error.trim() !== "") return error;
  return "Something went wrong. Please try again.";
}

/** True for the `{ code, message }` the shell rejects commands with. */
function isUserError(error: unknown): error is UserError {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.message === "string";
}

/** Strava's sport type in words: "StandUpPaddling" → "Stand Up Paddling", "EBikeRide" → "E-Bike Ride". */
export function activityTypeWords(sportType: string): string {
  return sportType
    .replace(/^EBike/, "E-Bike")
    .replace(/^EMountainBike/, "E-Mountain Bike")
    .replace(/([a-z])([A-Z])/g, "$1 $2");
}
