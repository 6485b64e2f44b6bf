// workflow-engine, part 1: a task type may define ordered steps. `execution.current_step`
// starts at the first one when the task first starts; advanceStep walks through them.

export const WORKFLOWS: Readonly<Record<string, readonly string[]>> = {
  analysis: ["context_review", "requirements_extraction", "risk_assessment", "summary"],
  scoping: ["requirements_review", "technical_options", "estimation", "scoping_report"],
  architecture: ["constraints_review", "solution_design", "technical_choices", "architecture_document"],
  incident: ["triage", "mitigation", "fix", "verification"],
  postmortem: ["timeline", "root_cause", "action_items"],
  development: ["implementation", "code_review", "testing", "delivery"],
};

/** The type's ordered steps; empty when the type has no workflow. */
export function workflowSteps(type: string): readonly string[] {
  return Object.hasOwn(WORKFLOWS, type) ? (WORKFLOWS[type] ?? []) : [];
}

export function firstStep(type: string): string | null {
  return workflowSteps(type)[0] ?? null;
}

/** The step after `current`, or null at the last one (or when `current` is not a step of the type). */
export function nextStep(type: string, current: string | null): string | null {
  const steps = workflowSteps(type);
  if (current === null) return steps[0] ?? null;
  const index = steps.indexOf(current);
  return index < 0 ? null : (steps[index + 1] ?? null);
}

/** Progress implied by being at `step`: the share of the steps before it that are done. */
export function stepProgress(type: string, step: string | null): number {
  const steps = workflowSteps(type);
  const index = step === null ? -1 : steps.indexOf(step);
  return index <= 0 ? 0 : Math.round((100 * index) / steps.length);
}
