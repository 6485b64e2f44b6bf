import { createHash } from "node:crypto";
import type { AppContext } from "../app-context";
import type { Principal } from "../auth/principal";
import type { Tx } from "../engine/context";
import { errorBody, HttpError } from "./errors";

// Idempotency-Key on creating and commanding POSTs (routes declared `idempotent` in the
// catalogue): a client unsure whether its request was applied (a 500/503, a timeout, a dropped
// connection) sends it again with the same key and gets the first answer instead of a second task.
//
// The record lives in PostgreSQL (idempotency_records), so it holds across instances, and it is
// written *inside* the command's own transaction (EngineContext.inEveryTransaction): the key is
// taken if and only if the command committed. The answer is stored right after. Hence:
//   - key unknown                   → the request runs; its answer is stored once committed
//   - key known, answer stored      → that answer again (same status and body), header
//                                     `Idempotent-Replayed: true`; another body → 422
//   - key known, no answer (yet)    → 409 IDEMPOTENCY_IN_PROGRESS: the same request is running,
//                                     or was applied and its answer lost; retry, or GET the result
//   - the command failed (4xx/5xx)  → nothing was committed, nothing recorded: a retry runs again
// Keys are scoped by caller (two clients may pick the same key). Intake keeps its own record in
// the same table (submit-intake.ts), where a replay also matches on intake_id.

const KEY_PATTERN = /^[\w.:-]{1,200}$/;
const PENDING_STATUS = 0;

/** The request's Idempotency-Key, validated; undefined when absent. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get("idempotency-key") ?? undefined;
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw new HttpError(400, "VALIDATION", "Idempotency-Key: 1-200 letters, digits, . : _ -", [
      { path: "Idempotency-Key", message: "1-200 letters, digits, . : _ -" },
    ]);
  }
  return key;
}

interface Stored {
  status: number;
  response: unknown;
  requestHash: string;
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { code?: string } } } };
  return e?.code === "P2002" || e?.meta?.driverAdapterError?.cause?.code === "23505";
};

function inProgress(): Response {
  return Response.json(
    errorBody(
      "IDEMPOTENCY_IN_PROGRESS",
      "A request with this Idempotency-Key is running or was applied without its answer being recorded; retry shortly",
      [{ path: "Idempotency-Key", message: "In progress" }],
    ),
    { status: 409, headers: { "retry-after": "1" } },
  );
}

/**
 * Runs `run` under the request's Idempotency-Key (see above). `run` gets the app context whose
 * engine records the key in the first transaction it commits.
 */
export async function withIdempotency(
  request: Request,
  app: AppContext,
  principal: Principal | null,
  bodyText: string,
  run: (app: AppContext) => Promise<Response>,
): Promise<Response> {
  const key = idempotencyKeyOf(request);
  if (!key) return run(app);
  const scope = principal ? `${principal.kind}:${principal.id}` : "anonymous";
  const id = `${scope}|${key}`;
  const requestHash = createHash("sha256")
    .update(`${request.method} ${new URL(request.url).pathname}\n${bodyText}`)
    .digest("hex");
  const { prisma } = app.engine;

  const replay = (seen: Stored): Response => {
    if (seen.requestHash !== requestHash) {
      return Response.json(
        errorBody("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request", [
          { path: "Idempotency-Key", message: "Reused with another request" },
        ]),
        { status: 422 },
      );
    }
    if (seen.status === PENDING_STATUS) return inProgress();
    return Response.json(seen.response, { status: seen.status, headers: { "idempotent-replayed": "true" } });
  };

  const seen = await prisma.idempotencyRecord.findUnique({ where: { key: id } });
  if (seen) return replay(seen);

  let recorded = false;
  const engine = {
    ...app.engine,
    async inEveryTransaction(tx: Tx, at: Date) {
      if (recorded) return;
      await tx.idempotencyRecord.create({
        data: { key: id, scope, requestHash, status: PENDING_STATUS, response: {}, createdAt: at },
      });
      recorded = true;
    },
  };
  let response: Response;
  try {
    response = await run({ ...app, engine });
  } catch (error) {
    // The same key raced in from another request (or instance) and committed first.
    if (isUniqueViolation(error)) {
      const winner = await prisma.idempotencyRecord.findUnique({ where: { key: id } });
      return winner ? replay(winner) : inProgress();
    }
    throw error;
  }
  // A refusal before anything committed recorded nothing. An answer after the key was taken —
  // success, or a refusal by a later step of a multi-transaction command — is the one replayed.
  if (!recorded) return response;
  const body = await response
    .clone()
    .json()
    .catch(() => null);
  await prisma.idempotencyRecord
    .update({ where: { key: id }, data: { status: response.status, response: body ?? {} } })
    .catch(() => {
      /* the answer is lost, the key stays taken: a retry gets IDEMPOTENCY_IN_PROGRESS */
    });
  return response;
}
