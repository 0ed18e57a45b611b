-- Hand-written (Prisma's schema language cannot express an index on a JSON field); it has no schema.snapshot.prisma on purpose.
-- Recovery after a crash asks whether an acknowledged request already changed something: the audit events it wrote
-- carry its key in data.requestKey (src/core/request-context.ts). Only those events are indexed.
CREATE INDEX "AuditEvent_requestKey_idx" ON "AuditEvent" (("data"->>'requestKey')) WHERE "data" ? 'requestKey';
