import type { PrismaClient } from "../db/generated/client";
import { notFound } from "../engine/errors";

export interface Preferences {
  /** The language chosen, or null: the browser's Accept-Language decides. */
  locale: string | null;
  /** The time zone chosen, or null: the agency's (Europe/Paris). */
  time_zone: string | null;
}

/** A person's saved display settings (a machine has none). */
export async function readPreferences(prisma: PrismaClient, userId: string): Promise<Preferences> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { locale: true, timeZone: true },
  });
  if (!user) throw notFound("User", userId);
  return { locale: user.locale, time_zone: user.timeZone };
}

/** Saves the fields given (null clears one); the next request is answered with them. */
export async function updatePreferences(
  prisma: PrismaClient,
  userId: string,
  input: { locale?: string | null; time_zone?: string | null },
): Promise<Preferences> {
  const existing = await prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!existing) throw notFound("User", userId);
  const user = await prisma.user.update({
    where: { id: userId },
    data: { locale: input.locale, timeZone: input.time_zone },
    select: { locale: true, timeZone: true },
  });
  return { locale: user.locale, time_zone: user.timeZone };
}
