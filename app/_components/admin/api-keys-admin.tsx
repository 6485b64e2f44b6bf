"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { API_KEY_SCOPES } from "@/lib/permissions";
import { ApiError, apiFetch, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { ApiKeyView } from "../data/types";
import { Field, fieldMessage } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { ErrorMessage, Loading } from "../ui/page";

const SCOPE_HINTS: Record<string, string> = {
  intake: "client-intake and other systems creating tasks",
  worker: "executors claiming and completing tasks",
  read: "read-only access to tasks, escalations, metrics, reports, audit",
  wall: "the read-only wall display",
  admin: "everything",
};

type Created = { key: string; apiKey: ApiKeyView };

function useCreateKey(onCreated: (created: Created) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) =>
      apiSend<{ key: string; api_key: ApiKeyView }>("/api/v1/api-keys", input),
    onSuccess: ({ key, api_key }) => {
      onCreated({ key, apiKey: api_key });
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
    },
  });
}

/** API keys: create (the secret is shown once), revoke; and a wall display URL in one click. */
export function ApiKeysAdmin() {
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: () => apiFetch<{ api_keys: ApiKeyView[] }>("/api/v1/api-keys").then((r) => r.api_keys),
  });
  const [created, setCreated] = useState<Created | null>(null);
  const wall = useCreateKey(setCreated);
  const revoke = useMutation({
    mutationFn: (id: string) => apiSend(`/api/v1/api-keys/${encodeURIComponent(id)}/revoke`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });

  return (
    <div className="flex flex-col gap-4 px-4 pb-8">
      {created && <SecretOnce created={created} onDone={() => setCreated(null)} />}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <section aria-labelledby="keys-title" className="panel overflow-x-auto p-4">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 id="keys-title" className="text-sm font-semibold">
              Keys
            </h2>
            <button
              type="button"
              className="btn-primary"
              disabled={wall.isPending}
              onClick={() =>
                wall.mutate({
                  name: `Wall display ${new Date().toISOString().slice(0, 16)}`,
                  scopes: ["wall"],
                })
              }
            >
              Create a wall display URL
            </button>
          </div>
          {wall.error && <ErrorMessage>{errorMessage(wall.error)}</ErrorMessage>}
          {revoke.error && <ErrorMessage>Not revoked: {errorMessage(revoke.error)}</ErrorMessage>}
          {keys.isPending ? (
            <Loading what="the keys" />
          ) : keys.error ? (
            <ErrorMessage>Could not load the keys: {keys.error.message}</ErrorMessage>
          ) : keys.data.length === 0 ? (
            <p className="muted text-sm">No API keys yet.</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="api-keys-table">
              <thead className="muted text-xs uppercase">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    Name
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Key
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Scopes
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Created
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Last used
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {keys.data.map((k) => (
                  <tr key={k.id} className={k.revoked_at ? "muted" : ""}>
                    <td className="py-1.5 pr-3">{k.name}</td>
                    <td className="py-1.5 pr-3 font-mono text-xs">{k.prefix}…</td>
                    <td className="py-1.5 pr-3">{k.scopes.join(", ")}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">
                      {formatDateTime(k.created_at)} <span className="muted">by {k.created_by}</span>
                    </td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">{formatDateTime(k.last_used_at)}</td>
                    <td className="py-1.5 pr-3">
                      {k.revoked_at ? (
                        <span>revoked {formatDateTime(k.revoked_at)}</span>
                      ) : (
                        <button
                          type="button"
                          className="btn-danger"
                          disabled={revoke.isPending}
                          onClick={() => {
                            if (
                              window.confirm(`Revoke “${k.name}”? Whatever uses it stops working at once.`)
                            ) {
                              revoke.mutate(k.id);
                            }
                          }}
                          aria-label={`Revoke ${k.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <NewKeyForm onCreated={setCreated} />
      </div>
    </div>
  );
}

function SecretOnce({ created, onDone }: { created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const isWall = created.apiKey.scopes.includes("wall") && created.apiKey.scopes.length === 1;
  const wallUrl = `${window.location.origin}/wall?token=${encodeURIComponent(created.key)}`;
  const copy = async (text: string, what: string) => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(what);
  };
  return (
    <section
      role="alert"
      aria-labelledby="secret-title"
      className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-amber-950 dark:bg-amber-950 dark:text-amber-50"
      data-testid="new-secret"
    >
      <h2 id="secret-title" className="font-semibold">
        “{created.apiKey.name}” created. Copy its secret now: it is shown only once.
      </h2>
      <p className="mt-2 flex flex-wrap items-center gap-2">
        <code className="rounded bg-white px-2 py-1 break-all text-slate-900" data-testid="secret">
          {created.key}
        </code>
        <button type="button" className="btn-secondary" onClick={() => copy(created.key, "secret")}>
          Copy secret
        </button>
      </p>
      {isWall && (
        <p className="mt-2 flex flex-wrap items-center gap-2">
          Wall display URL:
          <a
            href={wallUrl}
            target="_blank"
            rel="noreferrer"
            className="font-mono break-all underline"
            data-testid="wall-url"
          >
            {wallUrl}
          </a>
          <button type="button" className="btn-secondary" onClick={() => copy(wallUrl, "URL")}>
            Copy URL
          </button>
        </p>
      )}
      {copied && <p className="mt-1 text-sm">Copied the {copied}.</p>}
      <button type="button" className="btn-secondary mt-3" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const create = useCreateKey((c) => {
    setName("");
    setScopes([]);
    onCreated(c);
  });
  const fields = create.error instanceof ApiError ? create.error.fields : [];
  const scopeError = fieldMessage(fields, "scopes");

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, scopes });
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-key-title"
      className="panel flex flex-col gap-3 p-4"
      noValidate
    >
      <h2 id="new-key-title" className="text-sm font-semibold">
        New API key
      </h2>
      <Field
        label="Name"
        required
        error={fieldMessage(fields, "name")}
        hint="Who or what uses it, e.g. client-intake prod"
      >
        {(p) => (
          <input
            {...p}
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="input"
          />
        )}
      </Field>
      <fieldset aria-describedby={scopeError ? "scope-error" : undefined}>
        <legend className="label">Scopes</legend>
        <div className="mt-1 flex flex-col gap-1">
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                }
              />
              <span>
                <span className="font-medium">{scope}</span>{" "}
                <span className="muted">— {SCOPE_HINTS[scope]}</span>
              </span>
            </label>
          ))}
        </div>
        {scopeError && (
          <span id="scope-error" className="field-error">
            {scopeError}
          </span>
        )}
      </fieldset>
      {create.error && fields.length === 0 && <ErrorMessage>{create.error.message}</ErrorMessage>}
      <button type="submit" className="btn-primary self-start" disabled={create.isPending}>
        Create key
      </button>
    </form>
  );
}
