// The two ways out of "no Map the Paths id" for one sequence: link a pasted MTPW link or UUID,
// or create the sequence on Map the Paths. The engine remembers either in the app's store.

import type { Backend } from "../backend/backend";
import type { SequenceDetail } from "../bindings/SequenceDetail";
import { userMessage } from "../shell/format";
import type { Library } from "./library.svelte";

export class MtpwLinker {
  /** What the user pasted, not yet linked. */
  pasted = $state("");
  /** True while the engine links or creates. */
  busy = $state(false);
  /** Why the last attempt failed (the engine's sentence), or null. */
  error = $state<string | null>(null);

  #backend: Backend;
  #library: Library;

  constructor(backend: Backend, target: Library) {
    this.#backend = backend;
    this.#library = target;
  }

  /** Forgets what was pasted and any failure (another sequence is shown). */
  reset(): void {
    this.pasted = "";
    this.error = null;
  }

  /** Links the pasted text; the refreshed detail, or null when it failed (see `error`). */
  async link(sequenceId: string): Promise<SequenceDetail | null> {
    const pasted = this.pasted.trim();
    if (pasted === "") {
      this.error = "Paste a Map the Paths sequence link or its id first.";
      return null;
    }
    return this.#run(() => this.#backend.call("link_mtpw", { id: sequenceId, pasted }));
  }

  /** "Create on Map the Paths"; the refreshed detail, or null when it failed (see `error`). */
  create(sequenceId: string): Promise<SequenceDetail | null> {
    return this.#run(() => this.#backend.call("create_on_mtpw", { id: sequenceId }));
  }

  async #run(action: () => Promise<SequenceDetail>): Promise<SequenceDetail | null> {
    this.busy = true;
    this.error = null;
    try {
      const detail = await action();
      this.pasted = "";
      this.#library.replaceSummary(detail.summary);
      return detail;
    } catch (error) {
      this.error = userMessage(error);
      return null;
    } finally {
      this.busy = false;
    }
  }
}
