import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form of the third migration: where a session's agent runs. */
export class Migration20261124000003 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "sessions" add column "terminal" jsonb null;');
  }
}
