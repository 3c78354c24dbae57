import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form: workspaces, the project settings that shape them, task machine version 2. */
export class Migration20261203000013 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "projects"
      add column "isolation" text not null default '',
      add column "base_branch" text not null default '',
      add column "review" text not null default 'auto';`);
    this.addSql(
      `create table "workspaces" ("id" serial primary key, "project_id" int not null, "task_id" int not null, "status" text not null, "state" jsonb not null, "machine_version" int not null, "version" int not null default 1, "branch" text not null default '', "base_branch" text not null default '', "path" text not null default '', "working_dir" text not null default '', "port_start" int null, "port_count" int null, "queued_at" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "workspaces_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade, constraint "workspaces_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade);`,
    );
    this.addSql('create index "workspaces_project_id_index" on "workspaces" ("project_id");');
    this.addSql('alter table "workspaces" add constraint "workspaces_task_id_unique" unique ("task_id");');
    this.addSql('create index "workspaces_status_index" on "workspaces" ("status");');
    this.addSql('update "tasks" set "machine_version" = 2 where "machine_version" = 1;');
  }
}
