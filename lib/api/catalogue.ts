import type { RouteSpec } from "./define-route";
import * as auth from "./routes/auth";
import * as board from "./routes/board";
import * as commands from "./routes/commands";
import * as escalations from "./routes/escalations";
import * as intake from "./routes/intake";
import * as queues from "./routes/queues";
import * as schedules from "./routes/schedules";
import * as skills from "./routes/skills";
import * as system from "./routes/system";
import * as tasks from "./routes/tasks";
import * as tracking from "./routes/tracking";
import * as webhooks from "./routes/webhooks";
import * as workers from "./routes/workers";

/** Every route of the API, for the OpenAPI document and the tests that walk them all. */
export const API_ROUTES: readonly RouteSpec[] = [
  system,
  auth,
  board,
  tasks,
  queues,
  intake,
  tracking,
  escalations,
  commands,
  webhooks,
  schedules,
  workers,
  skills,
].flatMap((group) => Object.values(group));
