import { describe, expect, it } from 'vitest';
import { createUcumConverter, loadUcumConverter } from './ucumConverter.ts';
import { exactUnitConverter, normalizeUcum } from './units.ts';

describe('exactUnitConverter (before UCUM is loaded)', () => {
  it('keeps identical units, ignoring counting annotations', () => {
    expect(exactUnitConverter.convert(72, '{beats}/min', '/min')).toBe(72);
    expect(exactUnitConverter.convert(5, 'mmol/L', 'mmol/L')).toBe(5);
  });

  it('converts nothing else', () => {
    expect(exactUnitConverter.convert(100, 'mg/dL', 'mmol/L', 180.156)).toBeUndefined();
  });

  it('normalizeUcum keeps meaningful annotations', () => {
    expect(normalizeUcum('%{HemoglobinSaturation}')).toBe('%');
    expect(normalizeUcum('mL/min/{1.73_m2}')).toBe('mL/min/{1.73_m2}');
  });
});

describe('UCUM converter (@lhncbc/ucum-lhc, loaded lazily)', async () => {
  const converter = await loadUcumConverter();

  it('is loaded once', async () => {
    expect(await loadUcumConverter()).toBe(converter);
    expect(converter.ucum).toBe(true);
  });

  it.each([
    // glucose: 100 mg/dL = 5.55 mmol/L with 180.156 g/mol
    [100, 'mg/dL', 'mmol/L', 180.156, 5.5507],
    [5.5, 'mmol/L', 'mg/dL', 180.156, 99.0858],
    [70, 'kg', '[lb_av]', undefined, 154.3236],
    [37, 'Cel', '[degF]', undefined, 98.6],
    [98.6, '[degF]', 'Cel', undefined, 37],
    [180, 'cm', '[in_i]', undefined, 70.8661],
    [1.2, 'mg/dL', 'umol/L', 113.12, 106.082],
    [7.2, '10*3/uL', '10*9/L', undefined, 7.2],
    [72, '{beats}/min', '/min', undefined, 72],
  ])('%s %s → %s', (value, from, to, molarMass, expected) => {
    expect(converter.convert(value, from, to, molarMass)).toBeCloseTo(expected, 3);
  });

  it.each([
    ['mg/dL', 'mmol/L', undefined, 'mass ↔ moles without a molar mass'],
    ['kg', 'cm', undefined, 'different dimensions'],
    ['%', 'mmol/mol', undefined, 'HbA1c NGSP % vs IFCC mmol/mol: different scales, not a factor'],
    ['mL/min/{1.73_m2}', 'mL/min', undefined, 'eGFR normalised to body surface vs not'],
    ['not-a-unit', 'mg/dL', undefined, 'invalid UCUM'],
  ])('%s → %s is refused (%s)', (from, to, molarMass) => {
    expect(converter.convert(1, from, to, molarMass)).toBeUndefined();
  });

  it('caches each unit pair (ucum-lhc is asked once per pair, not once per value)', () => {
    let calls = 0;
    const counting = createUcumConverter({
      convertUnitTo: (_from, value) => {
        calls++;
        return { status: 'succeeded', toVal: value * 2, msg: [] };
      },
      convertToBaseUnits: () => ({ status: 'succeeded', unitToExp: { m: 1 }, msg: [] }),
    });
    const results = [1, 2, 3, 4].map((v) => counting.convert(v, 'a', 'b'));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(calls).toBe(3); // three probes (0, 1, 2) to learn the linear map
  });
});
