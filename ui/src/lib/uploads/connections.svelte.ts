// What the UI knows about the connections an action needs: set when the queue reports an upload
// that stopped because Strava or Map the Paths is not connected, cleared after connecting.

export class Connections {
  /** Why an action could not go on for want of a connection (a sentence), or null. */
  missing = $state<string | null>(null);

  /** Remembers that an upload needs a connection (`detail`: the pipeline's sentence). */
  needConnection(detail: string | null): void {
    this.missing = detail ?? "Connect Strava and Map the Paths to upload.";
  }

  /** After connecting (the Accounts view calls this), or when the user dismisses it. */
  connected(): void {
    this.missing = null;
  }
}
