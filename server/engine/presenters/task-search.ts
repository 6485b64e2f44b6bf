/**
 * A task matches the search `pattern` (a SQL expression: a bind parameter holding a LIKE
 * pattern, see containsPattern) when its search text does: id, title, client, project type,
 * intake id and the first 1,000 characters of the description (where a client's request is kept: "Refonte site
 * e-commerce…"), lower-cased. That text is kept in `task_search` (migration
 * 20261203080434_task_search_table) with a trigram index, so a substring match is an index
 * lookup, not a scan; it lives apart from `tasks` so that a state change does not rewrite it.
 */
export function taskMatchesSql(alias: string, pattern: string): string {
  return `EXISTS (SELECT 1 FROM task_search ts WHERE ts.task_id = ${alias}.id AND ts.document LIKE ${pattern})`;
}

/** A LIKE pattern matching `text` anywhere, case-insensitively, its % _ \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
