import { Migration } from '@mikro-orm/migrations';

/**
 * The PostgreSQL form of the list and count indexes (see the SQLite one), plus a GIN index on the
 * labels so that a label filter (`labels @> '["x"]'`) is indexed too.
 */
export class Migration20261203000016 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index "tasks_project_status_priority_index" on "tasks" ("project_id", "status", "priority");',
    );
    this.addSql('create index "tasks_project_rank_index" on "tasks" ("project_id", "priority_rank", "id");');
    this.addSql(
      'create index "tasks_project_status_rank_index" on "tasks" ("project_id", "status", "priority_rank", "id");',
    );
    this.addSql('create index "tasks_rank_index" on "tasks" ("priority_rank", "id");');
    this.addSql('create index "tasks_parent_rank_index" on "tasks" ("parent_id", "priority_rank", "id");');
    this.addSql(
      'create index "task_dependencies_depends_on_task_index" on "task_dependencies" ("depends_on_id", "task_id");',
    );
    this.addSql('create index "tasks_labels_index" on "tasks" using gin ("labels" jsonb_path_ops);');
  }
}
