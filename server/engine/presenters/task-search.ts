/**
 * The text `GET /tasks?q=` searches, lower-cased: id, title, client, project type, intake id and
 * the start of the description (where a client's request is kept: "Refonte site e-commerce…").
 * The same expression as the trigram index `tasks_search_trgm_idx` (migration
 * 20261202011500_task_search_description), so a substring match is an index lookup, not a scan.
 */
export function taskSearchSql(alias: string): string {
  return `lower(${alias}.id || ' ' || ${alias}.title || ' ' || coalesce(${alias}.client_name, '') || ' ' || coalesce(${alias}.project_type, '') || ' ' || coalesce(${alias}.intake_id, '') || ' ' || left(${alias}.description, ${SEARCHED_DESCRIPTION_CHARS}))`;
}

/** How much of the description search reads: the client's request and the template's own words. */
export const SEARCHED_DESCRIPTION_CHARS = 1000;

/** A LIKE pattern matching `text` anywhere, case-insensitively, its % _ \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
