import { Migration } from '@mikro-orm/migrations';

/**
 * The PostgreSQL form of the first schema: projects, tasks with their dependencies and subtasks,
 * timeline, event log. Text columns are `text` (SQLite sets no length either), times `timestamptz`,
 * JSON `jsonb`. `event_log.seq` has no default: the command runner assigns max + 1 while it holds
 * the write lock, so seq order is commit order and a rolled-back command leaves no hole.
 */
export class Migration20261124000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "projects" ("id" serial primary key, "name" text not null, "description" text not null default '', "working_dir" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql('alter table "projects" add constraint "projects_name_unique" unique ("name");');
    this.addSql(
      `create table "tasks" ("id" serial primary key, "project_id" int not null, "title" text not null, "description" text not null default '', "status" text not null, "priority" text not null, "priority_rank" int not null, "parent_id" int null, "labels" jsonb not null, "claim_holder" text null, "claim_session_id" text null, "claim_expires_at" bigint null, "claimed_at" bigint null, "blocked_reason" text null, "state" jsonb not null, "machine_version" int not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "completed_at" timestamptz null, constraint "tasks_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade, constraint "tasks_parent_id_foreign" foreign key ("parent_id") references "tasks" ("id") on update cascade on delete set null);`,
    );
    this.addSql('create index "tasks_project_id_index" on "tasks" ("project_id");');
    this.addSql('create index "tasks_status_index" on "tasks" ("status");');
    this.addSql('create index "tasks_parent_id_index" on "tasks" ("parent_id");');
    this.addSql('create index "tasks_claim_expires_at_index" on "tasks" ("claim_expires_at");');
    this.addSql(
      `create table "task_dependencies" ("id" serial primary key, "task_id" int not null, "depends_on_id" int not null, "created_at" timestamptz not null, constraint "task_dependencies_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade, constraint "task_dependencies_depends_on_id_foreign" foreign key ("depends_on_id") references "tasks" ("id") on update cascade on delete cascade);`,
    );
    this.addSql('create index "task_dependencies_task_id_index" on "task_dependencies" ("task_id");');
    this.addSql(
      'create index "task_dependencies_depends_on_id_index" on "task_dependencies" ("depends_on_id");',
    );
    this.addSql(
      'alter table "task_dependencies" add constraint "task_dependencies_task_id_depends_on_id_unique" unique ("task_id", "depends_on_id");',
    );
    this.addSql(
      `create table "subtasks" ("id" serial primary key, "task_id" int not null, "title" text not null, "status" text not null, "position" int not null, "state" jsonb not null, "machine_version" int not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "subtasks_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade);`,
    );
    this.addSql('create index "subtasks_task_id_index" on "subtasks" ("task_id");');
    this.addSql(
      `create table "timeline_entries" ("id" serial primary key, "task_id" int not null, "kind" text not null, "message" text not null, "actor" text not null, "session_id" text null, "created_at" timestamptz not null, constraint "timeline_entries_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade);`,
    );
    this.addSql('create index "timeline_entries_task_id_index" on "timeline_entries" ("task_id");');
    this.addSql(
      `create table "event_log" ("seq" int not null primary key, "type" text not null, "entity_type" text not null, "entity_id" text not null, "project_id" text null, "data" jsonb not null, "created_at" timestamptz not null);`,
    );
  }
}
