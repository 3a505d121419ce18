// The short messages shown at the bottom of the window (drop outcomes, errors), with timed dismissal.

/** How a notice reads: errors stay until dismissed. */
type Tone = "success" | "info" | "error";

/** One message for the user, in a sentence. */
export interface Notice {
  tone: Tone;
  text: string;
}

interface ShownNotice extends Notice {
  id: number;
}

const LIFETIME_MS: Record<Tone, number | null> = { success: 8000, info: 8000, error: null };

export class Notices {
  items = $state<ShownNotice[]>([]);
  #nextId = 1;

  /** Shows notices; errors stay until dismissed, the others fade after a few seconds. */
  show(notices: Notice[]): void {
    for (const notice of notices) {
      const shown = { ...notice, id: this.#nextId++ };
      this.items = [...this.items.slice(-4), shown];
      const lifetime = LIFETIME_MS[notice.tone];
      if (lifetime != null) setTimeout(() => this.dismiss(shown.id), lifetime);
    }
  }

  dismiss(id: number): void {
    this.items = this.items.filter((item) => item.id !== id);
  }
}
