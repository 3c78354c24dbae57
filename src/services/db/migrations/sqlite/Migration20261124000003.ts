import { Migration } from '@mikro-orm/migrations';

/** Where a session's agent runs (`sessions.terminal`), as its runner reported it at start. */
export class Migration20261124000003 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `sessions` add column `terminal` json null;');
  }
}
