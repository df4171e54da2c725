/**
 * The unit converter for detail views: exact units at once, UCUM as soon as its chunk has loaded (series are then
 * rebuilt with conversion). A failed load keeps exact units: values stay correct, only less merged.
 */
import { useEffect, useState } from 'react';
import { loadedUcumConverter, loadUcumConverter } from '../model/ucumConverter.ts';
import { exactUnitConverter, type UnitConverter } from '../model/units.ts';

export function useUnitConverter(): UnitConverter {
  const [converter, setConverter] = useState<UnitConverter>(
    () => loadedUcumConverter() ?? exactUnitConverter,
  );
  useEffect(() => {
    if (converter.ucum) return;
    let active = true;
    loadUcumConverter().then(
      (loaded) => {
        if (active) setConverter(loaded);
      },
      (error: unknown) => {
        console.warn('Unit conversion is unavailable; values are grouped by unit.', error);
      },
    );
    return () => {
      active = false;
    };
  }, [converter]);
  return converter;
}
