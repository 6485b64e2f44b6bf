import { TEMPLATES } from "@/lib/templates";

// Work from a sentence: "Refonte site e-commerce, budget 20k€, deadline juin" → the template
// whose words it uses (ecommerce-redesign), the budget range and the project deadline it states.
// Nothing is created here: the proposal is shown to a person, who confirms it (the template is
// then instantiated through the same API and permissions as the form).

export interface WorkProposal {
  template_id: string;
  /** Why this template: the words of the sentence that chose it. */
  matched: string[];
  context: {
    client: { name?: string };
    project: { type?: string; budget_range?: string; deadline?: string };
  };
  /** What the sentence did not say and a person may want to add. */
  missing: ("client" | "budget_range" | "deadline")[];
}

/** Words (accents and case folded) that point to each template, in French and English. */
const TEMPLATE_WORDS: Record<string, readonly string[]> = {
  "ecommerce-redesign": [
    "e-commerce",
    "ecommerce",
    "boutique en ligne",
    "site marchand",
    "online shop",
    "webshop",
    "refonte",
    "redesign",
  ],
  "security-incident": [
    "incident",
    "securite",
    "security",
    "faille",
    "vulnerabilite",
    "vulnerability",
    "piratage",
    "breach",
    "fuite",
  ],
};

/** The project type written into the chain's context, per template. */
const PROJECT_TYPES: Record<string, string> = {
  "ecommerce-redesign": "ecommerce",
  "security-incident": "incident",
};

const MONTHS: readonly (readonly string[])[] = [
  ["janvier", "january", "jan"],
  ["fevrier", "february", "feb", "fev"],
  ["mars", "march", "mar"],
  ["avril", "april", "apr", "avr"],
  ["mai", "may"],
  ["juin", "june", "jun"],
  ["juillet", "july", "jul", "juil"],
  ["aout", "august", "aug"],
  ["septembre", "september", "sep", "sept"],
  ["octobre", "october", "oct"],
  ["novembre", "november", "nov"],
  ["decembre", "december", "dec"],
];

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[’`]/g, "'");

const hasWord = (haystack: string, word: string) =>
  new RegExp(
    `(^|[^\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=$|[^\\p{L}\\p{N}])`,
    "u",
  ).test(haystack);

/** "20k€", "15-25 k€", "20 000 €", "€20k", "budget 20k" → "20k€" / "15-25k€" (the seed's style). */
function budgetOf(text: string): string | undefined {
  // Digits grouped by spaces ("20 000") are one number.
  const compact = text.replace(/(\d)[\s\u00a0\u202f](?=\d{3}\b)/g, "$1");
  const amount = String.raw`(\d+(?:[.,]\d+)?)\s*(k\b)?`;
  const euros = (n: string, k: string | undefined) => Number(n.replace(",", ".")) * (k ? 1000 : 1);
  const inK = (value: number) => `${Number((value / 1000).toFixed(1))}`;
  const range = new RegExp(
    String.raw`${amount}\s*(?:-|–|à|to)\s*${amount}\s*(?:€|eur\b|euros?\b)?`,
    "i",
  ).exec(compact);
  if (range && (range[2] || range[4] || /€|eur/i.test(range[0]))) {
    const unit = range[4] ?? range[2];
    return `${inK(euros(range[1]!, range[2] ?? unit))}-${inK(euros(range[3]!, unit))}k€`;
  }
  const single =
    new RegExp(String.raw`${amount}\s*(?:€|eur\b|euros?\b)`, "i").exec(compact) ??
    new RegExp(String.raw`€\s*${amount}`, "i").exec(compact) ??
    new RegExp(String.raw`budget\s*(?:de|of|:)?\s*${amount}`, "i").exec(compact);
  if (!single) return undefined;
  const value = euros(single[1]!, single[2]);
  // "budget 20" with no unit means thousands: nobody budgets a redesign at 20 €.
  return `${inK(value < 1000 ? value * 1000 : value)}k€`;
}

/** The month's last day, this year if it is still ahead, else next year's ("deadline juin"). */
function endOfMonth(month: number, now: Date): string {
  let year = now.getUTCFullYear();
  if (month < now.getUTCMonth()) year += 1;
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.toISOString().slice(0, 10);
}

/** "deadline juin", "avant fin mars", "for September", "d'ici le 15/06", "2027-06-30". */
function deadlineOf(folded: string, now: Date): string | undefined {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(folded);
  if (iso) return iso[0];
  const dayMonth = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b/.exec(folded);
  if (dayMonth) {
    const day = Number(dayMonth[1]);
    const month = Number(dayMonth[2]) - 1;
    let year = dayMonth[3]
      ? Number(dayMonth[3].length === 2 ? `20${dayMonth[3]}` : dayMonth[3])
      : now.getUTCFullYear();
    if (!dayMonth[3] && Date.UTC(year, month, day) < now.getTime()) year += 1;
    if (month >= 0 && month < 12 && day >= 1 && day <= 31)
      return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
  }
  for (const [index, names] of MONTHS.entries()) {
    if (names.some((name) => hasWord(folded, name))) {
      // "mars" is also a word; "mai" too: only take them after a deadline word or "en / in / fin".
      if (
        ["mars", "mai", "mar", "may"].some((n) => names.includes(n)) &&
        !new RegExp(
          `(deadline|echeance|avant|pour|fin|en|in|by|before|until|d'ici)\\s+(le\\s+|de\\s+)?(${names.join("|")})`,
        ).test(folded)
      ) {
        continue;
      }
      return endOfMonth(index, now);
    }
  }
  return undefined;
}

/** "pour Boutique Martin", "client Acme", "for Acme Corp" (words with capitals after it). */
function clientOf(text: string): string | undefined {
  const match = /\b(?:pour|client|for|chez)\s*:?\s+((?:[A-Z0-9][\p{L}\p{N}&'’.-]*\s?){1,4})/u.exec(text);
  const name = match?.[1]?.trim();
  return name && !/^(?:Juin|June|Le|La|Les|The)$/i.test(name) ? name : undefined;
}

/**
 * The template a sentence asks for, with what it says of the project; null when it names none.
 * `now` dates a bare month ("juin" is the next June's last day).
 */
export function proposeWork(text: string, now: Date): WorkProposal | null {
  const folded = fold(text);
  const scored = TEMPLATES.map((template) => ({
    template,
    matched: (TEMPLATE_WORDS[template.id] ?? []).filter((word) => hasWord(folded, word)),
  }))
    .filter((s) => s.matched.length > 0)
    .sort((a, b) => b.matched.length - a.matched.length);
  const best = scored[0];
  if (!best) return null;
  const budget = budgetOf(text);
  const deadline = deadlineOf(folded, now);
  const client = clientOf(text);
  const type = PROJECT_TYPES[best.template.id];
  return {
    template_id: best.template.id,
    matched: best.matched,
    context: {
      client: client ? { name: client } : {},
      project: {
        ...(type ? { type } : {}),
        ...(budget ? { budget_range: budget } : {}),
        ...(deadline ? { deadline } : {}),
      },
    },
    missing: [
      ...(client ? [] : (["client"] as const)),
      ...(budget ? [] : (["budget_range"] as const)),
      ...(deadline ? [] : (["deadline"] as const)),
    ],
  };
}
