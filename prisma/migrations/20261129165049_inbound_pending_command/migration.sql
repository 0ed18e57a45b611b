-- A slash command is stored with what is needed to answer it before Slack hears 200, so a crash after the
-- acknowledgement cannot lose it: recovery answers every receipt whose pendingCommand is still set.
-- AlterTable
ALTER TABLE "InboundReceipt" ADD COLUMN     "pendingCommand" JSONB;
