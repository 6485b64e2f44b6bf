import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/api/catalogue";
import { openApiDocument } from "./openapi";

/** Every exported HTTP method of every route.ts under app/api, as "METHOD /path/{param}". */
async function routesOnDisk(dir = path.join(process.cwd(), "app", "api")): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name !== "route.ts") continue;
    const file = path.join(entry.parentPath, entry.name);
    const urlPath = `/${path.relative(path.join(process.cwd(), "app"), entry.parentPath)}`.replace(
      /\[(\w+)\]/g,
      "{$1}",
    );
    const source = await readFile(file, "utf8");
    for (const m of source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g))
      found.push(`${m[1]} ${urlPath}`);
  }
  return found.sort();
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    // Validate the document as clients receive it: serialised JSON.
    const result = await new Validator().validate(JSON.parse(JSON.stringify(openApiDocument())));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("covers exactly the route handlers that exist", async () => {
    const documented = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented).toEqual(await routesOnDisk());
  });

  it("documents each route's permission, body fields and error format", () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<
        string,
        Record<string, { description: string; responses: Record<string, unknown>; requestBody?: unknown }>
      >;
    };
    const create = doc.paths["/api/v1/tasks"]?.post;
    expect(create?.description).toContain("tasks:create");
    expect(create?.requestBody).toBeDefined();
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "409", "413", "415"]),
    );
  });
});
