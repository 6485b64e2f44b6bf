// Numbers as people type them, in either language: "3,5" and "3.5" are both three and a half
// ("3,5" used to be read as 35). Grouping spaces (also the narrow no-break ones French uses) are
// ignored; a lone comma or dot is the decimal separator. Anything else is not a number.

const SPACES = /[\s\u00a0\u202f]/g;

/** The number typed, or null when the text is not one (the caller sends it as is for the server to name). */
export function parseDecimal(text: string): number | null {
  const compact = text.trim().replace(SPACES, "");
  if (compact === "") return null;
  const separators = compact.match(/[.,]/g) ?? [];
  if (separators.length > 1) return null;
  const normal = compact.replace(",", ".");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(normal)) return null;
  const value = Number(normal);
  return Number.isFinite(value) ? value : null;
}
