-- AlterTable
ALTER TABLE "Partnership" ADD COLUMN     "plans" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "subjectKey" TEXT;

-- CreateTable
CREATE TABLE "Cycle" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "planKey" TEXT NOT NULL,
    "planName" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "title" TEXT NOT NULL,
    "startOn" TEXT NOT NULL,
    "leadMemberId" UUID,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdById" UUID,
    "pausedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleStage" (
    "id" UUID NOT NULL,
    "cycleId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "doneMeans" TEXT NOT NULL,
    "owner" JSONB NOT NULL,
    "opensOn" TEXT NOT NULL,
    "dueOn" TEXT NOT NULL,
    "plannedDueOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "openedAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),
    "doneById" UUID,
    "doneNote" TEXT,
    "reminders" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CycleStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageSnooze" (
    "id" UUID NOT NULL,
    "stageId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StageSnooze_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" UUID NOT NULL,
    "stageId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "proposedDueOn" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "approverId" UUID,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExtensionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "partnershipId" UUID NOT NULL,
    "memberId" UUID,
    "groupId" UUID,
    "createdById" UUID NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Cycle_partnershipId_status_idx" ON "Cycle"("partnershipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_partnershipId_number_key" ON "Cycle"("partnershipId", "number");

-- CreateIndex
CREATE INDEX "CycleStage_status_idx" ON "CycleStage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CycleStage_cycleId_seq_key" ON "CycleStage"("cycleId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "StageSnooze_stageId_memberId_key" ON "StageSnooze"("stageId", "memberId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_stageId_status_idx" ON "ExtensionRequest"("stageId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE INDEX "CalendarFeed_createdById_idx" ON "CalendarFeed"("createdById");

-- CreateIndex
CREATE INDEX "OutboxMessage_subjectKey_idx" ON "OutboxMessage"("subjectKey");

-- AddForeignKey
ALTER TABLE "CycleStage" ADD CONSTRAINT "CycleStage_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageSnooze" ADD CONSTRAINT "StageSnooze_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "CycleStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "CycleStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
