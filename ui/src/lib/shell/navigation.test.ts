import { describe, expect, it } from "vitest";
import { Navigation } from "./navigation.svelte";

describe("navigation", () => {
  it("starts in the library, goes to a screen with what it shows, and back", () => {
    const nav = new Navigation();
    expect(nav.screen).toEqual({ view: "library" });
    nav.go({ view: "queue" });
    nav.go({ view: "history", uploadId: 7 });
    expect(nav.screen).toEqual({ view: "history", uploadId: 7 });
    expect(nav.isAt("history")).toBe(true);
    nav.back();
    expect(nav.screen).toEqual({ view: "queue" });
    nav.back();
    expect(nav.screen).toEqual({ view: "library" });
  });

  it("counts a sequence's detail as the library", () => {
    const nav = new Navigation();
    nav.go({ view: "sequence", sequenceId: "2f61" });
    expect(nav.isAt("library")).toBe(true);
    expect(nav.isAt("queue")).toBe(false);
  });
});
