-- AlterTable: each feature's section of the partnership file, keyed by section name; the QA-cycle plans move in.
ALTER TABLE "Partnership" ADD COLUMN     "sections" JSONB NOT NULL DEFAULT '{}';
UPDATE "Partnership" SET "sections" = jsonb_build_object('plans', "plans");
ALTER TABLE "Partnership" DROP COLUMN "plans";

-- CreateTable
CREATE TABLE "FormDraft" (
    "id" UUID NOT NULL,
    "partnershipId" UUID NOT NULL,
    "formKey" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "page" INTEGER NOT NULL DEFAULT 0,
    "values" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FormDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FormDraft_updatedById_idx" ON "FormDraft"("updatedById");

-- CreateIndex
CREATE UNIQUE INDEX "FormDraft_formKey_subjectKey_key" ON "FormDraft"("formKey", "subjectKey");
