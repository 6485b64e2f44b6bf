import { Fragment, type HTMLAttributes, type ReactNode } from "react";

export interface Column<T> {
  /** The header's text (visually hidden when `hideHeader`, still read by screen readers). */
  header: string;
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
  /** Classes of this column's cells, e.g. "whitespace-nowrap" or "font-mono text-xs". */
  className?: string;
}

/**
 * The admin and audit tables: a header row of columns, a divided body, one row per item; an
 * optional `detail` renders a full-width row under an item (an expanded delivery, say).
 */
export interface DataTableProps<T> {
  columns: readonly (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  detail?: (row: T) => ReactNode;
  testId?: string;
  caption?: string;
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowProps,
  detail,
  testId,
  caption,
}: DataTableProps<T>) {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead className="muted text-xs uppercase">
        <tr>
          {shown.map((column) => (
            <th key={column.header} scope="col" className="py-1 pr-3">
              {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {rows.map((row) => {
          const more = detail?.(row);
          return (
            <Fragment key={rowKey(row)}>
              <tr {...rowProps?.(row)}>
                {shown.map((column) => (
                  <td key={column.header} className={`py-1.5 pr-3 ${column.className ?? ""}`}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
              {more && (
                <tr>
                  <td colSpan={shown.length} className="pb-3">
                    {more}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
