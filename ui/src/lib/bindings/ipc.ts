// Generated from mtp_engine::ipc by mtp-engine's bindings test (`make bindings`). Do not edit.
import type { AddPathsArgs, DropHover, DropOutcome, LibraryScan, RemoveRootArgs, SequenceDetail, SequenceDetailArgs, SequenceSummary, UserError } from "./index";

/** Every command: what it takes (sent as `{ args }`; `null`: nothing) and what it answers. */
export interface Commands {
  "scan_library": { args: null; result: LibraryScan };
  "add_paths": { args: AddPathsArgs; result: DropOutcome };
  "remove_root": { args: RemoveRootArgs; result: null };
  "sequence_detail": { args: SequenceDetailArgs; result: SequenceDetail };
}

/** Every event the shell emits, with its payload. */
export interface Events {
  "drop-hover": DropHover;
  "drop-outcome": DropOutcome;
  "drop-failed": UserError;
  "tracks-checked": Array<SequenceSummary>;
}

export const COMMAND_NAMES = ["scan_library", "add_paths", "remove_root", "sequence_detail"] as const;
export const EVENT_NAMES = ["drop-hover", "drop-outcome", "drop-failed", "tracks-checked"] as const;
