import { describe, expect, it } from "vitest";
import { projectTrack } from "./track";

describe("projectTrack", () => {
  it("returns null without points", () => expect(projectTrack([], 100, 100)).toBeNull());

  it("draws north up and east right", () => {
    const track = projectTrack(
      [
        [0, 0],
        [1, 1],
      ],
      100,
      100,
      0,
    );
    expect(track?.start).toEqual({ x: 0, y: 100 });
    expect(track?.end).toEqual({ x: 100, y: 0 });
    expect(track?.d).toBe("M0 100 L100 0");
  });

  it("corrects longitude by cos(latitude) and keeps the aspect ratio", () => {
    // At 60°, one degree of longitude is half as long as one of latitude: a 2°×1° box is square.
    const track = projectTrack(
      [
        [59.5, 10],
        [60.5, 12],
      ],
      200,
      100,
      0,
    );
    expect(track).not.toBeNull();
    const xs = track!.points.map((p) => p.x);
    const ys = track!.points.map((p) => p.y);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    expect(w / h).toBeCloseTo(1, 1);
    // fitted to the height, centred horizontally
    expect(h).toBeCloseTo(100, 0);
    expect(Math.min(...xs)).toBeCloseTo(50, 0);
  });

  it("centres a single point", () => {
    const track = projectTrack([[45, 7]], 100, 60);
    expect(track?.start).toEqual({ x: 50, y: 30 });
    expect(track?.d).toBe("M50 30");
  });

  it("fits a north-south line by its height", () => {
    const track = projectTrack(
      [
        [10, 5],
        [11, 5],
      ],
      300,
      100,
      10,
    );
    expect(track?.points.map((p) => p.x)).toEqual([150, 150]);
    expect(track?.points.map((p) => p.y)).toEqual([90, 10]);
  });

  it("skips non-finite points", () => {
    const track = projectTrack(
      [
        [Number.NaN, 1],
        [1, 1],
      ],
      10,
      10,
    );
    expect(track?.points).toHaveLength(1);
  });
});
