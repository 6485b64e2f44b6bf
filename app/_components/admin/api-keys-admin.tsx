"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { API_KEY_SCOPES } from "@/lib/permissions";
import { apiFetch, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { ApiKeyView } from "../data/types";
import { fieldMessage, TextField } from "../ui/field";
import { FormPanel, serverFields } from "../ui/form-panel";
import { useFormat } from "../ui/format";
import { ErrorMessage } from "../ui/page";
import { Panel } from "../ui/panel";
import { QueryTable } from "../ui/query-content";
import { CopyButton, CreatedSecretNotice } from "./created-secret";

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
  const t = useTranslations("admin.keys");
  const format = useFormat();
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
      {created && (
        <CreatedSecretNotice name={created.apiKey.name} secret={created.key} onDone={() => setCreated(null)}>
          {(setCopied) => <WallUrl created={created} onCopied={setCopied} />}
        </CreatedSecretNotice>
      )}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Panel
          title={t("keys")}
          actions={
            <button
              type="button"
              className="btn-primary"
              disabled={wall.isPending}
              onClick={() =>
                wall.mutate({
                  name: t("wallName", { at: format.dateTime(Date.now()) }),
                  scopes: ["wall"],
                })
              }
            >
              {t("createWall")}
            </button>
          }
        >
          {wall.error && <ErrorMessage>{errorMessage(wall.error)}</ErrorMessage>}
          {revoke.error && (
            <ErrorMessage>{t("notRevoked", { message: errorMessage(revoke.error) })}</ErrorMessage>
          )}
          <QueryTable
            query={keys}
            what={t("what")}
            loadingWhat={t("loading")}
            empty={t("none")}
            testId="api-keys-table"
            rowKey={(k) => k.id}
            rowProps={(k) => ({ className: k.revoked_at ? "muted" : "" })}
            columns={[
              { header: t("name"), cell: (k) => k.name },
              { header: t("key"), cell: (k) => `${k.prefix}…`, className: "font-mono text-xs" },
              { header: t("scopes"), cell: (k) => k.scopes.join(", ") },
              {
                header: t("created"),
                className: "whitespace-nowrap",
                cell: (k) => (
                  <>
                    {format.dateTime(k.created_at)}{" "}
                    <span className="muted">{t("by", { who: k.created_by })}</span>
                  </>
                ),
              },
              {
                header: t("lastUsed"),
                className: "whitespace-nowrap",
                cell: (k) => format.dateTime(k.last_used_at),
              },
              {
                header: t("actions"),
                hideHeader: true,
                cell: (k) =>
                  k.revoked_at ? (
                    <span>{t("revoked", { at: format.dateTime(k.revoked_at) })}</span>
                  ) : (
                    <button
                      type="button"
                      className="btn-danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(t("confirmRevoke", { name: k.name }))) {
                          revoke.mutate(k.id);
                        }
                      }}
                      aria-label={t("revokeLabel", { name: k.name })}
                    >
                      {t("revoke")}
                    </button>
                  ),
              },
            ]}
          />
        </Panel>
        <NewKeyForm onCreated={setCreated} />
      </div>
    </div>
  );
}

/** For a wall-only key: the wall display's URL with the key in it. */
function WallUrl({ created, onCopied }: { created: Created; onCopied: (what: string) => void }) {
  const t = useTranslations("admin");
  const isWall = created.apiKey.scopes.includes("wall") && created.apiKey.scopes.length === 1;
  if (!isWall) return null;
  const wallUrl = `${window.location.origin}/wall?token=${encodeURIComponent(created.key)}`;
  return (
    <p className="mt-2 flex flex-wrap items-center gap-2">
      {t("keys.wallUrl")}
      <a
        href={wallUrl}
        target="_blank"
        rel="noreferrer"
        className="font-mono break-all underline"
        data-testid="wall-url"
      >
        {wallUrl}
      </a>
      <CopyButton text={wallUrl} what={t("url")} onCopied={onCopied} />
    </p>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const t = useTranslations("admin.keys");
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const create = useCreateKey((c) => {
    setName("");
    setScopes([]);
    onCreated(c);
  });
  const fields = serverFields(create.error);
  const scopeError = fieldMessage(fields, "scopes");

  return (
    <FormPanel
      title={t("new")}
      submitLabel={t("create")}
      onSubmit={() => create.mutate({ name, scopes })}
      pending={create.isPending}
      error={create.error}
    >
      <TextField
        label={t("name")}
        required
        error={fieldMessage(fields, "name")}
        hint={t("nameHint")}
        value={name}
        onChange={setName}
      />
      <fieldset aria-describedby={scopeError ? "scope-error" : undefined}>
        <legend className="label">{t("scopes")}</legend>
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
                <span className="muted">— {t(`scopeHints.${scope}`)}</span>
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
    </FormPanel>
  );
}
