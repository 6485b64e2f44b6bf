import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// Finds the English messages the server writes for people, in its source: what engine and HTTP
// errors say (DomainError, HttpError, `message:` of a field issue or a command answer) and the
// messages zod schemas carry. Used by message-coverage.test.ts to check that each one reaches a
// French caller in French (a template in messages/*.json `server.messages`).

export interface FoundMessage {
  file: string;
  /** The message with each `${…}` of a template literal replaced by `sample`. */
  text: string;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== "generated") out.push(...sources(full));
    } else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

/** The string or template literal starting at `start` (a quote or backtick), and where it ends. */
function readLiteral(text: string, start: number, sample: string): { value: string; end: number } | null {
  const quote = text[start];
  if (quote !== '"' && quote !== "`") return null;
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") {
      value += text[i + 1];
      i += 2;
    } else if (c === quote) return { value, end: i + 1 };
    else if (quote === "`" && c === "$" && text[i + 1] === "{") {
      // Skip the balanced ${…}, nested template literals included.
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === "`") i = readLiteral(text, i, sample)?.end ?? i + 1;
        else {
          if (text[i] === "{") depth++;
          else if (text[i] === "}") depth--;
          i++;
        }
      }
      value += sample;
    } else {
      value += c;
      i++;
    }
  }
  return null;
}

const STARTS = [
  /new (?:DomainError|HttpError)\(\s*(?:\d+,\s*)?"[A-Z_]+",\s*/g,
  /\bmessage:\s*/g,
  /\berror:\s*(?:\(\) =>\s*)?/g,
];
/** zod's own messages: the text argument of a check ("Not an intake id (INK-…)"). */
const SCHEMA_ARGUMENT =
  /\.(?:regex|min|max|length|int|positive|nonnegative|refine|email|url|datetime|date)\((?:[^()"`]|\([^()]*\))*?,?\s*(?=["`])/g;

export function findServerMessages(root: string, sample = "X7"): FoundMessage[] {
  const found: FoundMessage[] = [];
  const files = [...sources(path.join(root, "server")), ...sources(path.join(root, "lib"))];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const starts = [...STARTS, ...(file.includes(`${path.sep}schemas${path.sep}`) ? [SCHEMA_ARGUMENT] : [])];
    for (const pattern of starts)
      for (const m of text.matchAll(pattern)) {
        const literal = readLiteral(text, m.index + m[0].length, sample);
        if (!literal) continue;
        // Words for people: a capital, a space; not a code or a key.
        if (!/^[A-Z"“]/.test(literal.value) && !literal.value.startsWith(sample)) continue;
        if (!/[a-z]{2,} /.test(literal.value)) continue;
        found.push({ file: path.relative(root, file), text: literal.value });
      }
  }
  return found;
}
