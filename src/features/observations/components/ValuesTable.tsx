/**
 * Every value of a series in the chosen time range: the chart's accessible alternative. Sortable by date
 * (a button in the header, aria-sort) and paginated so that 30,000 rows never render at once.
 */
import { useMemo, useState } from 'react';
import type { SeriesPoint } from '../model/series.ts';
import { formatCount } from './labels.ts';
import { FlagMark, StatusBadge, TableScroll } from './parts.tsx';

export const ROWS_PER_PAGE = 100;

export interface ValueRow {
  readonly id: string;
  readonly time: number | undefined;
  readonly timeLabel: string;
  readonly text: string;
  readonly originalText?: string | undefined;
  readonly flag?: SeriesPoint['flag'];
  readonly flagSource?: SeriesPoint['flagSource'];
  readonly interpretationText?: string | undefined;
  readonly statusMark: SeriesPoint['statusMark'];
  readonly referenceRangeText?: string | undefined;
}

type Order = 'descending' | 'ascending';

function sortRows(rows: readonly ValueRow[], order: Order): ValueRow[] {
  // Undated values always last, whatever the order.
  const dated = rows.filter((r) => r.time !== undefined);
  const undated = rows.filter((r) => r.time === undefined);
  dated.sort((a, b) => ((a.time ?? 0) - (b.time ?? 0)) * (order === 'ascending' ? 1 : -1));
  return [...dated, ...undated];
}

export function ValuesTable({ caption, rows }: { caption: string; rows: readonly ValueRow[] }) {
  const [order, setOrder] = useState<Order>('descending');
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => sortRows(rows, order), [rows, order]);
  const pages = Math.max(1, Math.ceil(sorted.length / ROWS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const start = current * ROWS_PER_PAGE;
  const visible = sorted.slice(start, start + ROWS_PER_PAGE);
  const showRange = useMemo(() => rows.some((r) => r.referenceRangeText !== undefined), [rows]);

  return (
    <div className="obs-values">
      <TableScroll label={caption}>
        <table className="obs-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={order}>
                <button
                  type="button"
                  className="obs-sort"
                  onClick={() => {
                    setOrder(order === 'descending' ? 'ascending' : 'descending');
                    setPage(0);
                  }}
                >
                  Date <span aria-hidden="true">{order === 'descending' ? '▼' : '▲'}</span>
                  <span className="visually-hidden">
                    {order === 'descending'
                      ? ' (newest first; sort oldest first)'
                      : ' (oldest first; sort newest first)'}
                  </span>
                </button>
              </th>
              <th scope="col">Value</th>
              <th scope="col">Flag</th>
              <th scope="col">Status</th>
              {showRange && <th scope="col">Reference range</th>}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={row.id}>
                <td className="obs-nowrap">{row.timeLabel}</td>
                <td>
                  {row.text}
                  {row.originalText !== undefined && (
                    <span className="obs-muted"> (sent as {row.originalText})</span>
                  )}
                </td>
                <td>
                  <FlagMark
                    flag={row.flag}
                    source={row.flagSource}
                    interpretationText={row.interpretationText}
                  />
                </td>
                <td>
                  <StatusBadge mark={row.statusMark} />
                </td>
                {showRange && <td>{row.referenceRangeText ?? ''}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className="obs-pager">
        <p aria-live="polite">
          {sorted.length === 0
            ? 'No values in this time range.'
            : `Showing ${formatCount(start + 1)}–${formatCount(start + visible.length)} of ${formatCount(sorted.length)}`}
        </p>
        {pages > 1 && (
          <span>
            <button
              type="button"
              disabled={current === 0}
              onClick={() => {
                setPage(current - 1);
              }}
            >
              Previous {ROWS_PER_PAGE}
            </button>{' '}
            <button
              type="button"
              disabled={current >= pages - 1}
              onClick={() => {
                setPage(current + 1);
              }}
            >
              Next {ROWS_PER_PAGE}
            </button>
          </span>
        )}
      </div>
    </div>
  );
}
