// Typed calls to the app shell's commands and events (src-tauri/app/src/{commands,events}.rs).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open } from "@tauri-apps/plugin-dialog";
import type { DropOutcome } from "./bindings/DropOutcome";
import type { LibraryRoot } from "./bindings/LibraryRoot";
import type { LibraryScan } from "./bindings/LibraryScan";
import type { SequenceDetail } from "./bindings/SequenceDetail";
import type { SequenceSummary } from "./bindings/SequenceSummary";

/** Every library folder. */
export function libraryRoots(): Promise<LibraryRoot[]> {
  return invoke("library_roots");
}

/** Every sequence, newest first, without track previews. */
export function scanLibrary(): Promise<LibraryScan> {
  return invoke("scan_library");
}

/** Final summaries of sequences whose track was checked after a scan (they arrive in batches). */
export function listenToCheckedTracks(handler: (summaries: SequenceSummary[]) => void): Promise<UnlistenFn> {
  return listen<SequenceSummary[]>("tracks-checked", (event) => handler(event.payload));
}

/** Adds folders: the same decision the window makes for dropped paths. */
export function addPaths(paths: string[]): Promise<DropOutcome> {
  return invoke("add_paths", { paths });
}

/** Removes a library folder (files on disk are left alone). */
export function removeRoot(path: string): Promise<void> {
  return invoke("remove_root", { path });
}

/** One sequence with its track preview. */
export function sequenceDetail(id: string): Promise<SequenceDetail> {
  return invoke("sequence_detail", { id });
}

/** The native folder picker; several folders may be chosen. Empty when cancelled. */
export async function chooseFolders(): Promise<string[]> {
  const picked = await open({ directory: true, multiple: true, title: "Add sequence folders" });
  if (picked == null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** Handlers for what the window reports about drag and drop. */
export interface DropHandlers {
  hover: (active: boolean) => void;
  outcome: (outcome: DropOutcome) => void;
  failed: (message: string) => void;
}

/** Listens to the shell's drop events; the returned function stops listening. */
export async function listenToDrops(handlers: DropHandlers): Promise<UnlistenFn> {
  const stops = await Promise.all([
    listen<{ active: boolean }>("drop-hover", (event) => handlers.hover(event.payload.active)),
    listen<DropOutcome>("drop-outcome", (event) => handlers.outcome(event.payload)),
    listen<string>("drop-failed", (event) => handlers.failed(event.payload)),
  ]);
  return () => stops.forEach((stop) => stop());
}
