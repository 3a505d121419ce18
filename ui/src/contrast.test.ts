// Readable contrast in light and dark mode (issue 10): every text colour the app puts on a
// background, read from app.css's variables, meets WCAG AA for normal text (4.5:1).

import { describe, expect, it } from "vitest";
import css from "./app.css?raw";

type Rgba = [number, number, number, number];


const [lightPart = "", darkPart = ""] = css.split("@media (prefers-color-scheme: dark)");

function variables(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const light = variables(lightPart);
const dark = { ...light, ...variables(darkPart) };

function parse(value: string): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgba = /^rgba\(([^)]+)\)$/.exec(value);
  if (rgba) {
    const [r = 0, g = 0, b = 0, a = 1] = rgba[1]!.split(",").map(Number);
    return [r, g, b, a];
  }
  throw new Error(`not a colour: ${value}`);
}

/** `top` painted over the opaque `base`. */
function over(top: Rgba, base: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + base[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background]: the background is painted over the surface (chips, badges, banners). */
const PAIRS: Array<[string, string]> = [
  ["--text", "--surface"],
  ["--text", "--bg"],
  ["--text", "--selected"],
  ["--text-muted", "--surface"],
  ["--text-muted", "--bg"],
  ["--text-muted", "--sidebar"],
  ["--text-muted", "--surface-sunken"],
  ["--text-faint", "--surface"],
  ["--text-faint", "--bg"],
  ["--text-faint", "--surface-sunken"],
  // status chips, upload badges and banners
  ["--ok", "--ok-soft"],
  ["--warn", "--warn-soft"],
  ["--bad", "--bad-soft"],
  ["--info", "--info-soft"],
  ["--accent-strong", "--accent-soft"],
  ["--accent-strong", "--surface"],
  ["--accent-strong", "--selected"],
  // primary buttons and the athlete's initial
  ["--on-accent", "--accent-fill"],
  ["--on-accent", "--accent-fill-hover"],
  // state words in plain text (the batch summary)
  ["--ok", "--surface"],
  ["--warn", "--surface"],
  ["--bad", "--surface"],
];

describe.each([
  ["light", light],
  ["dark", dark],
])("contrast in %s mode", (_mode, palette) => {
  const colour = (name: string) => parse(palette[name] ?? `missing ${name}`);
  it.each(PAIRS)("%s on %s is at least 4.5:1", (text, background) => {
    const surface = colour("--surface");
    const behind = over(colour(background), surface);
    const ratio = contrast(over(colour(text), behind), behind);
    expect(ratio, `${text} on ${background}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
  });
});
