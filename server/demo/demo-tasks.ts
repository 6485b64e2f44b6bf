import type { CreateTaskInput } from "@/lib/schemas/task-input";

// Realistic demo work across queues, skills and clients, so a first run shows a living board.

const clients = [
  { name: "StartupIO", contact: "Marie Martin" },
  { name: "Boulangerie Dupont", contact: "Jean Dupont" },
  { name: "MediCare+", contact: "Dr. Sofia Ahmed" },
  { name: "Atelier Nord", contact: "Lucas Bernard" },
  { name: "FinTrack", contact: "Emma Leroy" },
  { name: "GreenGrid", contact: "Hugo Petit" },
];

type Row = [
  title: string,
  queue: NonNullable<CreateTaskInput["queue"]>["name"],
  skill: string,
  entry: string,
  type: string,
  score: number,
  factors: string[],
  hours: number,
];

const rows: Row[] = [
  [
    "Checkout returns 500 on card payment",
    "critical",
    "backend",
    "incident/hotfix",
    "incident",
    96,
    ["production_incident", "existing_client"],
    2,
  ],
  [
    "Expired TLS certificate on api.medicare-plus.fr",
    "critical",
    "devops",
    "incident/certificates",
    "incident",
    94,
    ["security", "production_incident"],
    1,
  ],
  [
    "Login loop on Safari after deploy",
    "urgent",
    "frontend",
    "bugfix/regression",
    "bugfix",
    85,
    ["existing_client", "deadline_soon"],
    3,
  ],
  ["Order export CSV misses VAT column", "urgent", "backend", "bugfix/data", "bugfix", 80, ["vip_client"], 2],
  [
    "Rate limiting on public search API",
    "urgent",
    "backend",
    "security/hardening",
    "security",
    82,
    ["security"],
    4,
  ],
  [
    "Product page redesign mock-ups",
    "high_priority",
    "frontend",
    "design/mockups",
    "design",
    70,
    ["vip_client", "existing_client"],
    6,
  ],
  [
    "Quarterly security review",
    "high_priority",
    "direction-technique",
    "audit/security",
    "analysis",
    68,
    ["security"],
    8,
  ],
  [
    "Migrate staging to managed PostgreSQL",
    "high_priority",
    "devops",
    "infra/migration",
    "infrastructure",
    66,
    ["existing_client"],
    8,
  ],
  ["Newsletter signup A/B test", "normal", "frontend", "growth/experiment", "feature", 50, [], 4],
  [
    "Invoice PDF template refresh",
    "normal",
    "backend",
    "feature/documents",
    "feature",
    48,
    ["existing_client"],
    5,
  ],
  [
    "Accessibility audit of the booking flow",
    "normal",
    "web-dev-process",
    "quality/accessibility",
    "analysis",
    55,
    ["deadline_soon"],
    6,
  ],
  [
    "Sprint planning for FinTrack v2",
    "normal",
    "project-management",
    "delivery/planning",
    "planning",
    45,
    ["existing_client"],
    2,
  ],
  ["CI pipeline caching", "normal", "devops", "tooling/ci", "infrastructure", 42, [], 3],
  ["Image CDN for the blog", "normal", "devops", "performance/cdn", "infrastructure", 40, [], 4],
  ["Admin dashboard dark mode", "low_priority", "frontend", "feature/theming", "feature", 25, [], 6],
  [
    "Refactor email service retries",
    "low_priority",
    "backend",
    "tech-debt/refactor",
    "refactoring",
    22,
    [],
    8,
  ],
  ["Document the deployment runbook", "low_priority", "devops", "docs/runbook", "documentation", 20, [], 3],
  ["Evaluate a headless CMS", "backlog", "direction-technique", "research/cms", "analysis", 12, [], 10],
  ["Storybook for the design system", "backlog", "frontend", "tooling/storybook", "feature", 10, [], 12],
  ["Lighthouse budget in CI", "backlog", "web-dev-process", "quality/performance", "feature", 15, [], 4],
  [
    "Kick-off workshop GreenGrid",
    "high_priority",
    "project-management",
    "avant-projet/kickoff",
    "planning",
    64,
    ["vip_client"],
    3,
  ],
  [
    "Payment provider webhooks",
    "normal",
    "backend",
    "feature/payments",
    "feature",
    52,
    ["existing_client"],
    8,
  ],
  [
    "Mobile menu overlaps the cart",
    "urgent",
    "frontend",
    "bugfix/layout",
    "bugfix",
    78,
    ["existing_client"],
    2,
  ],
  ["Backups restore drill", "normal", "devops", "ops/backups", "infrastructure", 46, [], 4],
];

export function demoTasks(): CreateTaskInput[] {
  return rows.map(([title, queue, skill, entry, type, score, factors, hours], i) => {
    const client = clients[i % clients.length]!;
    return {
      intake_id: `INK-2026-${String(100 + i).padStart(6, "0")}`,
      definition: {
        title,
        description: `${title} for ${client.name}.`,
        type,
        skill_target: skill,
        entry_point: entry,
      },
      queue: { name: queue },
      priority: { score, factors },
      execution: { estimated_duration_hours: hours },
      context: {
        client,
        project: { type: type === "incident" ? "maintenance" : "website", budget_range: "5k-15k" },
      },
    };
  });
}

/** The seed's worked example: "Refonte site e-commerce, budget 20k€, deadline juin". */
export const WORKED_EXAMPLE_INTAKE = "INK-2026-000001";
/** The client's words, kept in the chain's descriptions: searching "Refonte" finds it. */
export const WORKED_EXAMPLE_REQUEST = "Refonte site e-commerce, budget 20k€, deadline juin";

export const workedExampleContext: NonNullable<CreateTaskInput["context"]> = {
  client: { name: "StartupIO", contact: "Marie Martin" },
  project: { type: "ecommerce", budget_range: "15k-25k", deadline: "2027-06-30" },
};
