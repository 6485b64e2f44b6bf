// The seed's routing table (section "Routing"): keywords, in French and English, to the agent
// (capability) that handles a request. Data, so the router and the docs read the same thing.

export const CAPABILITIES = [
  "queue/queue-manager",
  "queue/priority-adjuster",
  "queue/capacity-monitor",
  "queue/sla-tracker",
  "state-machine/state-controller",
  "state-machine/workflow-engine",
  "state-machine/blocker-handler",
  "state-machine/rollback-manager",
  "execution/task-dispatcher",
  "execution/parallel-executor",
  "execution/result-collector",
  "execution/error-handler",
  "tracking/progress-tracker",
  "tracking/metrics-collector",
  "tracking/report-generator",
  "tracking/audit-logger",
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** The seed's keywords first, then their usual inflections and synonyms in both languages. */
export const ROUTING_TABLE: Record<Capability, readonly string[]> = {
  "queue/queue-manager": ["queue", "file d'attente", "pending", "en attente", "files"],
  "queue/priority-adjuster": [
    "priorité",
    "réordonner",
    "bump",
    "priority",
    "reorder",
    "prioriser",
    "remonter",
  ],
  "queue/capacity-monitor": ["capacité", "charge", "capacity", "load", "slots"],
  "queue/sla-tracker": ["sla", "délai", "breach", "deadline", "échéance"],
  "state-machine/state-controller": ["état", "status", "transition", "statut", "state"],
  "state-machine/workflow-engine": ["workflow", "flow", "étape", "step", "template", "modèle"],
  "state-machine/blocker-handler": [
    "bloquer",
    "débloquer",
    "hold",
    "block",
    "unblock",
    "release",
    "libérer",
    "suspendre",
  ],
  "state-machine/rollback-manager": ["rollback", "annuler", "revert", "cancel", "annule", "défaire"],
  "execution/task-dispatcher": ["lancer", "exécuter", "start", "dispatch", "démarrer", "run"],
  "execution/parallel-executor": ["parallèle", "concurrent", "async", "parallel", "sous-tâche", "subtask"],
  "execution/result-collector": [
    "résultat",
    "output",
    "completion",
    "livrable",
    "deliverable",
    "result",
    "terminer",
    "complete",
  ],
  "execution/error-handler": ["erreur", "retry", "échec", "error", "failure", "relancer", "réessayer"],
  "tracking/progress-tracker": ["suivi", "progress", "avancement", "progression"],
  "tracking/metrics-collector": ["métriques", "kpi", "stats", "metrics", "statistiques", "indicateurs"],
  "tracking/report-generator": ["rapport", "report", "summary", "résumé", "synthèse", "bilan"],
  "tracking/audit-logger": ["historique", "audit", "log", "history", "journal", "qui a"],
};
