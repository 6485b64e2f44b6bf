import type { Permission, UserRole } from "./permissions";
import type { TransitionActorRole } from "./transitions";

/** What the browser knows of the signed-in person: enough to show only allowed actions. */
export interface SessionInfo {
  name: string;
  role: UserRole | null;
  /** How the engine records this person's changes (lib/transitions.ts roles); null = read-only. */
  actorRole: TransitionActorRole | null;
  permissions: Permission[];
}
