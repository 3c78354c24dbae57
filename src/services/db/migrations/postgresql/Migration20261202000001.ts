import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form: what a session records of its agent (profile, mode, harness id, outcome, usage). */
export class Migration20261202000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sessions"
      add column "agent" text not null default '',
      add column "mode" text not null default 'headless',
      add column "harness_session_id" text not null default '',
      add column "resumed_from" text not null default '',
      add column "outcome" text not null default '',
      add column "usage" jsonb not null default '{}',
      add column "result_text" text not null default '',
      add column "usage_limit" jsonb null,
      add column "paused_until" bigint null,
      add column "resumes" integer not null default 0;`);
  }
}
