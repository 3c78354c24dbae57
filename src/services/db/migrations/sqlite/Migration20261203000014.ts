import { Migration } from '@mikro-orm/migrations';

/**
 * The autopilot of each project (on or off, its cap, filter, agent, attempts and budget), and the
 * budgets of tasks: caps on cost, tokens and wall time.
 */
export class Migration20261203000014 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `autopilots` (`project_id` integer not null, `enabled` integer not null default 0, `max_workers` integer not null default 4, `label` text not null default '', `agent` text not null default '', `max_attempts` integer not null default 3, `budget` json not null default '{}', `reason` text not null default '', `updated_at` integer not null, primary key (`project_id`), constraint `autopilots_project_id_foreign` foreign key(`project_id`) references `projects`(`id`) on delete cascade on update cascade);",
    );
    this.addSql(
      "create table `task_budgets` (`task_id` integer not null, `budget` json not null default '{}', primary key (`task_id`), constraint `task_budgets_task_id_foreign` foreign key(`task_id`) references `tasks`(`id`) on delete cascade on update cascade);",
    );
  }
}
