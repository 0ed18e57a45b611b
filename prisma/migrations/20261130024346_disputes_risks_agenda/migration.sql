-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('open', 'resolved', 'withdrawn');

-- CreateEnum
CREATE TYPE "RiskStatus" AS ENUM ('open', 'closed');

-- CreateTable
CREATE TABLE "Dispute" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "tried" TEXT NOT NULL,
    "outcomeSought" TEXT NOT NULL,
    "caseRef" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "raisedById" UUID NOT NULL,
    "raisedByAgencyId" UUID,
    "otherPartyId" UUID NOT NULL,
    "otherAgencyId" UUID,
    "stages" JSONB NOT NULL,
    "stage" INTEGER NOT NULL,
    "stageStartedAt" TIMESTAMP(3) NOT NULL,
    "stageDueOn" TEXT NOT NULL,
    "status" "DisputeStatus" NOT NULL DEFAULT 'open',
    "chairId" UUID,
    "chairAckAt" TIMESTAMP(3),
    "chairAckById" UUID,
    "jointMeetingOn" TEXT,
    "mediator" TEXT,
    "proposedOutcome" TEXT,
    "proposedById" UUID,
    "proposedLearning" TEXT,
    "outcome" TEXT,
    "resolvedById" UUID,
    "resolvedAt" TIMESTAMP(3),
    "learning" TEXT,
    "learningGroupKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeEvent" (
    "id" UUID NOT NULL,
    "disputeId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "actorId" UUID,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisputeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskEntry" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "risk" TEXT NOT NULL,
    "impact" INTEGER NOT NULL,
    "likelihood" INTEGER NOT NULL,
    "ownerId" UUID NOT NULL,
    "mitigation" TEXT NOT NULL,
    "reviewOn" TEXT NOT NULL,
    "status" "RiskStatus" NOT NULL DEFAULT 'open',
    "disputeId" UUID,
    "createdById" UUID NOT NULL,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "standing" BOOLEAN NOT NULL DEFAULT false,
    "cycleId" UUID,
    "takenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Dispute_partnershipId_status_idx" ON "Dispute"("partnershipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Dispute_partnershipId_number_key" ON "Dispute"("partnershipId", "number");

-- CreateIndex
CREATE INDEX "DisputeEvent_disputeId_at_idx" ON "DisputeEvent"("disputeId", "at");

-- CreateIndex
CREATE INDEX "RiskEntry_partnershipId_status_idx" ON "RiskEntry"("partnershipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RiskEntry_partnershipId_number_key" ON "RiskEntry"("partnershipId", "number");

-- CreateIndex
CREATE INDEX "AgendaItem_groupId_cycleId_idx" ON "AgendaItem"("groupId", "cycleId");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaItem_groupId_sourceKey_key" ON "AgendaItem"("groupId", "sourceKey");

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisputeEvent" ADD CONSTRAINT "DisputeEvent_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskEntry" ADD CONSTRAINT "RiskEntry_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
