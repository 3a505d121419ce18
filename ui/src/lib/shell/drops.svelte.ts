// Files dragged onto the window, as the shell reports them: the overlay while they hover, the
// folders a drop added (the library shows and rescans them), or why the drop failed (a notice).

import type { Backend, Unlisten } from "../backend/backend";
import type { Library } from "../library/library.svelte";
import { userMessage } from "./format";
import type { Notices } from "./notices.svelte";

export class Drops {
  /** True while files are dragged over the window. */
  hovering = $state(false);

  #backend: Backend;
  #library: Library;
  #notices: Notices;

  constructor(backend: Backend, library: Library, notices: Notices) {
    this.#backend = backend;
    this.#library = library;
    this.#notices = notices;
  }

  /** Follows the shell's drop events; the returned function stops. */
  async listen(): Promise<Unlisten> {
    const stops = await Promise.all([
      this.#backend.on("drop-hover", (hover) => (this.hovering = hover.active)),
      this.#backend.on("drop-outcome", (outcome) => {
        this.hovering = false;
        void this.#library.accept(outcome);
      }),
      this.#backend.on("drop-failed", (error) => {
        this.hovering = false;
        this.#notices.show([{ tone: "error", text: userMessage(error) }]);
      }),
    ]);
    return () => stops.forEach((stop) => stop());
  }
}
