import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { openApiDocument } from "@/server/http/openapi";

// The page's words follow the reader's language; the routes' summaries and descriptions come
// from the OpenAPI document, in English (the API's reference language).

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("apiDocs");
  return { title: t("metaTitle") };
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
};
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string }>;
};

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.enum) return schema.enum.map(String).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items)}[]`;
  return [schema.type, schema.format].filter(Boolean).join(" ");
}

/** Fields of a request body, flattened to dotted paths: the same paths errors name. */
function fields(
  schema: Schema | undefined,
  prefix = "",
): { path: string; type: string; required: boolean }[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const required = schema.required?.includes(name) ?? false;
    return child.properties ? fields(child, path) : [{ path, type: typeOf(child), required }];
  });
}

/** A readable page over the OpenAPI document (the JSON is at /api/v1/openapi.json). */
export default async function ApiDocsPage() {
  const t = await getTranslations("apiDocs");
  const tagLabel = (tag: string) =>
    t.has(`tags.${tag}` as "tags.other") ? t(`tags.${tag}` as "tags.other") : tag;
  const doc = openApiDocument() as unknown as {
    info: { title: string; description?: string };
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? "other"))];
  return (
    <main className="mx-auto max-w-5xl p-6" data-testid="api-docs">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        {t("intro", { error: "{error: {code, message, fields}}" })} {t("machineReadable")}{" "}
        <a className="text-sky-700 underline dark:text-sky-400" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
      </p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("englishOnly")}</p>
      {tags.map((tag) => (
        <section key={tag} className="mt-8" aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="text-lg font-semibold">
            {tagLabel(tag)}
          </h2>
          {operations
            .filter((o) => (o.op.tags?.[0] ?? "other") === tag)
            .map(({ path, method, op }) => {
              const body = fields(op.requestBody?.content["application/json"]?.schema);
              return (
                <article
                  key={`${method} ${path}`}
                  className="mt-3 rounded border border-slate-200 p-3 dark:border-slate-700"
                >
                  <h3 className="font-mono text-sm">
                    <span className="mr-2 rounded bg-slate-200 px-1.5 py-0.5 font-bold dark:bg-slate-800">
                      {method}
                    </span>
                    {path}
                  </h3>
                  <p className="mt-1 text-sm">{op.summary}</p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">{op.description}</p>
                  {(op.parameters?.length ?? 0) + body.length > 0 && (
                    <table className="mt-2 w-full text-left text-xs">
                      <thead>
                        <tr>
                          <th className="py-1">{t("cols.field")}</th>
                          <th>{t("cols.in")}</th>
                          <th>{t("cols.type")}</th>
                          <th>{t("cols.required")}</th>
                        </tr>
                      </thead>
                      <tbody className="font-mono">
                        {op.parameters?.map((p) => (
                          <tr key={`${p.in}:${p.name}`}>
                            <td>{p.name}</td>
                            <td>{p.in}</td>
                            <td>{typeOf(p.schema)}</td>
                            <td>{p.required ? t("yes") : ""}</td>
                          </tr>
                        ))}
                        {body.map((f) => (
                          <tr key={f.path}>
                            <td>{f.path}</td>
                            <td>{t("body")}</td>
                            <td>{f.type}</td>
                            <td>{f.required ? t("yes") : ""}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  <p className="mt-2 text-xs text-slate-500">
                    {t("responses", { codes: Object.keys(op.responses).join(", ") })}
                  </p>
                </article>
              );
            })}
        </section>
      ))}
    </main>
  );
}
