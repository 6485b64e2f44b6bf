import { receiveInbound } from "@/lib/api/routes/webhooks";
import { loadSeedTasks } from "@/server/engine/format/seed-format";
import { MAX_INBOUND_BYTES, receiveInbound as receive } from "@/server/engine/integrations/inbound";
import { apiRoute } from "@/server/http/api-route";
import { HttpError } from "@/server/http/errors";

export const dynamic = "force-dynamic";

// Public at the gate: the Standard Webhooks signature with the source's secret is the
// authentication, so the raw body is read here (the signature covers its exact bytes).
export const POST = apiRoute<{ source: string }>(
  async (request, { app, params }) => {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_INBOUND_BYTES) {
      throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Body over ${MAX_INBOUND_BYTES} bytes`);
    }
    const body = await request.text();
    if (Buffer.byteLength(body) > MAX_INBOUND_BYTES) {
      throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Body over ${MAX_INBOUND_BYTES} bytes`);
    }
    const result = await receive(app.engine, params.source, body, request.headers);
    return Response.json(
      {
        source: result.source,
        webhook_id: result.messageId,
        type: result.type,
        replayed: result.replayed,
        intake_id: result.intakeId,
        tasks: await loadSeedTasks(app.engine.prisma, result.taskIds),
      },
      { status: result.status },
    );
  },
  { permission: receiveInbound.permission },
);
