/**
 * The text `GET /tasks?q=` searches, lower-cased: id, title, client, project type and intake id.
 * The same expression as the trigram index `tasks_search_trgm_idx` (migration
 * 20261201223000_task_search_trigram), so a substring match is an index lookup, not a scan.
 */
export function taskSearchSql(alias: string): string {
  return `lower(${alias}.id || ' ' || ${alias}.title || ' ' || coalesce(${alias}.client_name, '') || ' ' || coalesce(${alias}.project_type, '') || ' ' || coalesce(${alias}.intake_id, ''))`;
}

/** A LIKE pattern matching `text` anywhere, case-insensitively, its % _ \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
