import { ROLE_PERMISSIONS, type UserRole } from "@/lib/permissions";
import type { PrismaClient } from "../db/client";
import type { Clock } from "../engine/clock";
import { writeAudit } from "../engine/tracking/audit";
import { announceCredentialChange } from "./credential-changes";
import { randomToken, sha256 } from "./crypto";
import { type Principal, userActor } from "./principal";

export const SESSION_COOKIE = "orch_session";
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Sliding expiry is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export async function createSession(
  prisma: PrismaClient,
  clock: Clock,
  userId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await prisma.session.create({
    data: { tokenHash: sha256(token), userId, createdAt: now, expiresAt, lastSeenAt: now },
  });
  return { token, expiresAt };
}

export async function deleteSession(prisma: PrismaClient, token: string): Promise<void> {
  await prisma.session.deleteMany({ where: { tokenHash: sha256(token) } });
}

export async function principalFromSession(
  prisma: PrismaClient,
  clock: Clock,
  token: string,
): Promise<Principal | null> {
  const tokenHash = sha256(token);
  const session = await prisma.session.findUnique({
    where: { tokenHash },
    select: {
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, role: true, active: true, locale: true, timeZone: true } },
    },
  });
  const now = clock.now();
  if (!session || session.expiresAt <= now || !session.user.active) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.session.update({
      where: { tokenHash },
      data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
    });
  }
  const role = session.user.role as UserRole;
  return {
    kind: "user",
    id: session.user.id,
    name: session.user.email,
    role,
    scopes: [],
    permissions: new Set(ROLE_PERMISSIONS[role]),
    actor: userActor({ email: session.user.email, role }),
    via: "cookie",
    preferences: { locale: session.user.locale, timeZone: session.user.timeZone },
  };
}

/** Logout: deletes the session and audits it under its user. */
export async function endSession(prisma: PrismaClient, clock: Clock, token: string): Promise<void> {
  const tokenHash = sha256(token);
  const session = await prisma.session.findUnique({
    where: { tokenHash },
    select: { user: { select: { id: true, email: true } } },
  });
  if (!session) return;
  await prisma.$transaction(async (tx) => {
    await tx.session.delete({ where: { tokenHash } });
    await announceCredentialChange(tx, { kind: "user", id: session.user.id });
    await writeAudit(tx, {
      at: clock.now(),
      actor: { id: `user:${session.user.email}`, role: "system" },
      action: "auth.logout",
    });
  });
}
