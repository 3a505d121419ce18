// Generated from mtp_engine::ipc by mtp-engine's bindings test (`make bindings`). Do not edit.
import type { AccountsStatus, AddPathsArgs, ClientSecretArgs, DiagnosticsCopy, DisconnectOutcome, DropHover, DropOutcome, EffectiveSettings, EnqueueOutcome, HistoryPage, HistoryQuery, LibraryChanged, LibraryList, LinkMtpwArgs, LinkTarget, ProviderArgs, QueueSnapshot, RemoveRootArgs, ScanLibraryArgs, SequenceDetail, SequenceDetailArgs, SequenceSummary, SettingsUpdate, SignInFailed, SignInStarted, SubscribeEventsArgs, UploadArgs, UploadEvent, UploadPreferences, UploadPreferencesUpdate, UploadRecord, UploadSequencesArgs, UploadTargetArgs, UserError } from "./index";

/** Every command: what it takes (sent as `{ args }`; `null`: nothing) and what it answers. */
export interface Commands {
  "scan_library": { args: ScanLibraryArgs; result: LibraryList };
  "add_paths": { args: AddPathsArgs; result: DropOutcome };
  "remove_root": { args: RemoveRootArgs; result: null };
  "sequence_detail": { args: SequenceDetailArgs; result: SequenceDetail };
  "upload_sequences": { args: UploadSequencesArgs; result: Array<EnqueueOutcome> };
  "upload_queue": { args: null; result: QueueSnapshot };
  "pause_uploads": { args: UploadTargetArgs; result: null };
  "resume_uploads": { args: UploadTargetArgs; result: null };
  "cancel_uploads": { args: UploadTargetArgs; result: null };
  "retry_upload": { args: UploadArgs; result: UploadRecord | null };
  "upload_history": { args: HistoryQuery; result: HistoryPage };
  "upload_record": { args: UploadArgs; result: UploadRecord | null };
  "sequence_upload": { args: SequenceDetailArgs; result: UploadRecord | null };
  "upload_preferences": { args: null; result: UploadPreferences };
  "save_upload_preferences": { args: UploadPreferencesUpdate; result: UploadPreferences };
  "link_mtpw": { args: LinkMtpwArgs; result: SequenceDetail };
  "create_on_mtpw": { args: SequenceDetailArgs; result: SequenceDetail };
  "open_link": { args: LinkTarget; result: null };
  "accounts_status": { args: null; result: AccountsStatus };
  "accounts_settings": { args: null; result: EffectiveSettings };
  "save_accounts_settings": { args: SettingsUpdate; result: EffectiveSettings };
  "set_strava_client_secret": { args: ClientSecretArgs; result: EffectiveSettings };
  "start_sign_in": { args: ProviderArgs; result: SignInStarted };
  "cancel_sign_in": { args: ProviderArgs; result: null };
  "disconnect": { args: ProviderArgs; result: DisconnectOutcome };
  "copy_diagnostics": { args: null; result: DiagnosticsCopy };
  "subscribe_events": { args: SubscribeEventsArgs; result: null };
}

/** Every event the shell emits, with its payload. */
export interface Events {
  "drop-hover": DropHover;
  "drop-outcome": DropOutcome;
  "drop-failed": UserError;
  "tracks-checked": Array<SequenceSummary>;
  "library-changed": LibraryChanged;
  "upload-progress": UploadEvent;
  "upload-queue-idle": QueueSnapshot;
  "accounts-changed": AccountsStatus;
  "sign-in-failed": SignInFailed;
}

export const COMMAND_NAMES = ["scan_library", "add_paths", "remove_root", "sequence_detail", "upload_sequences", "upload_queue", "pause_uploads", "resume_uploads", "cancel_uploads", "retry_upload", "upload_history", "upload_record", "sequence_upload", "upload_preferences", "save_upload_preferences", "link_mtpw", "create_on_mtpw", "open_link", "accounts_status", "accounts_settings", "save_accounts_settings", "set_strava_client_secret", "start_sign_in", "cancel_sign_in", "disconnect", "copy_diagnostics", "subscribe_events"] as const;
export const EVENT_NAMES = ["drop-hover", "drop-outcome", "drop-failed", "tracks-checked", "library-changed", "upload-progress", "upload-queue-idle", "accounts-changed", "sign-in-failed"] as const;
