import { randomUUID } from "node:crypto";
import type { UserRole } from "@/lib/permissions";
import type { PrismaClient } from "../db/client";
import type { Clock } from "../engine/clock";
import type { Actor } from "../engine/context";
import { DomainError, notFound } from "../engine/errors";
import { writeAudit } from "../engine/tracking/audit";
import { announceCredentialChange } from "./credential-changes";
import { hashPassword, verifyPassword } from "./crypto";
import { createSession } from "./sessions";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  active: boolean;
  created_at: string;
  last_login_at: string | null;
}

type UserRow = Awaited<ReturnType<PrismaClient["user"]["findFirstOrThrow"]>>;

export function summariseUser(u: UserRow): UserSummary {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as UserRole,
    active: u.active,
    created_at: u.createdAt.toISOString(),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
  };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

export async function createUser(
  prisma: PrismaClient,
  clock: Clock,
  input: { email: string; name: string; role: UserRole; password: string },
  actor: Actor,
): Promise<UserSummary> {
  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          id: randomUUID(),
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash,
          createdAt: now,
          updatedAt: now,
        },
      });
      await writeAudit(tx, {
        at: now,
        actor,
        action: "user.created",
        details: { id: user.id, email: user.email, role: user.role },
      });
      return summariseUser(user);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("CONFLICT", `A user with email ${input.email} already exists`, {
        fields: [{ path: "email", message: "Already taken" }],
      });
    }
    throw error;
  }
}

export async function updateUser(
  prisma: PrismaClient,
  clock: Clock,
  id: string,
  input: { name?: string; role?: UserRole; active?: boolean; password?: string },
  actor: Actor,
): Promise<UserSummary> {
  const now = clock.now();
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { id } });
    if (!existing) throw notFound("User", id);
    const user = await tx.user.update({
      where: { id },
      data: { name: input.name, role: input.role, active: input.active, passwordHash, updatedAt: now },
    });
    // A deactivated user or a changed password ends every open session.
    if (input.active === false || passwordHash) await tx.session.deleteMany({ where: { userId: id } });
    // Open sockets follow: ended with the sessions, or downgraded with the role.
    if (input.active === false || passwordHash || (input.role && input.role !== existing.role)) {
      await announceCredentialChange(tx, { kind: "user", id });
    }
    const changed = Object.keys(input).filter((k) => k !== "password");
    await writeAudit(tx, {
      at: now,
      actor,
      action: "user.updated",
      details: { id, email: user.email, changed, password_changed: Boolean(passwordHash) },
    });
    return summariseUser(user);
  });
}

export async function listUsers(prisma: PrismaClient): Promise<UserSummary[]> {
  return (await prisma.user.findMany({ orderBy: { email: "asc" } })).map(summariseUser);
}

// Verifying against a fixed hash when the email is unknown keeps both answers equally slow.
let dummyHash: Promise<string> | undefined;

export async function login(
  prisma: PrismaClient,
  clock: Clock,
  email: string,
  password: string,
  meta: { ip: string },
): Promise<{ token: string; expiresAt: Date; user: UserSummary }> {
  const normalised = email.toLowerCase();
  const user = await prisma.user.findUnique({ where: { email: normalised } });
  dummyHash ??= hashPassword("not-a-real-password");
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  const now = clock.now();
  if (!user || !ok || !user.active) {
    await writeAudit(prisma, {
      at: now,
      actor: { id: `anonymous:${meta.ip}`, role: "system" },
      action: "auth.login_failed",
      details: { email: normalised, ip: meta.ip },
    });
    throw new DomainError("UNAUTHENTICATED", "Email or password is wrong");
  }
  const session = await createSession(prisma, clock, user.id);
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
  await writeAudit(prisma, {
    at: now,
    actor: { id: `user:${user.email}`, role: "system" },
    action: "auth.login",
    details: { ip: meta.ip },
  });
  return { ...session, user: summariseUser(user) };
}

const BOOTSTRAP_ACTOR: Actor = { id: "task-orchestrator/bootstrap", role: "system" };

/** The first admin comes from ORCHESTRATOR_ADMIN_EMAIL / ORCHESTRATOR_ADMIN_PASSWORD; never overwritten. */
export async function ensureInitialAdmin(
  prisma: PrismaClient,
  clock: Clock,
  env = process.env,
): Promise<boolean> {
  const email = env.ORCHESTRATOR_ADMIN_EMAIL;
  const password = env.ORCHESTRATOR_ADMIN_PASSWORD;
  if (!email || !password) return false;
  if (password.length < 10) throw new Error("ORCHESTRATOR_ADMIN_PASSWORD must be at least 10 characters");
  if (await prisma.user.findUnique({ where: { email: email.toLowerCase() } })) return false;
  return createUnlessTaken(prisma, clock, { email, name: "Administrator", role: "admin", password });
}

/**
 * Instances started together on one database race to create the same bootstrap user: the
 * unique email lets one win, and the others take the refusal as "already there".
 */
async function createUnlessTaken(
  prisma: PrismaClient,
  clock: Clock,
  input: Parameters<typeof createUser>[2],
): Promise<boolean> {
  try {
    await createUser(prisma, clock, input, BOOTSTRAP_ACTOR);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === "CONFLICT") return false;
    throw error;
  }
}

/** Demo mode's users: one per role, and a second account manager (the demo clients are split between two). The README lists their credentials. */
export const DEMO_USERS: { email: string; name: string; role: UserRole; password: string }[] = [
  { email: "admin@demo.local", name: "Ada Admin", role: "admin", password: "demo-admin-2026" },
  { email: "operator@demo.local", name: "Olivia Operator", role: "operator", password: "demo-operator-2026" },
  {
    email: "manager@demo.local",
    name: "Marc Manager",
    role: "account_manager",
    password: "demo-manager-2026",
  },
  {
    email: "claire@demo.local",
    name: "Claire Compte",
    role: "account_manager",
    password: "demo-claire-2026",
  },
  { email: "viewer@demo.local", name: "Victor Viewer", role: "viewer", password: "demo-viewer-2026" },
];

export async function ensureDemoUsers(prisma: PrismaClient, clock: Clock): Promise<number> {
  let created = 0;
  for (const user of DEMO_USERS) {
    if (await prisma.user.findUnique({ where: { email: user.email } })) continue;
    if (await createUnlessTaken(prisma, clock, user)) created++;
  }
  return created;
}
