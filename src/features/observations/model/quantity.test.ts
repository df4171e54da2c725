import { describe, expect, it } from 'vitest';
import { displayUnit, formatComputedNumber, formatNumber } from './quantity.ts';

describe('displayUnit', () => {
  it('prints common UCUM codes as clinicians read them', () => {
    expect(displayUnit('mm[Hg]')).toBe('mmHg');
    expect(displayUnit('Cel')).toBe('°C');
    expect(displayUnit('10*3/uL')).toBe('×10³/µL');
    expect(displayUnit('10*9/L')).toBe('×10⁹/L');
    expect(displayUnit('umol/L')).toBe('µmol/L');
    expect(displayUnit('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²');
  });

  it('leaves other units as sent', () => {
    expect(displayUnit('mg/dL')).toBe('mg/dL');
    expect(displayUnit('K/uL')).toBe('K/uL');
  });
});

describe('number formatting', () => {
  it('keeps values as sent up to three decimals and rounds noise', () => {
    expect(formatNumber(5.55)).toBe('5.55');
    expect(formatNumber(180.545131228)).toBe('180.5');
    expect(formatComputedNumber(5.5504)).toBe('5.55');
  });
});
