-- CreateTable
CREATE TABLE "login_rate_windows" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "login_rate_windows_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_rate_windows_window_start_idx" ON "login_rate_windows"("window_start");
