import { Migration } from '@mikro-orm/migrations';

/**
 * Workspaces: a task's git worktree and its lifecycle (one per task), and the project settings
 * that shape them (isolation, base branch, review). Task snapshots move to machine version 2 (the
 * `in_review` status); a version 1 snapshot is a valid version 2 one, so only the number changes.
 */
export class Migration20261203000013 extends Migration {
  override async up(): Promise<void> {
    for (const column of [
      "`isolation` text not null default ''",
      "`base_branch` text not null default ''",
      "`review` text not null default 'auto'",
    ]) {
      this.addSql(`alter table \`projects\` add column ${column};`);
    }
    this.addSql(
      "create table `workspaces` (`id` integer not null primary key autoincrement, `project_id` integer not null, `task_id` integer not null, `status` text not null, `state` json not null, `machine_version` integer not null, `version` integer not null default 1, `branch` text not null default '', `base_branch` text not null default '', `path` text not null default '', `working_dir` text not null default '', `port_start` integer null, `port_count` integer null, `queued_at` integer null, `created_at` datetime not null, `updated_at` datetime not null, constraint `workspaces_project_id_foreign` foreign key(`project_id`) references `projects`(`id`) on delete cascade on update cascade, constraint `workspaces_task_id_foreign` foreign key(`task_id`) references `tasks`(`id`) on delete cascade on update cascade);",
    );
    this.addSql('create index `workspaces_project_id_index` on `workspaces` (`project_id`);');
    this.addSql('create unique index `workspaces_task_id_unique` on `workspaces` (`task_id`);');
    this.addSql('create index `workspaces_status_index` on `workspaces` (`status`);');
    this.addSql('update `tasks` set `machine_version` = 2 where `machine_version` = 1;');
  }
}
