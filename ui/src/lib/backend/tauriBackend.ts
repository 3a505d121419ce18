// Typed calls to the app shell: command and event names, arguments and payloads all come from
// the generated `bindings/ipc.ts` (mtp_engine::ipc), so nothing here is hand-typed.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open } from "@tauri-apps/plugin-dialog";
import type { Commands, Events } from "../bindings/ipc";
import type { DropOutcome } from "../bindings/DropOutcome";
import type { LibraryList } from "../bindings/LibraryList";
import type { SequenceDetail } from "../bindings/SequenceDetail";
import type { SequenceSummary } from "../bindings/SequenceSummary";
import type { UserError } from "../bindings/UserError";

/**
 * The one way the UI reaches the app shell: declared commands, declared events and the folder
 * picker. Stores take a `Backend`, so vitest runs them against a fake one (`backend/fakeBackend`);
 * views never call Tauri.
 */
export interface Backend {
  call<C extends keyof Commands>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]>;
  on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn>;
  chooseFolders(): Promise<string[]>;
}

/** Invokes a declared command; every command takes its arguments as `{ args }`. It rejects with a `UserError`. */
export function call<C extends keyof Commands>(
  command: C,
  args: Commands[C]["args"],
): Promise<Commands[C]["result"]> {
  return invoke<Commands[C]["result"]>(command, args === null ? {} : { args });
}

/** Listens to a declared event; the returned function stops listening. */
export function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn> {
  return listen<Events[E]>(event, (message) => handler(message.payload));
}

/** Every sequence, newest first, without track previews, in the compact form (`decodeList` reads it). */
export function scanLibrary(): Promise<LibraryList> {
  return call("scan_library", null);
}

/** Final summaries of sequences whose track was checked after a scan (they arrive in batches). */
export function listenToCheckedTracks(handler: (summaries: SequenceSummary[]) => void): Promise<UnlistenFn> {
  return on("tracks-checked", handler);
}

/** Adds folders: the same decision the window makes for dropped paths. */
export function addPaths(paths: string[]): Promise<DropOutcome> {
  return call("add_paths", { paths });
}

/** Removes a library folder (files on disk are left alone). */
export async function removeRoot(path: string): Promise<void> {
  await call("remove_root", { path });
}

/** One sequence with its track preview and photo count. */
export function sequenceDetail(id: string): Promise<SequenceDetail> {
  return call("sequence_detail", { id });
}

/** The native folder picker; several folders may be chosen. Empty when cancelled. */
export async function chooseFolders(): Promise<string[]> {
  const picked = await open({ directory: true, multiple: true, title: "Add sequence folders" });
  if (picked == null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** The real shell, through Tauri's `invoke` and `listen`. */
export const tauriBackend: Backend = { call, on, chooseFolders };

/** Handlers for what the window reports about drag and drop. */
export interface DropHandlers {
  hover: (active: boolean) => void;
  outcome: (outcome: DropOutcome) => void;
  failed: (error: UserError) => void;
}

/** Listens to the shell's drop events; the returned function stops listening. */
export async function listenToDrops(handlers: DropHandlers): Promise<UnlistenFn> {
  const stops = await Promise.all([
    on("drop-hover", (hover) => handlers.hover(hover.active)),
    on("drop-outcome", handlers.outcome),
    on("drop-failed", handlers.failed),
  ]);
  return () => stops.forEach((stop) => stop());
}
