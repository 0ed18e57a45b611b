-- CreateTable
CREATE TABLE "S11Round" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "dueOn" TEXT NOT NULL,
    "launchedOn" TEXT NOT NULL,
    "launchedById" UUID,
    "planKey" TEXT,
    "plannedOn" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "settings" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "S11Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "S11Return" (
    "id" UUID NOT NULL,
    "roundId" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "dueOn" TEXT NOT NULL,
    "carriedFromId" UUID,
    "answers" JSONB,
    "submittedAt" TIMESTAMP(3),
    "submittedById" UUID,
    "signedOffAt" TIMESTAMP(3),
    "signedOffById" UUID,
    "moderation" JSONB,
    "response" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "S11Return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "S11Event" (
    "id" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" UUID,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "S11Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "S11Extension" (
    "id" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "untilOn" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "S11Extension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "S11Action" (
    "id" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "standardKey" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "ownerId" UUID NOT NULL,
    "targetOn" TEXT NOT NULL,
    "doneOn" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "S11Action_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "S11Round_partnershipId_number_key" ON "S11Round"("partnershipId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "S11Round_partnershipId_planKey_plannedOn_key" ON "S11Round"("partnershipId", "planKey", "plannedOn");

-- CreateIndex
CREATE INDEX "S11Return_partnershipId_agencyId_idx" ON "S11Return"("partnershipId", "agencyId");

-- CreateIndex
CREATE UNIQUE INDEX "S11Return_roundId_agencyId_key" ON "S11Return"("roundId", "agencyId");

-- CreateIndex
CREATE INDEX "S11Event_returnId_at_idx" ON "S11Event"("returnId", "at");

-- CreateIndex
CREATE INDEX "S11Extension_returnId_status_idx" ON "S11Extension"("returnId", "status");

-- CreateIndex
CREATE INDEX "S11Action_partnershipId_targetOn_idx" ON "S11Action"("partnershipId", "targetOn");

-- CreateIndex
CREATE UNIQUE INDEX "S11Action_returnId_standardKey_key" ON "S11Action"("returnId", "standardKey");

-- AddForeignKey
ALTER TABLE "S11Return" ADD CONSTRAINT "S11Return_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "S11Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "S11Event" ADD CONSTRAINT "S11Event_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "S11Return"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "S11Extension" ADD CONSTRAINT "S11Extension_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "S11Return"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "S11Action" ADD CONSTRAINT "S11Action_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "S11Return"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
