import { describe, expect, it } from "vitest";
import { moveActive, renderedIndices, rowsPerPage, scrollToReveal, visibleRange } from "./windowing";

const ROW = 60;

describe("visibleRange", () => {
  it("renders the rows in view plus the overscan, never past the ends", () => {
    expect(visibleRange(0, 600, ROW, 10_000, 5)).toEqual({ start: 0, end: 15 });
    // 10 rows fit; the first visible one is row 100
    expect(visibleRange(100 * ROW, 600, ROW, 10_000, 5)).toEqual({ start: 95, end: 115 });
  });

  it("counts a row cut by the top or bottom edge as visible", () => {
    // rows 100 (half hidden at the top) to 110 (half shown at the bottom)
    expect(visibleRange(100 * ROW + 30, 600, ROW, 10_000, 0)).toEqual({ start: 100, end: 111 });
  });

  it("keeps its size at the end of the list", () => {
    const bottom = 10_000 * ROW - 600;
    expect(visibleRange(bottom, 600, ROW, 10_000, 5)).toEqual({ start: 9_985, end: 10_000 });
  });

  it("copes with short lists, empty lists, overscrolling and an unmeasured viewport", () => {
    expect(visibleRange(0, 600, ROW, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 600, ROW, 0, 5)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(-80, 600, ROW, 100, 0)).toEqual({ start: 0, end: 10 });
    expect(visibleRange(1e9, 600, ROW, 100, 2)).toEqual({ start: 97, end: 100 });
    expect(visibleRange(0, 0, ROW, 100, 2)).toEqual({ start: 0, end: 3 });
  });

  it("renders a bounded number of rows however long the list is", () => {
    for (const count of [100, 10_000, 1_000_000]) {
      const range = visibleRange(count * 30, 800, ROW, count);
      expect(range.end - range.start).toBeLessThanOrEqual(Math.ceil(800 / ROW) + 1 + 12);
    }
  });
});

describe("renderedIndices", () => {
  it("keeps the active row rendered when it is scrolled out of view", () => {
    expect(renderedIndices({ start: 50, end: 53 }, 2, 100)).toEqual([2, 50, 51, 52]);
    expect(renderedIndices({ start: 50, end: 53 }, 90, 100)).toEqual([50, 51, 52, 90]);
  });

  it("does not repeat an active row inside the range, nor add one that is gone", () => {
    expect(renderedIndices({ start: 50, end: 53 }, 51, 100)).toEqual([50, 51, 52]);
    expect(renderedIndices({ start: 0, end: 3 }, -1, 3)).toEqual([0, 1, 2]);
    expect(renderedIndices({ start: 0, end: 3 }, 7, 3)).toEqual([0, 1, 2]);
  });
});

describe("moveActive", () => {
  it("moves by one row, by a page, and to either end", () => {
    expect(moveActive("ArrowDown", 4, 100, 10)).toBe(5);
    expect(moveActive("ArrowUp", 4, 100, 10)).toBe(3);
    expect(moveActive("PageDown", 4, 100, 10)).toBe(14);
    expect(moveActive("PageUp", 14, 100, 10)).toBe(4);
    expect(moveActive("Home", 40, 100, 10)).toBe(0);
    expect(moveActive("End", 4, 100, 10)).toBe(99);
  });

  it("stops at the ends instead of wrapping", () => {
    expect(moveActive("ArrowDown", 99, 100, 10)).toBe(99);
    expect(moveActive("ArrowUp", 0, 100, 10)).toBe(0);
    expect(moveActive("PageDown", 95, 100, 10)).toBe(99);
    expect(moveActive("PageUp", 5, 100, 10)).toBe(0);
  });

  it("starts on the first row when none is active, and clamps a stale index after a filter", () => {
    expect(moveActive("ArrowDown", -1, 100, 10)).toBe(0);
    expect(moveActive("ArrowUp", -1, 100, 10)).toBe(0);
    expect(moveActive("PageDown", -1, 100, 10)).toBe(10);
    expect(moveActive("ArrowDown", 500, 100, 10)).toBe(99);
    expect(moveActive("ArrowUp", 500, 100, 10)).toBe(98);
  });

  it("ignores other keys and empty lists", () => {
    expect(moveActive("a", 3, 100, 10)).toBeNull();
    expect(moveActive("Enter", 3, 100, 10)).toBeNull();
    expect(moveActive("ArrowDown", -1, 0, 10)).toBeNull();
  });
});

describe("rowsPerPage and scrollToReveal", () => {
  it("pages by the whole rows that fit", () => {
    expect(rowsPerPage(650, ROW)).toBe(10);
    expect(rowsPerPage(20, ROW)).toBe(1);
  });

  it("scrolls only as far as needed to show the row entirely", () => {
    // already in view: no scroll
    expect(scrollToReveal(12, 600, 600, ROW)).toBe(600);
    // above: its top at the top
    expect(scrollToReveal(5, 600, 600, ROW)).toBe(300);
    // below: its bottom at the bottom
    expect(scrollToReveal(30, 600, 600, ROW)).toBe(31 * ROW - 600);
    // half hidden at the bottom edge
    expect(scrollToReveal(20, 630, 600, ROW)).toBe(21 * ROW - 600);
  });
});
