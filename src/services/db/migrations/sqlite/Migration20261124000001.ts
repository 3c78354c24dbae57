import { Migration } from '@mikro-orm/migrations';

/** First schema: projects, tasks with their dependencies and subtasks, timeline, event log. */
export class Migration20261124000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `projects` (`id` integer not null primary key autoincrement, `name` text not null, `description` text not null default '', `working_dir` text null, `created_at` datetime not null, `updated_at` datetime not null);",
    );
    this.addSql('create unique index `projects_name_unique` on `projects` (`name`);');
    this.addSql(
      "create table `tasks` (`id` integer not null primary key autoincrement, `project_id` integer not null, `title` text not null, `description` text not null default '', `status` text not null, `priority` text not null, `priority_rank` integer not null, `parent_id` integer null, `labels` json not null, `claim_holder` text null, `claim_session_id` text null, `claim_expires_at` bigint null, `claimed_at` bigint null, `blocked_reason` text null, `state` json not null, `machine_version` integer not null, `version` integer not null default 1, `created_at` datetime not null, `updated_at` datetime not null, `completed_at` datetime null, constraint `tasks_project_id_foreign` foreign key(`project_id`) references `projects`(`id`) on delete cascade on update cascade, constraint `tasks_parent_id_foreign` foreign key(`parent_id`) references `tasks`(`id`) on delete set null on update cascade);",
    );
    this.addSql('create index `tasks_project_id_index` on `tasks` (`project_id`);');
    this.addSql('create index `tasks_status_index` on `tasks` (`status`);');
    this.addSql('create index `tasks_parent_id_index` on `tasks` (`parent_id`);');
    this.addSql('create index `tasks_claim_expires_at_index` on `tasks` (`claim_expires_at`);');
    this.addSql(
      'create table `task_dependencies` (`id` integer not null primary key autoincrement, `task_id` integer not null, `depends_on_id` integer not null, `created_at` datetime not null, constraint `task_dependencies_task_id_foreign` foreign key(`task_id`) references `tasks`(`id`) on delete cascade on update cascade, constraint `task_dependencies_depends_on_id_foreign` foreign key(`depends_on_id`) references `tasks`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create index `task_dependencies_task_id_index` on `task_dependencies` (`task_id`);');
    this.addSql(
      'create index `task_dependencies_depends_on_id_index` on `task_dependencies` (`depends_on_id`);',
    );
    this.addSql(
      'create unique index `task_dependencies_task_id_depends_on_id_unique` on `task_dependencies` (`task_id`, `depends_on_id`);',
    );
    this.addSql(
      'create table `subtasks` (`id` integer not null primary key autoincrement, `task_id` integer not null, `title` text not null, `status` text not null, `position` integer not null, `state` json not null, `machine_version` integer not null, `version` integer not null default 1, `created_at` datetime not null, `updated_at` datetime not null, constraint `subtasks_task_id_foreign` foreign key(`task_id`) references `tasks`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create index `subtasks_task_id_index` on `subtasks` (`task_id`);');
    this.addSql(
      'create table `timeline_entries` (`id` integer not null primary key autoincrement, `task_id` integer not null, `kind` text not null, `message` text not null, `actor` text not null, `session_id` text null, `created_at` datetime not null, constraint `timeline_entries_task_id_foreign` foreign key(`task_id`) references `tasks`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create index `timeline_entries_task_id_index` on `timeline_entries` (`task_id`);');
    this.addSql(
      'create table `event_log` (`seq` integer not null primary key autoincrement, `type` text not null, `entity_type` text not null, `entity_id` text not null, `project_id` text null, `data` json not null, `created_at` datetime not null);',
    );
  }
}
