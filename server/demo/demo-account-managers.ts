import type { PrismaClient } from "../db/client";
import type { Clock } from "../engine/clock";

/**
 * Who looks after each demo client: Marc the shops and workshops, Claire health, finance and
 * energy (with Marc as her second on MediCare+). The default escalation policy sends what
 * involves a client to them first (levels "client_account_managers").
 */
export const DEMO_CLIENT_MANAGERS: Record<string, string[]> = {
  StartupIO: ["manager@demo.local"],
  "Boulangerie Dupont": ["manager@demo.local"],
  "Atelier Nord": ["manager@demo.local"],
  "MediCare+": ["claire@demo.local", "manager@demo.local"],
  FinTrack: ["claire@demo.local"],
  GreenGrid: ["claire@demo.local"],
};

/**
 * Sets the demo clients' account managers, once: a client that already has some (an admin may
 * have changed them) is left alone, and a demo user that is missing is skipped. Returns how many
 * clients it set.
 */
export async function seedDemoAccountManagers(prisma: PrismaClient, clock: Clock): Promise<number> {
  let set = 0;
  for (const [client, emails] of Object.entries(DEMO_CLIENT_MANAGERS)) {
    if ((await prisma.clientAccountManager.count({ where: { clientName: client } })) > 0) continue;
    const users = await prisma.user.findMany({
      where: { email: { in: emails } },
      select: { id: true, email: true },
    });
    const ordered = emails.flatMap((email) => users.filter((u) => u.email === email));
    if (ordered.length === 0) continue;
    await prisma.clientAccountManager.createMany({
      data: ordered.map((u, position) => ({
        clientName: client,
        userId: u.id,
        position,
        updatedAt: clock.now(),
        updatedBy: "demo",
      })),
      skipDuplicates: true,
    });
    set++;
  }
  return set;
}
