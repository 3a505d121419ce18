// "Keep these off my followers' home feeds" (Strava's hide_from_home): ticked by default for a
// backfill (more than 5 sequences, or any captured more than 14 days ago), else unticked; the
// user's last choice for the same kind of batch wins, and is remembered per kind.

import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadPreferences } from "../bindings/UploadPreferences";
import type { UploadPreferencesUpdate } from "../bindings/UploadPreferencesUpdate";
import type { UploadRecord } from "../bindings/UploadRecord";

/** A batch of more sequences than this is a backfill. */
export const BACKFILL_COUNT = 5;
/** A sequence captured more than this many days ago makes its batch a backfill. */
export const BACKFILL_AGE_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The capture date in epoch ms (`YYYY-MM-DD` and `YYYY-MM-DDTHH:mm:ss` are local time); null when unreadable. */
export function captureTime(captureDate: string | null): number | null {
  if (!captureDate) return null;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(captureDate) ? `${captureDate}T00:00:00` : captureDate;
  const time = new Date(text).getTime();
  return Number.isNaN(time) ? null : time;
}

/** True when the batch would flood the followers' feeds: many sequences, or old ones. */
export function isBackfill(sequences: readonly Pick<SequenceSummary, "captureDate">[], now: number = Date.now()): boolean {
  if (sequences.length > BACKFILL_COUNT) return true;
  return sequences.some((s) => {
    const time = captureTime(s.captureDate);
    return time != null && now - time > BACKFILL_AGE_DAYS * DAY_MS;
  });
}

/** Whether the box starts ticked: the remembered choice for this kind of batch, else the rule. */
export function hideByDefault(backfill: boolean, preferences: UploadPreferences | null): boolean {
  const remembered = backfill ? preferences?.hideBackfills : preferences?.hideRecent;
  return remembered ?? backfill;
}

/** What to remember after the user confirmed with `hide`. */
export function rememberChoice(backfill: boolean, hide: boolean): UploadPreferencesUpdate {
  return backfill
    ? { hideBackfills: hide, hideRecent: null, autoHideFromHome: null }
    : { hideBackfills: null, hideRecent: hide, autoHideFromHome: null };
}

/** The home feed of an uploaded activity, in words; null before Strava has it. */
export function feedWords(record: Pick<UploadRecord, "activityId" | "hideFromHome" | "hiddenFromHome">): string | null {
  if (record.hiddenFromHome) return "Kept off your followers' home feeds";
  if (record.activityId == null) return record.hideFromHome ? "To be kept off your followers' home feeds" : null;
  if (record.hideFromHome) return "Asked to keep it off your followers' home feeds; Strava has not confirmed it yet";
  return "Shown on your followers' home feeds";
}
