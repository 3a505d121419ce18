// Library search: every word typed must appear in one of a sequence's visible fields.

import type { SequenceSummary } from "../bindings/SequenceSummary";

/** Lower case without accents, so "Córdoba" matches "cordoba". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** The text a sequence can be found by: names, description, transport, tags and date. */
function searchText(sequence: SequenceSummary): string {
  return fold(
    [
      sequence.name,
      sequence.dirName,
      sequence.description ?? "",
      sequence.transportType ?? "",
      sequence.transportMethod ?? "",
      sequence.strava.activityType ?? "",
      sequence.captureDate ?? "",
      ...sequence.tags,
    ].join("\n"),
  );
}

/**
 * The folded search text of each summary, built once per summary object: a keystroke over
 * 10,000 sequences then only runs `includes`. Summaries are replaced, never mutated, when they
 * change (a rescan, a checked track), so a cached text is never stale.
 */
const searchTexts = new WeakMap<SequenceSummary, string>();

function cachedSearchText(sequence: SequenceSummary): string {
  let text = searchTexts.get(sequence);
  if (text === undefined) {
    text = searchText(sequence);
    searchTexts.set(sequence, text);
  }
  return text;
}

/** The folded texts of a list, in its order, made once per list (a rescan makes a new list). */
const listTexts = new WeakMap<readonly SequenceSummary[], string[]>();

function textsOf(sequences: readonly SequenceSummary[]): string[] {
  let texts = listTexts.get(sequences);
  if (texts === undefined) {
    texts = sequences.map(cachedSearchText);
    listTexts.set(sequences, texts);
  }
  return texts;
}

/** Folds the search texts ahead of the first keystroke (after a scan, off the critical path). */
export function prepareSearch(sequences: readonly SequenceSummary[]): void {
  textsOf(sequences);
}

/**
 * The library's sequences matching `query`, or `null` while only its first page is in and the
 * query has words: a search waits for the whole library rather than miss what is not in yet.
 */
export function searchLibrary(library: { sequences: SequenceSummary[]; complete: boolean }, query: string): SequenceSummary[] | null {
  if (!library.complete && query.trim() !== "") return null;
  return filterSequences(library.sequences, query);
}

/** The last search: a keystroke that only adds to its query filters its result, not the library. */
let last: { sequences: SequenceSummary[]; folded: string; result: SequenceSummary[] } | null = null;

/** The sequences matching `query` (all of its words), in their original order. */
export function filterSequences(sequences: SequenceSummary[], query: string): SequenceSummary[] {
  const folded = fold(query);
  const words = folded.split(/\s+/).filter(Boolean);
  if (words.length === 0) return sequences;
  // Typing on: whatever matches "lake bl" also matched "lake b", so only that result is read.
  const narrowing = last != null && last.sequences === sequences && folded.startsWith(last.folded);
  const result = narrowing && last ? matching(last.result, words) : matching(sequences, words);
  last = { sequences, folded, result };
  return result;
}

function matching(sequences: SequenceSummary[], words: string[]): SequenceSummary[] {
  const texts = textsOf(sequences);
  const found: SequenceSummary[] = [];
  for (let i = 0; i < sequences.length; i++) {
    const text = texts[i] as string;
    let all = true;
    for (const word of words) {
      if (!text.includes(word)) {
        all = false;
        break;
      }
    }
    if (all) found.push(sequences[i] as SequenceSummary);
  }
  return found;
}
