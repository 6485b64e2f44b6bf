import type { Permission, UserRole } from "@/lib/permissions";
import type { Actor } from "../engine/context";

/** Who is calling, however they authenticated, and what they may do. */
export interface Principal {
  kind: "user" | "api_key" | "admin_token";
  /** User id, API key id, or "admin-token". */
  id: string;
  /** Email for people, key name for machines. */
  name: string;
  /** The person's role; null for machines. */
  role: UserRole | null;
  scopes: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** How engine commands record this caller; null for read-only callers who cannot change anything. */
  actor: Actor | null;
  via: "cookie" | "bearer";
  /** A person's saved language and time zone (null: not chosen); absent for machines. */
  preferences?: { locale: string | null; timeZone: string | null };
}

export function userActor(user: { email: string; role: UserRole }): Actor | null {
  if (user.role === "viewer") return null;
  return { id: `user:${user.email}`, role: user.role };
}

/** Machines act as what their scope is for: an intake creates as the system, a worker executes. */
export function apiKeyActor(name: string, scopes: readonly string[]): Actor | null {
  const id = `api-key:${name}`;
  if (scopes.includes("admin")) return { id, role: "admin" };
  if (scopes.includes("worker")) return { id, role: "executor" };
  if (scopes.includes("intake")) return { id, role: "system" };
  return null;
}
