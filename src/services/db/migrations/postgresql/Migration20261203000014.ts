import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form: the autopilot of each project, and the budgets of tasks. */
export class Migration20261203000014 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "autopilots" ("project_id" int not null primary key, "enabled" boolean not null default false, "max_workers" int not null default 4, "label" text not null default \'\', "agent" text not null default \'\', "max_attempts" int not null default 3, "budget" jsonb not null default \'{}\', "reason" text not null default \'\', "updated_at" bigint not null, constraint "autopilots_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade);',
    );
    this.addSql(
      'create table "task_budgets" ("task_id" int not null primary key, "budget" jsonb not null default \'{}\', constraint "task_budgets_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade);',
    );
  }
}
