-- CreateEnum
CREATE TYPE "OccurrenceStatus" AS ENUM ('planned', 'started', 'skipped');

-- CreateEnum
CREATE TYPE "ReturnStatus" AS ENUM ('awaited', 'returned', 'missing');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('open', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "PlanOccurrence" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "planKey" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL DEFAULT '',
    "occursOn" TEXT NOT NULL,
    "movedTo" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "status" "OccurrenceStatus" NOT NULL DEFAULT 'planned',
    "cycleId" UUID,
    "startedAt" TIMESTAMP(3),
    "note" TEXT,
    "changedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlanOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanPause" (
    "partnershipId" UUID NOT NULL,
    "planKey" TEXT NOT NULL,
    "pausedById" UUID,
    "pausedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanPause_pkey" PRIMARY KEY ("partnershipId","planKey")
);

-- CreateTable
CREATE TABLE "StageReturn" (
    "id" UUID NOT NULL,
    "stageId" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "status" "ReturnStatus" NOT NULL DEFAULT 'awaited',
    "method" TEXT,
    "figures" JSONB NOT NULL DEFAULT '{}',
    "narrative" TEXT,
    "returnedAt" TIMESTAMP(3),
    "returnedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StageReturn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "ownerId" UUID NOT NULL,
    "dueOn" TEXT NOT NULL,
    "status" "ActionItemStatus" NOT NULL DEFAULT 'open',
    "createdById" UUID NOT NULL,
    "doneAt" TIMESTAMP(3),
    "doneById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlanOccurrence_cycleId_key" ON "PlanOccurrence"("cycleId");

-- CreateIndex
CREATE INDEX "PlanOccurrence_partnershipId_status_startsAt_idx" ON "PlanOccurrence"("partnershipId", "status", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlanOccurrence_partnershipId_planKey_groupKey_occursOn_key" ON "PlanOccurrence"("partnershipId", "planKey", "groupKey", "occursOn");

-- CreateIndex
CREATE INDEX "StageReturn_agencyId_status_idx" ON "StageReturn"("agencyId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "StageReturn_stageId_agencyId_key" ON "StageReturn"("stageId", "agencyId");

-- CreateIndex
CREATE INDEX "ActionItem_groupId_status_idx" ON "ActionItem"("groupId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_partnershipId_number_key" ON "ActionItem"("partnershipId", "number");

-- AddForeignKey
ALTER TABLE "PlanOccurrence" ADD CONSTRAINT "PlanOccurrence_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanOccurrence" ADD CONSTRAINT "PlanOccurrence_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanPause" ADD CONSTRAINT "PlanPause_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageReturn" ADD CONSTRAINT "StageReturn_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "CycleStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageReturn" ADD CONSTRAINT "StageReturn_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageReturn" ADD CONSTRAINT "StageReturn_returnedById_fkey" FOREIGN KEY ("returnedById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_doneById_fkey" FOREIGN KEY ("doneById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
