import { describe, expect, it } from 'vitest';
import { compareNewestFirst, formatLocalDateTime, parseFhirDateTime } from './time.ts';

describe('parseFhirDateTime', () => {
  it.each([
    ['2026-12-03T08:14:00Z', '2026-12-03 08:14', 'second'],
    ['2026-12-03T08:14:00.123+00:00', '2026-12-03 08:14', 'second'],
    ['2026-12-03T03:14:00-05:00', '2026-12-03 08:14', 'second'],
    ['2026-12-03T08:14', '2026-12-03 08:14', 'minute'],
    ['2026-12-03', '2026-12-03', 'day'],
    ['2026-12', '2026-12', 'month'],
    ['2026', '2026', 'year'],
  ])('%s → %s (%s)', (input, label, precision) => {
    expect(parseFhirDateTime(input)).toMatchObject({ label, precision });
  });

  it.each(['', '2026-13', '2026-02-30', '2026-12-03T25:00:00Z', '03/12/2026', 'now', 20261203, null])(
    'rejects %j',
    (input) => {
      expect(parseFhirDateTime(input)).toBeUndefined();
    },
  );

  it('formats in local time as YYYY-MM-DD HH:mm', () => {
    expect(formatLocalDateTime(Date.UTC(2026, 0, 5, 7, 3))).toBe('2026-01-05 07:03');
  });

  it('sorts newest first with unknown dates last', () => {
    expect([undefined, 1, 3, 2].sort(compareNewestFirst)).toEqual([3, 2, 1, undefined]);
  });
});
