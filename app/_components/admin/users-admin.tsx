"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { USER_ROLES } from "@/lib/permissions";
import { PASSWORD_MIN } from "@/lib/schemas/auth";
import { apiFetch, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { UserView } from "../data/types";
import { Field, TextField } from "../ui/field";
import { FormPanel, useFormValues } from "../ui/form-panel";
import { formatDateTime } from "../ui/format";
import { ErrorMessage, Notice } from "../ui/page";
import { Panel } from "../ui/panel";
import { QueryTable } from "../ui/query-content";

const roleLabel = (role: string) => role.replace("_", " ");

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
  return (
    <div className="grid gap-4 px-4 pb-8 xl:grid-cols-[2fr_1fr]">
      <Panel title="People">
        {update.error && <ErrorMessage>Not changed: {errorMessage(update.error)}</ErrorMessage>}
        <QueryTable
          query={users}
          what="the users"
          testId="users-table"
          rowKey={(u) => u.id}
          rowProps={(u) => ({ "data-email": u.email, className: u.active ? "" : "muted" })}
          columns={[
            { header: "Name", cell: (u) => u.name },
            { header: "Email", cell: (u) => u.email },
            {
              header: "Role",
              cell: (user) => (
                <>
                  <label className="sr-only" htmlFor={`role-${user.id}`}>
                    Role of {user.email}
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
              header: "Last login",
              className: "whitespace-nowrap",
              cell: (u) => formatDateTime(u.last_login_at),
            },
            {
              header: "Status",
              cell: (user) => (
                <button
                  type="button"
                  className={user.active ? "btn-secondary" : "btn-primary"}
                  disabled={update.isPending}
                  onClick={() => update.mutate({ id: user.id, change: { active: !user.active } })}
                  aria-label={`${user.active ? "Deactivate" : "Reactivate"} ${user.email}`}
                >
                  {user.active ? "Deactivate" : "Reactivate"}
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
  return USER_ROLES.map((r) => (
    <option key={r} value={r}>
      {roleLabel(r)}
    </option>
  ));
}

const EMPTY = { email: "", name: "", role: "operator", password: "" };
const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; they can change it later`;

function NewUserForm() {
  const queryClient = useQueryClient();
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
      title="Add a person"
      submitLabel="Add person"
      onSubmit={() => {
        setCreated(null);
        create.mutate();
      }}
      pending={create.isPending}
      error={create.error}
      status={created && <Notice>{created} can now log in.</Notice>}
    >
      <TextField label="Email" required type="email" autoComplete="off" {...field("email")} />
      <TextField label="Name" required {...field("name")} />
      <Field label="Role" required error={role.error}>
        {(p) => (
          <select {...p} value={role.value} onChange={(e) => role.onChange(e.target.value)} className="input">
            <RoleOptions />
          </select>
        )}
      </Field>
      <TextField
        label="Initial password"
        required
        type="password"
        autoComplete="new-password"
        hint={PASSWORD_HINT}
        {...field("password")}
      />
    </FormPanel>
  );
}
