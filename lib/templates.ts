import type { QueueName } from "./queues";

// workflow-engine, part 2: templates create a chain of dependent tasks in one transaction.
// `blocked_by` names earlier tasks of the same template by key.

export interface TemplateTask {
  key: string;
  definition: {
    title: string;
    description?: string;
    type: string;
    skill_target: string;
    entry_point: string;
  };
  /** Absent: derived from the priority score like any task created without a queue. */
  queue?: QueueName;
  /** Added to the factors the instantiation passes. */
  factors?: string[];
  estimated_duration_hours?: number;
  blocked_by?: string[];
}

export interface TaskTemplate {
  id: string;
  name: string;
  description: string;
  tasks: readonly TemplateTask[];
}

export const TEMPLATES: readonly TaskTemplate[] = [
  {
    id: "ecommerce-redesign",
    name: "E-commerce redesign",
    description: "The seed's worked example: brief analysis → tech scoping → architecture.",
    tasks: [
      {
        key: "brief",
        definition: {
          title: "Brief analysis",
          description: "Analyse the client's brief for the e-commerce redesign",
          type: "analysis",
          skill_target: "project-management",
          entry_point: "avant-projet/brief-analysis",
        },
        queue: "high_priority",
        estimated_duration_hours: 2,
      },
      {
        key: "scoping",
        definition: {
          title: "Tech scoping",
          description: "Technical scoping of the redesign from the analysed brief",
          type: "scoping",
          skill_target: "direction-technique",
          entry_point: "avant-projet/tech-scoping",
        },
        estimated_duration_hours: 4,
        blocked_by: ["brief"],
      },
      {
        key: "architecture",
        definition: {
          title: "Architecture",
          description: "Target architecture of the new e-commerce site",
          type: "architecture",
          skill_target: "direction-technique",
          entry_point: "conception/architecture",
        },
        estimated_duration_hours: 6,
        blocked_by: ["scoping"],
      },
    ],
  },
  {
    id: "security-incident",
    name: "Security incident",
    description: "Triage → fix → post-mortem for a security incident in production.",
    tasks: [
      {
        key: "triage",
        definition: {
          title: "Security incident triage",
          description: "Assess scope and impact, contain the incident",
          type: "incident",
          skill_target: "devops",
          entry_point: "incident/triage",
        },
        queue: "critical",
        factors: ["security", "production_incident"],
        estimated_duration_hours: 1,
      },
      {
        key: "fix",
        definition: {
          title: "Security fix",
          description: "Fix the vulnerability and deploy",
          type: "development",
          skill_target: "backend",
          entry_point: "incident/hotfix",
        },
        queue: "critical",
        factors: ["security"],
        estimated_duration_hours: 3,
        blocked_by: ["triage"],
      },
      {
        key: "postmortem",
        definition: {
          title: "Incident post-mortem",
          description: "Timeline, root cause and follow-up actions",
          type: "postmortem",
          skill_target: "direction-technique",
          entry_point: "qualite/post-mortem",
        },
        queue: "normal",
        estimated_duration_hours: 2,
        blocked_by: ["fix"],
      },
    ],
  },
];

export function findTemplate(id: string): TaskTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
