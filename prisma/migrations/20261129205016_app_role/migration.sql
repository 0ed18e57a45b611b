-- Hand-written (roles and grants are outside Prisma's schema language); it has no schema.snapshot.prisma on purpose.
-- The app connects as the login user that owns the schema (who runs these migrations) and then takes this NOLOGIN
-- role (DATABASE_ROLE, src/store/db.ts). The role may read and write every table but may only add audit events:
-- without UPDATE, DELETE and TRUNCATE rights on "AuditEvent" the database refuses a change before any trigger runs.

-- Roles are cluster-wide, so another database on the same server may have created it already (even at this moment).
-- A login user that may not create roles leaves it out; the app then runs as that user (DATABASE_ROLE=none) and
-- `npm start` says how to add the role.
DO $$
BEGIN
  BEGIN
    CREATE ROLE "partnership_bot_app" NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    GRANT "partnership_bot_app" TO CURRENT_USER;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'partnership_bot_app was not set up (%): the app runs as % until an administrator adds it', SQLERRM, current_user;
END;
$$;

DO $$
DECLARE
  schema_name text := current_schema();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'partnership_bot_app') THEN
    RETURN;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO "partnership_bot_app"', schema_name);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO "partnership_bot_app"', schema_name);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO "partnership_bot_app"', schema_name);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "partnership_bot_app"', schema_name);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO "partnership_bot_app"', schema_name);
  -- Evidence: added, never changed or removed.
  REVOKE UPDATE, DELETE, TRUNCATE ON "AuditEvent" FROM "partnership_bot_app";
  -- Prisma's bookkeeping is the migrating user's business.
  REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM "partnership_bot_app";
END;
$$;
