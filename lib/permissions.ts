// One role → permission matrix (SPEC §1 users): enforced server-side on every route and socket,
// read by the UI to show only what a viewer may do.

export const PERMISSIONS = [
  // The board's and the wall's read models (cards, queue counts) and the live socket: what a
  // wall display may read. Full task records (client contacts, notes) need tasks:read.
  "board:read",
  "tasks:read",
  "tasks:create",
  "tasks:edit",
  "tasks:transition",
  "tasks:reorder",
  "escalations:read",
  "escalations:act",
  "metrics:read",
  "reports:read",
  "audit:read",
  "templates:use",
  "commands:run",
  "schedules:manage",
  "webhooks:manage",
  /** Queues' SLA clock policies and escalation policies (admins). */
  "sla:manage",
  "users:manage",
  "api_keys:manage",
  "intake:submit",
  "worker:execute",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const USER_ROLES = ["admin", "operator", "account_manager", "viewer"] as const;
export type UserRole = (typeof USER_ROLES)[number];

const READ: Permission[] = [
  "board:read",
  "tasks:read",
  "escalations:read",
  "metrics:read",
  "reports:read",
  "audit:read",
];

export const ROLE_PERMISSIONS: Record<UserRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  // Operators run the queues: create, edit, reorder, hold/release/cancel, schedules.
  operator: [
    ...READ,
    "tasks:create",
    "tasks:edit",
    "tasks:transition",
    "tasks:reorder",
    "templates:use",
    "commands:run",
    "schedules:manage",
    // An escalation policy's level may be the operators (technical failures, SLAs of waiting tasks).
    "escalations:act",
  ],
  // Account managers work the escalation inbox and may move the tasks they escalate.
  account_manager: [
    ...READ,
    "tasks:create",
    "tasks:edit",
    "tasks:transition",
    "escalations:act",
    "templates:use",
    "commands:run",
  ],
  viewer: ["board:read", "tasks:read", "escalations:read", "metrics:read", "reports:read"],
};

/** API key scopes, for machines; `wall` is the wall display's read-only token (its read models only). */
export const API_KEY_SCOPES = ["intake", "worker", "read", "wall", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  intake: ["intake:submit", "board:read", "tasks:read", "tasks:create", "templates:use"],
  worker: ["worker:execute", "board:read", "tasks:read"],
  read: READ,
  // The wall reads the board's cards, queue counts, KPIs and open escalations; never a task record.
  wall: ["board:read", "escalations:read", "metrics:read"],
  admin: PERMISSIONS,
};

export function roleHas(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function scopesGrant(scopes: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const scope of scopes) {
    for (const p of SCOPE_PERMISSIONS[scope as ApiKeyScope] ?? []) granted.add(p);
  }
  return granted;
}
