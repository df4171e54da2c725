/** Inserting snippets ("BP 128/82 mmHg (2026-12-03 08:14)") into the note at the cursor. Pure. */

export interface TextSelection {
  readonly start: number;
  readonly end: number;
}

/**
 * Replaces the selection with the snippets, one per line; a block of several lines starts on a line of its own
 * and ends with a line break when text follows. Returns the new text and where the cursor goes.
 */
export function insertSnippets(
  text: string,
  selection: TextSelection,
  snippets: readonly string[],
): { text: string; cursor: number } {
  const start = Math.max(0, Math.min(selection.start, text.length));
  const end = Math.max(start, Math.min(selection.end, text.length));
  if (snippets.length === 0) return { text, cursor: end };
  const before = text.slice(0, start);
  const after = text.slice(end);
  let block = snippets.join('\n');
  if (snippets.length > 1 || before.endsWith('\n') || before === '') {
    if (before !== '' && !before.endsWith('\n')) block = `\n${block}`;
    if (after !== '' && !after.startsWith('\n')) block = `${block}\n`;
  } else if (before !== '' && !/\s$/.test(before)) {
    block = ` ${block}`;
  }
  return { text: before + block + after, cursor: before.length + block.length };
}
