// Where the user is: one explicit screen at a time, with what it shows (not a single "open id").

/** Every screen of the app and what it needs to show. */
type Screen =
  | { view: "library" }
  | { view: "sequence"; sequenceId: string }
  | { view: "queue" }
  | { view: "history"; uploadId: number | null }
  | { view: "accounts" };

type View = Screen["view"];

export class Navigation {
  screen = $state<Screen>({ view: "library" });
  /** The screen before the current one (Back from a detail). */
  previous = $state<Screen | null>(null);

  go(screen: Screen): void {
    this.previous = this.screen;
    this.screen = screen;
  }

  /** Changes what the current screen shows without a step back (a history row opened). */
  replace(screen: Screen): void {
    this.screen = screen;
  }

  /** Returns to the previous screen, or the library. */
  back(): void {
    const to = this.previous ?? { view: "library" };
    this.previous = null;
    this.screen = to;
  }

  /** True when `view` is the current one (a detail counts as its list: a sequence as the library). */
  isAt(view: View): boolean {
    const current = this.screen.view === "sequence" ? "library" : this.screen.view;
    return current === view;
  }
}
