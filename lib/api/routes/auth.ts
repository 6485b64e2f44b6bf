import { z } from "zod";
import { API_KEY_SCOPES, USER_ROLES } from "../../permissions";
import {
  createApiKeyInput,
  createUserInput,
  loginInput,
  updatePreferencesInput,
  updateUserInput,
} from "../../schemas/auth";
import { defineRoute } from "../define-route";

const user = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  active: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  created_at: z.string(),
  created_by: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const idParams = z.object({ id: z.string().min(1).max(64) });

export const login = defineRoute({
  method: "POST",
  path: "/api/v1/auth/login",
  permission: "public",
  summary: "Log in with email and password; sets an HttpOnly session cookie (rate-limited)",
  tag: "auth",
  body: loginInput,
  response: z.object({ user }),
});

export const logout = defineRoute({
  method: "POST",
  path: "/api/v1/auth/logout",
  permission: "public",
  summary: "End the session of the cookie sent",
  tag: "auth",
  status: 204,
});

const preferences = z.object({
  locale: z.string().nullable(),
  time_zone: z.string().nullable(),
});

export const me = defineRoute({
  method: "GET",
  path: "/api/v1/auth/me",
  permission: "board:read",
  summary: "Who the caller is, which permissions they hold, and (people) their saved language and time zone",
  tag: "auth",
  response: z.object({
    kind: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES).nullable(),
    actor_role: z.string().nullable(),
    permissions: z.array(z.string()),
    preferences: preferences.nullable(),
  }),
});

export const updateMyPreferences = defineRoute({
  method: "PATCH",
  path: "/api/v1/auth/me/preferences",
  permission: "tasks:read",
  summary:
    "Save the signed-in person's UI language (en, fr) and time zone (IANA name); null clears one. Pages and API answers follow them",
  tag: "auth",
  body: updatePreferencesInput,
  response: z.object({ preferences }),
});

export const listUsers = defineRoute({
  method: "GET",
  path: "/api/v1/users",
  permission: "users:manage",
  summary: "List users",
  tag: "users",
  response: z.object({ users: z.array(user) }),
});

export const createUser = defineRoute({
  method: "POST",
  path: "/api/v1/users",
  permission: "users:manage",
  summary: "Create a user with a role",
  tag: "users",
  body: createUserInput,
  response: z.object({ user }),
  status: 201,
});

export const updateUser = defineRoute({
  method: "PATCH",
  path: "/api/v1/users/{id}",
  permission: "users:manage",
  summary: "Change a user's name, role, password or active flag (deactivating ends their sessions)",
  tag: "users",
  params: idParams,
  body: updateUserInput,
  response: z.object({ user }),
});

export const listApiKeys = defineRoute({
  method: "GET",
  path: "/api/v1/api-keys",
  permission: "api_keys:manage",
  summary: "List API keys (never their secrets)",
  tag: "api-keys",
  response: z.object({ api_keys: z.array(apiKey) }),
});

export const createApiKey = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys",
  permission: "api_keys:manage",
  summary: "Create an API key; its secret is in this response only",
  tag: "api-keys",
  body: createApiKeyInput,
  response: z.object({ key: z.string(), api_key: apiKey }),
  status: 201,
});

export const revokeApiKey = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys/{id}/revoke",
  permission: "api_keys:manage",
  summary: "Revoke an API key at once",
  tag: "api-keys",
  params: idParams,
  response: z.object({ api_key: apiKey }),
});
