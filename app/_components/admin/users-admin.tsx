"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { USER_ROLES } from "@/lib/permissions";
import { PASSWORD_MIN } from "@/lib/schemas/auth";
import { apiFetch, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { UserView } from "../data/types";
import { Field, TextField } from "../ui/field";
import { FormPanel, useFormValues } from "../ui/form-panel";
import { useFormat } from "../ui/format";
import { ErrorMessage, Notice } from "../ui/page";
import { Panel } from "../ui/panel";
import { QueryTable } from "../ui/query-content";

function useUsers() {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: () => apiFetch<{ users: UserView[] }>("/api/v1/users").then((r) => r.users),
  });
}

function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: Partial<Pick<UserView, "role" | "active">> }) =>
      apiSend<{ user: UserView }>(`/api/v1/users/${encodeURIComponent(id)}`, change, "PATCH"),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

/** Users: list, create, change role, deactivate (which ends their sessions) or reactivate. */
export function UsersAdmin() {
  const users = useUsers();
  const update = useUpdateUser();
  const t = useTranslations("admin.users");
  const format = useFormat();
  return (
    <div className="grid gap-4 px-4 pb-8 xl:grid-cols-[2fr_1fr]">
      <Panel title={t("people")}>
        {update.error && (
          <ErrorMessage>{t("notChanged", { message: errorMessage(update.error) })}</ErrorMessage>
        )}
        <QueryTable
          query={users}
          what={t("what")}
          loadingWhat={t("loading")}
          testId="users-table"
          rowKey={(u) => u.id}
          rowProps={(u) => ({ "data-email": u.email, className: u.active ? "" : "muted" })}
          columns={[
            { header: t("name"), cell: (u) => u.name },
            { header: t("email"), cell: (u) => u.email },
            {
              header: t("role"),
              cell: (user) => (
                <>
                  <label className="sr-only" htmlFor={`role-${user.id}`}>
                    {t("roleOf", { email: user.email })}
                  </label>
                  <select
                    id={`role-${user.id}`}
                    value={user.role}
                    disabled={update.isPending}
                    onChange={(e) =>
                      update.mutate({ id: user.id, change: { role: e.target.value as UserView["role"] } })
                    }
                    className="input w-40"
                  >
                    <RoleOptions />
                  </select>
                </>
              ),
            },
            {
              header: t("lastLogin"),
              className: "whitespace-nowrap",
              cell: (u) => format.dateTime(u.last_login_at),
            },
            {
              header: t("status"),
              cell: (user) => (
                <button
                  type="button"
                  className={user.active ? "btn-secondary" : "btn-primary"}
                  disabled={update.isPending}
                  onClick={() => update.mutate({ id: user.id, change: { active: !user.active } })}
                  aria-label={t("toggleLabel", {
                    action: user.active ? t("deactivate") : t("reactivate"),
                    email: user.email,
                  })}
                >
                  {user.active ? t("deactivate") : t("reactivate")}
                </button>
              ),
            },
          ]}
        />
      </Panel>
      <NewUserForm />
    </div>
  );
}

function RoleOptions() {
  const t = useTranslations("roles");
  return USER_ROLES.map((r) => (
    <option key={r} value={r}>
      {t(r)}
    </option>
  ));
}

const EMPTY = { email: "", name: "", role: "operator", password: "" };

function NewUserForm() {
  const queryClient = useQueryClient();
  const t = useTranslations("admin.users");
  const form = useFormValues(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => apiSend<{ user: UserView }>("/api/v1/users", form.values),
    onSuccess: ({ user }) => {
      setCreated(user.email);
      form.reset();
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  const field = form.binder(create.error);
  const role = field("role");

  return (
    <FormPanel
      title={t("add")}
      submitLabel={t("addSubmit")}
      onSubmit={() => {
        setCreated(null);
        create.mutate();
      }}
      pending={create.isPending}
      error={create.error}
      status={created && <Notice>{t("canLogIn", { email: created })}</Notice>}
    >
      <TextField label={t("email")} required type="email" autoComplete="off" {...field("email")} />
      <TextField label={t("name")} required {...field("name")} />
      <Field label={t("role")} required error={role.error}>
        {(p) => (
          <select {...p} value={role.value} onChange={(e) => role.onChange(e.target.value)} className="input">
            <RoleOptions />
          </select>
        )}
      </Field>
      <TextField
        label={t("password")}
        required
        type="password"
        autoComplete="new-password"
        hint={t("passwordHint", { min: PASSWORD_MIN })}
        {...field("password")}
      />
    </FormPanel>
  );
}
