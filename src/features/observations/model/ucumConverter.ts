/**
 * The UCUM UnitConverter, backed by @lhncbc/ucum-lhc and loaded with a dynamic import() so that it lands in its own
 * chunk. The package's `main` (source-cjs/ucumPkg.js) bundles cleanly with Vite 8 / rolldown: the file that needs
 * `fs` (ucumXmlDocument.js, used only to regenerate the unit tables) is not reachable from it.
 */
import type { UcumLhcUtilsInstance } from '@lhncbc/ucum-lhc';
import { meaningfulAnnotations, normalizeUcum, type UnitConverter } from './units.ts';

interface Linear {
  readonly scale: number;
  readonly offset: number;
}

/**
 * Wraps ucum-lhc with the clinical guards UCUM itself does not have, and caches each unit pair as a linear map
 * (ucum-lhc parses both unit strings on every call: 9 µs per value adds up over 30,000 values).
 */
export function createUcumConverter(utils: UcumLhcUtilsInstance): UnitConverter {
  const pairs = new Map<string, Linear | 'nonlinear' | 'incompatible'>();
  const dimensionless = new Map<string, boolean>();

  const isDimensionless = (code: string): boolean => {
    let known = dimensionless.get(code);
    if (known === undefined) {
      const base = utils.convertToBaseUnits(code, 1);
      known = base.status === 'succeeded' && Object.keys(base.unitToExp ?? {}).length === 0;
      dimensionless.set(code, known);
    }
    return known;
  };

  const raw = (
    value: number,
    from: string,
    to: string,
    molarMass: number | undefined,
  ): number | undefined => {
    try {
      const result = utils.convertUnitTo(
        from,
        value,
        to,
        molarMass === undefined ? {} : { molecularWeight: molarMass },
      );
      return result.status === 'succeeded' &&
        typeof result.toVal === 'number' &&
        Number.isFinite(result.toVal)
        ? result.toVal
        : undefined;
    } catch {
      return undefined;
    }
  };

  const classify = (
    from: string,
    to: string,
    molarMass: number | undefined,
  ): Linear | 'nonlinear' | 'incompatible' => {
    if (meaningfulAnnotations(from) !== meaningfulAnnotations(to)) return 'incompatible';
    // Two dimensionless units with different codes are different scales in the clinic (HbA1c % vs mmol/mol is
    // not a factor of 10), so they are never converted.
    if (isDimensionless(from) && isDimensionless(to)) return 'incompatible';
    const at0 = raw(0, from, to, molarMass);
    const at1 = raw(1, from, to, molarMass);
    const at2 = raw(2, from, to, molarMass);
    if (at0 === undefined || at1 === undefined || at2 === undefined) return 'incompatible';
    const scale = at1 - at0;
    const offset = at0;
    // Affine units (Cel ↔ [degF]) are linear; logarithmic ones ([pH], B) are not: convert those value by value.
    return Math.abs(offset + 2 * scale - at2) <= 1e-9 * Math.max(1, Math.abs(at2))
      ? { scale, offset }
      : 'nonlinear';
  };

  return {
    ucum: true,
    convert(value, from, to, molarMass) {
      const a = normalizeUcum(from);
      const b = normalizeUcum(to);
      if (a === b) return value;
      const key = `${a}\u0000${b}\u0000${molarMass ?? ''}`;
      let pair = pairs.get(key);
      if (pair === undefined) {
        pair = classify(a, b, molarMass);
        pairs.set(key, pair);
      }
      if (pair === 'incompatible') return undefined;
      if (pair === 'nonlinear') return raw(value, a, b, molarMass);
      return value * pair.scale + pair.offset;
    },
  };
}

let loading: Promise<UnitConverter> | undefined;
let loaded: UnitConverter | undefined;

/** Loads ucum-lhc once (its own chunk); later calls share the same promise. */
export function loadUcumConverter(): Promise<UnitConverter> {
  loading ??= import('@lhncbc/ucum-lhc').then((module: unknown) => {
    const utils = ucumUtilsOf(module);
    if (!utils) throw new Error('@lhncbc/ucum-lhc did not export UcumLhcUtils');
    loaded = createUcumConverter(utils);
    return loaded;
  });
  // A failed load may be retried later (offline for a moment).
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** CommonJS interop differs between bundlers (named export vs `default`): accept both. */
function ucumUtilsOf(module: unknown): UcumLhcUtilsInstance | undefined {
  const candidates = [module, (module as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const factory = (candidate as { UcumLhcUtils?: { getInstance?: unknown } } | null | undefined)
      ?.UcumLhcUtils;
    if (typeof factory?.getInstance === 'function') {
      return (factory as { getInstance(): UcumLhcUtilsInstance }).getInstance();
    }
  }
  return undefined;
}

/** The UCUM converter if it has already loaded (lets a remounted view start converted, without a flash). */
export function loadedUcumConverter(): UnitConverter | undefined {
  return loaded;
}
