import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales";
import { MESSAGES } from "./messages";

// The catalogues' contract (messages/README.md): both languages have exactly the same keys, the
// same {placeholders} per key, messages that format, and every key the code names exists.

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const FLAT = Object.fromEntries(LOCALES.map((l) => [l, flatten(MESSAGES[l] as unknown as Tree)])) as Record<
  (typeof LOCALES)[number],
  Map<string, string>
>;

/** Top-level argument names of an ICU message ("{count, plural, …}" → count; tags are not arguments). */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === "{") {
      if (depth === 0) names.add(/^\{\s*(\w+)/.exec(message.slice(i))?.[1] ?? "");
      depth++;
    } else if (c === "}") depth--;
  }
  return [...names].filter(Boolean).sort();
}

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

/**
 * Every literal key passed to a translator in the code, as a full key ("board.card.queue"). A
 * call belongs to the nearest declaration of its translator above it (each component or hook
 * declares its own `t` before using it).
 */
function keysUsedInCode(): { file: string; key: string; prefix: boolean }[] {
  const used: { file: string; key: string; prefix: boolean }[] = [];
  for (const file of [...sources(path.join(ROOT, "app")), ...sources(path.join(ROOT, "server"))]) {
    const text = readFileSync(file, "utf8");
    const declarations = [
      ...text.matchAll(/const (\w+) = (?:await )?(?:useTranslations|getTranslations)\((?:"([^"]*)")?\)/g),
    ].map((m) => ({ name: m[1]!, namespace: m[2] ?? "", at: m.index }));
    for (const name of new Set(declarations.map((d) => d.name))) {
      const calls = text.matchAll(
        new RegExp(`\\b${name}(?:\\.rich|\\.has)?\\(\\s*("([^"]+)"|\`([^\`$]*)\\$\\{)`, "g"),
      );
      for (const call of calls) {
        const declaration = declarations.filter((d) => d.name === name && d.at < call.index).at(-1);
        if (!declaration) continue;
        const literal = call[2];
        const key = literal ?? call[3]!.replace(/\.$/, "");
        if (!key) continue;
        const full = declaration.namespace ? `${declaration.namespace}.${key}` : key;
        used.push({ file: path.relative(ROOT, file), key: full, prefix: !literal });
      }
    }
  }
  return used;
}

describe("message catalogues", () => {
  it("have the same keys in every language", () => {
    const [first, ...others] = LOCALES;
    for (const other of others) {
      const missingIn = (a: Map<string, string>, b: Map<string, string>) =>
        [...a.keys()].filter((k) => !b.has(k));
      expect(missingIn(FLAT[first], FLAT[other]), `keys missing in ${other}`).toEqual([]);
      expect(missingIn(FLAT[other], FLAT[first]), `keys missing in ${first}`).toEqual([]);
    }
  });

  it("give each key the same placeholders in every language, and no empty message", () => {
    const mismatched: string[] = [];
    for (const [key, english] of FLAT.en) {
      for (const locale of LOCALES) {
        const message = FLAT[locale].get(key) ?? "";
        if (!message.trim()) mismatched.push(`${locale}:${key} is empty`);
        if (argumentsOf(message).join() !== argumentsOf(english).join()) mismatched.push(`${locale}:${key}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it("have messages that format in their language", () => {
    const broken: string[] = [];
    for (const locale of LOCALES) {
      const t = createTranslator({
        locale,
        messages: MESSAGES[locale],
        onError: (error) => broken.push(`${locale}: ${error.message}`),
      });
      for (const [key, message] of FLAT[locale]) {
        const values = Object.fromEntries(argumentsOf(message).map((name) => [name, 2]));
        const tags = Object.fromEntries(
          [...message.matchAll(/<(\w+)>/g)].map(([, tag]) => [tag!, () => "x"]),
        );
        (t.rich as (k: string, v: object) => unknown)(key, { ...values, ...tags });
      }
    }
    expect(broken).toEqual([]);
  });

  it("hold every key the code names", () => {
    const used = keysUsedInCode();
    expect(used.length).toBeGreaterThan(300);
    const namespaces = new Set(
      [...FLAT.en.keys()].flatMap((k) => k.split(".").map((_, i, a) => a.slice(0, i + 1).join("."))),
    );
    const missing = used.filter(({ key, prefix }) => (prefix ? !namespaces.has(key) : !FLAT.en.has(key)));
    expect(missing).toEqual([]);
  });
});
