// The real app shell behind `Backend`: Tauri's `invoke`, `listen` and folder dialog. The only
// module that imports @tauri-apps; main.ts hands it to the app.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { open } from "@tauri-apps/plugin-dialog";
import type { Commands, Events } from "../bindings/ipc";
import type { Backend, Unlisten } from "./backend";

/** Every command takes its arguments as `{ args }`; argument-less ones take nothing. */
function call<C extends keyof Commands>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]> {
  return invoke<Commands[C]["result"]>(command, args === null ? {} : { args });
}

function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten> {
  return listen<Events[E]>(event, (message) => handler(message.payload));
}

async function chooseFolders(): Promise<string[]> {
  const picked = await open({ directory: true, multiple: true, title: "Add sequence folders" });
  if (picked == null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** The shell the app runs in. */
export const tauriBackend: Backend = { call, on, chooseFolders };
