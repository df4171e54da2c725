/** Shared pieces: flag and status marks (words, never colour alone), panel states. */
import type { ReactNode } from 'react';
import type { Flag, FlagSource } from '../model/interpretation.ts';
import type { StatusMark } from '../model/types.ts';
import { abnormalFlagText, flagClass } from './labels.ts';

export function FlagMark({
  flag,
  source,
  interpretationText,
}: {
  flag: Flag | undefined;
  source: FlagSource | undefined;
  interpretationText?: string | undefined;
}) {
  const text = abnormalFlagText(flag, source) ?? interpretationText;
  if (text === undefined) return null;
  return <span className={flagClass(flag)}>{text}</span>;
}

export function StatusBadge({ mark }: { mark: StatusMark | undefined }) {
  if (mark === undefined) return null;
  return <span className="obs-status">{mark}</span>;
}

export function PanelMessage({
  children,
  role = 'status',
}: {
  children: ReactNode;
  role?: 'status' | 'alert';
}) {
  return (
    <div className="obs-message" role={role}>
      {children}
    </div>
  );
}

/** Tables scroll horizontally inside their container on narrow screens (360 px side panels). */
export function TableScroll({ children, label }: { children: ReactNode; label: string }) {
  return (
    // A focusable scroll region so that keyboard users can scroll it (axe "scrollable-region-focusable"); named
    // apart from the section around it, whose heading often has the same words (axe "landmark-unique").
    <div className="obs-table-scroll" tabIndex={0} role="region" aria-label={`${label} (table)`}>
      {children}
    </div>
  );
}
