import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the task lists' filters and keyset order, and for the grouped counts of `status`:
 * `(project_id, status, priority)` answers the counts from the index alone; `(project_id,
 * priority_rank, id)` and `(project_id, status, priority_rank, id)` serve a page of a project's
 * list, with or without a status filter (the ready query reads pending tasks in that order);
 * `(priority_rank, id)` and `(parent_id, priority_rank, id)` the same across projects and for
 * children. A label filter reads `json_each` of the rows it visits: SQLite cannot index inside JSON.
 */
export class Migration20261203000016 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index `tasks_project_status_priority_index` on `tasks` (`project_id`, `status`, `priority`);',
    );
    this.addSql('create index `tasks_project_rank_index` on `tasks` (`project_id`, `priority_rank`, `id`);');
    this.addSql(
      'create index `tasks_project_status_rank_index` on `tasks` (`project_id`, `status`, `priority_rank`, `id`);',
    );
    this.addSql('create index `tasks_rank_index` on `tasks` (`priority_rank`, `id`);');
    this.addSql('create index `tasks_parent_rank_index` on `tasks` (`parent_id`, `priority_rank`, `id`);');
    this.addSql(
      'create index `task_dependencies_depends_on_task_index` on `task_dependencies` (`depends_on_id`, `task_id`);',
    );
  }
}
