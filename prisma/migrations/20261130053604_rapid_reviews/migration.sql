-- CreateTable
CREATE TABLE "RapidReview" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "caseRef" TEXT NOT NULL,
    "awareOn" TEXT NOT NULL,
    "nationalNotifiedOn" TEXT,
    "summary" TEXT NOT NULL,
    "notifierId" UUID NOT NULL,
    "groupKey" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "jointWith" TEXT,
    "leadProcess" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "meetingOn" TEXT,
    "attendeeIds" UUID[],
    "recommendation" TEXT,
    "recommendationNote" TEXT,
    "recommendedById" UUID,
    "decision" TEXT,
    "decisionReasons" TEXT,
    "nationalToldOn" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RapidReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RapidReviewAck" (
    "reviewId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RapidReviewAck_pkey" PRIMARY KEY ("reviewId","memberId")
);

-- CreateTable
CREATE TABLE "RapidReviewAgency" (
    "reviewId" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "confirmedById" UUID,

    CONSTRAINT "RapidReviewAgency_pkey" PRIMARY KEY ("reviewId","agencyId")
);

-- CreateTable
CREATE TABLE "RapidReviewEvent" (
    "id" UUID NOT NULL,
    "reviewId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" UUID,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RapidReviewEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RapidReviewMilestone" (
    "reviewId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "dueOn" TEXT NOT NULL,
    "doneOn" TEXT,
    "doneById" UUID,

    CONSTRAINT "RapidReviewMilestone_pkey" PRIMARY KEY ("reviewId","key")
);

-- CreateTable
CREATE TABLE "RapidReviewLeadChoice" (
    "reviewId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "process" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RapidReviewLeadChoice_pkey" PRIMARY KEY ("reviewId","memberId")
);

-- CreateIndex
CREATE INDEX "RapidReview_partnershipId_status_idx" ON "RapidReview"("partnershipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RapidReview_partnershipId_number_key" ON "RapidReview"("partnershipId", "number");

-- CreateIndex
CREATE INDEX "RapidReviewEvent_reviewId_at_idx" ON "RapidReviewEvent"("reviewId", "at");

-- AddForeignKey
ALTER TABLE "RapidReview" ADD CONSTRAINT "RapidReview_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RapidReviewAck" ADD CONSTRAINT "RapidReviewAck_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "RapidReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RapidReviewAgency" ADD CONSTRAINT "RapidReviewAgency_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "RapidReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RapidReviewEvent" ADD CONSTRAINT "RapidReviewEvent_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "RapidReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RapidReviewMilestone" ADD CONSTRAINT "RapidReviewMilestone_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "RapidReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RapidReviewLeadChoice" ADD CONSTRAINT "RapidReviewLeadChoice_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "RapidReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
