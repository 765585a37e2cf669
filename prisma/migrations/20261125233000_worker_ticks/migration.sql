-- CreateTable
CREATE TABLE "worker_ticks" (
    "key" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_ticks_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "worker_ticks_claimed_at_idx" ON "worker_ticks"("claimed_at");
