-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "failureReportedAt" TIMESTAMP(3),
ADD COLUMN     "sendingSince" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OutboxMessage_partnershipId_status_idx" ON "OutboxMessage"("partnershipId", "status");
