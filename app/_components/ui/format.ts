/** "24 Nov 2026, 15:04" in the reader's locale; "—" for nothing. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** An output item (a string, or an object from an executor) as text. */
export function formatItem(item: unknown): string {
  return typeof item === "string" ? item : JSON.stringify(item, null, 2);
}
