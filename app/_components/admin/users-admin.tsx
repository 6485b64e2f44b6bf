"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { USER_ROLES } from "@/lib/permissions";
import { PASSWORD_MIN } from "@/lib/schemas/auth";
import { ApiError, apiFetch, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { UserView } from "../data/types";
import { Field, fieldMessage } from "../ui/field";
import { formatDateTime } from "../ui/format";
import { ErrorMessage, Loading, Notice } from "../ui/page";

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
      <section aria-labelledby="users-title" className="panel overflow-x-auto p-4">
        <h2 id="users-title" className="mb-2 text-sm font-semibold">
          People
        </h2>
        {update.error && <ErrorMessage>Not changed: {errorMessage(update.error)}</ErrorMessage>}
        {users.isPending ? (
          <Loading what="the users" />
        ) : users.error ? (
          <ErrorMessage>Could not load the users: {users.error.message}</ErrorMessage>
        ) : (
          <table className="w-full text-left text-sm" data-testid="users-table">
            <thead className="muted text-xs uppercase">
              <tr>
                <th scope="col" className="py-1 pr-3">
                  Name
                </th>
                <th scope="col" className="py-1 pr-3">
                  Email
                </th>
                <th scope="col" className="py-1 pr-3">
                  Role
                </th>
                <th scope="col" className="py-1 pr-3">
                  Last login
                </th>
                <th scope="col" className="py-1 pr-3">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {users.data.map((user) => (
                <tr key={user.id} data-email={user.email} className={user.active ? "" : "muted"}>
                  <td className="py-1.5 pr-3">{user.name}</td>
                  <td className="py-1.5 pr-3">{user.email}</td>
                  <td className="py-1.5 pr-3">
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
                      {USER_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleLabel(r)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{formatDateTime(user.last_login_at)}</td>
                  <td className="py-1.5 pr-3">
                    <button
                      type="button"
                      className={user.active ? "btn-secondary" : "btn-primary"}
                      disabled={update.isPending}
                      onClick={() => update.mutate({ id: user.id, change: { active: !user.active } })}
                      aria-label={`${user.active ? "Deactivate" : "Reactivate"} ${user.email}`}
                    >
                      {user.active ? "Deactivate" : "Reactivate"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewUserForm />
    </div>
  );
}

const EMPTY = { email: "", name: "", role: "operator", password: "" };

function NewUserForm() {
  const queryClient = useQueryClient();
  const [values, setValues] = useState(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => apiSend<{ user: UserView }>("/api/v1/users", values),
    onSuccess: ({ user }) => {
      setCreated(user.email);
      setValues(EMPTY);
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fields : [];
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate();
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-user-title"
      className="panel flex flex-col gap-3 p-4"
      noValidate
    >
      <h2 id="new-user-title" className="text-sm font-semibold">
        Add a person
      </h2>
      <Field label="Email" required error={fieldMessage(fields, "email")}>
        {(p) => (
          <input
            {...p}
            type="email"
            autoComplete="off"
            value={values.email}
            onChange={set("email")}
            className="input"
          />
        )}
      </Field>
      <Field label="Name" required error={fieldMessage(fields, "name")}>
        {(p) => <input {...p} type="text" value={values.name} onChange={set("name")} className="input" />}
      </Field>
      <Field label="Role" required error={fieldMessage(fields, "role")}>
        {(p) => (
          <select {...p} value={values.role} onChange={set("role")} className="input">
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Initial password"
        required
        hint={`At least ${PASSWORD_MIN} characters; they can change it later`}
        error={fieldMessage(fields, "password")}
      >
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={set("password")}
            className="input"
          />
        )}
      </Field>
      {create.error && fields.length === 0 && <ErrorMessage>{create.error.message}</ErrorMessage>}
      {created && <Notice>{created} can now log in.</Notice>}
      <button type="submit" className="btn-primary self-start" disabled={create.isPending}>
        Add person
      </button>
    </form>
  );
}
