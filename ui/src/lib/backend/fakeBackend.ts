// A fake app shell for store tests: scripted command answers, recorded calls, events emitted by hand.

import type { Backend, Unlisten } from "./backend";
import type { Commands, Events } from "../bindings/ipc";

type Handler<C extends keyof Commands> = (args: Commands[C]["args"]) => Commands[C]["result"] | Promise<Commands[C]["result"]>;

export class FakeBackend implements Backend {
  /** Every command called, in order, with its arguments. */
  calls: Array<{ command: keyof Commands; args: unknown }> = [];
  /** What the folder picker answers next. */
  pickedFolders: string[] = [];
  /** Answers commands without their own answer (none: they reject). */
  fallback: ((args: unknown) => unknown) | null = null;
  #handlers = new Map<keyof Commands, (args: unknown) => unknown>();
  #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Answers `command` with `handler` (a thrown value becomes a rejection, as a `UserError` would). */
  answer<C extends keyof Commands>(command: C, handler: Handler<C>): this {
    this.#handlers.set(command, handler as (args: unknown) => unknown);
    return this;
  }

  async call<C extends keyof Commands>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["result"]> {
    this.calls.push({ command, args });
    const handler = this.#handlers.get(command) ?? this.fallback;
    if (!handler) throw { code: "internal", message: `The fake backend has no answer for ${command}.` };
    return (await handler(args)) as Commands[C]["result"];
  }

  async on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten> {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(handler as (payload: never) => void);
    this.#listeners.set(event, set);
    return () => set.delete(handler as (payload: never) => void);
  }

  async chooseFolders(): Promise<string[]> {
    return this.pickedFolders;
  }

  /** Emits `event` to every listener, as the shell would. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const handler of this.#listeners.get(event) ?? []) (handler as (p: Events[E]) => void)(payload);
  }

  /** Names of the commands called so far. */
  commandNames(): string[] {
    return this.calls.map((c) => c.command);
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
