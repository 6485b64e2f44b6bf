// Rows read as one JSON document (json_build_object / json_agg: one statement for what would
// be several result sets) carry their timestamps as ISO strings: these name that shape and turn
// the strings back into dates.

/** `T` as JSON carries it: each Date field a string, each nullable one a string or null. */
export type JsonDates<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));
