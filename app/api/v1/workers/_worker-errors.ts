import type { Principal } from "@/server/auth/principal";
import { isDomainError } from "@/server/engine/errors";
import type { WorkerRef } from "@/server/engine/execution/lease-holder";
import { workerErrorCode } from "@/server/engine/execution/leases";
import { errorBody } from "@/server/http/errors";

/** The worker acting: its id from the body, and the credential it authenticated with. */
export function workerOf(principal: Principal | null, workerId: string): WorkerRef {
  return { workerId, credential: principal ? `${principal.kind}:${principal.id}` : null };
}

// The worker protocol's conflicts carry a precise code (leases.ts WorkerErrorCode): answer 409
// with it as the error code, so a worker can tell "lease ran out" from "someone else's task".
// Authentication: an API key of scope `worker` (permission worker:execute); the body's
// `worker_id` names the worker process holding the lease; a claimed lease is bound to the key
// that claimed it as well (lease-holder.ts), so another key sending that worker_id is refused.

/** Runs a worker command; a lease conflict becomes 409 `{error: {code: LEASE_EXPIRED | …}}`. */
export async function asWorker<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const code = workerErrorCode(error);
    if (!code) throw error;
    const { taskId, state, workerId } = error.details as {
      taskId?: string;
      state?: string;
      workerId?: string;
    };
    return Response.json(
      errorBody(code, error.message, [], { task_id: taskId, state, worker_id: workerId }),
      { status: 409 },
    );
  }
}
