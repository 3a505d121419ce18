// The links the detail of a sequence offers: its Strava activity once this app uploaded it, and
// its Map the Paths page once it has an id. Both open through the shell's one link path.

import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UploadRecord } from "../bindings/UploadRecord";

export interface DetailLinks {
  /** The activity on Strava (digits), when its upload reached Strava and it was not deleted. */
  activityId: string | null;
  /** The sequence on Map the Paths. */
  mtpwUuid: string | null;
}

/** The links of `sequence`, given its newest upload (if any). */
export function detailLinks(sequence: Pick<SequenceSummary, "id" | "mtpwUuid">, upload: UploadRecord | null): DetailLinks {
  const onStrava = upload != null && upload.sequenceId === sequence.id && upload.activityId != null && upload.state !== "activityDeleted";
  return {
    activityId: onStrava ? upload.activityId : null,
    mtpwUuid: sequence.mtpwUuid ?? upload?.mtpwUuid ?? null,
  };
}
