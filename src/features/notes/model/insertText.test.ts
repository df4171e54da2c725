import { describe, expect, it } from 'vitest';
import { insertSnippets } from './insertText.ts';

const BP = 'BP 128/82 mmHg (2026-12-03 08:14)';
const HR = 'HR 72 /min (2026-12-03 08:14)';

describe('insertSnippets', () => {
  it('inserts one snippet at the cursor', () => {
    expect(insertSnippets('Vitals: . Stable.', { start: 8, end: 8 }, [BP])).toEqual({
      text: `Vitals: ${BP}. Stable.`,
      cursor: 8 + BP.length,
    });
  });

  it('separates a snippet from a word', () => {
    expect(insertSnippets('Vitals:', { start: 7, end: 7 }, [BP]).text).toBe(`Vitals: ${BP}`);
  });

  it('puts several snippets on lines of their own', () => {
    expect(insertSnippets('Vitals:\nPlan: rest', { start: 7, end: 7 }, [BP, HR]).text).toBe(
      `Vitals:\n${BP}\n${HR}\nPlan: rest`,
    );
  });

  it('replaces a selection and clamps a stale one', () => {
    expect(insertSnippets('BP ??', { start: 0, end: 5 }, [BP]).text).toBe(BP);
    expect(insertSnippets('abc', { start: 10, end: 12 }, [BP]).text).toBe(`abc ${BP}`);
    expect(insertSnippets('', { start: 0, end: 0 }, [])).toEqual({ text: '', cursor: 0 });
  });
});
