// The real app shell behind `Backend`: Tauri's `invoke`, one event channel and the folder
// dialog. The only module that imports @tauri-apps; main.ts hands it to the app.
//
// Events come through one `Channel` handed to the shell (`subscribe_events`), not through
// Tauri's app-wide event listening: the window has no permission to listen, so broadcasts
// such as the deep-link plugin's (a callback URL with its code or token) never reach it.

import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import type { Commands, Events } from "../bindings/ipc";
import type { Backend, Unlisten } from "./backend";

/** What the shell sends through the channel: a declared event and its payload. */
interface EventMessage {
  event: keyof Events;
  payload: unknown;
}

/** Every command takes its arguments as `{ args }`; argument-less ones take nothing. */
function call<C extends keyof Commands>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]> {
  return invoke<Commands[C]["result"]>(command, args === null ? {} : { args });
}

const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
let subscribed: Promise<void> | null = null;

/** Hands the shell this page's channel, once. */
function subscribe(): Promise<void> {
  subscribed ??= (async () => {
    const channel = new Channel<EventMessage>();
    channel.onmessage = (message) => {
      for (const handler of handlers.get(message.event) ?? []) (handler as (payload: unknown) => void)(message.payload);
    };
    await call("subscribe_events", { channel });
  })();
  return subscribed;
}

async function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten> {
  const set = handlers.get(event) ?? new Set();
  set.add(handler as (payload: never) => void);
  handlers.set(event, set);
  await subscribe();
  return () => set.delete(handler as (payload: never) => void);
}

async function chooseFolders(): Promise<string[]> {
  const picked = await open({ directory: true, multiple: true, title: "Add sequence folders" });
  if (picked == null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** The shell the app runs in. */
export const tauriBackend: Backend = { call, on, chooseFolders };
