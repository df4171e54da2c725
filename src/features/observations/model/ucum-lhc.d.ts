// The parts of @lhncbc/ucum-lhc 7 (CommonJS, no types of its own) that MOVO-X uses. API:
// https://github.com/lhncbc/ucum-lhc (source/ucumLhcUtils.js: convertUnitTo, convertToBaseUnits).
declare module '@lhncbc/ucum-lhc' {
  export interface UcumConversionResult {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  export interface UcumBaseUnitsResult {
    status: 'succeeded' | 'invalid' | 'failed' | 'error';
    magnitude?: number;
    unitToExp?: Record<string, number>;
    fromUnitIsSpecial?: boolean;
    msg: string[];
  }
  export interface UcumLhcUtilsInstance {
    convertUnitTo(
      fromUnitCode: string,
      fromVal: number,
      toUnitCode: string,
      options?: { suggest?: boolean; molecularWeight?: number; charge?: number },
    ): UcumConversionResult;
    convertToBaseUnits(fromUnit: string, fromVal: number): UcumBaseUnitsResult;
  }
  export const UcumLhcUtils: { getInstance(): UcumLhcUtilsInstance };
}
