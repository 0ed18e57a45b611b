-- Foreign keys and enums for the QA-cycle, calendar-feed and form-draft tables, and enums for the outbox and timer
-- statuses, so the database itself refuses a status no code knows and an id that points at nobody.
--
-- Written by hand from the generated diff: Prisma would DROP and re-ADD each status column (resetting every status to
-- its default); here each column is converted in place. Rows that would break a new constraint are not guessed at:
-- the migration stops, changes nothing, and names them, so a person can repair them and start again.

DO $$
DECLARE
  problems text[] := '{}';
  found bigint;
  ref record;
  stat record;
BEGIN
  FOR ref IN
    SELECT * FROM (VALUES
      ('Cycle', 'partnershipId', 'Partnership'),
      ('Cycle', 'leadMemberId', 'Member'),
      ('Cycle', 'createdById', 'Member'),
      ('CycleStage', 'doneById', 'Member'),
      ('StageSnooze', 'memberId', 'Member'),
      ('ExtensionRequest', 'requestedById', 'Member'),
      ('ExtensionRequest', 'approverId', 'Member'),
      ('ExtensionRequest', 'decidedById', 'Member'),
      ('CalendarFeed', 'partnershipId', 'Partnership'),
      ('CalendarFeed', 'memberId', 'Member'),
      ('CalendarFeed', 'groupId', 'Group'),
      ('CalendarFeed', 'createdById', 'Member'),
      ('FormDraft', 'partnershipId', 'Partnership'),
      ('FormDraft', 'updatedById', 'Member')
    ) AS r(tbl, col, target)
  LOOP
    EXECUTE format(
      'SELECT count(*) FROM %I t WHERE t.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %I x WHERE x.id = t.%I)',
      ref.tbl, ref.col, ref.target, ref.col
    ) INTO found;
    IF found > 0 THEN
      problems := problems || format('"%s"."%s": %s row(s) point at no "%s"', ref.tbl, ref.col, found, ref.target);
    END IF;
  END LOOP;

  FOR stat IN
    SELECT * FROM (VALUES
      ('OutboxMessage', ARRAY['pending', 'sent', 'failed', 'superseded']),
      ('Timer', ARRAY['pending', 'fired', 'cancelled']),
      ('Cycle', ARRAY['active', 'paused', 'cancelled', 'completed']),
      ('CycleStage', ARRAY['pending', 'open', 'done', 'cancelled']),
      ('ExtensionRequest', ARRAY['pending', 'approved', 'declined'])
    ) AS s(tbl, allowed)
  LOOP
    EXECUTE format('SELECT count(*) FROM %I WHERE NOT (status = ANY ($1))', stat.tbl) INTO found USING stat.allowed;
    IF found > 0 THEN
      problems := problems || format('"%s"."status": %s row(s) not one of %s', stat.tbl, found, array_to_string(stat.allowed, ', '));
    END IF;
  END LOOP;

  IF cardinality(problems) > 0 THEN
    RAISE EXCEPTION 'Cannot add the database constraints; these rows need repair first (fix or delete them, then start again): %',
      array_to_string(problems, '; ');
  END IF;
END
$$;

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed', 'superseded');

-- CreateEnum
CREATE TYPE "TimerStatus" AS ENUM ('pending', 'fired', 'cancelled');

-- CreateEnum
CREATE TYPE "CycleStatus" AS ENUM ('active', 'paused', 'cancelled', 'completed');

-- CreateEnum
CREATE TYPE "StageStatus" AS ENUM ('pending', 'open', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "ExtensionStatus" AS ENUM ('pending', 'approved', 'declined');

-- AlterTable (in place: existing statuses are kept; the indexes on status are rebuilt by PostgreSQL)
ALTER TABLE "OutboxMessage" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "OutboxStatus" USING "status"::"OutboxStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "Timer" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "TimerStatus" USING "status"::"TimerStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "Cycle" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "CycleStatus" USING "status"::"CycleStatus",
ALTER COLUMN "status" SET DEFAULT 'active';

-- AlterTable
ALTER TABLE "CycleStage" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "StageStatus" USING "status"::"StageStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "ExtensionRequest" ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "ExtensionStatus" USING "status"::"ExtensionStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';

-- AddForeignKey
ALTER TABLE "Cycle" ADD CONSTRAINT "Cycle_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cycle" ADD CONSTRAINT "Cycle_leadMemberId_fkey" FOREIGN KEY ("leadMemberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cycle" ADD CONSTRAINT "Cycle_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CycleStage" ADD CONSTRAINT "CycleStage_doneById_fkey" FOREIGN KEY ("doneById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageSnooze" ADD CONSTRAINT "StageSnooze_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormDraft" ADD CONSTRAINT "FormDraft_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FormDraft" ADD CONSTRAINT "FormDraft_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
