// The one way the UI reaches the app shell: the `Backend` interface, typed by the generated
// command and event maps (bindings/ipc.ts), so no name, argument or payload is hand-typed.

import type { Commands, Events } from "../bindings/ipc";

/** Stops listening to an event. */
export type Unlisten = () => void;

/**
 * Declared commands, declared events and the folder picker. Stores are created from a
 * `Backend`: the app hands them the Tauri one (`tauriBackend.ts`), vitest a fake one
 * (`fakeBackend.ts`); components never reach the shell themselves.
 */
export interface Backend {
  /** Invokes a declared command; it rejects with a `UserError`. */
  call<C extends keyof Commands>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]>;
  /** Listens to a declared event; the answer stops listening. */
  on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten>;
  /** The native folder picker; several folders may be chosen. Empty when cancelled. */
  chooseFolders(): Promise<string[]>;
}
