import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form of the second migration: agent sessions and idempotency keys. */
export class Migration20261124000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "sessions" ("id" serial primary key, "project_id" int not null, "task_ids" jsonb not null, "role" text not null, "name" text not null, "skill" text not null default '', "status" text not null, "state" jsonb not null, "machine_version" int not null, "version" int not null default 1, "heartbeat_at" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "ended_at" timestamptz null, constraint "sessions_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade);`,
    );
    this.addSql('create index "sessions_project_id_index" on "sessions" ("project_id");');
    this.addSql('create index "sessions_status_index" on "sessions" ("status");');
    this.addSql('create index "tasks_claim_session_id_index" on "tasks" ("claim_session_id");');
    this.addSql(
      `create table "idempotency_keys" ("key" text not null, "operation" text not null, "response" jsonb not null, "created_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("key"));`,
    );
    this.addSql('create index "idempotency_keys_created_at_index" on "idempotency_keys" ("created_at");');
  }
}
