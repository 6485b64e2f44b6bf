-- CreateTable
CREATE TABLE "task_forecasts" (
    "task_id" TEXT NOT NULL,
    "forecast_at" TIMESTAMPTZ(3) NOT NULL,
    "predicted_start" TIMESTAMPTZ(3) NOT NULL,
    "predicted_finish" TIMESTAMPTZ(3) NOT NULL,
    "state_at" TEXT NOT NULL,

    CONSTRAINT "task_forecasts_pkey" PRIMARY KEY ("task_id")
);

-- CreateIndex
CREATE INDEX "task_forecasts_forecast_at_idx" ON "task_forecasts"("forecast_at");

-- AddForeignKey
ALTER TABLE "task_forecasts" ADD CONSTRAINT "task_forecasts_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
