// Generated from mtp_engine::ipc by mtp-engine's bindings test (`make bindings`). Do not edit.
import type { AccountsStatus, AddPathsArgs, ClientSecretArgs, DisconnectOutcome, DropHover, DropOutcome, EffectiveSettings, LibraryScan, ProviderArgs, RemoveRootArgs, SequenceDetail, SequenceDetailArgs, SequenceSummary, SettingsUpdate, SignInFailed, SignInStarted, UserError } from "./index";

/** Every command: what it takes (sent as `{ args }`; `null`: nothing) and what it answers. */
export interface Commands {
  "scan_library": { args: null; result: LibraryScan };
  "add_paths": { args: AddPathsArgs; result: DropOutcome };
  "remove_root": { args: RemoveRootArgs; result: null };
  "sequence_detail": { args: SequenceDetailArgs; result: SequenceDetail };
  "accounts_status": { args: null; result: AccountsStatus };
  "accounts_settings": { args: null; result: EffectiveSettings };
  "save_accounts_settings": { args: SettingsUpdate; result: EffectiveSettings };
  "set_strava_client_secret": { args: ClientSecretArgs; result: EffectiveSettings };
  "start_sign_in": { args: ProviderArgs; result: SignInStarted };
  "cancel_sign_in": { args: ProviderArgs; result: null };
  "disconnect": { args: ProviderArgs; result: DisconnectOutcome };
}

/** Every event the shell emits, with its payload. */
export interface Events {
  "drop-hover": DropHover;
  "drop-outcome": DropOutcome;
  "drop-failed": UserError;
  "tracks-checked": Array<SequenceSummary>;
  "accounts-changed": AccountsStatus;
  "sign-in-failed": SignInFailed;
}

export const COMMAND_NAMES = ["scan_library", "add_paths", "remove_root", "sequence_detail", "accounts_status", "accounts_settings", "save_accounts_settings", "set_strava_client_secret", "start_sign_in", "cancel_sign_in", "disconnect"] as const;
export const EVENT_NAMES = ["drop-hover", "drop-outcome", "drop-failed", "tracks-checked", "accounts-changed", "sign-in-failed"] as const;
