import { randomUUID } from "node:crypto";
import { PERMISSIONS, scopesGrant } from "@/lib/permissions";
import type { PrismaClient } from "../db/client";
import type { Clock } from "../engine/clock";
import type { Actor } from "../engine/context";
import { notFound } from "../engine/errors";
import { writeAudit } from "../engine/tracking/audit";
import { announceCredentialChange } from "./credential-changes";
import { constantTimeEqual, randomToken, sha256 } from "./crypto";
import { apiKeyActor, type Principal } from "./principal";

export const API_KEY_PREFIX = "tok_";

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

type ApiKeyRow = Awaited<ReturnType<PrismaClient["apiKey"]["findFirstOrThrow"]>>;

export function summarise(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a key and returns its secret once; only its hash is kept. */
export async function createApiKey(
  prisma: PrismaClient,
  clock: Clock,
  input: { name: string; scopes: string[] },
  actor: Actor,
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const key = randomToken(API_KEY_PREFIX);
  const now = clock.now();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: randomUUID(),
        name: input.name,
        prefix: key.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: sha256(key),
        scopes: input.scopes,
        createdAt: now,
        createdBy: actor.id,
      },
    });
    await writeAudit(tx, {
      at: now,
      actor,
      action: "api_key.created",
      details: { id: created.id, name: input.name, scopes: input.scopes },
    });
    return created;
  });
  return { key, apiKey: summarise(row) };
}

export async function revokeApiKey(
  prisma: PrismaClient,
  clock: Clock,
  id: string,
  actor: Actor,
): Promise<ApiKeySummary> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const found = await tx.apiKey.findUnique({ where: { id } });
    if (!found) throw notFound("API key", id);
    const row = found.revokedAt ? found : await tx.apiKey.update({ where: { id }, data: { revokedAt: now } });
    await writeAudit(tx, { at: now, actor, action: "api_key.revoked", details: { id, name: found.name } });
    await announceCredentialChange(tx, { kind: "api_key", id });
    return summarise(row);
  });
}

export async function listApiKeys(prisma: PrismaClient): Promise<ApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({ orderBy: { createdAt: "desc" } });
  return rows.map(summarise);
}

/** Resolves a bearer token: the operator's ORCHESTRATOR_ADMIN_TOKEN, or an unrevoked API key. */
export async function principalFromBearer(
  prisma: PrismaClient,
  clock: Clock,
  token: string,
): Promise<Principal | null> {
  const adminToken = process.env.ORCHESTRATOR_ADMIN_TOKEN;
  if (adminToken && adminToken.length >= 16 && constantTimeEqual(token, adminToken)) {
    return {
      kind: "admin_token",
      id: "admin-token",
      name: "ORCHESTRATOR_ADMIN_TOKEN",
      role: null,
      scopes: ["admin"],
      permissions: new Set(PERMISSIONS),
      actor: { id: "admin-token", role: "admin" },
      via: "bearer",
    };
  }
  if (!token.startsWith(API_KEY_PREFIX)) return null;
  const row = await prisma.apiKey.findUnique({ where: { keyHash: sha256(token) } });
  if (!row || row.revokedAt) return null;
  const now = clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: "api_key",
    id: row.id,
    name: row.name,
    role: null,
    scopes: row.scopes,
    permissions: scopesGrant(row.scopes),
    actor: apiKeyActor(row.name, row.scopes),
    via: "bearer",
  };
}
