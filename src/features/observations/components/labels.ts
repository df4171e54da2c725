/** Small display helpers shared by the observation components (view models in, strings out). */
import { flagLabel, isCritical } from '../model/interpretation.ts';
import type { Flag, FlagSource } from '../model/interpretation.ts';

const numberFormat = new Intl.NumberFormat('en-US');

/** "27,412". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** Flag words for abnormal values ("High", "Critical high"); nothing for normal or unflagged values. */
export function abnormalFlagText(flag: Flag | undefined, source: FlagSource | undefined): string | undefined {
  if (flag === undefined || flag === 'normal') return undefined;
  return flagLabel(flag, source);
}

export function flagClass(flag: Flag | undefined): string {
  if (flag === undefined || flag === 'normal') return 'obs-flag';
  return isCritical(flag) ? 'obs-flag obs-flag--critical' : 'obs-flag obs-flag--abnormal';
}
